package redotpay

import (
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/payhost/payhost/plugin"
)

// The hosts and protocols an instance can use.
const (
	// ProductionEndpoint is RedotPay Connect's production API host, the
	// default endpoint.
	ProductionEndpoint = "https://acquirer.redotpay.com"
	// SandboxEndpoint is RedotPay Connect's sandbox host.
	SandboxEndpoint = "https://acquirersandbox.rp-2023app.com"
	// EmulatorEndpoint is where `payhost sandbox` serves the local emulator.
	EmulatorEndpoint = "http://127.0.0.1:8901"

	// ProtocolConnect is the official RSA-signed RedotPay Connect API.
	ProtocolConnect = "connect"
	// ProtocolSeed is the API as the look-alike seed page describes it
	// (Bearer key, snake_case, HMAC callbacks, /v1 card endpoints).
	ProtocolSeed = "seed"
)

// Defaults of the optional attributes.
const (
	defaultEnv       = "WEB"
	defaultTolerance = "5m"
	defaultTimeout   = "30s"
)

// configSchema is the provider block's schema. Attributes of one protocol
// are optional in the schema and required by Configure when that protocol
// is selected, so that the errors name the attribute and the protocol.
var configSchema = plugin.Schema{Attributes: []plugin.Attribute{
	{Name: "endpoint", Type: plugin.TypeString, Default: ProductionEndpoint,
		Description: "Base URL of the API: production " + ProductionEndpoint + ", sandbox " + SandboxEndpoint + ", or the local emulator of `payhost sandbox`, " + EmulatorEndpoint + "."},
	{Name: "protocol", Type: plugin.TypeString, Default: ProtocolConnect,
		Description: `"connect" for the official RSA-signed RedotPay Connect API, or "seed" for the API of the look-alike seed page (emulator use only).`},
	{Name: "methods", Type: plugin.TypeListString,
		Description: `Payment methods this instance takes: "wallet" and "qr" (both protocols), "card" (seed only). Default: all the protocol supports.`},
	{Name: "app_key", Type: plugin.TypeString,
		Description: "connect: the appKey of the RedotPay Connect merchant platform, sent in X-R-AK."},
	{Name: "private_key", Type: plugin.TypeString, Sensitive: true,
		Description: "connect: the merchant's RSA private key (PEM, PKCS#8 or PKCS#1) that signs every request."},
	{Name: "key_version", Type: plugin.TypeNumber, Default: int64(1),
		Description: "connect: the version of private_key's public key on the merchant platform, sent in X-R-Key-Version."},
	{Name: "platform_public_key", Type: plugin.TypeString,
		Description: "connect: RedotPay's platform public key (PEM) that verifies webhooks."},
	{Name: "platform_key_version", Type: plugin.TypeNumber, Default: int64(1),
		Description: "connect: the version of platform_public_key; a webhook announcing another version in X-R-Key-Version is refused."},
	{Name: "env", Type: plugin.TypeString, Default: defaultEnv,
		Description: "connect: the checkout the customer is sent to, WEB (webUrl), H5 (h5Url) or APP (appUrl)."},
	{Name: "timestamp_tolerance", Type: plugin.TypeDuration, Default: defaultTolerance,
		Description: "connect: how far a webhook's X-R-Ts may be from the clock before the webhook is refused as stale."},
	{Name: "timeout", Type: plugin.TypeDuration, Default: defaultTimeout,
		Description: "How long one call to the gateway may take; a call that times out after it was sent has an unknown outcome."},
	{Name: "merchant_code", Type: plugin.TypeString,
		Description: "seed: the merchant_code of create requests and callback signatures."},
	{Name: "merchant_key", Type: plugin.TypeString, Sensitive: true,
		Description: "seed: the merchant key sent as Authorization: Bearer."},
	{Name: "secret_key", Type: plugin.TypeString, Sensitive: true,
		Description: "seed: the secret key of the callback HMAC-SHA256 signature."},
}}

// protocolMethods lists the payment methods of each protocol.
var protocolMethods = map[string][]plugin.PaymentMethod{
	ProtocolConnect: {plugin.MethodWallet, plugin.MethodQR},
	ProtocolSeed:    {plugin.MethodWallet, plugin.MethodQR, plugin.MethodCard},
}

// settings is a validated configuration.
type settings struct {
	endpoint *url.URL
	protocol string
	methods  []plugin.PaymentMethod
	timeout  time.Duration

	// connect
	appKey             string
	privateKey         rsaKey
	keyVersion         int64
	platformKey        *rsa.PublicKey
	platformKeyVersion int64
	env                string
	tolerance          time.Duration

	// seed
	merchantCode string
	merchantKey  plugin.Secret
	secretKey    plugin.Secret
}

// rsaKey holds the merchant's private key and prints as REDACTED, so that
// no key material reaches a log even if settings is printed by mistake.
type rsaKey struct{ key *rsa.PrivateKey }

// Format prints REDACTED whatever the verb.
func (rsaKey) Format(f fmt.State, verb rune) { fmt.Fprint(f, "REDACTED") }

// parseSettings validates cfg; its errors are invalid_request naming the
// attribute at fault. Attributes left out take the schema's defaults.
func parseSettings(cfg plugin.Config) (*settings, error) {
	s := &settings{protocol: stringOr(cfg, "protocol")}
	var err error
	if s.endpoint, err = parseEndpoint(stringOr(cfg, "endpoint")); err != nil {
		return nil, err
	}
	if s.timeout, err = durationAttr(cfg, "timeout"); err != nil {
		return nil, err
	}
	supported, ok := protocolMethods[s.protocol]
	if !ok {
		return nil, plugin.InvalidRequest("protocol", `protocol must be "connect" or "seed", not %q`, s.protocol)
	}
	if s.methods, err = parseMethods(cfg, s.protocol, supported); err != nil {
		return nil, err
	}
	if s.protocol == ProtocolConnect {
		return s, s.parseConnect(cfg)
	}
	return s, s.parseSeed(cfg)
}

func (s *settings) parseConnect(cfg plugin.Config) error {
	var err error
	if s.appKey, err = requiredString(cfg, "app_key", ProtocolConnect); err != nil {
		return err
	}
	pemText, err := requiredString(cfg, "private_key", ProtocolConnect)
	if err != nil {
		return err
	}
	if s.privateKey.key, err = parsePrivateKey(pemText); err != nil {
		return plugin.InvalidRequest("private_key", "private_key: %v", err)
	}
	if pemText, err = requiredString(cfg, "platform_public_key", ProtocolConnect); err != nil {
		return err
	}
	if s.platformKey, err = parsePublicKey(pemText); err != nil {
		return plugin.InvalidRequest("platform_public_key", "platform_public_key: %v", err)
	}
	if s.keyVersion, err = keyVersion(cfg, "key_version"); err != nil {
		return err
	}
	if s.platformKeyVersion, err = keyVersion(cfg, "platform_key_version"); err != nil {
		return err
	}
	switch s.env = stringOr(cfg, "env"); s.env {
	case "WEB", "H5", "APP":
	default:
		return plugin.InvalidRequest("env", "env must be WEB, H5 or APP, not %q", s.env)
	}
	s.tolerance, err = durationAttr(cfg, "timestamp_tolerance")
	return err
}

func (s *settings) parseSeed(cfg plugin.Config) error {
	var err error
	if s.merchantCode, err = requiredString(cfg, "merchant_code", ProtocolSeed); err != nil {
		return err
	}
	for _, name := range []string{"merchant_key", "secret_key"} {
		if _, err := requiredString(cfg, name, ProtocolSeed); err != nil {
			return err
		}
	}
	s.merchantKey, s.secretKey = cfg.Secret("merchant_key"), cfg.Secret("secret_key")
	return nil
}

// stringOr returns a string attribute, or its schema default when unset.
func stringOr(cfg plugin.Config, name string) string {
	if cfg.Has(name) {
		return cfg.String(name)
	}
	a, _ := configSchema.Attribute(name)
	s, _ := a.Default.(string)
	return s
}

func requiredString(cfg plugin.Config, name, protocol string) (string, error) {
	v := strings.TrimSpace(cfg.String(name))
	if v == "" {
		return "", plugin.InvalidRequest(name, "%s is required with protocol %q", name, protocol)
	}
	return v, nil
}

func parseEndpoint(raw string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimRight(raw, "/"))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" {
		return nil, plugin.InvalidRequest("endpoint", "endpoint must be an absolute http or https URL such as %s", ProductionEndpoint)
	}
	return u, nil
}

func durationAttr(cfg plugin.Config, name string) (time.Duration, error) {
	d, err := time.ParseDuration(stringOr(cfg, name))
	if err != nil || d <= 0 {
		return 0, plugin.InvalidRequest(name, "%s must be a positive duration such as \"30s\"", name)
	}
	return d, nil
}

func keyVersion(cfg plugin.Config, name string) (int64, error) {
	v := int64(1)
	if cfg.Has(name) {
		v = cfg.Int(name)
	}
	if v < 1 {
		return 0, plugin.InvalidRequest(name, "%s must be a key version 1, 2, 3, ...", name)
	}
	return v, nil
}

func parseMethods(cfg plugin.Config, protocol string, supported []plugin.PaymentMethod) ([]plugin.PaymentMethod, error) {
	if !cfg.Has("methods") {
		return supported, nil
	}
	var out []plugin.PaymentMethod
	for _, name := range cfg.Strings("methods") {
		m := plugin.PaymentMethod(name)
		if !slices.Contains(supported, m) {
			return nil, plugin.InvalidRequest("methods", "methods: protocol %q does not take %q (it takes %v)", protocol, name, supported)
		}
		if !slices.Contains(out, m) {
			out = append(out, m)
		}
	}
	if len(out) == 0 {
		return nil, plugin.InvalidRequest("methods", "methods must name at least one payment method")
	}
	return out, nil
}

// parsePrivateKey reads an RSA private key in PKCS#8 ("PRIVATE KEY") or
// PKCS#1 ("RSA PRIVATE KEY") PEM form. Its errors never quote the key.
func parsePrivateKey(text string) (*rsa.PrivateKey, error) {
	block, _ := pem.Decode([]byte(text))
	if block == nil {
		return nil, fmt.Errorf("no PEM block found")
	}
	switch block.Type {
	case "RSA PRIVATE KEY":
		if key, err := x509.ParsePKCS1PrivateKey(block.Bytes); err == nil {
			return key, nil
		}
	case "PRIVATE KEY":
		if key, err := x509.ParsePKCS8PrivateKey(block.Bytes); err == nil {
			if rsaKey, ok := key.(*rsa.PrivateKey); ok {
				return rsaKey, nil
			}
		}
	}
	return nil, fmt.Errorf("not an RSA private key in PEM form (PKCS#8 \"PRIVATE KEY\" or PKCS#1 \"RSA PRIVATE KEY\")")
}

// parsePublicKey reads an RSA public key in PKIX ("PUBLIC KEY") or PKCS#1
// ("RSA PUBLIC KEY") PEM form.
func parsePublicKey(text string) (*rsa.PublicKey, error) {
	block, _ := pem.Decode([]byte(text))
	if block == nil {
		return nil, fmt.Errorf("no PEM block found")
	}
	switch block.Type {
	case "RSA PUBLIC KEY":
		if key, err := x509.ParsePKCS1PublicKey(block.Bytes); err == nil {
			return key, nil
		}
	case "PUBLIC KEY":
		if key, err := x509.ParsePKIXPublicKey(block.Bytes); err == nil {
			if rsaKey, ok := key.(*rsa.PublicKey); ok {
				return rsaKey, nil
			}
		}
	}
	return nil, fmt.Errorf("not an RSA public key in PEM form (PKIX \"PUBLIC KEY\" or PKCS#1 \"RSA PUBLIC KEY\")")
}

// declared is what GetInfo declares: the union of both protocols.
var declared = plugin.Capabilities{
	Operations: []plugin.Operation{
		plugin.OpCreatePayment, plugin.OpAuthorize, plugin.OpCapture, plugin.OpPartialCapture,
		plugin.OpRefund, plugin.OpPartialRefund, plugin.OpVoid, plugin.OpReverse,
		plugin.OpGetPayment, plugin.OpCallbacks,
	},
	Methods: protocolMethods[ProtocolSeed],
}

// capabilities is what an instance with these settings can do:
//
//   - connect: orders (wallet, qr) created, queried, closed (void) and
//     notified; no refund API, no authorization;
//   - seed orders (wallet, qr): created, queried and notified;
//   - seed cards: authorize, capture (partial), refund (partial,
//     repeated), void and reversal, but no status query and no callbacks.
func (s *settings) capabilities() plugin.Capabilities {
	ops := []plugin.Operation{plugin.OpCreatePayment}
	orders := slices.Contains(s.methods, plugin.MethodWallet) || slices.Contains(s.methods, plugin.MethodQR)
	if orders {
		ops = append(ops, plugin.OpGetPayment, plugin.OpCallbacks)
		if s.protocol == ProtocolConnect {
			ops = append(ops, plugin.OpVoid)
		}
	}
	if slices.Contains(s.methods, plugin.MethodCard) {
		ops = append(ops, plugin.OpAuthorize, plugin.OpCapture, plugin.OpPartialCapture,
			plugin.OpRefund, plugin.OpPartialRefund, plugin.OpVoid, plugin.OpReverse)
	}
	// Keep GetInfo's order, without duplicates.
	var out []plugin.Operation
	for _, op := range declared.Operations {
		if slices.Contains(ops, op) {
			out = append(out, op)
		}
	}
	return plugin.Capabilities{Operations: out, Methods: slices.Clone(s.methods)}
}
