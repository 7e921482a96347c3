package command

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/payhost/payhost/internal/webhook"
)

// e2eWebhookSecret is merchant acme's webhook secret in the e2e
// configuration.
const e2eWebhookSecret = "whsec_e2e_acme_5d4c3b2a1f0e9d8c"

// receiver is merchant acme's webhook endpoint: it verifies each event's
// signature and counts the deliveries of each event id and the events of
// each payment.
type receiver struct {
	*httptest.Server
	t *testing.T

	mu         sync.Mutex
	deliveries map[string]int             // event id -> deliveries
	payments   map[string]map[string]bool // payment id -> event types
	unverified int
}

// event is the part of a merchant event the receiver reads.
type event struct {
	ID   string `json:"id"`
	Type string `json:"type"`
	Data struct {
		ID string `json:"id"`
	} `json:"data"`
}

func newReceiver(t *testing.T) *receiver {
	t.Helper()
	r := &receiver{t: t, deliveries: map[string]int{}, payments: map[string]map[string]bool{}}
	r.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, err := io.ReadAll(req.Body)
		var ev event
		if err == nil {
			err = webhook.Verify(e2eWebhookSecret, req.Header.Get(webhook.SignatureHeader), body, 0)
		}
		if err == nil {
			err = json.Unmarshal(body, &ev)
		}
		r.mu.Lock()
		defer r.mu.Unlock()
		if err != nil || ev.ID == "" || ev.ID != req.Header.Get(webhook.EventIDHeader) {
			r.unverified++
			http.Error(w, "bad event", http.StatusBadRequest)
			return
		}
		r.deliveries[ev.ID]++
		if r.payments[ev.Data.ID] == nil {
			r.payments[ev.Data.ID] = map[string]bool{}
		}
		r.payments[ev.Data.ID][ev.Type] = true
	}))
	t.Cleanup(r.Close)
	return r
}

// env is the environment variable that points acme's webhook here.
func (r *receiver) env() string { return "E2E_WEBHOOK_URL=" + r.URL }

// waitFor waits until every payment in ids has an event of type typ and
// returns the deliveries seen.
func (r *receiver) waitFor(ids []string, typ string) map[string]int {
	r.t.Helper()
	deadline := time.Now().Add(2 * time.Minute)
	for {
		r.mu.Lock()
		missing := 0
		for _, id := range ids {
			if !r.payments[id][typ] {
				missing++
			}
		}
		deliveries := make(map[string]int, len(r.deliveries))
		for id, n := range r.deliveries {
			deliveries[id] = n
		}
		unverified := r.unverified
		r.mu.Unlock()
		if unverified > 0 {
			r.t.Fatalf("%d deliveries did not verify", unverified)
		}
		if missing == 0 {
			return deliveries
		}
		if time.Now().After(deadline) {
			r.t.Fatalf("%d of %d payments have no %s event after 2 minutes", missing, len(ids), typ)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
