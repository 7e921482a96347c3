package host_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/payhost/payhost/api"
	"github.com/payhost/payhost/internal/faultprovider"
	"github.com/payhost/payhost/internal/store/postgres/pgtest"
	"github.com/payhost/payhost/plugin"
)

// forEachStore runs test with c on SQLite, and on PostgreSQL (skipped
// without its DSN, see pgtest).
func forEachStore(t *testing.T, c envConfig, test func(*testing.T, envConfig)) {
	t.Run("sqlite", func(t *testing.T) { test(t, c) })
	t.Run("postgres", func(t *testing.T) {
		c := c
		c.postgresDSN = pgtest.DSN(t)
		test(t, c)
	})
}

// TestCreateAnswerIsStored: the answer to a create, which the host makes
// from what it wrote rather than reading the payment back, is the payment
// as stored, field for field, for each outcome.
func TestCreateAnswerIsStored(t *testing.T) {
	forEachStore(t, envConfig{}, testCreateAnswerIsStored)
}

func testCreateAnswerIsStored(t *testing.T, c envConfig) {
	e := newEnv(t, c)
	for _, metadata := range []map[string]string{
		nil,
		{"status": "processing", "note": "x"},
		{"fault": "decline"},
		{"fault": "unknown"},
		// A status the state machine refuses from processing: the
		// answer writes nothing, and the payment stays as it was.
		{"status": "reversed"},
	} {
		p := e.create(e.payment(1234, plugin.CaptureManual, metadata))
		if metadata["status"] == "reversed" && p.Status != plugin.StatusProcessing {
			t.Errorf("a create answered reversed left the payment %s, want it processing", p.Status)
		}
		answer, err := json.Marshal(p)
		if err != nil {
			t.Fatal(err)
		}
		stored, err := json.Marshal(e.get(p.ID))
		if err != nil {
			t.Fatal(err)
		}
		if string(answer) != string(stored) {
			t.Errorf("metadata %v: the create answered\n%s\nbut the store holds\n%s", metadata, answer, stored)
		}
	}
}

// TestCreateMovedDuringTheCall: a gateway callback that settles a payment
// while its create call is still running is not undone when the call
// comes back: the create's answer, the stored payment and the merchant's
// events all say succeeded, once.
func TestCreateMovedDuringTheCall(t *testing.T) {
	forEachStore(t, envConfig{providers: []string{"callback.cb"}, callTimeout: 3 * time.Second}, testCreateMovedDuringTheCall)
}

func testCreateMovedDuringTheCall(t *testing.T, c envConfig) {
	e := newEnv(t, c)
	type result struct {
		p   *api.Payment
		err error
	}
	done := make(chan result, 1)
	go func() {
		p, err := e.h.CreatePayment(e.ctx, "acme", e.payment(1050, plugin.CaptureAutomatic, map[string]string{"fault": "hang"}))
		done <- result{p, err}
	}()

	// The gateway saw the call (it logs each before acting on it): settle
	// the payment by callback while the call hangs.
	var attempt string
	for deadline := time.Now().Add(10 * time.Second); attempt == "" && time.Now().Before(deadline); {
		calls, err := faultprovider.ReadCalls(e.calls)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range calls {
			if c.Operation == plugin.OpCreatePayment {
				attempt = c.ID
			}
		}
		time.Sleep(10 * time.Millisecond)
	}
	if attempt == "" {
		t.Fatal("the gateway never saw the create call")
	}
	ev := plugin.Event{ID: "evt-during", Type: plugin.EventPayment, AttemptID: attempt,
		Payment: &plugin.PaymentResult{Status: plugin.StatusSucceeded, Amount: plugin.Money{Amount: 1050, Currency: "USD"}}}
	if _, err := e.callback(providerKey, ev); err != nil {
		t.Fatal(err)
	}

	r := <-done
	if r.err != nil {
		t.Fatalf("CreatePayment: %v", r.err)
	}
	wantStatus(t, r.p, plugin.StatusSucceeded)
	stored := e.get(r.p.ID)
	wantStatus(t, stored, plugin.StatusSucceeded)
	if len(stored.Attempts) != 1 || stored.Attempts[0].Status != "unknown" {
		t.Errorf("attempts %+v, want the one create attempt, unknown (the call timed out)", stored.Attempts)
	}
	if stored.AmountCaptured != 1050 {
		t.Errorf("captured %d, want 1050", stored.AmountCaptured)
	}
	e.wantEvents(r.p.ID, "payment.succeeded")
}
