package reddot

import (
	"encoding/json"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/payhost/payhost/internal/sandbox/emukit"
)

// deliveries reads the delivery log through the control API.
func (e *env) deliveries() []emukit.Delivery {
	e.t.Helper()
	status, body := e.control(http.MethodGet, "/__emulator/callbacks")
	var out struct {
		Deliveries []emukit.Delivery `json:"deliveries"`
	}
	if err := json.Unmarshal(body, &out); status != http.StatusOK || err != nil {
		e.t.Fatalf("GET /__emulator/callbacks: %d %s", status, body)
	}
	return out.Deliveries
}

func TestNotificationRetriedUntil200(t *testing.T) {
	e := newEnv(t)
	e.sink.failNext(http.StatusInternalServerError, http.StatusServiceUnavailable)
	first := openHOP(t, e, nil)
	txn := str(t, first, "transaction_id")
	wantRedirect(t, submitPage(t, str(t, first, "payment_url"), payForm(CardApprove)), "https://merchant.example/return")
	e.waitCallbacks()

	bodies := e.sink.rawBodies()
	if len(bodies) != 3 {
		t.Fatalf("merchant received %d notifications, want 3 (two failures, then 200)", len(bodies))
	}
	for i, b := range bodies {
		if b != bodies[0] {
			t.Errorf("attempt %d sent a different payload:\n%s\n%s", i+1, b, bodies[0])
		}
	}
	for _, n := range e.sink.received(t) {
		wantResult(t, n, codeOK, DefaultSecret)
	}

	log := e.deliveries()
	if len(log) != 3 {
		t.Fatalf("delivery log has %d attempts, want 3: %+v", len(log), log)
	}
	for i, want := range []struct {
		status int
		acked  bool
	}{{500, false}, {503, false}, {200, true}} {
		d := log[i]
		if d.CallbackID != txn || d.Attempt != i+1 || d.Status != want.status || d.Acked != want.acked || d.URL != e.sink.url {
			t.Errorf("attempt %d logged as %+v, want status %d acked %t", i+1, d, want.status, want.acked)
		}
	}
}

func TestNotificationGivesUpAfterPolicy(t *testing.T) {
	for _, tt := range []struct {
		name     string
		retry    *emukit.RetryPolicy
		attempts int
	}{
		{"RDP default: 1 + 3 retries", nil, 4},
		{"no retries configured", &emukit.RetryPolicy{Delays: []time.Duration{}}, 1},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, func(c *Config) {
				if tt.retry != nil {
					c.Kit.Retry = *tt.retry
				}
			})
			e.sink.failNext(500, 500, 500, 500, 500)
			first := openHOP(t, e, nil)
			submitPage(t, str(t, first, "payment_url"), url.Values{"action": {"fail"}})
			e.waitCallbacks()
			if n := len(e.sink.rawBodies()); n != tt.attempts {
				t.Errorf("%d attempts, want %d", n, tt.attempts)
			}
			for _, d := range e.deliveries() {
				if d.Acked {
					t.Errorf("a 500 was taken as acknowledged: %+v", d)
				}
			}
		})
	}
}
