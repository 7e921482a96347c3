package storetest

import (
	"encoding/json"
	"errors"
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

// deliverBatch records the attempts rs in one transaction, which commits
// unless RecordDeliveries fails as a whole.
func (e *env) deliverBatch(rs []store.DeliveryResult) ([]store.DeliveryAttempt, []error, error) {
	var (
		ds     []store.DeliveryAttempt
		missed []error
	)
	err := e.st.InTx(e.ctx, func(tx store.Tx) (err error) {
		ds, missed, err = tx.RecordDeliveries(e.ctx, rs)
		return err
	})
	return ds, missed, err
}

// appendN appends n events of merchant acme in one transaction and
// returns them.
func (e *env) appendN(t *testing.T, n int) []store.Event {
	t.Helper()
	events := make([]store.Event, n)
	e.inTx(t, func(tx store.Tx) error {
		for i := range events {
			events[i] = store.Event{MerchantID: "acme", Type: "payment.succeeded", Payload: json.RawMessage(`{}`)}
			if err := tx.AppendEvent(e.ctx, &events[i]); err != nil {
				return err
			}
		}
		return nil
	})
	return events
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
	events, err := e.st.ListEvents(e.ctx, "acme", "", 10)
	ok(t, "ListEvents", err)
	equal(t, "ListEvents, newest first", events, []store.Event{later, ev})
	events, err = e.st.ListEvents(e.ctx, "acme", "", 1)
	ok(t, "ListEvents", err)
	equal(t, "ListEvents with a limit", events, []store.Event{later})
	events, err = e.st.ListEvents(e.ctx, "acme", later.ID, 10)
	ok(t, "ListEvents", err)
	equal(t, "ListEvents before the latest", events, []store.Event{ev})
	// Events made at the same moment are listed by id: walking the
	// list a page of one at a time sees each once.
	e.inTx(t, func(tx store.Tx) error {
		for range 3 {
			if err := tx.AppendEvent(e.ctx, &store.Event{MerchantID: "acme", Type: "payment.failed", Payload: json.RawMessage(`{}`)}); err != nil {
				return err
			}
		}
		return nil
	})
	all, err := e.st.ListEvents(e.ctx, "acme", "", 10)
	ok(t, "ListEvents", err)
	var walked []store.Event
	for cursor := ""; ; {
		page, err := e.st.ListEvents(e.ctx, "acme", cursor, 1)
		ok(t, "ListEvents", err)
		if len(page) == 0 || len(walked) > len(all) {
			break
		}
		walked, cursor = append(walked, page...), page[0].ID
	}
	if len(all) != 5 {
		t.Errorf("ListEvents lists %d events, want 5", len(all))
	}
	equal(t, "ListEvents a page of one at a time", walked, all)
	for _, cursor := range []string{ev.ID, other.ID, "evt_missing"} {
		events, err = e.st.ListEvents(e.ctx, "acme", cursor, 10)
		ok(t, "ListEvents", err)
		equal(t, "ListEvents before "+cursor+" (the oldest, another merchant's, none)", events, []store.Event{})
	}

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

	// The batch form, each on a database of its own. (Here rather than in
	// Run's list, which is not the outbox's file.)
	t.Run("RecordDeliveries", func(t *testing.T) { testRecordDeliveries(t, newEnv(t, e.newDB)) })
	t.Run("RecordDeliveriesMany", func(t *testing.T) { testRecordDeliveriesMany(t, newEnv(t, e.newDB)) })
}

// claimAll claims for owner and fails the test unless it gets the
// events of want, in any order.
func (e *env) claimAll(t *testing.T, owner string, want ...store.Event) {
	t.Helper()
	got, err := e.claim(e.st, owner, 1000)
	ok(t, "ClaimEvents", err)
	slices.Sort(got)
	wantIDs := ids(want)
	slices.Sort(wantIDs)
	if !slices.Equal(got, wantIDs) {
		t.Errorf("ClaimEvents by %s: got %v, want %v", owner, got, wantIDs)
	}
}

// ids returns the ids of events.
func ids(events []store.Event) []string {
	out := make([]string, len(events))
	for i, ev := range events {
		out[i] = ev.ID
	}
	return out
}

// testRecordDeliveries records one batch of every kind of result: those
// of the events leased to their owner are recorded, each with its
// number, the others are missed, and the transaction commits.
func testRecordDeliveries(t *testing.T, e *env) {
	const lease = time.Minute // e.claim's
	// lapsed: host-a's lease runs out, and host-b takes the event over.
	lapsed := e.appendN(t, 1)[0]
	e.claimAll(t, "host-a", lapsed)
	// expired: host-a's lease runs out, and nobody takes the event over;
	// the attempt is still host-a's to record, as with RecordDelivery.
	e.clock.Advance(lease / 2)
	expired := e.appendN(t, 1)[0]
	e.claimAll(t, "host-a", expired)
	// others: host-b's from the start.
	e.clock.Advance(lease/2 + time.Second)
	others := e.appendN(t, 1)[0]
	e.claimAll(t, "host-b", lapsed, others)
	// second: a failed attempt already; the batch's is its second.
	second := e.appendN(t, 1)[0]
	e.claimAll(t, "host-a", second)
	_, err := e.deliver(store.DeliveryResult{EventID: second.ID, Owner: "host-a", HTTPStatus: 500,
		Error: "merchant answered 500", RetryAt: e.clock.Now()})
	ok(t, "RecordDelivery", err)
	fresh := e.appendN(t, 4)
	delivered, retried, givenUp, twice := fresh[0], fresh[1], fresh[2], fresh[3]
	e.claimAll(t, "host-a", append(fresh, second)...)
	// expired's lease runs out; the later ones live.
	e.clock.Advance(lease / 2)

	now := store.Timestamp(e.clock.Now())
	retryAt := now.Add(10 * time.Minute)
	rs := []store.DeliveryResult{
		0: {EventID: delivered.ID, Owner: "host-a", HTTPStatus: 204, Duration: 1234567 * time.Nanosecond, Delivered: true},
		1: {EventID: retried.ID, Owner: "host-a", HTTPStatus: 503, Error: "merchant answered 503", Duration: time.Second, RetryAt: retryAt},
		2: {EventID: givenUp.ID, Owner: "host-a", Error: "connection refused", Duration: 3 * time.Millisecond},
		3: {EventID: others.ID, Owner: "host-a", HTTPStatus: 200, Delivered: true},
		4: {EventID: "evt_missing", Owner: "host-a", HTTPStatus: 200, Delivered: true},
		5: {EventID: second.ID, Owner: "host-a", HTTPStatus: 200, Delivered: true},
		6: {EventID: lapsed.ID, Owner: "host-a", HTTPStatus: 200, Delivered: true},
		7: {EventID: twice.ID, Owner: "host-a", HTTPStatus: 200, Delivered: true},
		8: {EventID: expired.ID, Owner: "host-a", HTTPStatus: 200, Delivered: true},
		9: {EventID: twice.ID, Owner: "host-a", HTTPStatus: 500, RetryAt: retryAt},
	}
	ds, missed, err := e.deliverBatch(rs)
	ok(t, "RecordDeliveries", err)
	if len(ds) != len(rs) || len(missed) != len(rs) {
		t.Fatalf("RecordDeliveries of %d results returned %d attempts and %d errors", len(rs), len(ds), len(missed))
	}
	wantMissed := map[int]error{3: store.ErrConflict, 4: store.ErrNotFound, 6: store.ErrConflict, 9: store.ErrConflict}
	for i := range rs {
		if target := wantMissed[i]; target == nil && missed[i] != nil || !errors.Is(missed[i], target) {
			t.Errorf("result %d (%s): %v, want %v", i, rs[i].EventID, missed[i], target)
		}
	}
	attempt := func(i, n int) store.DeliveryAttempt {
		return store.DeliveryAttempt{EventID: rs[i].EventID, Attempt: n, At: now, HTTPStatus: rs[i].HTTPStatus,
			Error: rs[i].Error, Duration: rs[i].Duration.Truncate(time.Microsecond)}
	}
	recorded := map[int]store.DeliveryAttempt{0: attempt(0, 1), 1: attempt(1, 1), 2: attempt(2, 1),
		5: attempt(5, 2), 7: attempt(7, 1), 8: attempt(8, 1)}
	for i, want := range recorded {
		equal(t, fmt.Sprintf("attempt of result %d", i), ds[i], want)
		log, err := e.st.ListDeliveryAttempts(e.ctx, rs[i].EventID)
		ok(t, "ListDeliveryAttempts", err)
		if len(log) != want.Attempt {
			t.Fatalf("event %s: delivery log %+v, want %d attempts", rs[i].EventID, log, want.Attempt)
		}
		equal(t, "last attempt of "+rs[i].EventID, log[len(log)-1], want)
		got := e.getEvent(t, rs[i].EventID)
		if got.Attempts != want.Attempt || got.LeaseOwner != "" || !got.LeaseExpiresAt.IsZero() {
			t.Errorf("event %s after its attempt: %+v", got.ID, got)
		}
	}
	for _, id := range []string{delivered.ID, second.ID, twice.ID, expired.ID} {
		if got := e.getEvent(t, id); !got.DeliveredAt.Equal(now) || !got.FailedAt.IsZero() {
			t.Errorf("delivered event: %+v", got)
		}
	}
	if got := e.getEvent(t, retried.ID); !got.NextAttemptAt.Equal(retryAt) || !got.DeliveredAt.IsZero() || !got.FailedAt.IsZero() {
		t.Errorf("rescheduled event: %+v", got)
	}
	if got := e.getEvent(t, givenUp.ID); !got.FailedAt.Equal(now) || !got.DeliveredAt.IsZero() {
		t.Errorf("given-up event: %+v", got)
	}
	// What the batch missed is as it was: host-b's, no attempt.
	for _, id := range []string{others.ID, lapsed.ID} {
		if got := e.getEvent(t, id); got.LeaseOwner != "host-b" || got.Attempts != 0 || !got.DeliveredAt.IsZero() {
			t.Errorf("event %s, missed by the batch: %+v", id, got)
		}
		if log, err := e.st.ListDeliveryAttempts(e.ctx, id); err != nil || len(log) != 0 {
			t.Errorf("event %s, missed by the batch: delivery log %+v, %v", id, log, err)
		}
	}

	// The rescheduled event comes back when due; host-b's once their
	// lease runs out; nothing else does.
	e.clock.Advance(10 * time.Minute)
	e.claimAll(t, "host-a", retried, others, lapsed)

	// An empty batch records nothing.
	e.inTx(t, func(tx store.Tx) error {
		ds, missed, err := tx.RecordDeliveries(e.ctx, nil)
		if err != nil || len(ds) != 0 || len(missed) != 0 {
			t.Errorf("RecordDeliveries(nil) = %v, %v, %v", ds, missed, err)
		}
		return err
	})
}

// testRecordDeliveriesMany records batches larger than a statement's
// rows on SQLite (64).
func testRecordDeliveriesMany(t *testing.T, e *env) {
	const n = 150
	events := e.appendN(t, n)
	e.claimAll(t, "host-a", events...)
	rs := make([]store.DeliveryResult, n)
	var retried []store.Event
	for i, ev := range events {
		rs[i] = store.DeliveryResult{EventID: ev.ID, Owner: "host-a", HTTPStatus: 200 + i, Delivered: true}
		if i%3 == 0 {
			rs[i] = store.DeliveryResult{EventID: ev.ID, Owner: "host-a", HTTPStatus: 500 + i, RetryAt: e.clock.Now()}
			retried = append(retried, ev)
		}
	}
	for round := 1; round <= 2; round++ {
		ds, missed, err := e.deliverBatch(rs)
		ok(t, "RecordDeliveries", err)
		for i, r := range rs {
			ok(t, "RecordDeliveries of "+r.EventID, missed[i])
			if ds[i].EventID != r.EventID || ds[i].Attempt != round || ds[i].HTTPStatus != r.HTTPStatus {
				t.Fatalf("round %d, result %d: %+v for %+v", round, i, ds[i], r)
			}
			log, err := e.st.ListDeliveryAttempts(e.ctx, r.EventID)
			ok(t, "ListDeliveryAttempts", err)
			if len(log) != round || log[round-1] != ds[i] {
				t.Fatalf("event %s: delivery log %+v, want %d attempts, the last %+v", r.EventID, log, round, ds[i])
			}
		}
		if round == 2 {
			break
		}
		// The retried ones, again, delivered.
		e.claimAll(t, "host-a", retried...)
		rs = rs[:0]
		for _, ev := range retried {
			rs = append(rs, store.DeliveryResult{EventID: ev.ID, Owner: "host-a", HTTPStatus: 201, Delivered: true})
		}
	}
	e.claimAll(t, "host-a")
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
