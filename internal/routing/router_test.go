package routing_test

import (
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/payhost/payhost/internal/config"
	"github.com/payhost/payhost/internal/config/configtest"
	"github.com/payhost/payhost/internal/routing"
	"github.com/payhost/payhost/plugin"
)

// newRouter builds a Router over a configuration that must load cleanly.
func newRouter(t testing.TB, cfg *config.Config) *routing.Router {
	t.Helper()
	r, err := routing.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// loadFixture loads a configuration fixture of the config package.
func loadFixture(t testing.TB, path string) *config.Config {
	t.Helper()
	cfg, diags := configtest.Loader().Load(filepath.Join("..", "config", "testdata", path))
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	return cfg
}

// loadSource loads a configuration from source.
func loadSource(t testing.TB, src string) *config.Config {
	t.Helper()
	cfg, diags := configtest.Loader().LoadSources(".", map[string][]byte{"test.hcl": []byte(src)})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	return cfg
}

func card(currency string, capture plugin.CaptureMode) routing.Payment {
	return routing.Payment{ID: "pay_1", Amount: 1000, Currency: currency, Method: plugin.MethodCard, Capture: capture}
}

func TestRoute(t *testing.T) {
	r := newRouter(t, loadFixture(t, "valid/quickstart"))
	tests := []struct {
		name       string
		payment    routing.Payment
		route      string
		candidates []string
		skipped    []string
		dropped    []string
		err        error
	}{
		{
			name:       "first matching route wins",
			payment:    routing.Payment{ID: "pay_1", Amount: 50000, Currency: "VND", Method: plugin.MethodBank, Capture: plugin.CaptureAutomatic},
			route:      "vietnam",
			candidates: []string{"appotapay.vn"},
		},
		{
			name:    "a winner whose providers cannot take the payment is an error",
			payment: routing.Payment{ID: "pay_1", Amount: 50000, Currency: "VND", Method: plugin.MethodCard, Capture: plugin.CaptureAutomatic},
			route:   "vietnam",
			dropped: []string{"appotapay.vn"},
			err:     routing.ErrNoCandidate,
		},
		{
			name:       "manual capture needs authorize",
			payment:    card("USD", plugin.CaptureManual),
			route:      "cards",
			skipped:    []string{"vietnam"},
			candidates: []string{"reddot.sg"},
			dropped:    []string{"redotpay.cards"},
		},
		{
			name:       "currency the provider does not accept",
			payment:    card("EUR", plugin.CaptureAutomatic),
			route:      "cards",
			skipped:    []string{"vietnam"},
			candidates: []string{"redotpay.cards"},
			dropped:    []string{"reddot.sg"},
		},
		{
			name:       "a tokenization needs tokenize",
			payment:    routing.Payment{ID: "pay_1", Amount: 1, Currency: "SGD", Method: plugin.MethodCard, Capture: plugin.CaptureAutomatic, Operation: plugin.OpTokenize},
			route:      "cards",
			skipped:    []string{"vietnam"},
			candidates: []string{"reddot.sg"},
			dropped:    []string{"redotpay.cards"},
		},
		{
			name:       "method the provider does not support",
			payment:    routing.Payment{ID: "pay_1", Amount: 1, Currency: "USD", Method: plugin.MethodWallet, Capture: plugin.CaptureAutomatic},
			route:      "default",
			skipped:    []string{"vietnam", "cards"},
			candidates: []string{"redotpay.cards"},
			dropped:    []string{"reddot.sg"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := r.Route("acme", tt.payment)
			if !errors.Is(err, tt.err) {
				t.Fatalf("err = %v, want %v", err, tt.err)
			}
			if err != nil {
				var rerr *routing.Error
				if !errors.As(err, &rerr) || rerr.Decision != d {
					t.Errorf("the error does not carry the decision")
				}
			}
			if d.Route != tt.route || d.Merchant != "acme" || d.Pinned {
				t.Errorf("route = %q, merchant %q, pinned %v", d.Route, d.Merchant, d.Pinned)
			}
			var skipped, dropped []string
			for _, s := range d.Skipped {
				skipped = append(skipped, s.Route)
				if s.Reason != "when is false" {
					t.Errorf("skipped %q: %s", s.Route, s.Reason)
				}
			}
			for _, x := range d.Dropped {
				dropped = append(dropped, x.Provider)
				if !strings.HasPrefix(x.Reason, "does not ") {
					t.Errorf("dropped %s: %s", x.Provider, x.Reason)
				}
			}
			if !slices.Equal(d.Providers(), tt.candidates) || !slices.Equal(skipped, tt.skipped) || !slices.Equal(dropped, tt.dropped) {
				t.Errorf("candidates %v skipped %v dropped %v; want %v %v %v", d.Providers(), skipped, dropped, tt.candidates, tt.skipped, tt.dropped)
			}
		})
	}
}

func TestRouteReasons(t *testing.T) {
	r := newRouter(t, loadFixture(t, "valid/quickstart"))
	d, err := r.Route("acme", routing.Payment{ID: "p", Currency: "USD", Method: plugin.MethodCard, Capture: plugin.CaptureManual})
	if err != nil {
		t.Fatal(err)
	}
	want := routing.Dropped{Provider: "redotpay.cards", Reason: "does not support operation authorize"}
	if len(d.Dropped) != 1 || d.Dropped[0] != want {
		t.Errorf("dropped = %+v, want %+v", d.Dropped, want)
	}
	if !strings.HasSuffix(d.RouteRange.Filename, "merchants.hcl") || d.RouteRange.Start.Line != 12 {
		t.Errorf("route range = %s", d.RouteRange)
	}
	d, err = r.Route("acme", routing.Payment{ID: "p", Currency: "USD", Method: plugin.MethodQR, Capture: plugin.CaptureAutomatic})
	if !errors.Is(err, routing.ErrNoCandidate) {
		t.Fatalf("err = %v", err)
	}
	for _, s := range []string{`route "default" of merchant "acme" matched`, `redotpay.cards (does not support method "qr")`, `reddot.sg (does not support method "qr")`} {
		if !strings.Contains(err.Error(), s) {
			t.Errorf("error %q does not say %q", err, s)
		}
	}
	if got := d.Candidates; len(got) != 0 {
		t.Errorf("candidates = %v", got)
	}
}

func TestRouteFallbackOrder(t *testing.T) {
	cfg := loadSource(t, `
provider "redotpay" "a" {
  endpoint  = "http://a"
  client_id = "a"
}
provider "redotpay" "b" {
  endpoint  = "http://b"
  client_id = "b"
}
provider "reddot" "c" {
  endpoint    = "http://c"
  merchant_id = "c"
  secret_key  = "c"
}
merchant "m" {
  api_key = "m_key_0123456789abcdef"
  route "all" {
    providers = [provider.reddot.c, provider.redotpay.b, provider.redotpay.a]
  }
}`)
	d, err := newRouter(t, cfg).Route("m", card("SGD", plugin.CaptureAutomatic))
	if err != nil {
		t.Fatal(err)
	}
	want := []routing.Candidate{{"reddot.c", "primary"}, {"redotpay.b", "fallback 1"}, {"redotpay.a", "fallback 2"}}
	if !slices.Equal(d.Candidates, want) {
		t.Errorf("candidates = %v, want %v", d.Candidates, want)
	}
}

func TestNoRoute(t *testing.T) {
	cfg := loadSource(t, `
provider "redotpay" "a" {
  endpoint  = "http://a"
  client_id = "a"
}
merchant "shop" {
  api_key = "shop_key_0123456789abcdef"
  route "usd" {
    when      = payment.currency == "USD"
    providers = [provider.redotpay.a]
  }
  route "gold" {
    when      = payment.metadata["tier"] == "gold"
    providers = [provider.redotpay.a]
  }
}`)
	p := routing.Payment{ID: "pay_9", Amount: 1500, Currency: "JPY", Method: plugin.MethodWallet, Capture: plugin.CaptureAutomatic,
		Country: "JP", Reference: "order-7", Metadata: map[string]string{"email": "private@example.com"}}
	d, err := newRouter(t, cfg).Route("shop", p)
	if !errors.Is(err, routing.ErrNoRoute) {
		t.Fatalf("err = %v", err)
	}
	msg := err.Error()
	for _, s := range []string{`merchant "shop"`, `amount=1500`, `currency="JPY"`, `method="wallet"`, `capture="automatic"`,
		`country="JP"`, `reference="order-7"`, `metadata keys=["email"]`, `"usd" (when is false)`, `"gold" (when failed: `} {
		if !strings.Contains(msg, s) {
			t.Errorf("error does not say %s:\n%s", s, msg)
		}
	}
	if strings.Contains(msg, "private@example.com") {
		t.Errorf("error shows a metadata value: %s", msg)
	}
	if len(d.Skipped) != 2 || d.Route != "" {
		t.Errorf("decision = %+v", d)
	}
	// With the metadata key, the second route matches.
	p.Metadata = map[string]string{"tier": "gold"}
	if d, err := newRouter(t, cfg).Route("shop", p); err != nil || d.Route != "gold" {
		t.Errorf("route = %v, %v", d, err)
	}
}

func TestPin(t *testing.T) {
	r := newRouter(t, loadFixture(t, "valid/quickstart"))
	token := routing.Payment{ID: "pay_t", Amount: 100, Currency: "SGD", Method: plugin.MethodToken, Capture: plugin.CaptureAutomatic}
	d, err := r.Pin("acme", "reddot.sg", token)
	if err != nil {
		t.Fatal(err)
	}
	if !d.Pinned || d.Route != "" || !slices.Equal(d.Providers(), []string{"reddot.sg"}) {
		t.Errorf("decision = %+v", d)
	}
	// The capability check still applies.
	if _, err := r.Pin("acme", "redotpay.cards", token); !errors.Is(err, routing.ErrNoCandidate) || !strings.Contains(err.Error(), "named the provider") {
		t.Errorf("token to a provider without tokens: %v", err)
	}
	if _, err := r.Pin("acme", "reddot.xx", token); !errors.Is(err, routing.ErrUnknownProvider) {
		t.Errorf("unknown provider: %v", err)
	}
	if _, err := r.Pin("nobody", "reddot.sg", token); !errors.Is(err, routing.ErrUnknownMerchant) {
		t.Errorf("unknown merchant: %v", err)
	}
	if _, err := r.Route("nobody", token); !errors.Is(err, routing.ErrUnknownMerchant) {
		t.Errorf("unknown merchant: %v", err)
	}
}

func TestNewNeedsCapabilities(t *testing.T) {
	cfg, diags := config.Loader{LookupEnv: configtest.LookupEnv}.Load(filepath.Join("..", "config", "testdata", "valid", "quickstart"))
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	if _, err := routing.New(cfg); err == nil || !strings.Contains(err.Error(), "schema source") {
		t.Errorf("New without provider info: %v", err)
	}
}

// TestPaymentValue checks that payments have the type when expressions are
// checked against.
func TestPaymentValue(t *testing.T) {
	for _, p := range []routing.Payment{{}, {Metadata: map[string]string{"a": "b"}}} {
		if got := p.Value().Type(); !got.Equals(config.PaymentType) {
			t.Errorf("type = %#v, want %#v", got, config.PaymentType)
		}
	}
}
