package emukit

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"sync"
	"time"

	"github.com/hashicorp/go-hclog"
)

// RetryPolicy says when a callback is sent again after an attempt that was
// not acknowledged: one attempt, then one more after each delay.
type RetryPolicy struct {
	Delays []time.Duration
}

// Attempts is the most attempts the policy makes.
func (p RetryPolicy) Attempts() int { return 1 + len(p.Delays) }

// Callback is one outbound notification to a merchant.
type Callback struct {
	// ID identifies the callback in the delivery log and for resending; the
	// Dispatcher assigns one when it is empty.
	ID     string
	URL    string
	Header http.Header
	Body   []byte
	// Acked says whether the merchant's answer acknowledges the callback,
	// the way this gateway recognises it. Nil means any 2xx.
	Acked func(status int, body []byte) bool
}

// Delivery is one attempt to deliver a callback, as the control API lists
// it.
type Delivery struct {
	CallbackID string    `json:"callback_id"`
	Attempt    int       `json:"attempt"`
	URL        string    `json:"url"`
	Body       string    `json:"body"`
	Status     int       `json:"status,omitempty"`
	Response   string    `json:"response,omitempty"`
	Error      string    `json:"error,omitempty"`
	At         time.Time `json:"at"`
	Acked      bool      `json:"acked"`
}

// maxResponseLogged bounds how much of a merchant's answer is kept.
const maxResponseLogged = 1024

// Dispatcher delivers callbacks in the background, retrying each with its
// RetryPolicy until it is acknowledged, and keeps a delivery log. It is safe
// for concurrent use.
type Dispatcher struct {
	client *http.Client
	policy RetryPolicy
	clock  Clock
	ids    *IDs
	faults *Faults
	logger hclog.Logger

	mu         sync.Mutex
	deliveries []Delivery
	sent       map[string]Callback
	inflight   int
	idle       *sync.Cond
	closed     chan struct{}
	closeOnce  sync.Once
}

func newDispatcher(client *http.Client, policy RetryPolicy, clock Clock, ids *IDs, faults *Faults, logger hclog.Logger) *Dispatcher {
	d := &Dispatcher{
		client: client, policy: policy, clock: clock, ids: ids, faults: faults, logger: logger,
		sent:   make(map[string]Callback),
		closed: make(chan struct{}),
	}
	d.idle = sync.NewCond(&d.mu)
	return d
}

// Send queues cb for delivery and returns at once. A pending
// duplicate_callback fault makes the merchant receive it twice; a
// delay_callback fault holds back its first attempt.
func (d *Dispatcher) Send(cb Callback) {
	if cb.ID == "" {
		cb.ID = d.ids.Next("cb_")
	}
	copies, delay := 1, time.Duration(0)
	if f, ok := d.faults.takeCallbackFault(); ok {
		switch f.Kind {
		case FaultDuplicateCallback:
			copies = 2
		case FaultDelayCallback:
			delay = f.delay()
		}
	}
	d.mu.Lock()
	d.sent[cb.ID] = cb
	d.inflight += copies
	d.mu.Unlock()
	for i := 0; i < copies; i++ {
		go d.deliver(cb, delay)
	}
}

// Resend delivers a callback that was sent before again, with a fresh
// round of attempts.
func (d *Dispatcher) Resend(id string) error {
	d.mu.Lock()
	cb, ok := d.sent[id]
	d.mu.Unlock()
	if !ok {
		return fmt.Errorf("callback %q: %w", id, ErrNotFound)
	}
	d.Send(cb)
	return nil
}

// Deliveries returns every delivery attempt so far, oldest first.
func (d *Dispatcher) Deliveries() []Delivery {
	d.mu.Lock()
	defer d.mu.Unlock()
	return append([]Delivery(nil), d.deliveries...)
}

// Reset forgets the delivery log. Deliveries still running go on.
func (d *Dispatcher) Reset() {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.deliveries = nil
}

// Wait blocks until no delivery is in flight or ctx ends.
func (d *Dispatcher) Wait(ctx context.Context) error {
	done := make(chan struct{})
	go func() {
		d.mu.Lock()
		for d.inflight > 0 {
			d.idle.Wait()
		}
		d.mu.Unlock()
		close(done)
	}()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		// The waiting goroutine ends when the deliveries do.
		return ctx.Err()
	}
}

// Close stops retries that are waiting and waits for attempts under way.
func (d *Dispatcher) Close() {
	d.closeOnce.Do(func() { close(d.closed) })
	d.mu.Lock()
	for d.inflight > 0 {
		d.idle.Wait()
	}
	d.mu.Unlock()
}

func (d *Dispatcher) deliver(cb Callback, delay time.Duration) {
	defer func() {
		d.mu.Lock()
		d.inflight--
		d.idle.Broadcast()
		d.mu.Unlock()
	}()
	if !d.sleep(delay) {
		return
	}
	for attempt := 1; attempt <= d.policy.Attempts(); attempt++ {
		if attempt > 1 && !d.sleep(d.policy.Delays[attempt-2]) {
			return
		}
		if d.attempt(cb, attempt) {
			return
		}
	}
	d.logger.Warn("callback not acknowledged; giving up", "callback", cb.ID, "attempts", d.policy.Attempts())
}

// sleep waits for dur; it reports false when the dispatcher closed first.
func (d *Dispatcher) sleep(dur time.Duration) bool {
	if dur <= 0 {
		select {
		case <-d.closed:
			return false
		default:
			return true
		}
	}
	t := time.NewTimer(dur)
	defer t.Stop()
	select {
	case <-d.closed:
		return false
	case <-t.C:
		return true
	}
}

// attempt makes one delivery attempt and logs it; it reports whether the
// merchant acknowledged the callback.
func (d *Dispatcher) attempt(cb Callback, n int) bool {
	rec := Delivery{CallbackID: cb.ID, Attempt: n, URL: cb.URL, Body: MaskText(string(cb.Body)), At: d.clock.Now()}
	status, body, err := d.post(cb)
	if err != nil {
		rec.Error = err.Error()
	} else {
		rec.Status = status
		rec.Response = string(body)
		acked := cb.Acked
		if acked == nil {
			acked = func(status int, _ []byte) bool { return status >= 200 && status < 300 }
		}
		rec.Acked = acked(status, body)
	}
	d.mu.Lock()
	d.deliveries = append(d.deliveries, rec)
	d.mu.Unlock()
	d.logger.Info("callback delivery", "callback", cb.ID, "attempt", n, "url", cb.URL,
		"status", rec.Status, "acked", rec.Acked, "error", rec.Error)
	return rec.Acked
}

func (d *Dispatcher) post(cb Callback) (int, []byte, error) {
	req, err := http.NewRequest(http.MethodPost, cb.URL, bytes.NewReader(cb.Body))
	if err != nil {
		return 0, nil, err
	}
	for k, v := range cb.Header {
		req.Header[k] = append([]string(nil), v...)
	}
	resp, err := d.client.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxResponseLogged))
	if err != nil {
		return resp.StatusCode, body, err
	}
	return resp.StatusCode, body, nil
}
