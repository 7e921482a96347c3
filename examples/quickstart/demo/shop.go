package main

import (
	"context"
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/payhost/payhost/api"
)

// The shop's two pages that others call: payhost posts its events to
// webhookPath, and the gateways' hosted pages send the customer back to
// returnPath.
const (
	webhookPath = "/payhost/events"
	returnPath  = "/shop/return"
)

// event is a merchant event as payhost sends it. For payment.* and
// refund.* events, data is the payment as GET /v1/payments/{id} shows it
// (a refund event's payment lists the refund).
type event struct {
	ID        string      `json:"id"`
	Type      string      `json:"type"`
	CreatedAt int64       `json:"created_at"`
	Data      api.Payment `json:"data"`

	// stale is set when the event arrived after one that showed the
	// payment in a later state: deliveries run concurrently and are
	// retried, so events can arrive out of order.
	stale bool
}

// shop is the merchant's web server: the webhook receiver and the page
// customers return to.
type shop struct {
	secret string
	srv    *http.Server
	base   string // http://host:port

	mu       sync.Mutex
	events   []event              // verified, in the order received, each id once
	seen     map[string]bool      // event ids processed
	latest   map[string]time.Time // payment id -> the newest updated_at seen
	repeats  int                  // deliveries of an event already processed
	rejected int                  // deliveries whose signature did not verify
	changed  chan struct{}        // closed and replaced when an event arrives
	onEvent  func(event)          // told of each new event
}

// startShop listens on addr and serves the shop until close; onEvent is
// told of each new verified event.
func startShop(addr, webhookSecret string, onEvent func(event)) (*shop, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("the shop cannot listen on %s: %w", addr, err)
	}
	s := &shop{secret: webhookSecret, base: "http://" + ln.Addr().String(), seen: map[string]bool{}, latest: map[string]time.Time{}, changed: make(chan struct{}), onEvent: onEvent}
	mux := http.NewServeMux()
	mux.HandleFunc("POST "+webhookPath, s.receiveEvent)
	mux.HandleFunc("GET "+returnPath, s.customerReturns)
	s.srv = &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = s.srv.Serve(ln) }()
	return s, nil
}

func (s *shop) close() {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = s.srv.Shutdown(ctx)
}

// receiveEvent is the webhook endpoint. The order matters: read the raw
// body, verify its signature, and only then decode it; answer 2xx once
// the event is safely handled (payhost retries anything else, with
// backoff, for at least a day), and expect the same event more than once.
func (s *shop) receiveEvent(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		http.Error(w, "cannot read the body", http.StatusBadRequest)
		return
	}
	if err := verifySignature(s.secret, r.Header.Get("Payhost-Signature"), body, time.Now()); err != nil {
		s.mu.Lock()
		s.rejected++
		s.mu.Unlock()
		http.Error(w, "signature: "+err.Error(), http.StatusUnauthorized)
		return
	}
	var ev event
	if err := json.Unmarshal(body, &ev); err != nil || ev.ID == "" {
		http.Error(w, "not an event", http.StatusBadRequest)
		return
	}
	s.mu.Lock()
	if s.seen[ev.ID] { // delivered again: acknowledge, do nothing twice
		s.repeats++
		s.mu.Unlock()
		w.WriteHeader(http.StatusOK)
		return
	}
	s.seen[ev.ID] = true
	// Keep the newest state of each payment: an event older than what
	// the shop already knows must not take its order back to "awaiting
	// payment". (When in doubt, GET /v1/payments/{id} is the truth.)
	if latest := s.latest[ev.Data.ID]; ev.Data.UpdatedAt.Before(latest) {
		ev.stale = true
	} else {
		s.latest[ev.Data.ID] = ev.Data.UpdatedAt
	}
	s.events = append(s.events, ev)
	s.notifyLocked()
	s.mu.Unlock()
	s.onEvent(ev)
	w.WriteHeader(http.StatusOK)
}

// customerReturns is the page the customer's browser lands on after the
// gateway's page. It only thanks the customer: the payment's outcome is
// what payhost says (webhook or GET /v1/payments/{id}), never what the
// browser brings back, which anyone can forge.
func (s *shop) customerReturns(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_ = returnPage.Execute(w, r.URL.Query().Get("order"))
}

var returnPage = template.Must(template.New("return").Parse(`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Thank you · quickstart shop</title>
<style>body{font-family:system-ui,sans-serif;background:#f3f4f6;margin:0;padding:2rem;color:#111827}
main{max-width:26rem;margin:2rem auto;background:#fff;border-radius:12px;box-shadow:0 4px 16px rgba(0,0,0,.08);padding:2rem}</style>
</head><body><main>
<h1 id="thanks">Thank you!</h1>
<p>Order <strong id="order">{{.}}</strong>: we are confirming your payment and will email you once it is through.</p>
</main></body></html>
`))

func (s *shop) notifyLocked() {
	close(s.changed)
	s.changed = make(chan struct{})
}

// waitEvent waits until an event of type typ about payment id has
// arrived, and returns it.
func (s *shop) waitEvent(ctx context.Context, paymentID, typ string) (event, error) {
	for {
		s.mu.Lock()
		for _, ev := range s.events {
			if ev.Data.ID == paymentID && ev.Type == typ {
				s.mu.Unlock()
				return ev, nil
			}
		}
		changed := s.changed
		s.mu.Unlock()
		select {
		case <-changed:
		case <-ctx.Done():
			return event{}, fmt.Errorf("no %s event for %s: %w", typ, paymentID, ctx.Err())
		}
	}
}

// settle waits until no event has arrived for quiet (at most max), so
// that deliveries still in flight land before the shop counts them.
func (s *shop) settle(quiet, max time.Duration) {
	deadline := time.After(max)
	for {
		s.mu.Lock()
		changed := s.changed
		s.mu.Unlock()
		select {
		case <-changed:
		case <-time.After(quiet):
			return
		case <-deadline:
			return
		}
	}
}

// stats are the webhook deliveries so far.
func (s *shop) stats() (events, repeats, rejected int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.events), s.repeats, s.rejected
}
