package reddot

import (
	"fmt"
	"strings"
	"time"

	"github.com/payhost/payhost/internal/sandbox/emukit"
)

// The published RDP test merchant (GATEWAYS.md §3.3): the MID of RDP's
// sample code and its 128-character secret as first printed in the seed
// document (the second copy there lacks a character).
const (
	DefaultMID    = "1000089029"
	DefaultSecret = "D716A4188569B68AB1B6DFAC178E570114CDF0EA3A1CC0E31486C3E41241BC6A76424E8C37AB26F096FC85EF9886C8CB634187F4FDDFF645FB099F1FF54C6B8C"
)

// Defaults of the emulator's timings.
const (
	// DefaultSessionTTL is how long a payment_url stays usable; RDP's
	// example first-phase response expires 24 hours after creation.
	DefaultSessionTTL = 24 * time.Hour
	// DefaultPendingDelay is how long a pending (-01) payment stays
	// pending before it resolves by itself.
	DefaultPendingDelay = 5 * time.Second
)

// DefaultRetry is RDP's notification retry policy: when the merchant does
// not answer 200, RDP "tries 3 times consecutively" (GATEWAYS.md §3.5).
// The spacing is not documented; the emulator retries at once.
var DefaultRetry = emukit.RetryPolicy{Delays: []time.Duration{0, 0, 0}}

// Merchant is one RDP merchant account (MID) the emulator knows.
type Merchant struct {
	// MID is the merchant id, sent as "mid" or "request_mid".
	MID string
	// Secret signs every request and response of this MID.
	Secret string
	// Tokenization enables the token API; without it RDP answers -2011.
	Tokenization bool
	// UniqueOrderID enforces unique order_id values (-2201 on reuse) and
	// lets queries use the order_id in place of the transaction_id.
	UniqueOrderID bool
}

// String describes the merchant without its secret.
func (m Merchant) String() string {
	return fmt.Sprintf("mid %s (tokenization %t, unique order id %t)", m.MID, m.Tokenization, m.UniqueOrderID)
}

// DefaultMerchant is the published test MID with tokenization enabled.
func DefaultMerchant() Merchant {
	return Merchant{MID: DefaultMID, Secret: DefaultSecret, Tokenization: true}
}

// Config configures a Server.
type Config struct {
	// Merchants are the MIDs the emulator accepts; empty means only
	// DefaultMerchant.
	Merchants []Merchant
	// BaseURL is the public base of the emulator (scheme, host, port),
	// used to build payment_url values. Empty means the host of each
	// first-phase request.
	BaseURL string
	// SessionTTL is the life of a hosted-page session (DefaultSessionTTL
	// when zero).
	SessionTTL time.Duration
	// PendingDelay is how long a pending payment waits before resolving by
	// itself (DefaultPendingDelay when zero; negative never).
	PendingDelay time.Duration
	// Kit configures the shared emulator machinery. A zero Kit.Retry
	// means DefaultRetry.
	Kit emukit.Options
}

// withDefaults fills the zero fields of c and checks the merchants.
func (c Config) withDefaults() (Config, error) {
	if len(c.Merchants) == 0 {
		c.Merchants = []Merchant{DefaultMerchant()}
	}
	seen := make(map[string]bool, len(c.Merchants))
	for i, m := range c.Merchants {
		switch {
		case m.MID == "":
			return c, fmt.Errorf("merchants[%d].MID: must not be empty", i)
		case len(m.MID) > 20:
			return c, fmt.Errorf("merchants[%d].MID: longer than 20 characters", i)
		case m.Secret == "":
			return c, fmt.Errorf("merchants[%d].Secret: must not be empty", i)
		case seen[m.MID]:
			return c, fmt.Errorf("merchants[%d].MID: %s is listed twice", i, m.MID)
		}
		seen[m.MID] = true
	}
	c.BaseURL = strings.TrimRight(c.BaseURL, "/")
	if c.SessionTTL == 0 {
		c.SessionTTL = DefaultSessionTTL
	}
	if c.PendingDelay == 0 {
		c.PendingDelay = DefaultPendingDelay
	}
	if c.Kit.Retry.Delays == nil {
		c.Kit.Retry = DefaultRetry
	}
	return c, nil
}
