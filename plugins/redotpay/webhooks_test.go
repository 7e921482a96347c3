package redotpay

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/payhost/payhost/plugin"
)

// TestConnectWebhooksFromTheEmulator pays an order on the hosted page and
// refunds it through the emulator's control API: the PAYMENT and REFUND
// webhooks, signed by the emulator, become events, and the emulator takes
// every answer as an acknowledgement (it sends again otherwise).
func TestConnectWebhooksFromTheEmulator(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	e := startEmulator(t)
	p := &Provider{now: time.Now}
	in := newIntake(t, p)
	if _, err := p.Configure(ctx, &plugin.ConfigureRequest{Config: mustConfig(t, e.connect(t, nil)), CallbackURL: in.url}); err != nil {
		t.Fatal(err)
	}
	req := walletPaymentFor(plugin.MethodWallet, usd(1050))
	created, err := p.CreatePayment(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.payOnPage(ctx, created.NextAction.URL, "pay"); err != nil {
		t.Fatal(err)
	}
	paid := in.waitEvent(t, ctx, func(ev plugin.Event) bool { return ev.Type == plugin.EventPayment })
	if paid.AttemptID != req.AttemptID || paid.ProviderReference != created.ProviderReference ||
		paid.Payment.Status != plugin.StatusSucceeded || paid.Payment.Amount != usd(1050) || paid.OccurredAt.IsZero() {
		t.Errorf("payment event %+v, payment %+v", paid, paid.Payment)
	}

	refundSn := e.refund(t, ctx, created.ProviderReference, `{"amount":"2.5"}`)
	refunded := in.waitEvent(t, ctx, func(ev plugin.Event) bool {
		return ev.Type == plugin.EventRefund && ev.Refund.ProviderRefundReference == refundSn
	})
	if refunded.AttemptID != req.AttemptID || refunded.ProviderReference != created.ProviderReference ||
		refunded.Refund.Status != plugin.RefundSucceeded || refunded.Refund.Amount != usd(250) {
		t.Errorf("refund event %+v, refund %+v", refunded, refunded.Refund)
	}
	failedSn := e.refund(t, ctx, created.ProviderReference, `{"amount":"1","outcome":"failure","reason":"merchant balance too low"}`)
	failed := in.waitEvent(t, ctx, func(ev plugin.Event) bool {
		return ev.Type == plugin.EventRefund && ev.Refund.ProviderRefundReference == failedSn
	})
	if failed.Refund.Status != plugin.RefundFailed || failed.Refund.FailureMessage != "merchant balance too low" || failed.Refund.Amount != usd(100) {
		t.Errorf("failed refund event %+v", failed.Refund)
	}
	if paid.ID == refunded.ID || refunded.ID == failed.ID {
		t.Errorf("event ids %q, %q, %q are not distinct", paid.ID, refunded.ID, failed.ID)
	}
	e.checkAllAcked(t, ctx, 3, `{"code":"SUCCESS"}`)

	// The paid order cannot be voided (closed) any more.
	if _, err := p.Void(ctx, &plugin.VoidRequest{PaymentRef: plugin.PaymentRef{AttemptID: req.AttemptID, ProviderReference: created.ProviderReference}}); plugin.KindOf(err) != plugin.KindInvalidRequest {
		t.Errorf("Void of a paid order: %v, want invalid_request", err)
	}
}

// TestSeedCallbackFromTheEmulator pays a seed order: its HMAC-signed
// callback becomes an event and the emulator takes "SUCCESS" as the
// acknowledgement.
func TestSeedCallbackFromTheEmulator(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	e := startEmulator(t)
	p := &Provider{now: time.Now}
	in := newIntake(t, p)
	if _, err := p.Configure(ctx, &plugin.ConfigureRequest{Config: mustConfig(t, e.seed(nil)), CallbackURL: in.url}); err != nil {
		t.Fatal(err)
	}
	req := walletPaymentFor(plugin.MethodQR, usd(300000))
	created, err := p.CreatePayment(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	if created.NextAction.Type != plugin.ActionQRCode || created.NextAction.QRCode == "" || created.NextAction.ExpiresAt.IsZero() {
		t.Fatalf("next action %+v, want a QR code", created.NextAction)
	}
	if err := e.control(ctx, "/__emulator/orders/"+created.ProviderReference+"/complete", ""); err != nil {
		t.Fatal(err)
	}
	ev := in.waitEvent(t, ctx, func(ev plugin.Event) bool { return ev.Type == plugin.EventPayment })
	if ev.AttemptID != req.AttemptID || ev.Payment.Status != plugin.StatusSucceeded || ev.Payment.Amount != usd(300000) {
		t.Errorf("event %+v, payment %+v", ev, ev.Payment)
	}
	e.checkAllAcked(t, ctx, 1, "SUCCESS")
}

// TestWebhookReplayedLaterIsStale takes a genuine webhook of the emulator
// and hands it to the provider again once its clock has moved past the
// tolerance.
func TestWebhookReplayedLaterIsStale(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	e := startEmulator(t)
	var skew atomic.Int64
	p := &Provider{now: func() time.Time { return time.Now().Add(time.Duration(skew.Load())) }}
	in := newIntake(t, p)
	if _, err := p.Configure(ctx, &plugin.ConfigureRequest{Config: mustConfig(t, e.connect(t, map[string]any{"timestamp_tolerance": "2m"})), CallbackURL: in.url}); err != nil {
		t.Fatal(err)
	}
	created, err := p.CreatePayment(ctx, walletPaymentFor(plugin.MethodWallet, usd(1000)))
	if err != nil {
		t.Fatal(err)
	}
	if err := e.payOnPage(ctx, created.NextAction.URL, "pay"); err != nil {
		t.Fatal(err)
	}
	in.waitEvent(t, ctx, func(ev plugin.Event) bool { return ev.Type == plugin.EventPayment })
	raw := in.lastRequest()
	if _, err := p.HandleCallback(ctx, raw); err != nil {
		t.Fatalf("the webhook again at once: %v", err)
	}
	skew.Store(int64(6 * time.Minute))
	_, err = p.HandleCallback(ctx, raw)
	if plugin.KindOf(err) != plugin.KindAuthentication || !strings.Contains(err.Error(), "stale") {
		t.Errorf("the webhook 6 minutes later: %v; want authentication, stale", err)
	}
	// A provider whose clock is off by more than the gateway allows (5
	// minutes in the emulator) signs requests the gateway refuses.
	_, err = p.CreatePayment(ctx, walletPaymentFor(plugin.MethodWallet, usd(1000)))
	var pe *plugin.Error
	if !asPluginError(err, &pe) || pe.Kind != plugin.KindAuthentication || pe.Code != "TIMESTAMP_INVALID" {
		t.Errorf("CreatePayment with a clock 6 minutes ahead: %v; want authentication TIMESTAMP_INVALID", err)
	}
}

// TestEmulatorOrderLife: a deep link through the manual flow, an expired
// order, and a pending card authorization.
func TestEmulatorOrderLife(t *testing.T) {
	ctx := context.Background()
	e := startEmulator(t)
	connect := live(t, e.connect(t, nil), "")
	req := walletPaymentFor(plugin.MethodWallet, usd(1000))
	req.Options = map[string]string{"payment_method": "DEEPLINK"}
	created, err := connect.CreatePayment(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	if a := created.NextAction; a.Type != plugin.ActionDeepLink || !strings.HasPrefix(a.DeepLink, "redotpay://") || a.URL == "" {
		t.Errorf("next action %+v, want a deep link", a)
	}
	if err := e.control(ctx, "/__emulator/orders/"+created.ProviderReference+"/expire", ""); err != nil {
		t.Fatal(err)
	}
	got, err := connect.GetPayment(ctx, &plugin.GetPaymentRequest{PaymentRef: plugin.PaymentRef{AttemptID: req.AttemptID}})
	if err != nil || got.Status != plugin.StatusExpired || got.ProviderReference != created.ProviderReference {
		t.Errorf("GetPayment of an expired order = %+v, %v", got, err)
	}

	seed := live(t, e.seed(nil), "")
	pending, err := seed.CreatePayment(ctx, cardPaymentFor(plugin.CaptureAutomatic, testCardPending, usd(10000)))
	if err != nil || pending.Status != plugin.StatusProcessing || pending.ProviderReference == "" {
		t.Errorf("a pending authorization = %+v, %v; want processing (and no capture)", pending, err)
	}
	if n := e.calls(pathCardCapture); n != 0 {
		t.Errorf("%d captures of a pending authorization", n)
	}
}

// refund asks the emulator's control API for a refund of order sn and
// returns its refundSn.
func (e *emu) refund(t *testing.T, ctx context.Context, sn, body string) string {
	t.Helper()
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, e.url+"/__emulator/orders/"+sn+"/refund", strings.NewReader(body))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out struct {
		RefundSn string `json:"refundSn"`
	}
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK || json.Unmarshal(b, &out) != nil {
		t.Fatalf("refund: HTTP %d %s", resp.StatusCode, b)
	}
	return out.RefundSn
}

// checkAllAcked waits for the emulator's deliveries to end and checks
// there were n, each acknowledged at the first attempt with ack.
func (e *emu) checkAllAcked(t *testing.T, ctx context.Context, n int, ack string) {
	t.Helper()
	if err := e.srv.Kit().Callbacks.Wait(ctx); err != nil {
		t.Fatal(err)
	}
	deliveries := e.srv.Kit().Callbacks.Deliveries()
	if len(deliveries) != n {
		t.Errorf("%d deliveries, want %d", len(deliveries), n)
	}
	for _, d := range deliveries {
		if !d.Acked || d.Attempt != 1 || d.Status != http.StatusOK || d.Response != ack {
			t.Errorf("delivery %s attempt %d: HTTP %d %q acked=%v; want acknowledged at once with %s", d.CallbackID, d.Attempt, d.Status, d.Response, d.Acked, ack)
		}
	}
}

// lastRequest is the last callback the intake received.
func (in *intake) lastRequest() *plugin.HandleCallbackRequest {
	in.mu.Lock()
	defer in.mu.Unlock()
	return in.requests[len(in.requests)-1]
}
