package redotpay

import (
	"crypto/rsa"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/payhost/payhost/internal/sandbox/emukit"
)

// The published test credentials the emulator accepts by default.
const (
	// DefaultAppKey is RedotPay's public test appKey (GATEWAYS.md §1.0).
	DefaultAppKey = "4CA7B705-8EF5-4AC3-A0B6-9A4B84EF13B6"
	// DefaultKeyVersion is the version of the default merchant and
	// platform keys.
	DefaultKeyVersion = 1
	// DefaultMerchantID is the merchantId the default app's webhooks carry.
	DefaultMerchantID = 10001
	// DefaultSeedMerchantCode, DefaultSeedMerchantKey and
	// DefaultSeedSecret are the seed profile's example credentials.
	DefaultSeedMerchantCode = "ID00001"
	DefaultSeedMerchantKey  = "test_merchant_key"
	DefaultSeedSecret       = "secret"
	// DefaultBaseURL is where `payhost sandbox` serves this emulator.
	DefaultBaseURL = "http://127.0.0.1:8901"
)

// Defaults of the tunable behaviour.
const (
	DefaultTimestampSkew = 5 * time.Minute
	DefaultOrderTTL      = time.Hour
)

// DefaultRetryPolicy is the webhook retry schedule: GATEWAYS.md §1.7
// recommends 1, 5 and 30 minutes after the first attempt.
var DefaultRetryPolicy = emukit.RetryPolicy{Delays: []time.Duration{time.Minute, 5 * time.Minute, 30 * time.Minute}}

// App is a merchant registered for the Connect profile.
type App struct {
	// AppKey is sent in X-R-AK.
	AppKey string
	// MerchantID is the merchantId in webhooks.
	MerchantID int64
	// PublicKeys verify the merchant's request signatures, by the key
	// version sent in X-R-Key-Version.
	PublicKeys map[int]*rsa.PublicKey
	// NotifyURL is the webhook URL configured on the merchant platform; a
	// notifyUrl in the create body takes precedence.
	NotifyURL string
}

// SeedMerchant is a merchant of the seed profile.
type SeedMerchant struct {
	// Code is the merchant_code of create requests and callback signatures.
	Code string
	// Key is the bearer token of the Authorization header.
	Key string
	// Secret keys the callback HMAC.
	Secret string
}

// Config configures a Server. The zero value serves the published test
// credentials with the default behaviour.
type Config struct {
	// BaseURL is the emulator's public base, used in hosted-page URLs.
	// Default DefaultBaseURL.
	BaseURL string
	// Apps are the Connect merchants; default one App with DefaultAppKey,
	// DefaultMerchantID and the test public key as version 1.
	Apps []App
	// SeedMerchants are the seed-profile merchants; default one with the
	// DefaultSeed* credentials.
	SeedMerchants []SeedMerchant
	// PlatformKey signs webhooks, announced as PlatformKeyVersion. Default
	// the test private key, version DefaultKeyVersion.
	PlatformKey        *rsa.PrivateKey
	PlatformKeyVersion int
	// TimestampSkew is how far X-R-Ts may be from the emulator's clock.
	// Default DefaultTimestampSkew.
	TimestampSkew time.Duration
	// SignatureOptional accepts Connect requests without X-R-Signature, as
	// the real sandbox reportedly does. A signature that is sent is still
	// verified.
	SignatureOptional bool
	// AckAnyOK counts any HTTP 200 as a webhook acknowledgement; by default
	// Connect needs {"code":"SUCCESS"} and the seed profile "SUCCESS" in
	// the body.
	AckAnyOK bool
	// OrderTTL is how long an order stays payable when the merchant gives
	// no timeExpire. Default DefaultOrderTTL.
	OrderTTL time.Duration
	// Kit configures the shared emulator machinery. Kit.Retry defaults to
	// DefaultRetryPolicy.
	Kit emukit.Options
}

// withDefaults fills in the zero fields of c.
func (c Config) withDefaults() Config {
	priv, pub := testKeys()
	if c.BaseURL == "" {
		c.BaseURL = DefaultBaseURL
	}
	c.BaseURL = strings.TrimRight(c.BaseURL, "/")
	if c.Apps == nil {
		c.Apps = []App{{
			AppKey:     DefaultAppKey,
			MerchantID: DefaultMerchantID,
			PublicKeys: map[int]*rsa.PublicKey{DefaultKeyVersion: pub},
		}}
	}
	if c.SeedMerchants == nil {
		c.SeedMerchants = []SeedMerchant{{Code: DefaultSeedMerchantCode, Key: DefaultSeedMerchantKey, Secret: DefaultSeedSecret}}
	}
	if c.PlatformKey == nil {
		c.PlatformKey = priv
	}
	if c.PlatformKeyVersion == 0 {
		c.PlatformKeyVersion = DefaultKeyVersion
	}
	if c.TimestampSkew == 0 {
		c.TimestampSkew = DefaultTimestampSkew
	}
	if c.OrderTTL == 0 {
		c.OrderTTL = DefaultOrderTTL
	}
	if c.Kit.Retry.Delays == nil {
		c.Kit.Retry = DefaultRetryPolicy
	}
	return c
}

// Credentials describes, one line each, the credentials the server
// accepts, for `payhost sandbox` to print. Seed merchant keys and secrets
// are sandbox test values and are printed; private keys are not (see
// TestKeyPEM).
func (s *Server) Credentials() []string {
	var lines []string
	for _, app := range s.cfg.Apps {
		versions := slices.Sorted(maps.Keys(app.PublicKeys))
		lines = append(lines, fmt.Sprintf("connect: X-R-AK %s, X-R-Key-Version %s, merchantId %d (sign with the RedotPay test private key)",
			app.AppKey, strings.Trim(fmt.Sprint(versions), "[]"), app.MerchantID))
	}
	lines = append(lines, fmt.Sprintf("connect: webhooks signed with platform key version %d", s.cfg.PlatformKeyVersion))
	for _, m := range s.cfg.SeedMerchants {
		lines = append(lines, fmt.Sprintf("seed: merchant_code %s, Authorization: Bearer %s, callback secret %s", m.Code, m.Key, m.Secret))
	}
	return lines
}
