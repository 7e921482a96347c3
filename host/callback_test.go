package host_test

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/payhost/payhost/api"
	"github.com/payhost/payhost/host/internal/callbackprovider"
	"github.com/payhost/payhost/plugin"
)

// callback posts events to the callback provider's instance, signed with
// secret, as its gateway would.
func (e *env) callback(secret string, events ...plugin.Event) (*plugin.HTTPResponse, error) {
	e.t.Helper()
	body, err := json.Marshal(callbackprovider.Callback{Events: events})
	if err != nil {
		e.t.Fatal(err)
	}
	return e.h.HandleCallback(e.ctx, "callback.cb", &plugin.HandleCallbackRequest{
		Method: http.MethodPost, Path: "/v1/callbacks/callback/cb",
		Header: map[string][]string{callbackprovider.SignatureHeader: {callbackprovider.Sign(secret, body)}},
		Body:   body,
	})
}

// paymentEvent is a gateway's event about the payment it knows by the
// attempt id.
func paymentEvent(id string, p *api.Payment, status plugin.PaymentStatus, amount int64) plugin.Event {
	return plugin.Event{ID: id, Type: plugin.EventPayment, AttemptID: p.Attempts[0].ID,
		Payment: &plugin.PaymentResult{Status: status, Amount: plugin.Money{Amount: amount, Currency: p.Currency}}}
}

func TestCallbacks(t *testing.T) {
	e := newEnv(t, envConfig{providers: []string{"callback.cb"}})
	p := e.create(e.payment(1050, plugin.CaptureAutomatic, map[string]string{"status": "processing"}))
	wantStatus(t, p, plugin.StatusProcessing)

	t.Run("bad signature", func(t *testing.T) {
		_, err := e.callback("not the key", paymentEvent("evt-1", p, plugin.StatusSucceeded, 1050))
		if aerr := wantCode(t, err, api.CodeCallbackRejected); aerr.Status() != http.StatusUnauthorized {
			t.Errorf("status %d, want 401", aerr.Status())
		}
		wantStatus(t, e.get(p.ID), plugin.StatusProcessing)
		e.wantEvents(p.ID)
	})

	t.Run("amount mismatch", func(t *testing.T) {
		if _, err := e.callback(providerKey, paymentEvent("evt-2", p, plugin.StatusSucceeded, 999)); err != nil {
			t.Fatal(err)
		}
		wantStatus(t, e.get(p.ID), plugin.StatusProcessing)
		e.wantEvents(p.ID)
	})

	t.Run("applied once", func(t *testing.T) {
		for range 3 {
			resp, err := e.callback(providerKey, paymentEvent("evt-3", p, plugin.StatusSucceeded, 1050))
			if err != nil {
				t.Fatal(err)
			}
			if resp.StatusCode != http.StatusOK || string(resp.Body) != "OK" {
				t.Fatalf("answer %d %q, want the plugin's 200 OK", resp.StatusCode, resp.Body)
			}
		}
		got := e.get(p.ID)
		wantStatus(t, got, plugin.StatusSucceeded)
		if got.AmountCaptured != 1050 {
			t.Errorf("captured %d, want 1050", got.AmountCaptured)
		}
		e.wantEvents(p.ID, "payment.succeeded")
	})

	t.Run("never backwards", func(t *testing.T) {
		for i, status := range []plugin.PaymentStatus{plugin.StatusFailed, plugin.StatusProcessing, plugin.StatusAuthorized} {
			if _, err := e.callback(providerKey, paymentEvent("evt-back-"+string(rune('a'+i)), p, status, 1050)); err != nil {
				t.Fatal(err)
			}
		}
		wantStatus(t, e.get(p.ID), plugin.StatusSucceeded)
		e.wantEvents(p.ID, "payment.succeeded")
	})

	t.Run("refund settled", func(t *testing.T) {
		sale := e.create(e.payment(1050, plugin.CaptureAutomatic, map[string]string{"fault.refund": "unknown"}))
		rf, err := e.h.RefundPayment(e.ctx, "acme", sale.ID, &api.RefundRequest{Amount: 300})
		if err != nil {
			t.Fatal(err)
		}
		if rf.Status != plugin.RefundPending {
			t.Fatalf("refund %+v, want pending", rf)
		}
		ev := plugin.Event{ID: "evt-refund", Type: plugin.EventRefund, RefundID: rf.ID,
			Refund: &plugin.RefundResult{Status: plugin.RefundSucceeded, Amount: plugin.Money{Amount: 300, Currency: "USD"}}}
		for range 2 {
			if _, err := e.callback(providerKey, ev); err != nil {
				t.Fatal(err)
			}
		}
		got := e.get(sale.ID)
		if got.Refunds[0].Status != plugin.RefundSucceeded || got.AmountRefunded != 300 {
			t.Errorf("refunds %+v, refunded %d; want one succeeded refund of 300", got.Refunds, got.AmountRefunded)
		}
		e.wantEvents(sale.ID, "payment.succeeded", "refund.succeeded")
	})

	t.Run("hosted tokenization", func(t *testing.T) {
		tok, err := e.h.CreateToken(e.ctx, "acme", &api.CreateTokenRequest{Method: plugin.MethodCard,
			ReturnURL: "https://acme.example/back", Customer: &api.Customer{ID: "c1"}})
		if err != nil {
			t.Fatal(err)
		}
		if tok.Status != plugin.TokenRequiresAction || tok.NextAction == nil || tok.NextAction.URL == "" {
			t.Fatalf("token %+v, want requires_action with a redirect", tok)
		}
		ev := plugin.Event{ID: "evt-token", Type: plugin.EventToken, TokenID: tok.ID,
			Token: &plugin.TokenResult{Status: plugin.TokenActive, Token: "ctok_hosted", Card: &plugin.CardInfo{Last4: "4242", Brand: "visa"}}}
		if _, err := e.callback(providerKey, ev); err != nil {
			t.Fatal(err)
		}
		got, err := e.h.GetToken(e.ctx, "acme", tok.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != plugin.TokenActive || got.NextAction != nil || got.Card == nil || got.Card.Last4 != "4242" {
			t.Errorf("token %+v, want active with the card", got)
		}
		e.wantEvents(tok.ID, "token.active")
	})

	t.Run("an event of another provider's payment", func(t *testing.T) {
		ev := plugin.Event{ID: "evt-unknown", Type: plugin.EventPayment, ProviderReference: "no-such-reference",
			Payment: &plugin.PaymentResult{Status: plugin.StatusFailed}}
		if _, err := e.callback(providerKey, ev); err != nil {
			t.Fatalf("an event about nothing of ours must be answered, not failed: %v", err)
		}
	})
}

// TestTokens: a card stored directly pays later, pinned to the instance
// that stored it; a deleted or foreign token does not.
func TestTokens(t *testing.T) {
	e := newEnv(t, envConfig{providers: []string{"fault.a", "callback.cb"}})
	tok, err := e.h.CreateToken(e.ctx, "acme", &api.CreateTokenRequest{Method: plugin.MethodCard, Card: e.card(),
		Customer: &api.Customer{ID: "c1"}}, api.WithIdempotencyKey("tok-1"))
	if err != nil {
		t.Fatal(err)
	}
	if tok.Status != plugin.TokenActive || tok.Provider != "callback.cb" || tok.Card.Last4 != "1111" {
		t.Fatalf("token %+v, want active at callback.cb (the one that tokenizes) with the card's last four", tok)
	}
	e.wantEvents(tok.ID, "token.active")
	pay := func(merchant, token string) (*api.Payment, error) {
		return e.h.CreatePayment(e.ctx, merchant, &api.CreatePaymentRequest{Amount: 500, Currency: "USD",
			Method: plugin.MethodToken, Token: token})
	}
	p, err := pay("acme", tok.ID)
	if err != nil {
		t.Fatal(err)
	}
	wantStatus(t, p, plugin.StatusSucceeded)
	if p.Provider != "callback.cb" || p.Token != tok.ID || p.Card == nil || p.Card.Last4 != "1111" {
		t.Errorf("payment %+v, want it at callback.cb with the token's card", p)
	}
	_, err = pay("other", tok.ID)
	if aerr := wantCode(t, err, api.CodeInvalidRequest); aerr.Param != "token" {
		t.Errorf("param %q, want token", aerr.Param)
	}
	deleted, err := e.h.DeleteToken(e.ctx, "acme", tok.ID)
	if err != nil || deleted.Status != plugin.TokenDeleted {
		t.Fatalf("DeleteToken: %+v, %v", deleted, err)
	}
	_, err = pay("acme", tok.ID)
	wantCode(t, err, api.CodeInvalidRequest)
	if _, err := e.h.GetToken(e.ctx, "other", tok.ID); err == nil {
		t.Error("merchant other read acme's token")
	}
}

// TestSyncRefundPending: a refund whose outcome is unknown stays pending
// (counted against what can be refunded) until the reconciler asks.
func TestSyncRefundPending(t *testing.T) {
	e := newEnv(t, envConfig{})
	p := e.create(e.payment(1000, plugin.CaptureAutomatic, map[string]string{"fault.refund": "unknown"}))
	rf, err := e.h.RefundPayment(e.ctx, "acme", p.ID, &api.RefundRequest{Amount: 700})
	if err != nil || rf.Status != plugin.RefundPending {
		t.Fatalf("refund %+v, %v; want pending", rf, err)
	}
	_, err = e.h.RefundPayment(e.ctx, "acme", p.ID, &api.RefundRequest{Amount: 400})
	wantCode(t, err, api.CodeAmountTooLarge)
	e.advance(time.Minute)
	e.reconcile()
	got := e.get(p.ID)
	if got.Refunds[0].Status != plugin.RefundSucceeded || got.AmountRefunded != 700 {
		t.Errorf("refunds %+v, refunded %d; want the refund of 700 succeeded", got.Refunds, got.AmountRefunded)
	}
	e.wantEvents(p.ID, "payment.succeeded", "refund.succeeded")
}
