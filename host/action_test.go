package host_test

import (
	"testing"
	"time"

	"github.com/payhost/payhost/host"
	"github.com/payhost/payhost/host/internal/callbackprovider"
	"github.com/payhost/payhost/plugin"
)

// TestRequiresActionReconciled: a payment waiting for its customer is
// asked about once its next action expires, or, when the next action does
// not say, after Options.ActionAge; then the provider's truth applies.
func TestRequiresActionReconciled(t *testing.T) {
	for _, tt := range []struct {
		name string
		// age is Options.ActionAge (0: the default); expiresIn when the
		// next action expires (0: it does not say).
		age, expiresIn, wait time.Duration
		later                plugin.PaymentStatus
	}{
		{name: "the next action expired", expiresIn: 30 * time.Minute, wait: 30 * time.Minute, later: plugin.StatusExpired},
		{name: "default age", wait: host.DefaultActionAge, later: plugin.StatusSucceeded},
		{name: "configured age", age: 2 * time.Hour, wait: 2 * time.Hour, later: plugin.StatusFailed},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, envConfig{providers: []string{"callback.cb"}, actionAge: tt.age})
			metadata := map[string]string{"status": "requires_action", callbackprovider.LaterStatusKey: string(tt.later)}
			if tt.expiresIn > 0 {
				metadata[callbackprovider.ActionExpiresKey] = e.clock.Now().Add(tt.expiresIn).UTC().Format(time.RFC3339Nano)
			}
			p := e.create(e.payment(1000, plugin.CaptureAutomatic, metadata))
			wantStatus(t, p, plugin.StatusRequiresAction)
			if p.NextAction == nil {
				t.Fatalf("payment %+v has no next action", p)
			}

			e.advance(tt.wait - time.Second)
			e.reconcile()
			if n := e.callCount(plugin.OpGetPayment); n != 0 {
				t.Fatalf("the provider was asked %d times before the payment was due", n)
			}
			wantStatus(t, e.get(p.ID), plugin.StatusRequiresAction)

			e.advance(time.Second)
			e.reconcile()
			if n := e.callCount(plugin.OpGetPayment); n != 1 {
				t.Errorf("the provider was asked %d times once the payment was due, want once", n)
			}
			got := e.get(p.ID)
			wantStatus(t, got, tt.later)
			if got.NextAction != nil {
				t.Errorf("the %s payment keeps its next action %+v", got.Status, got.NextAction)
			}
			e.wantEvents(p.ID, "payment.requires_action", "payment."+string(tt.later))
		})
	}
}

// TestRequiresActionStillWaiting: a payment the provider still reports
// waiting is asked about again on the reconcile schedule, not at every
// pass.
func TestRequiresActionStillWaiting(t *testing.T) {
	e := newEnv(t, envConfig{providers: []string{"callback.cb"}, actionAge: time.Hour})
	p := e.create(e.payment(1000, plugin.CaptureAutomatic, map[string]string{"status": "requires_action"}))
	e.advance(time.Hour)
	e.reconcile()
	e.reconcile()
	if n := e.callCount(plugin.OpGetPayment); n != 1 {
		t.Fatalf("the provider was asked %d times, want once", n)
	}
	wantStatus(t, e.get(p.ID), plugin.StatusRequiresAction)
	// After the first query, the schedule's second delay.
	e.advance(host.DefaultReconcileSchedule[1])
	e.reconcile()
	if n := e.callCount(plugin.OpGetPayment); n != 2 {
		t.Errorf("the provider was asked %d times, want twice", n)
	}
}
