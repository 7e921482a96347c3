package appotapay

import (
	"fmt"
	"net"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/payhost/payhost/plugin"
)

// AppotaPay's API hosts (GATEWAYS.md §2.1): v1.x, v2, and the local
// emulator of `payhost sandbox`, which serves both.
const (
	ProductionEndpoint   = "https://payment.appotapay.com"
	SandboxEndpoint      = "https://payment.dev.appotapay.com"
	ProductionEndpointV2 = "https://gateway.appotapay.com"
	SandboxEndpointV2    = "https://gateway.dev.appotapay.com"
	EmulatorEndpoint     = "http://127.0.0.1:8902"
)

// The API versions the provider speaks.
const (
	version10 = "1.0"
	version11 = "1.1"
	version2  = "2"
)

// The provider block's attributes.
const (
	attrEndpoint      = "endpoint"
	attrAPIVersion    = "api_version"
	attrPartnerCode   = "partner_code"
	attrAPIKey        = "api_key"
	attrSecretKey     = "secret_key"
	attrPaymentMethod = "payment_method"
	attrBankCode      = "bank_code"
	attrJWTTTL        = "jwt_ttl"
	attrTimeout       = "timeout"
)

// paymentMethods are AppotaPay's paymentMethod codes (GATEWAYS.md §2.2).
var paymentMethods = []string{"ATM", "CC", "EWALLET", "VA", "MM", "ISTM", "ALL"}

// bankCodePattern is what a bankCode looks like (VCB, MB, SAIGONBANK, VISA).
var bankCodePattern = regexp.MustCompile(`^[A-Z0-9_]{2,20}$`)

// schema is the provider block's configuration. Defaults are applied by
// the host; settingsFrom applies them too, for callers that do not.
var schema = plugin.Schema{Attributes: []plugin.Attribute{
	{Name: attrEndpoint, Type: plugin.TypeString, Default: ProductionEndpoint,
		Description: "Base URL of AppotaPay's payment API: " + ProductionEndpoint + " (production), " +
			SandboxEndpoint + " (AppotaPay's sandbox) or " + EmulatorEndpoint + " (the local emulator of `payhost sandbox`); for API v2 " +
			ProductionEndpointV2 + " or " + SandboxEndpointV2 + "."},
	{Name: attrAPIVersion, Type: plugin.TypeString, Default: version11,
		Description: `AppotaPay API version: "1.1" (the default), "1.0" or "2" (which needs a v2 endpoint).`},
	{Name: attrPartnerCode, Type: plugin.TypeString, Required: true,
		Description: "PARTNER_CODE, the partner account at AppotaPay (the JWT's iss claim)."},
	{Name: attrAPIKey, Type: plugin.TypeString, Required: true, Sensitive: true,
		Description: "API_KEY of the partner account."},
	{Name: attrSecretKey, Type: plugin.TypeString, Required: true, Sensitive: true,
		Description: "SECRET_KEY of the partner account: signs the JWT and every request, and verifies answers and notifications."},
	{Name: attrPaymentMethod, Type: plugin.TypeString, Default: "ATM",
		Description: "AppotaPay paymentMethod for bank payments: ATM (domestic cards and bank accounts), EWALLET, VA, MM, ISTM or ALL (the customer chooses). Card payments always use CC."},
	{Name: attrBankCode, Type: plugin.TypeString,
		Description: "AppotaPay bankCode for bank payments (VCB, MB, ...); unset lets the customer choose the bank on AppotaPay's page."},
	{Name: attrJWTTTL, Type: plugin.TypeDuration, Default: "5m",
		Description: "Lifetime of the JWT sent with each request (exp claim)."},
	{Name: attrTimeout, Type: plugin.TypeDuration, Default: "30s",
		Description: "Time limit of one call to AppotaPay; a call that times out after being sent is an unknown outcome."},
}}

// settings is one instance's validated configuration.
type settings struct {
	endpoint      string
	version       string
	partnerCode   string
	apiKey        plugin.Secret
	secretKey     plugin.Secret
	paymentMethod string
	bankCode      string
	jwtTTL        time.Duration
	timeout       time.Duration
	// notifyURL is the host's callback URL for this instance.
	notifyURL string
}

// settingsFrom validates a provider block. Errors are invalid_request
// naming the attribute; warnings are for the operator.
func settingsFrom(cfg plugin.Config, callbackURL string) (*settings, []string, error) {
	s := &settings{
		endpoint:      strings.TrimRight(stringOr(cfg, attrEndpoint), "/"),
		version:       stringOr(cfg, attrAPIVersion),
		partnerCode:   cfg.String(attrPartnerCode),
		apiKey:        cfg.Secret(attrAPIKey),
		secretKey:     cfg.Secret(attrSecretKey),
		paymentMethod: stringOr(cfg, attrPaymentMethod),
		bankCode:      cfg.String(attrBankCode),
		notifyURL:     callbackURL,
	}
	var warnings []string
	u, err := url.Parse(s.endpoint)
	switch {
	case err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "":
		return nil, nil, plugin.InvalidRequest(attrEndpoint, "%s must be an absolute http or https URL such as %s", attrEndpoint, ProductionEndpoint)
	case u.RawQuery != "" || u.Fragment != "":
		return nil, nil, plugin.InvalidRequest(attrEndpoint, "%s must not have a query or fragment", attrEndpoint)
	case u.Scheme == "http" && !isLoopback(u.Hostname()):
		warnings = append(warnings, fmt.Sprintf("%s %s uses plain http: credentials and payments travel unencrypted; use https outside local testing", attrEndpoint, s.endpoint))
	}
	switch s.version {
	case version10, version11:
	case version2:
		if s.endpoint == ProductionEndpoint || s.endpoint == SandboxEndpoint {
			return nil, nil, plugin.InvalidRequest(attrEndpoint, "%s %s serves API v1.x; API v2 is at %s (sandbox %s)", attrEndpoint, s.endpoint, ProductionEndpointV2, SandboxEndpointV2)
		}
	default:
		return nil, nil, plugin.InvalidRequest(attrAPIVersion, "%s %q is not supported: use %q, %q or %q", attrAPIVersion, s.version, version11, version10, version2)
	}
	for _, a := range []struct {
		name  string
		empty bool
	}{{attrPartnerCode, s.partnerCode == ""}, {attrAPIKey, s.apiKey.IsEmpty()}, {attrSecretKey, s.secretKey.IsEmpty()}} {
		if a.empty {
			return nil, nil, plugin.InvalidRequest(a.name, "%s is required", a.name)
		}
	}
	if !slices.Contains(paymentMethods, s.paymentMethod) {
		return nil, nil, plugin.InvalidRequest(attrPaymentMethod, "%s %q is not one of %s", attrPaymentMethod, s.paymentMethod, strings.Join(paymentMethods, ", "))
	}
	if s.bankCode != "" && !bankCodePattern.MatchString(s.bankCode) {
		return nil, nil, plugin.InvalidRequest(attrBankCode, "%s %q is not an AppotaPay bank code such as VCB", attrBankCode, s.bankCode)
	}
	if s.jwtTTL, err = positiveDuration(cfg, attrJWTTTL); err != nil {
		return nil, nil, err
	}
	if s.timeout, err = positiveDuration(cfg, attrTimeout); err != nil {
		return nil, nil, err
	}
	if callbackURL == "" {
		warnings = append(warnings, "no callback URL: set payhost's public_url, or AppotaPay cannot send its notifications and payments cannot be created")
	}
	return s, warnings, nil
}

// stringOr returns a string attribute, or its schema default when unset.
func stringOr(cfg plugin.Config, name string) string {
	if cfg.Has(name) {
		return cfg.String(name)
	}
	a, _ := schema.Attribute(name)
	def, _ := a.Default.(string)
	return def
}

// positiveDuration reads a duration attribute (or its default) that must
// be above zero.
func positiveDuration(cfg plugin.Config, name string) (time.Duration, error) {
	text := stringOr(cfg, name)
	d, err := time.ParseDuration(text)
	if err != nil || d <= 0 {
		return 0, plugin.InvalidRequest(name, "%s %q must be a positive duration such as \"30s\"", name, text)
	}
	return d, nil
}

// isLoopback reports whether host names this machine.
func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
