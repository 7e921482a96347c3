package host_test

import (
	"strings"
	"testing"
	"time"

	"github.com/payhost/payhost/api"
	"github.com/payhost/payhost/plugin"
)

// TestNeverReceivedPayment: the plugin dies before the gateway saw the
// payment, which is left unknown. The gateway answers each status query
// "no such payment" (not_found); the payment stays unknown while the call
// is younger than NotFoundAfter (1 h by default), and fails as never
// received (provider_unavailable) at the first query after. The create is
// never sent again.
func TestNeverReceivedPayment(t *testing.T) {
	e := newEnv(t, envConfig{})
	p := e.create(e.payment(1050, plugin.CaptureAutomatic, map[string]string{"fault": "kill_before"}))
	wantStatus(t, p, plugin.StatusUnknown)
	// The schedule's queries: 1 min, 6 min and 36 min after the call are
	// within the hour; 2 h 36 min is not.
	for i, step := range []struct {
		wait time.Duration
		want plugin.PaymentStatus
	}{
		{time.Minute, plugin.StatusUnknown},
		{5 * time.Minute, plugin.StatusUnknown},
		{30 * time.Minute, plugin.StatusUnknown},
		{2 * time.Hour, plugin.StatusFailed},
	} {
		e.advance(step.wait)
		if n := e.reconcile(); n != 1 {
			t.Fatalf("query %d: reconciled %d payments, want 1", i+1, n)
		}
		wantStatus(t, e.get(p.ID), step.want)
	}
	got := e.get(p.ID)
	if got.Failure == nil || got.Failure.Code != string(api.CodeProviderUnavailable) || !strings.Contains(got.Failure.Message, "no record of it 1h after the call") {
		t.Errorf("failure %+v, want provider_unavailable saying the gateway had no record after 1h", got.Failure)
	}
	if a := got.Attempts[0]; a.Status != "unknown" {
		t.Errorf("create attempt %+v, want it kept as it was recorded: unknown", a)
	}
	if n := e.callCount(plugin.OpCreatePayment); n != 1 {
		t.Errorf("the gateway got %d create calls, want 1", n)
	}
	if n := e.callCount(plugin.OpGetPayment); n != 4 {
		t.Errorf("the gateway got %d status queries, want 4", n)
	}
	e.wantEvents(p.ID, "payment.unknown", "payment.failed")
	if n := e.reconcile(); n != 0 {
		t.Errorf("a failed payment was claimed again (%d)", n)
	}
}

// TestNeverReceivedSync: POST /v1/payments/{id}/sync applies the same
// rule as the reconciler, with NotFoundAfter as configured: before it the
// sync reports the gateway's answer and the payment stays unknown; after
// it the payment fails.
func TestNeverReceivedSync(t *testing.T) {
	e := newEnv(t, envConfig{notFoundAfter: 10 * time.Minute})
	p := e.create(e.payment(1050, plugin.CaptureAutomatic, map[string]string{"fault": "kill_before"}))
	e.advance(9 * time.Minute)
	_, err := e.h.SyncPayment(e.ctx, "acme", p.ID)
	if aerr := wantCode(t, err, api.CodeProviderError); aerr != nil && !strings.Contains(aerr.Message, "not_found") {
		t.Errorf("sync error %q does not pass on the gateway's not_found", aerr.Message)
	}
	wantStatus(t, e.get(p.ID), plugin.StatusUnknown)
	e.advance(time.Minute)
	got, err := e.h.SyncPayment(e.ctx, "acme", p.ID)
	if err != nil {
		t.Fatalf("SyncPayment: %v", err)
	}
	wantStatus(t, got, plugin.StatusFailed)
	if !strings.Contains(got.Failure.Message, "10m after the call") {
		t.Errorf("failure message %q does not say 10m", got.Failure.Message)
	}
}

// TestNotFoundKeepsAcknowledgedPayment: a payment the gateway did
// acknowledge is never resolved as never received, whatever a later
// status query says. Here the gateway took the payment and the plugin
// died before answering (kill): the gateway's table has it, so the
// reconciler finds it succeeded, even long after NotFoundAfter.
func TestNotFoundKeepsAcknowledgedPayment(t *testing.T) {
	e := newEnv(t, envConfig{persist: true, notFoundAfter: time.Minute})
	p := e.create(e.payment(1050, plugin.CaptureAutomatic, map[string]string{"fault": "kill"}))
	wantStatus(t, p, plugin.StatusUnknown)
	e.advance(3 * time.Hour)
	e.reconcile()
	wantStatus(t, e.get(p.ID), plugin.StatusSucceeded)
}

// TestNeverReceivedRefund: a refund whose call died before the gateway saw
// it stays pending while the gateway's "no such refund" is younger than
// NotFoundAfter, then fails, and its amount can be refunded again.
func TestNeverReceivedRefund(t *testing.T) {
	e := newEnv(t, envConfig{})
	p := e.create(e.payment(1000, plugin.CaptureAutomatic, map[string]string{"fault.refund": "kill_before"}))
	rf, err := e.h.RefundPayment(e.ctx, "acme", p.ID, &api.RefundRequest{Amount: 700})
	if err != nil || rf.Status != plugin.RefundPending {
		t.Fatalf("refund %+v, %v; want pending", rf, err)
	}
	e.advance(time.Minute)
	e.reconcile()
	if got := e.get(p.ID); got.Refunds[0].Status != plugin.RefundPending || got.AmountRefunded != 700 {
		t.Fatalf("after 1 min: refunds %+v, refunded %d; want pending, 700 held", got.Refunds, got.AmountRefunded)
	}
	e.advance(time.Hour)
	e.reconcile()
	got := e.get(p.ID)
	if r := got.Refunds[0]; r.Status != plugin.RefundFailed || r.Failure == nil || r.Failure.Code != string(api.CodeProviderUnavailable) {
		t.Fatalf("after 1 h 1 min: refund %+v, want failed with provider_unavailable", r)
	}
	if got.AmountRefunded != 0 {
		t.Errorf("refunded %d after the refund failed, want 0", got.AmountRefunded)
	}
	if n := e.callCount(plugin.OpRefund); n != 1 {
		t.Errorf("the gateway got %d refund calls, want 1", n)
	}
	e.wantEvents(p.ID, "payment.succeeded", "refund.failed")
}
