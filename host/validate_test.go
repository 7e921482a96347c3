package host_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/payhost/payhost/api"
	"github.com/payhost/payhost/plugin"
)

// TestValidation: each bad field is refused with invalid_request naming
// it, and leaves nothing behind: no payment event, and the idempotency
// key still free for a good request.
func TestValidation(t *testing.T) {
	e := newEnv(t, envConfig{})
	tests := []struct {
		name  string
		param string
		edit  func(r *api.CreatePaymentRequest)
	}{
		{"zero amount", "amount", func(r *api.CreatePaymentRequest) { r.Amount = 0 }},
		{"negative amount", "amount", func(r *api.CreatePaymentRequest) { r.Amount = -5 }},
		{"unknown currency", "currency", func(r *api.CreatePaymentRequest) { r.Currency = "XYZ" }},
		{"lower-case currency", "currency", func(r *api.CreatePaymentRequest) { r.Currency = "usd" }},
		{"method", "method", func(r *api.CreatePaymentRequest) { r.Method = "cash" }},
		{"capture", "capture", func(r *api.CreatePaymentRequest) { r.Capture = "later" }},
		{"card number", "card.number", func(r *api.CreatePaymentRequest) { r.Card.Number = plugin.NewCardNumber("4111111111111112") }},
		{"no card number", "card.number", func(r *api.CreatePaymentRequest) { r.Card.Number = plugin.CardNumber{} }},
		{"expiry month", "card.exp_month", func(r *api.CreatePaymentRequest) { r.Card.ExpMonth = 13 }},
		{"expiry year", "card.exp_year", func(r *api.CreatePaymentRequest) { r.Card.ExpYear = 27 }},
		{"expired card", "card.exp_year", func(r *api.CreatePaymentRequest) { r.Card.ExpYear = e.clock.Now().Year() - 1 }},
		{"cvc", "card.cvc", func(r *api.CreatePaymentRequest) { r.Card.CVC = plugin.NewSecret("12a") }},
		{"card for a wallet", "card", func(r *api.CreatePaymentRequest) { r.Method = plugin.MethodWallet }},
		{"token missing", "token", func(r *api.CreatePaymentRequest) { r.Method, r.Card = plugin.MethodToken, nil }},
		{"no such token", "token", func(r *api.CreatePaymentRequest) {
			r.Method, r.Card, r.Token = plugin.MethodToken, nil, "tok_nosuchtoken"
		}},
		{"token for a card", "token", func(r *api.CreatePaymentRequest) { r.Token = "tok_x" }},
		{"return url", "return_url", func(r *api.CreatePaymentRequest) { r.ReturnURL = "/relative" }},
		{"customer email", "customer.email", func(r *api.CreatePaymentRequest) { r.Customer = &api.Customer{Email: "nobody"} }},
		{"customer ip", "customer.ip", func(r *api.CreatePaymentRequest) { r.Customer = &api.Customer{IP: "300.1.1.1"} }},
		{"country", "country", func(r *api.CreatePaymentRequest) { r.Country = "Vietnam" }},
		{"provider", "provider", func(r *api.CreatePaymentRequest) { r.Provider = "fault.nosuch" }},
		{"metadata value", "metadata.note", func(r *api.CreatePaymentRequest) { r.Metadata = map[string]string{"note": strings.Repeat("x", 501)} }},
		{"description", "description", func(r *api.CreatePaymentRequest) { r.Description = strings.Repeat("x", 501) }},
	}
	key := api.WithIdempotencyKey("validation")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := e.payment(1050, plugin.CaptureAutomatic, nil)
			tt.edit(req)
			_, err := e.h.CreatePayment(e.ctx, "acme", req, key)
			aerr := wantCode(t, err, api.CodeInvalidRequest)
			if aerr.Param != tt.param || aerr.Status() != http.StatusBadRequest {
				t.Errorf("param %q, status %d; want %q, 400 (%v)", aerr.Param, aerr.Status(), tt.param, aerr)
			}
		})
	}
	evs, err := storeEvents(e)
	if err != nil || len(evs) != 0 {
		t.Errorf("bad requests left %d events (%v)", len(evs), err)
	}
	if _, err := e.h.CreatePayment(e.ctx, "acme", e.payment(1050, plugin.CaptureAutomatic, nil), key); err != nil {
		t.Errorf("the key of refused requests was kept: %v", err)
	}
	if calls := e.callCount(plugin.OpCreatePayment); calls != 1 {
		t.Errorf("the gateway got %d create calls, want only the good request's", calls)
	}
}

// TestAuthentication: Merchant finds the merchant of each key, and of no
// other string.
func TestAuthentication(t *testing.T) {
	e := newEnv(t, envConfig{})
	for key, want := range map[string]string{acmeKey: "acme", otherKey: "other", "": "", acmeKey + "x": "", acmeKey[:len(acmeKey)-1]: ""} {
		if got, ok := e.h.Merchant(key); got != want || ok != (want != "") {
			t.Errorf("Merchant(%d-character key) = %q, %v; want %q", len(key), got, ok, want)
		}
	}
	_, err := e.h.CreatePayment(e.ctx, "nobody", e.payment(1050, plugin.CaptureAutomatic, nil))
	wantCode(t, err, api.CodeAuthentication)
}
