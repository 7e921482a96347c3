package appotapay

import (
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/payhost/payhost/internal/sandbox/emukit"
)

// The sandbox credentials AppotaPay publishes for its development
// environment. The emulator accepts them unless Config.Partners says
// otherwise.
const (
	SandboxPartnerCode = "APPOTAPAY"
	SandboxAPIKey      = "FJcmF8uj2ISveL5FvvNk4pnp8xrhINz8"
	SandboxSecretKey   = "XAonJgy14YhtePEITXhyBS2unjfJLAV3"
)

// DefaultBaseURL is where `payhost sandbox` serves the emulator.
const DefaultBaseURL = "http://127.0.0.1:8902"

// Refund statuses, as AppotaPay reports them.
const (
	RefundPending    = "pending"
	RefundProcessing = "processing"
	RefundSuccess    = "success"
	RefundError      = "error"
)

// DefaultIPNRetry is AppotaPay's documented IPN policy: up to three more
// attempts about five minutes apart until the merchant acknowledges.
var DefaultIPNRetry = emukit.RetryPolicy{Delays: []time.Duration{5 * time.Minute, 5 * time.Minute, 5 * time.Minute}}

// DefaultRefundSettleAfter is how long a refund stays pending or
// processing before it settles, unless Config says otherwise.
const DefaultRefundSettleAfter = 3 * time.Second

// Partner is one merchant account the emulator accepts.
type Partner struct {
	// Code is the PARTNER_CODE, the JWT iss claim.
	Code string
	// APIKey is the JWT api_key claim; it is echoed in IPNs.
	APIKey string
	// SecretKey signs JWTs and parameter signatures.
	SecretKey string
	// Locked makes every call answer errorCode 13 (partner locked).
	Locked bool
	// APIKeyInactive makes every call answer errorCode 15 (API key not
	// active or locked).
	APIKeyInactive bool
	// PaymentMethods lists the paymentMethod values this partner may use
	// (others answer errorCode 140); nil allows every known method.
	PaymentMethods []string
	// BankCodes lists the bankCode values this partner may use (others
	// answer errorCode 141); nil allows every known bank.
	BankCodes []string
}

// SandboxPartner returns the account with AppotaPay's published sandbox
// credentials.
func SandboxPartner() Partner {
	return Partner{Code: SandboxPartnerCode, APIKey: SandboxAPIKey, SecretKey: SandboxSecretKey}
}

// Config configures a Server. The zero value serves the sandbox partner
// at DefaultBaseURL with AppotaPay's IPN retry policy.
type Config struct {
	// Partners are the accounts accepted; empty means SandboxPartner only.
	Partners []Partner
	// BaseURL is the public base of the emulator, used in paymentUrl.
	BaseURL string
	// Kit configures the shared emulator kit (clock, ids, logger, IPN
	// retries, HTTP client). An empty Kit.Retry means DefaultIPNRetry.
	Kit emukit.Options
	// LenientSignatures also accepts a create-payment signature over every
	// body key (vector AP-4), as one third-party client computes it.
	LenientSignatures bool
	// RefundStatus is the status a new refund starts in: RefundPending
	// (the default; manual refund) or RefundProcessing (automatic refund).
	RefundStatus string
	// RefundSettleAfter is how long, on the emulator clock, a refund stays
	// in RefundStatus before it settles to success or error. Zero means
	// DefaultRefundSettleAfter; a negative value means never (settle it
	// through the control API).
	RefundSettleAfter time.Duration
}

// withDefaults fills in the defaults and checks what cannot be defaulted.
func (c Config) withDefaults() (Config, error) {
	if len(c.Partners) == 0 {
		c.Partners = []Partner{SandboxPartner()}
	}
	if c.BaseURL == "" {
		c.BaseURL = DefaultBaseURL
	}
	c.BaseURL = strings.TrimRight(c.BaseURL, "/")
	if u, err := url.Parse(c.BaseURL); err != nil || u.Scheme == "" || u.Host == "" {
		return c, fmt.Errorf("BaseURL: %q is not an absolute URL", c.BaseURL)
	}
	if len(c.Kit.Retry.Delays) == 0 {
		c.Kit.Retry = DefaultIPNRetry
	}
	switch c.RefundStatus {
	case "":
		c.RefundStatus = RefundPending
	case RefundPending, RefundProcessing:
	default:
		return c, fmt.Errorf("RefundStatus: %q is not %q or %q", c.RefundStatus, RefundPending, RefundProcessing)
	}
	if c.RefundSettleAfter == 0 {
		c.RefundSettleAfter = DefaultRefundSettleAfter
	}
	seen := make(map[string]bool)
	for i, p := range c.Partners {
		switch {
		case p.Code == "":
			return c, fmt.Errorf("Partners[%d].Code: is required", i)
		case p.APIKey == "":
			return c, fmt.Errorf("Partners[%d].APIKey: is required", i)
		case p.SecretKey == "":
			return c, fmt.Errorf("Partners[%d].SecretKey: is required", i)
		case seen[p.Code]:
			return c, fmt.Errorf("Partners[%d].Code: %q is listed twice", i, p.Code)
		}
		seen[p.Code] = true
	}
	return c, nil
}
