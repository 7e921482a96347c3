package host_test

import (
	"testing"
	"time"

	"github.com/payhost/payhost/api"
	"github.com/payhost/payhost/host/internal/callbackprovider"
	"github.com/payhost/payhost/internal/faultprovider"
	"github.com/payhost/payhost/plugin"
)

// TestCreateOutcomes runs one payment per way a provider can answer, over
// real plugins: the payment's status, failure, and how many times each
// candidate was called.
func TestCreateOutcomes(t *testing.T) {
	e := newEnv(t, envConfig{providers: []string{"callback.a", "callback.b"}})
	tests := []struct {
		name     string
		metadata map[string]string
		capture  plugin.CaptureMode
		want     plugin.PaymentStatus
		failure  string
		// calls are the create calls each candidate gets, a then b.
		calls [2]int
	}{
		{name: "sale", want: plugin.StatusSucceeded, calls: [2]int{1, 0}},
		{name: "authorization", capture: plugin.CaptureManual, want: plugin.StatusAuthorized, calls: [2]int{1, 0}},
		{name: "customer action", metadata: map[string]string{"status": "requires_action"}, want: plugin.StatusRequiresAction, calls: [2]int{1, 0}},
		{name: "declined", metadata: map[string]string{"fault": "decline"}, want: plugin.StatusFailed, failure: faultprovider.DeclineCode, calls: [2]int{1, 0}},
		{name: "not sent falls back", metadata: map[string]string{callbackprovider.FaultKey + "callback.a": "not_sent"},
			want: plugin.StatusSucceeded, calls: [2]int{1, 1}},
		{name: "none sent", metadata: map[string]string{"fault": "not_sent"}, want: plugin.StatusFailed,
			failure: string(api.CodeProviderUnavailable), calls: [2]int{1, 1}},
		{name: "unknown never falls back", metadata: map[string]string{"fault": "unknown"}, want: plugin.StatusUnknown, calls: [2]int{1, 0}},
		{name: "crash before acting never falls back", metadata: map[string]string{"fault": "kill_before"}, want: plugin.StatusUnknown, calls: [2]int{1, 0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			capture := tt.capture
			if capture == "" {
				capture = plugin.CaptureAutomatic
			}
			p := e.create(e.payment(1050, capture, tt.metadata))
			wantStatus(t, p, tt.want)
			if got := failureCode(p); got != tt.failure {
				t.Errorf("failure code %q, want %q", got, tt.failure)
			}
			var got [2]int
			for _, a := range p.Attempts {
				got[int(a.Provider[len(a.Provider)-1]-'a')] += e.callCount(plugin.OpCreatePayment, a.ID)
			}
			if got != tt.calls {
				t.Errorf("create calls to callback.a, callback.b: %v, want %v (attempts %+v)", got, tt.calls, p.Attempts)
			}
		})
	}
}

func failureCode(p *api.Payment) string {
	if p.Failure == nil {
		return ""
	}
	return p.Failure.Code
}

// TestCrashMidCall: the plugin dies after the gateway took the payment;
// the payment is unknown, never sent again, and the reconciler finds the
// gateway's truth once the plugin is back.
func TestCrashMidCall(t *testing.T) {
	for _, fault := range []string{"kill", "exit"} {
		t.Run(fault, func(t *testing.T) {
			e := newEnv(t, envConfig{persist: true})
			p := e.create(e.payment(1050, plugin.CaptureAutomatic, map[string]string{"fault": fault}))
			wantStatus(t, p, plugin.StatusUnknown)
			if n := e.reconcile(); n != 0 {
				t.Fatalf("reconciled %d payments before the first query was due", n)
			}
			e.advance(time.Minute)
			if n := e.reconcile(); n != 1 {
				t.Fatalf("reconciled %d payments, want 1", n)
			}
			p = e.get(p.ID)
			wantStatus(t, p, plugin.StatusSucceeded)
			if p.AmountCaptured != 1050 {
				t.Errorf("captured %d, want 1050", p.AmountCaptured)
			}
			if n := e.callCount(plugin.OpCreatePayment); n != 1 {
				t.Errorf("the gateway got %d create calls, want 1", n)
			}
			e.wantEvents(p.ID, "payment.unknown", "payment.succeeded")
		})
	}
}

// TestHangTimesOut: a plugin that never answers is cut off at the call
// timeout; the payment is unknown, and the reconciler resolves it.
func TestHangTimesOut(t *testing.T) {
	e := newEnv(t, envConfig{callTimeout: time.Second})
	p := e.create(e.payment(1050, plugin.CaptureAutomatic, map[string]string{"fault": "hang"}))
	wantStatus(t, p, plugin.StatusUnknown)
	if a := p.Attempts[0]; a.Status != "unknown" || a.ErrorKind != string(plugin.KindUnknownOutcome) {
		t.Errorf("attempt %+v, want unknown with kind unknown_outcome", a)
	}
	e.advance(time.Minute)
	e.reconcile()
	wantStatus(t, e.get(p.ID), plugin.StatusSucceeded)
}

// TestReconcileSchedule: a payment the gateway never saw stays unknown
// within NotFoundAfter (TestNeverReceivedPayment goes on from there),
// asked about on schedule (1 min, 5 min, ...), never sent again.
func TestReconcileSchedule(t *testing.T) {
	e := newEnv(t, envConfig{})
	p := e.create(e.payment(1050, plugin.CaptureAutomatic, map[string]string{"fault": "kill_before"}))
	for _, step := range []struct {
		wait time.Duration
		due  int
	}{{59 * time.Second, 0}, {time.Second, 1}, {4 * time.Minute, 0}, {time.Minute, 1}, {29 * time.Minute, 0}, {time.Minute, 1}} {
		e.advance(step.wait)
		if n := e.reconcile(); n != step.due {
			t.Fatalf("after %s more: reconciled %d payments, want %d", step.wait, n, step.due)
		}
	}
	wantStatus(t, e.get(p.ID), plugin.StatusUnknown)
	if n := e.callCount(plugin.OpCreatePayment); n != 1 {
		t.Errorf("the gateway got %d create calls, want 1", n)
	}
	if n := e.callCount(plugin.OpGetPayment); n != 3 {
		t.Errorf("the gateway got %d status queries, want 3", n)
	}
}
