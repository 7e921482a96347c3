package host_test

import (
	"testing"
	"time"

	"github.com/payhost/payhost/api"
	"github.com/payhost/payhost/plugin"
)

// TestRefundPendingSurvivesRestart: a refund left pending is asked about
// on the schedule the store keeps, by the host that starts next (the
// fault gateway keeps its refunds in a file, as a real one would across
// the host's restart).
func TestRefundPendingSurvivesRestart(t *testing.T) {
	e := newEnv(t, envConfig{persist: true})
	p := e.create(e.payment(1000, plugin.CaptureAutomatic, map[string]string{"fault.refund": "unknown"}))
	rf, err := e.h.RefundPayment(e.ctx, "acme", p.ID, &api.RefundRequest{Amount: 700})
	if err != nil || rf.Status != plugin.RefundPending {
		t.Fatalf("refund %+v, %v; want pending", rf, err)
	}
	if err := e.h.Close(); err != nil {
		t.Fatal(err)
	}

	next := e.start(e.config)
	e.h = next
	if n, err := next.Reconcile(e.ctx); err != nil || e.get(p.ID).Refunds[0].Status != plugin.RefundPending {
		t.Fatalf("before its time: Reconcile = %d, %v; refund %+v", n, err, e.get(p.ID).Refunds[0])
	}
	if got := e.callCount(plugin.OpGetRefund); got != 0 {
		t.Errorf("the provider was asked %d times before the refund was due", got)
	}
	e.advance(time.Minute)
	if _, err := next.Reconcile(e.ctx); err != nil {
		t.Fatal(err)
	}
	if got := e.get(p.ID); got.Refunds[0].Status != plugin.RefundSucceeded || got.AmountRefunded != 700 {
		t.Errorf("refunds %+v, refunded %d; want the refund of 700 succeeded", got.Refunds, got.AmountRefunded)
	}
	if n := e.callCount(plugin.OpGetRefund); n != 1 {
		t.Errorf("the provider was asked %d times, want once", n)
	}
	e.wantEvents(p.ID, "payment.succeeded", "refund.succeeded")
}
