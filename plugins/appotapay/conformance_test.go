package appotapay

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"sync"
	"testing"

	emulator "github.com/payhost/payhost/internal/sandbox/appotapay"
	"github.com/payhost/payhost/plugin"
	"github.com/payhost/payhost/plugin/plugintest"
)

// pluginPackage is the provider's plugin binary.
const pluginPackage = "github.com/payhost/payhost/plugins/appotapay/cmd/payhost-provider-appotapay"

// TestConformance runs payhost's conformance suite against the provider
// and the emulator over real HTTP: as a real plugin binary over go-plugin
// (as payhost runs it) for API v1.1 and v2, and in memory through the
// same gRPC glue for v1.1 and v1.0. Everything logged on both sides, and every error, is
// scanned for credentials, JWTs and card data.
func TestConformance(t *testing.T) {
	runs := []struct {
		name    string
		version string
		launch  func(tb testing.TB) plugin.Provider
	}{
		{"plugin binary", version11, func(tb testing.TB) plugin.Provider {
			return plugintest.Launch(tb, plugintest.BuildPlugin(tb, pluginPackage), plugin.EnvLogLevel+"=debug")
		}},
		{"plugin binary v2", version2, func(tb testing.TB) plugin.Provider {
			return plugintest.Launch(tb, plugintest.BuildPlugin(tb, pluginPackage), plugin.EnvLogLevel+"=debug")
		}},
		{"in memory", version11, func(tb testing.TB) plugin.Provider { return plugintest.Connect(tb, New()) }},
		{"in memory v1.0", version10, func(tb testing.TB) plugin.Provider { return plugintest.Connect(tb, New()) }},
	}
	for _, run := range runs {
		t.Run(run.name, func(t *testing.T) {
			scan := newLeakScanner(t)
			e := startEmulator(t)
			d := &driver{env: e}
			p := run.launch(capturingTB{TB: t, scan: scan})
			plugintest.RunConformance(t, plugintest.Suite{
				Provider: recordCallbackURL{Provider: p, d: d},
				Config:   e.config(map[string]any{attrAPIVersion: run.version}),
				Driver:   d,
			})
		})
	}
}

// driver plays AppotaPay's customer for the conformance suite: it pays
// (or is declined) on the emulator's hosted page. AppotaPay sends no IPN
// for a failed payment, only the browser redirect, so for a decline the
// driver forwards the redirect's query to the instance's callback URL, as
// a merchant does (README: "Browser redirect").
type driver struct {
	env *env

	mu          sync.Mutex
	callbackURL string
}

// Payment is a bank payment; the emulator declines 10,402 VND on Pay.
func (d *driver) Payment(outcome plugintest.Outcome) *plugin.CreatePaymentRequest {
	amount := int64(25_000)
	if outcome == plugintest.OutcomeDecline {
		amount = emulator.AmountDecline
	}
	return &plugin.CreatePaymentRequest{
		Amount:      plugin.Money{Amount: amount, Currency: currencyVND},
		Method:      plugin.MethodBank,
		Description: "payhost conformance",
		Customer:    plugin.Customer{IP: testIP},
	}
}

// Complete presses Pay on the hosted page.
func (d *driver) Complete(ctx context.Context, p *plugin.PaymentResult, outcome plugintest.Outcome) error {
	if p.NextAction == nil || p.NextAction.Type != plugin.ActionRedirect {
		return fmt.Errorf("the payment has no redirect to AppotaPay's page: %+v", p.NextAction)
	}
	back, err := submitPayPage(ctx, p.NextAction.URL, "pay")
	if err != nil || outcome != plugintest.OutcomeDecline {
		return err
	}
	return forwardRedirect(ctx, d.callback(), back)
}

// forwardRedirect sends the signed result of a browser redirect to the
// instance's callback URL as a GET, and wants it acknowledged.
func forwardRedirect(ctx context.Context, callbackURL string, back *url.URL) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, callbackURL+"?"+back.RawQuery, nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("the forwarded redirect was answered HTTP %d", resp.StatusCode)
	}
	return nil
}

// TamperCallback changes one hex digit of the signature.
func (d *driver) TamperCallback(cb *plugin.HandleCallbackRequest) {
	if len(cb.Body) == 0 {
		q, _ := url.ParseQuery(cb.RawQuery)
		q.Set("signature", flipHex(q.Get("signature")))
		cb.RawQuery = q.Encode()
		return
	}
	dec := json.NewDecoder(bytes.NewReader(cb.Body))
	dec.UseNumber()
	var body map[string]any
	if err := dec.Decode(&body); err != nil {
		panic("the IPN is not JSON: " + err.Error())
	}
	sig, _ := body["signature"].(string)
	body["signature"] = flipHex(sig)
	cb.Body, _ = json.Marshal(body)
}

// flipHex changes the first hex digit of s.
func flipHex(s string) string {
	if s == "" {
		return "0"
	}
	c := byte('0')
	if s[0] == '0' {
		c = '1'
	}
	return string(c) + s[1:]
}

// SettleRefund completes the refund through the emulator's control API.
func (d *driver) SettleRefund(ctx context.Context, refundID string, _ *plugin.RefundResult) error {
	return postControl(ctx, d.env.url+"/__emulator/refunds/"+url.PathEscape(refundID)+"/complete", nil)
}

func (d *driver) callback() string {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.callbackURL
}

// recordCallbackURL is the provider with the suite's callback URL noted
// for the driver on the way to Configure.
type recordCallbackURL struct {
	plugin.Provider
	d *driver
}

func (r recordCallbackURL) Configure(ctx context.Context, req *plugin.ConfigureRequest) (*plugin.ConfigureResponse, error) {
	r.d.mu.Lock()
	r.d.callbackURL = req.CallbackURL
	r.d.mu.Unlock()
	return r.Provider.Configure(ctx, req)
}

var (
	_ plugintest.Driver           = (*driver)(nil)
	_ plugintest.CallbackTamperer = (*driver)(nil)
	_ plugintest.RefundSettler    = (*driver)(nil)
)
