package host_test

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
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
func newReceiver(t testing.TB) *receiver {
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
	evs, err := host.StoreOf(e.h).ListEvents(e.ctx, "other", "", 100)
	if err != nil {
		t.Fatal(err)
	}
	if len(evs) != 0 {
		t.Errorf("merchant other, without a webhook, has %d events queued, want none", len(evs))
	}
	acme := e.create(e.payment(1050, plugin.CaptureAutomatic, nil))
	e.wantEvents(acme.ID, "payment.succeeded")
}

// TestListEvents: the merchant's events through the API, newest first, a
// page at a time, each with where its delivery stands; the webhook's body
// is the event's; another merchant sees none of them.
func TestListEvents(t *testing.T) {
	r := newReceiver(t)
	e := newEnv(t, envConfig{webhookURL: r.URL})
	var paid []string
	for range 3 {
		paid = append(paid, e.create(e.payment(1050, plugin.CaptureAutomatic, nil)).ID)
	}
	bodies := map[string][]byte{}
	for range 3 {
		d := r.next(t)
		bodies[d.header.Get("Payhost-Event-Id")] = d.body
	}

	first, err := e.h.ListEvents(e.ctx, "acme", &api.ListEventsRequest{Limit: 2})
	if err != nil || len(first.Data) != 2 || !first.HasMore {
		t.Fatalf("first page = %+v, %v; want 2 events and more", first, err)
	}
	rest, err := e.h.ListEvents(e.ctx, "acme", &api.ListEventsRequest{Limit: 2, StartingAfter: first.Data[1].ID})
	if err != nil || len(rest.Data) != 1 || rest.HasMore {
		t.Fatalf("second page = %+v, %v; want the last event and no more", rest, err)
	}
	all := append(first.Data, rest.Data...)
	for i, ev := range all {
		var data api.Payment
		if err := json.Unmarshal(ev.Data, &data); err != nil {
			t.Fatalf("event %s data: %v", ev.ID, err)
		}
		// Newest first: the last payment's event comes first.
		if want := paid[len(paid)-1-i]; ev.Type != "payment.succeeded" || data.ID != want {
			t.Errorf("event %d is %s about %s, want payment.succeeded about %s", i, ev.Type, data.ID, want)
		}
		body, err := json.Marshal(struct {
			ID        string          `json:"id"`
			Type      string          `json:"type"`
			CreatedAt int64           `json:"created_at"`
			Data      json.RawMessage `json:"data"`
		}{ev.ID, ev.Type, ev.CreatedAt, ev.Data})
		if err != nil {
			t.Fatal(err)
		}
		if string(body) != string(bodies[ev.ID]) {
			t.Errorf("event %s reads\n%s\nthe webhook got\n%s", ev.ID, body, bodies[ev.ID])
		}
	}

	// The delivery is recorded once the receiver has answered; wait for it.
	var got *api.Event
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		if got, err = e.h.GetEvent(e.ctx, "acme", all[0].ID); err != nil {
			t.Fatal(err)
		}
		if got.Delivery.Status == api.DeliveryDelivered || time.Now().After(deadline) {
			break
		}
	}
	d := got.Delivery
	if d.Status != api.DeliveryDelivered || d.Attempts != 1 || d.DeliveredAt == nil || len(d.Log) != 1 ||
		d.Log[0].Attempt != 1 || d.Log[0].HTTPStatus != http.StatusOK || d.Log[0].Error != "" {
		t.Errorf("delivery = %+v, want delivered at the first attempt, 200, in the log", d)
	}

	if _, err := e.h.GetEvent(e.ctx, "other", all[0].ID); api.CodeNotFound != codeOf(err) {
		t.Errorf("merchant other reads acme's event: %v", err)
	}
	_, err = e.h.ListEvents(e.ctx, "other", &api.ListEventsRequest{StartingAfter: all[0].ID})
	if aerr := wantCode(t, err, api.CodeInvalidRequest); aerr.Param != "starting_after" {
		t.Errorf("param %q, want starting_after", aerr.Param)
	}
	if aerr := wantCode(t, func() error { _, err := e.h.ListEvents(e.ctx, "acme", &api.ListEventsRequest{Limit: 101}); return err }(),
		api.CodeInvalidRequest); aerr.Param != "limit" {
		t.Errorf("param %q, want limit", aerr.Param)
	}
	if l, err := e.h.ListEvents(e.ctx, "other", nil); err != nil || len(l.Data) != 0 || l.HasMore {
		t.Errorf("merchant other's events = %+v, %v; want none", l, err)
	}

	// The same over HTTP.
	srv := httptest.NewServer(e.h.Handler())
	defer srv.Close()
	status, body := e.httpCall(srv, "GET", "/v1/events?limit=1&starting_after="+all[0].ID, "", "")
	var page api.EventList
	if err := json.Unmarshal([]byte(body), &page); status != http.StatusOK || err != nil || len(page.Data) != 1 || page.Data[0].ID != all[1].ID || !page.HasMore {
		t.Errorf("GET /v1/events = %d %s; want the second event and more", status, body)
	}
	if status, body := e.httpCall(srv, "GET", "/v1/events?limit=many", "", ""); status != http.StatusBadRequest || !strings.Contains(body, `"param":"limit"`) {
		t.Errorf("GET /v1/events?limit=many = %d %s; want 400 naming limit", status, body)
	}
}

// codeOf is err's API error code, or empty.
func codeOf(err error) api.ErrorCode {
	if aerr, ok := errors.AsType[*api.Error](err); ok {
		return aerr.Code
	}
	return ""
}
