package host_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/payhost/payhost/api"
	"github.com/payhost/payhost/host"
	"github.com/payhost/payhost/internal/webhook"
	"github.com/payhost/payhost/plugin"
)

// receiver is a merchant's webhook endpoint: it takes every delivery.
type receiver struct {
	*httptest.Server
	deliveries chan delivery
}

// delivery is one request the receiver got.
type delivery struct {
	header http.Header
	body   []byte
}

// newReceiver starts a webhook endpoint, stopped when the test ends.
func newReceiver(t *testing.T) *receiver {
	r := &receiver{deliveries: make(chan delivery, 10000)}
	r.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, err := io.ReadAll(req.Body)
		if err != nil {
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		r.deliveries <- delivery{header: req.Header.Clone(), body: body}
	}))
	t.Cleanup(r.Close)
	return r
}

// next waits for the receiver's next delivery.
func (r *receiver) next(t *testing.T) delivery {
	t.Helper()
	select {
	case d := <-r.deliveries:
		return d
	case <-time.After(30 * time.Second):
		t.Fatal("no webhook delivery within 30 s")
		return delivery{}
	}
}

// TestMerchantEvents: a payment's event reaches the merchant's webhook,
// signed, in the documented shape, with the payment as data.
func TestMerchantEvents(t *testing.T) {
	r := newReceiver(t)
	e := newEnv(t, envConfig{webhookURL: r.URL})
	p := e.create(e.payment(1050, plugin.CaptureAutomatic, nil))
	d := r.next(t)
	if err := webhook.Verify(webhookSecret, d.header.Get("Payhost-Signature"), d.body, time.Hour); err != nil {
		t.Errorf("signature: %v", err)
	}
	var ev struct {
		ID        string      `json:"id"`
		Type      string      `json:"type"`
		CreatedAt int64       `json:"created_at"`
		Data      api.Payment `json:"data"`
	}
	if err := json.Unmarshal(d.body, &ev); err != nil {
		t.Fatalf("event %s: %v", d.body, err)
	}
	if ev.Type != "payment.succeeded" || ev.Data.ID != p.ID || ev.Data.Status != plugin.StatusSucceeded || len(ev.Data.Attempts) != 1 {
		t.Errorf("event %s, want payment.succeeded with payment %s", d.body, p.ID)
	}
	if id := d.header.Get("Payhost-Event-Id"); id != ev.ID || ev.CreatedAt != e.clock.Now().Unix() {
		t.Errorf("event id %q (header %q), created_at %d; want the same id and %d", ev.ID, id, ev.CreatedAt, e.clock.Now().Unix())
	}
}

// TestNoWebhookNoEvents: a merchant without a webhook gets no events
// queued (nowhere to send them), while one with a webhook does.
func TestNoWebhookNoEvents(t *testing.T) {
	e := newEnv(t, envConfig{})
	p, err := e.h.CreatePayment(e.ctx, "other", e.payment(1050, plugin.CaptureAutomatic, nil))
	if err != nil {
		t.Fatal(err)
	}
	wantStatus(t, p, plugin.StatusSucceeded)
	evs, err := host.StoreOf(e.h).ListEvents(e.ctx, "other", 100)
	if err != nil {
		t.Fatal(err)
	}
	if len(evs) != 0 {
		t.Errorf("merchant other, without a webhook, has %d events queued, want none", len(evs))
	}
	acme := e.create(e.payment(1050, plugin.CaptureAutomatic, nil))
	e.wantEvents(acme.ID, "payment.succeeded")
}
