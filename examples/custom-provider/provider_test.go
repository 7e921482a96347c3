package tinypay

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/payhost/payhost/plugin"

	"example.com/payhost-provider-tinypay/emulator"
)

// newPayment is a 10.50 USD card payment of attempt id.
func newPayment(attemptID string) *plugin.CreatePaymentRequest {
	return &plugin.CreatePaymentRequest{
		PaymentID: "pay_" + attemptID, AttemptID: attemptID, Amount: plugin.Money{Amount: 1050, Currency: "USD"},
		Method: plugin.MethodCard, Capture: plugin.CaptureAutomatic, ReturnURL: "https://shop.example/return",
	}
}

// TestLostAnswers checks what makes a lost answer recoverable: the
// attempt id is tinypay's order id, so a retried create finds the same
// payment, and a status query and a refund find it without tinypay's id.
func TestLostAnswers(t *testing.T) {
	ctx := context.Background()
	p := configured(t, startEmulator(t), emulator.TestSecret, "http://127.0.0.1:1/cb")
	first, err := p.CreatePayment(ctx, newPayment("att_lost"))
	if err != nil {
		t.Fatal(err)
	}
	again, err := p.CreatePayment(ctx, newPayment("att_lost"))
	if err != nil || again.ProviderReference != first.ProviderReference {
		t.Fatalf("the same attempt again = %+v, %v; want payment %s", again, err, first.ProviderReference)
	}
	byOrder := plugin.PaymentRef{PaymentID: "pay_att_lost", AttemptID: "att_lost"}
	got, err := p.GetPayment(ctx, &plugin.GetPaymentRequest{PaymentRef: byOrder})
	if err != nil || got.ProviderReference != first.ProviderReference || got.Status != plugin.StatusRequiresAction {
		t.Fatalf("GetPayment by attempt id = %+v, %v; want %s requires_action", got, err, first.ProviderReference)
	}
	never := plugin.PaymentRef{PaymentID: "pay_att_never", AttemptID: "att_never"}
	if _, err := p.GetPayment(ctx, &plugin.GetPaymentRequest{PaymentRef: never}); plugin.KindOf(err) != plugin.KindNotFound {
		t.Fatalf("GetPayment of an order tinypay never received = %v; want not_found", err)
	}
	if _, err := p.Refund(ctx, &plugin.RefundRequest{PaymentRef: never, RefundID: "ref_0",
		Amount: plugin.Money{Amount: 50, Currency: "USD"}}); plugin.KindOf(err) != plugin.KindInvalidRequest {
		t.Fatalf("refund of an order tinypay never received = %v; want invalid_request", err)
	}
	refundReq := &plugin.RefundRequest{PaymentRef: byOrder, RefundID: "ref_1", Amount: plugin.Money{Amount: 50, Currency: "USD"}}
	if _, err := p.Refund(ctx, refundReq); plugin.KindOf(err) != plugin.KindInvalidRequest {
		t.Fatalf("refund of an unpaid payment = %v; want invalid_request", err)
	}
	if err := submit(ctx, first.NextAction.URL, "pay"); err != nil {
		t.Fatal(err)
	}
	refunded, err := p.Refund(ctx, refundReq)
	if err != nil || refunded.Status != plugin.RefundSucceeded || refunded.Amount != refundReq.Amount {
		t.Fatalf("refund by attempt id = %+v, %v; want 0.50 USD succeeded", refunded, err)
	}
	replayed, err := p.Refund(ctx, refundReq)
	if err != nil || replayed.ProviderRefundReference != refunded.ProviderRefundReference {
		t.Fatalf("the same refund again = %+v, %v; want refund %s", replayed, err, refunded.ProviderRefundReference)
	}
}

func TestFailures(t *testing.T) {
	// A port nothing listens on: connection refused.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	refused := "http://" + ln.Addr().String()
	ln.Close()

	answering := func(status int, body string) string {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(status)
			_, _ = w.Write([]byte(body))
		}))
		t.Cleanup(srv.Close)
		return srv.URL
	}
	cases := []struct {
		name, endpoint, secret string
		wantKind               plugin.ErrorKind
	}{
		{"wrong secret", startEmulator(t), "not-the-secret", plugin.KindAuthentication},
		{"connection refused", refused, emulator.TestSecret, plugin.KindNotSent},
		{"HTTP 502", answering(http.StatusBadGateway, `{}`), emulator.TestSecret, plugin.KindUnknownOutcome},
		{"answer not JSON", answering(http.StatusCreated, `<html>`), emulator.TestSecret, plugin.KindUnknownOutcome},
		{"pending without a page", answering(http.StatusCreated, `{"id":"tp_1","order_id":"att_f","status":"pending","amount":"10.50","refunded":"0.00","currency":"USD"}`), emulator.TestSecret, plugin.KindUnknownOutcome},
		{"amount not exact", answering(http.StatusCreated, `{"id":"tp_1","order_id":"att_f","status":"paid","amount":"10.505","refunded":"0.00","currency":"USD"}`), emulator.TestSecret, plugin.KindUnknownOutcome},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := configured(t, tc.endpoint, tc.secret, "http://127.0.0.1:1/cb")
			resp, err := p.CreatePayment(context.Background(), newPayment("att_f"))
			if plugin.KindOf(err) != tc.wantKind {
				t.Fatalf("CreatePayment = %+v, %v; want kind %s", resp, err, tc.wantKind)
			}
		})
	}
}
