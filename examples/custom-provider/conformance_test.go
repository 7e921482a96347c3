package tinypay

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/payhost/payhost/plugin"
	"github.com/payhost/payhost/plugin/plugintest"

	"example.com/payhost-provider-tinypay/emulator"
)

// The conformance suite against the emulator, in memory
// (plugintest.Connect) and as the real plugin binary over go-plugin
// (plugintest.BuildPlugin and plugintest.Launch). Everything the provider
// logs is then searched for the credentials.

// pluginPackage is the plugin's main package, relative to this one.
const pluginPackage = "./cmd/payhost-provider-tinypay"

func TestConformanceInMemory(t *testing.T) {
	runConformance(t, func(tb testing.TB) plugin.Provider { return plugintest.Connect(tb, New()) })
}

func TestConformanceRealPlugin(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and launches the plugin binary")
	}
	bin := plugintest.BuildPlugin(t, pluginPackage)
	runConformance(t, func(tb testing.TB) plugin.Provider {
		return plugintest.Launch(tb, bin, plugin.EnvLogLevel+"=trace")
	})
}

// runConformance runs the suite against the provider start returns, its
// log captured, then searches the log for the credentials.
func runConformance(t *testing.T, start func(testing.TB) plugin.Provider) {
	logs := &logCapture{TB: t}
	plugintest.RunConformance(t, plugintest.Suite{
		Provider: start(logs),
		Config:   testConfig(t, startEmulator(t), emulator.TestSecret),
		Driver:   driver{},
	})
	text := logs.String()
	if !strings.Contains(text, "tinypay callback") {
		t.Fatal("the provider's log was not captured; the search for credentials saw nothing")
	}
	for name, secret := range map[string]string{"api_key": emulator.TestAPIKey, "secret": emulator.TestSecret} {
		if strings.Contains(text, secret) {
			t.Errorf("the %s appears in the provider's log", name)
		}
	}
}

// driver plays tinypay's customer: every payment is 10.50 USD by card,
// paid or failed on the hosted page.
type driver struct{}

// noRedirects is the customer's browser, which stops at the redirect to
// the merchant's return URL.
var noRedirects = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

func (driver) Payment(o plugintest.Outcome) *plugin.CreatePaymentRequest {
	return &plugin.CreatePaymentRequest{
		Amount: plugin.Money{Amount: 1050, Currency: "USD"}, Method: plugin.MethodCard,
		Description: "conformance: " + string(o), Customer: plugin.Customer{Email: "buyer@example.com"},
	}
}

func (driver) Complete(ctx context.Context, p *plugin.PaymentResult, o plugintest.Outcome) error {
	if p.NextAction == nil || p.NextAction.Type != plugin.ActionRedirect {
		return fmt.Errorf("payment %s has no hosted page to pay on", p.ProviderReference)
	}
	action := "pay"
	if o == plugintest.OutcomeDecline {
		action = "fail"
	}
	return submit(ctx, p.NextAction.URL, action)
}

// TamperCallback flips the last character of the signature.
func (driver) TamperCallback(cb *plugin.HandleCallbackRequest) {
	h := http.Header(cb.Header)
	sig := []byte(h.Get(headerSignature))
	if len(sig) > 0 {
		sig[len(sig)-1] ^= 1
	}
	h.Set(headerSignature, string(sig))
}

// submit posts the customer's action (pay or fail) on the hosted page at
// pageURL and expects the redirect to the return URL.
func submit(ctx context.Context, pageURL, action string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, pageURL, strings.NewReader(url.Values{"action": {action}}.Encode()))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := noRedirects.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		return fmt.Errorf("the hosted page answered %s to %s, want a redirect to the return URL", resp.Status, action)
	}
	return nil
}

var (
	_ plugintest.Driver           = driver{}
	_ plugintest.CallbackTamperer = driver{}
)

// logCapture is the test's testing.TB, keeping a copy of what is logged.
type logCapture struct {
	testing.TB
	mu  sync.Mutex
	buf strings.Builder
}

func (c *logCapture) Log(args ...any) {
	c.mu.Lock()
	fmt.Fprintln(&c.buf, args...)
	c.mu.Unlock()
	c.TB.Log(args...)
}

func (c *logCapture) Logf(format string, args ...any) {
	c.mu.Lock()
	fmt.Fprintf(&c.buf, format+"\n", args...)
	c.mu.Unlock()
	c.TB.Logf(format, args...)
}

func (c *logCapture) String() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.buf.String()
}
