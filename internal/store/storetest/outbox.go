package storetest

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/payhost/payhost/internal/store"
	"github.com/payhost/payhost/plugin"
)

// claim runs ClaimEvents in its own transaction of st and returns the ids.
func (e *env) claim(st store.Store, owner string, limit int) ([]string, error) {
	var ids []string
	err := st.InTx(e.ctx, func(tx store.Tx) error {
		events, err := tx.ClaimEvents(e.ctx, owner, limit, time.Minute)
		for _, ev := range events {
			if ev.LeaseOwner != owner || !ev.LeaseExpiresAt.Equal(store.Timestamp(e.clock.Now()).Add(time.Minute)) {
				return fmt.Errorf("claimed event %s has lease %q until %s", ev.ID, ev.LeaseOwner, ev.LeaseExpiresAt)
			}
			ids = append(ids, ev.ID)
		}
		return err
	})
	return ids, err
}

// wantClaim claims for owner and fails the test unless it gets want.
func (e *env) wantClaim(t *testing.T, owner string, want ...string) {
	t.Helper()
	got, err := e.claim(e.st, owner, 10)
	ok(t, "ClaimEvents", err)
	equal(t, "ClaimEvents by "+owner, got, want)
}

// deliver records a delivery attempt of an event owner claimed.
func (e *env) deliver(r store.DeliveryResult) (store.DeliveryAttempt, error) {
	var d store.DeliveryAttempt
	err := e.st.InTx(e.ctx, func(tx store.Tx) (err error) {
		d, err = tx.RecordDelivery(e.ctx, r)
		return err
	})
	return d, err
}

func (e *env) getEvent(t *testing.T, id string) *store.Event {
	t.Helper()
	ev, err := e.st.GetEvent(e.ctx, id)
	ok(t, "GetEvent", err)
	return ev
}

func testOutbox(t *testing.T, e *env) {
	p := e.insert(t, authorized(1000))
	// The event is written with the change it reports, or not at all.
	payload := json.RawMessage(`{"id": "pay_1",  "amount":1000, "b":[2,1], "a":null}`)
	var ev store.Event
	e.inTx(t, func(tx store.Tx) error {
		p.Status, p.AmountCaptured = plugin.StatusSucceeded, 1000
		if err := tx.UpdatePayment(e.ctx, p); err != nil {
			return err
		}
		ev = store.Event{MerchantID: "acme", Type: "payment.succeeded", Payload: payload}
		return tx.AppendEvent(e.ctx, &ev)
	})
	now := store.Timestamp(e.clock.Now())
	if !strings.HasPrefix(ev.ID, store.PrefixEvent) || !ev.CreatedAt.Equal(now) || !ev.NextAttemptAt.Equal(now) {
		t.Errorf("appended event: %+v", ev)
	}
	equal(t, "GetEvent", e.getEvent(t, ev.ID), &ev)
	if got := string(e.getEvent(t, ev.ID).Payload); got != string(payload) {
		t.Errorf("payload reads back as %s, want %s byte for byte", got, payload)
	}

	err := e.st.InTx(e.ctx, func(tx store.Tx) error {
		lost := store.Event{MerchantID: "acme", Type: "payment.failed", Payload: json.RawMessage(`{}`)}
		if err := tx.AppendEvent(e.ctx, &lost); err != nil {
			return err
		}
		return errBoom
	})
	wantErr(t, "InTx", err, errBoom)

	e.clock.Advance(time.Second)
	later := store.Event{MerchantID: "acme", Type: "refund.succeeded", Payload: json.RawMessage(`{}`)}
	other := store.Event{MerchantID: "globex", Type: "payment.succeeded", Payload: json.RawMessage(`{}`)}
	e.inTx(t, func(tx store.Tx) error {
		if err := tx.AppendEvent(e.ctx, &later); err != nil {
			return err
		}
		return tx.AppendEvent(e.ctx, &other)
	})
	events, err := e.st.ListEvents(e.ctx, "acme", 10)
	ok(t, "ListEvents", err)
	equal(t, "ListEvents, newest first", events, []store.Event{later, ev})
	events, err = e.st.ListEvents(e.ctx, "acme", 1)
	ok(t, "ListEvents", err)
	equal(t, "ListEvents with a limit", events, []store.Event{later})

	_, err = e.st.GetEvent(e.ctx, "evt_missing")
	wantErr(t, "GetEvent of a missing event", err, store.ErrNotFound)
	for _, bad := range []store.Event{
		{Type: "payment.succeeded", Payload: json.RawMessage(`{}`)},
		{MerchantID: "acme", Payload: json.RawMessage(`{}`)},
		{MerchantID: "acme", Type: "payment.succeeded"},
	} {
		if err := e.st.InTx(e.ctx, func(tx store.Tx) error { return tx.AppendEvent(e.ctx, &bad) }); err == nil {
			t.Errorf("AppendEvent took %+v", bad)
		}
	}
}

func testOutboxDelivery(t *testing.T, e *env) {
	due := store.Event{MerchantID: "acme", Type: "payment.succeeded", Payload: json.RawMessage(`{}`)}
	later := store.Event{MerchantID: "acme", Type: "payment.failed", Payload: json.RawMessage(`{}`),
		NextAttemptAt: e.clock.Now().Add(time.Hour)}
	e.inTx(t, func(tx store.Tx) error {
		if err := tx.AppendEvent(e.ctx, &due); err != nil {
			return err
		}
		return tx.AppendEvent(e.ctx, &later)
	})

	e.wantClaim(t, "host-a", due.ID)
	e.wantClaim(t, "host-b") // leased to host-a
	_, err := e.deliver(store.DeliveryResult{EventID: due.ID, Owner: "host-b", HTTPStatus: 200, Delivered: true})
	wantErr(t, "RecordDelivery by a host without the lease", err, store.ErrConflict)

	e.clock.Advance(time.Second)
	retryAt := e.clock.Now().Add(5 * time.Minute)
	first, err := e.deliver(store.DeliveryResult{EventID: due.ID, Owner: "host-a", HTTPStatus: 503,
		Error: "merchant answered 503", Duration: 1500 * time.Millisecond, RetryAt: retryAt})
	ok(t, "RecordDelivery", err)
	if first.Attempt != 1 {
		t.Errorf("first attempt is number %d", first.Attempt)
	}
	got := e.getEvent(t, due.ID)
	if got.Attempts != 1 || got.LeaseOwner != "" || !got.LeaseExpiresAt.IsZero() || !got.NextAttemptAt.Equal(store.Timestamp(retryAt)) {
		t.Errorf("event after a failed attempt: %+v", got)
	}
	e.wantClaim(t, "host-a") // not due before retryAt

	e.clock.Advance(5 * time.Minute)
	e.wantClaim(t, "host-b", due.ID)
	// host-b stalls past its lease: host-a takes the event over.
	e.clock.Advance(time.Minute)
	e.wantClaim(t, "host-a", due.ID)
	_, err = e.deliver(store.DeliveryResult{EventID: due.ID, Owner: "host-b", HTTPStatus: 200, Delivered: true})
	wantErr(t, "RecordDelivery by the host whose lease lapsed", err, store.ErrConflict)
	second, err := e.deliver(store.DeliveryResult{EventID: due.ID, Owner: "host-a", HTTPStatus: 200,
		Duration: 80 * time.Millisecond, Delivered: true})
	ok(t, "RecordDelivery", err)
	if got := e.getEvent(t, due.ID); !got.DeliveredAt.Equal(store.Timestamp(e.clock.Now())) || got.Attempts != 2 {
		t.Errorf("delivered event: %+v", got)
	}

	attempts, err := e.st.ListDeliveryAttempts(e.ctx, due.ID)
	ok(t, "ListDeliveryAttempts", err)
	equal(t, "ListDeliveryAttempts", attempts, []store.DeliveryAttempt{first, second})
	if first.Duration != 1500*time.Millisecond || first.HTTPStatus != 503 || second.Attempt != 2 {
		t.Errorf("delivery attempts: %+v", attempts)
	}

	// Delivered events are done; given-up ones too.
	e.clock.Advance(time.Hour)
	e.wantClaim(t, "host-a", later.ID)
	_, err = e.deliver(store.DeliveryResult{EventID: later.ID, Owner: "host-a", Error: "connection refused"})
	ok(t, "RecordDelivery giving up", err)
	if got := e.getEvent(t, later.ID); !got.FailedAt.Equal(store.Timestamp(e.clock.Now())) || !got.DeliveredAt.IsZero() {
		t.Errorf("given-up event: %+v", got)
	}
	e.clock.Advance(24 * time.Hour)
	e.wantClaim(t, "host-a")

	_, err = e.deliver(store.DeliveryResult{EventID: "evt_missing", Owner: "host-a", Delivered: true})
	wantErr(t, "RecordDelivery of a missing event", err, store.ErrNotFound)
	if _, err := e.claim(e.st, "host-a", 0); err == nil {
		t.Error("ClaimEvents took a limit of 0")
	}
}

func testOutboxClaimRace(t *testing.T, e *env) {
	const events, hosts, batch = 120, 2, 7
	e.inTx(t, func(tx store.Tx) error {
		for range events {
			ev := store.Event{MerchantID: "acme", Type: "payment.succeeded", Payload: json.RawMessage(`{}`)}
			if err := tx.AppendEvent(e.ctx, &ev); err != nil {
				return err
			}
		}
		return nil
	})
	claimed := make([][]string, hosts)
	errs := make([]error, hosts)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range hosts {
		h := e.handle(t)
		wg.Go(func() {
			<-start
			for {
				ids, err := e.claim(h, fmt.Sprintf("host-%d", i), batch)
				if err != nil || len(ids) == 0 {
					errs[i] = err
					return
				}
				claimed[i] = append(claimed[i], ids...)
			}
		})
	}
	close(start)
	wg.Wait()
	var all []string
	for i := range hosts {
		ok(t, "ClaimEvents", errs[i])
		all = append(all, claimed[i]...)
	}
	slices.Sort(all)
	if distinct := slices.Compact(slices.Clone(all)); len(all) != events || len(distinct) != events {
		t.Fatalf("%d hosts claimed %d events (%d distinct), want each of %d exactly once",
			hosts, len(all), len(distinct), events)
	}
}
