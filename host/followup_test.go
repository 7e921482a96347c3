package host_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/payhost/payhost/api"
	"github.com/payhost/payhost/plugin"
)

// TestFollowUps runs captures, voids, refunds and reversals on payments
// of the fault gateway, and checks status, amounts and refusals.
func TestFollowUps(t *testing.T) {
	e := newEnv(t, envConfig{})
	ctx := e.ctx
	capture := func(id string, amount int64) (*api.Payment, error) {
		return e.h.CapturePayment(ctx, "acme", id, &api.CaptureRequest{Amount: amount})
	}
	refund := func(id string, amount int64) (*api.Refund, error) {
		return e.h.RefundPayment(ctx, "acme", id, &api.RefundRequest{Amount: amount, Reason: "requested_by_customer"})
	}
	auth := func(metadata map[string]string) *api.Payment {
		return e.create(e.payment(1000, plugin.CaptureManual, metadata))
	}
	sale := func(metadata map[string]string) *api.Payment {
		return e.create(e.payment(1000, plugin.CaptureAutomatic, metadata))
	}

	t.Run("partial capture", func(t *testing.T) {
		p, err := capture(auth(nil).ID, 600)
		if err != nil {
			t.Fatal(err)
		}
		wantStatus(t, p, plugin.StatusSucceeded)
		if p.AmountAuthorized != 1000 || p.AmountCaptured != 600 {
			t.Errorf("authorized %d, captured %d; want 1000 and 600", p.AmountAuthorized, p.AmountCaptured)
		}
		_, err = refund(p.ID, 700)
		wantCode(t, err, api.CodeAmountTooLarge)
		e.wantEvents(p.ID, "payment.authorized", "payment.succeeded")
	})

	t.Run("capture refusals", func(t *testing.T) {
		a := auth(nil)
		_, err := capture(a.ID, 1001)
		if aerr := wantCode(t, err, api.CodeAmountTooLarge); aerr.Param != "amount" {
			t.Errorf("param %q, want amount", aerr.Param)
		}
		_, err = capture(sale(nil).ID, 0)
		if aerr := wantCode(t, err, api.CodePaymentState); aerr.Status() != http.StatusConflict {
			t.Errorf("status %d, want 409", aerr.Status())
		}
		_, err = e.h.CapturePayment(ctx, "other", a.ID, nil)
		wantCode(t, err, api.CodeNotFound)
		_, err = capture(a.ID, -1)
		wantCode(t, err, api.CodeInvalidRequest)
		wantStatus(t, e.get(a.ID), plugin.StatusAuthorized)
	})

	t.Run("void", func(t *testing.T) {
		a := auth(nil)
		p, err := e.h.VoidPayment(ctx, "acme", a.ID)
		if err != nil {
			t.Fatal(err)
		}
		wantStatus(t, p, plugin.StatusCanceled)
		_, err = e.h.VoidPayment(ctx, "acme", a.ID)
		wantCode(t, err, api.CodePaymentState)
		_, err = capture(a.ID, 0)
		wantCode(t, err, api.CodePaymentState)
	})

	t.Run("refunds", func(t *testing.T) {
		p := sale(nil)
		r1, err := refund(p.ID, 300)
		if err != nil || r1.Status != plugin.RefundSucceeded || r1.Amount != 300 {
			t.Fatalf("refund %+v, %v; want 300 succeeded", r1, err)
		}
		r2, err := refund(p.ID, 0)
		if err != nil || r2.Amount != 700 {
			t.Fatalf("refund of the rest %+v, %v; want 700", r2, err)
		}
		_, err = refund(p.ID, 0)
		wantCode(t, err, api.CodePaymentState)
		if got := e.get(p.ID); got.AmountRefunded != 1000 || len(got.Refunds) != 2 {
			t.Errorf("refunded %d in %d refunds, want 1000 in 2", got.AmountRefunded, len(got.Refunds))
		}
		e.wantEvents(p.ID, "payment.succeeded", "refund.succeeded", "refund.succeeded")
	})

	t.Run("refused refund gives its amount back", func(t *testing.T) {
		for _, fault := range []string{"decline", "not_sent"} {
			p := sale(map[string]string{"fault.refund": fault})
			r, err := refund(p.ID, 400)
			if err != nil || r.Status != plugin.RefundFailed || r.Failure == nil {
				t.Fatalf("%s: refund %+v, %v; want failed with a reason", fault, r, err)
			}
			if got := e.get(p.ID); got.AmountRefunded != 0 {
				t.Errorf("%s: refunded %d after a failed refund, want 0", fault, got.AmountRefunded)
			}
			e.wantEvents(p.ID, "payment.succeeded", "refund.failed")
		}
	})

	t.Run("reverse", func(t *testing.T) {
		p, err := e.h.ReversePayment(ctx, "acme", sale(nil).ID)
		if err != nil {
			t.Fatal(err)
		}
		wantStatus(t, p, plugin.StatusReversed)
		_, err = refund(p.ID, 100)
		wantCode(t, err, api.CodePaymentState)
		refunded := sale(nil)
		if _, err := refund(refunded.ID, 100); err != nil {
			t.Fatal(err)
		}
		_, err = e.h.ReversePayment(ctx, "acme", refunded.ID)
		wantCode(t, err, api.CodePaymentState)
	})

	t.Run("capture with unknown outcome", func(t *testing.T) {
		a := auth(map[string]string{"fault.capture": "unknown"})
		p, err := capture(a.ID, 0)
		if err != nil {
			t.Fatal(err)
		}
		wantStatus(t, p, plugin.StatusUnknown)
		_, err = e.h.VoidPayment(ctx, "acme", a.ID)
		wantCode(t, err, api.CodePaymentState)
		e.advance(time.Minute)
		e.reconcile()
		p = e.get(a.ID)
		wantStatus(t, p, plugin.StatusSucceeded)
		if p.AmountCaptured != 1000 {
			t.Errorf("captured %d, want 1000", p.AmountCaptured)
		}
		e.wantEvents(a.ID, "payment.authorized", "payment.unknown", "payment.succeeded")
	})

	t.Run("refused by the gateway", func(t *testing.T) {
		a := auth(map[string]string{"fault.void": "decline"})
		_, err := e.h.VoidPayment(ctx, "acme", a.ID, api.WithIdempotencyKey("void-declined"))
		aerr := wantCode(t, err, api.CodeProviderError)
		if aerr.PaymentID != a.ID {
			t.Errorf("payment id %q, want %s", aerr.PaymentID, a.ID)
		}
		_, again := e.h.VoidPayment(ctx, "acme", a.ID, api.WithIdempotencyKey("void-declined"))
		if again == nil || again.Error() != err.Error() {
			t.Errorf("replay answered %v, want %v", again, err)
		}
		wantStatus(t, e.get(a.ID), plugin.StatusAuthorized)
	})

	t.Run("sync on demand", func(t *testing.T) {
		p := sale(map[string]string{"fault": "unknown"})
		wantStatus(t, p, plugin.StatusUnknown)
		got, err := e.h.SyncPayment(ctx, "acme", p.ID)
		if err != nil {
			t.Fatal(err)
		}
		wantStatus(t, got, plugin.StatusSucceeded)
	})
}
