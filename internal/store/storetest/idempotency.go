package storetest

import (
	"errors"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/payhost/payhost/internal/store"
)

// begin runs BeginIdempotent in its own transaction of st.
func (e *env) begin(st store.Store, req store.IdempotencyRequest) (store.IdempotencyResult, error) {
	var res store.IdempotencyResult
	err := st.InTx(e.ctx, func(tx store.Tx) (err error) {
		res, err = tx.BeginIdempotent(e.ctx, req)
		return err
	})
	return res, err
}

// wantOutcome begins req on e.st and fails the test unless the outcome is
// want.
func (e *env) wantOutcome(t *testing.T, req store.IdempotencyRequest, want store.IdempotencyOutcome) store.IdempotencyResult {
	t.Helper()
	res, err := e.begin(e.st, req)
	ok(t, "BeginIdempotent", err)
	if res.Outcome != want {
		t.Fatalf("BeginIdempotent(%s, %s) = %s, want %s", req.Key, req.Fingerprint[:8], res.Outcome, want)
	}
	if (res.Record.Lease != "") != (want == store.IdempotencyNew) {
		t.Errorf("outcome %s came with lease %q", res.Outcome, res.Record.Lease)
	}
	return res
}

func (e *env) complete(merchant, key, lease string, resp store.StoredResponse) error {
	return e.st.InTx(e.ctx, func(tx store.Tx) error { return tx.CompleteIdempotent(e.ctx, merchant, key, lease, resp) })
}

func (e *env) release(merchant, key, lease string) error {
	return e.st.InTx(e.ctx, func(tx store.Tx) error { return tx.ReleaseIdempotent(e.ctx, merchant, key, lease) })
}

var (
	bodyA = store.Fingerprint("POST", "/v1/payments", []byte(`{"amount":1000,"currency":"USD"}`))
	bodyB = store.Fingerprint("POST", "/v1/payments", []byte(`{"amount":2000,"currency":"USD"}`))
)

func idem(merchant, key, fingerprint string) store.IdempotencyRequest {
	return store.IdempotencyRequest{MerchantID: merchant, Key: key, Fingerprint: fingerprint, Lease: time.Minute}
}

func testIdempotency(t *testing.T, e *env) {
	if bodyA == bodyB || bodyA != store.Fingerprint("POST", "/v1/payments", []byte(`{"amount":1000,"currency":"USD"}`)) {
		t.Fatal("Fingerprint does not tell bodies apart, or is not stable")
	}
	first := e.wantOutcome(t, idem("acme", "k1", bodyA), store.IdempotencyNew)
	now := store.Timestamp(e.clock.Now())
	if r := first.Record; r.State != store.IdempotencyInProgress || !r.ExpiresAt.Equal(now.Add(store.MinIdempotencyTTL)) ||
		!r.LeaseExpiresAt.Equal(now.Add(time.Minute)) || first.TakenOver {
		t.Errorf("new record: %+v", first)
	}
	e.wantOutcome(t, idem("acme", "k1", bodyA), store.IdempotencyBusy)
	e.wantOutcome(t, idem("acme", "k1", bodyB), store.IdempotencyMismatch)
	e.wantOutcome(t, idem("globex", "k1", bodyB), store.IdempotencyNew) // keys are per merchant

	resp := store.StoredResponse{StatusCode: http.StatusCreated,
		Header: http.Header{"Content-Type": {"application/json"}, "Location": {"/v1/payments/pay_1"}},
		Body:   []byte(`{"id":"pay_1","status":"succeeded"}`)}
	ok(t, "CompleteIdempotent", e.complete("acme", "k1", first.Record.Lease, resp))
	replay := e.wantOutcome(t, idem("acme", "k1", bodyA), store.IdempotencyReplay)
	equal(t, "replayed response", replay.Record.Response, &resp)
	e.wantOutcome(t, idem("acme", "k1", bodyB), store.IdempotencyMismatch)
	wantErr(t, "CompleteIdempotent of a completed key", e.complete("acme", "k1", first.Record.Lease, resp), store.ErrConflict)
	wantErr(t, "CompleteIdempotent of a missing key", e.complete("acme", "nope", first.Record.Lease, resp), store.ErrNotFound)

	// A released key may be used again; only its owner may release it.
	k2 := e.wantOutcome(t, idem("acme", "k2", bodyA), store.IdempotencyNew)
	wantErr(t, "ReleaseIdempotent with another lease", e.release("acme", "k2", "not-the-lease"), store.ErrConflict)
	ok(t, "ReleaseIdempotent", e.release("acme", "k2", k2.Record.Lease))
	e.wantOutcome(t, idem("acme", "k2", bodyB), store.IdempotencyNew)

	for _, bad := range []store.IdempotencyRequest{
		{MerchantID: "acme", Key: "k3", Fingerprint: bodyA},
		{MerchantID: "acme", Key: "k3", Fingerprint: bodyA, Lease: time.Minute, TTL: time.Hour},
		{MerchantID: "acme", Fingerprint: bodyA, Lease: time.Minute},
	} {
		if _, err := e.begin(e.st, bad); err == nil {
			t.Errorf("BeginIdempotent took %+v", bad)
		}
	}
}

func testIdempotencyLease(t *testing.T, e *env) {
	first := e.wantOutcome(t, idem("acme", "k", bodyA), store.IdempotencyNew)
	e.clock.Advance(time.Minute - time.Microsecond)
	e.wantOutcome(t, idem("acme", "k", bodyA), store.IdempotencyBusy)

	// The first owner crashed: once its lease ends, the key is taken over.
	e.clock.Advance(time.Microsecond)
	second := e.wantOutcome(t, idem("acme", "k", bodyA), store.IdempotencyNew)
	if !second.TakenOver || second.Record.Lease == first.Record.Lease || !second.Record.CreatedAt.Equal(first.Record.CreatedAt) {
		t.Errorf("takeover: %+v", second)
	}
	e.wantOutcome(t, idem("acme", "k", bodyA), store.IdempotencyBusy)

	resp := store.StoredResponse{StatusCode: http.StatusOK, Body: []byte(`{}`)}
	wantErr(t, "CompleteIdempotent by the owner that lost the lease", e.complete("acme", "k", first.Record.Lease, resp),
		store.ErrConflict)
	ok(t, "CompleteIdempotent by the new owner", e.complete("acme", "k", second.Record.Lease, resp))
	replay := e.wantOutcome(t, idem("acme", "k", bodyA), store.IdempotencyReplay)
	equal(t, "replayed response", replay.Record.Response, &resp)
}

func testIdempotencyExpiry(t *testing.T, e *env) {
	done := e.wantOutcome(t, idem("acme", "done", bodyA), store.IdempotencyNew)
	ok(t, "CompleteIdempotent", e.complete("acme", "done", done.Record.Lease, store.StoredResponse{StatusCode: 200}))
	held := idem("acme", "held", bodyA)
	held.Lease = 2 * store.MinIdempotencyTTL
	e.wantOutcome(t, held, store.IdempotencyNew)

	purge := func(want int64) {
		t.Helper()
		var n int64
		e.inTx(t, func(tx store.Tx) (err error) {
			n, err = tx.PurgeIdempotency(e.ctx)
			return err
		})
		if n != want {
			t.Errorf("PurgeIdempotency deleted %d, want %d", n, want)
		}
	}
	e.clock.Advance(store.MinIdempotencyTTL - time.Microsecond)
	e.wantOutcome(t, idem("acme", "done", bodyB), store.IdempotencyMismatch)
	purge(0)

	// Expired: the key is free again, unless a live lease still holds it.
	e.clock.Advance(time.Microsecond)
	e.wantOutcome(t, idem("acme", "held", bodyB), store.IdempotencyMismatch)
	again := e.wantOutcome(t, idem("acme", "done", bodyB), store.IdempotencyNew)
	if again.TakenOver {
		t.Error("an expired record was reported taken over")
	}
	ok(t, "CompleteIdempotent", e.complete("acme", "done", again.Record.Lease, store.StoredResponse{StatusCode: 200}))
	purge(0)
	e.clock.Advance(store.MinIdempotencyTTL)
	purge(2)
	e.wantOutcome(t, idem("acme", "held", bodyB), store.IdempotencyNew)
}

func testIdempotencyRace(t *testing.T, e *env) {
	const hosts, keys = 4, 25
	handles := make([]store.Store, hosts)
	for i := range handles {
		handles[i] = e.handle(t)
	}
	for k := range keys {
		key := fmt.Sprintf("race-%d", k)
		outcomes := make([]store.IdempotencyOutcome, hosts)
		errs := make([]error, hosts)
		start := make(chan struct{})
		var wg sync.WaitGroup
		for i, h := range handles {
			wg.Go(func() {
				<-start
				var res store.IdempotencyResult
				res, errs[i] = e.begin(h, idem("acme", key, bodyA))
				outcomes[i] = res.Outcome
			})
		}
		close(start)
		wg.Wait()
		news := 0
		for i := range hosts {
			ok(t, "BeginIdempotent", errs[i])
			switch outcomes[i] {
			case store.IdempotencyNew:
				news++
			case store.IdempotencyBusy:
			default:
				t.Errorf("%s: outcome %s", key, outcomes[i])
			}
		}
		if news != 1 {
			t.Fatalf("%s: %d of %d racing hosts own the key, want exactly 1", key, news, hosts)
		}
	}
}

// testSettleIdempotent: the owner's answer is stored with the rest of its
// transaction; one that lost its lease, or whose record is gone, is told
// so and the rest of its transaction commits.
func testSettleIdempotent(t *testing.T, e *env) {
	settle := func(key, lease string, resp store.StoredResponse, p *store.Payment) (missed bool, err error) {
		err = e.st.InTx(e.ctx, func(tx store.Tx) error {
			missed = false
			if err := tx.InsertPayment(e.ctx, p); err != nil {
				return err
			}
			return tx.SettleIdempotent(e.ctx, "acme", key, lease, resp, func() { missed = true })
		})
		return missed, err
	}
	resp := store.StoredResponse{StatusCode: http.StatusCreated, Header: http.Header{"Content-Type": {"application/json"}},
		Body: []byte(`{"id":"pay_1"}`)}

	first := e.wantOutcome(t, idem("acme", "k", bodyA), store.IdempotencyNew)
	e.clock.Advance(time.Minute)
	second := e.wantOutcome(t, idem("acme", "k", bodyA), store.IdempotencyNew)
	lost := captured(100)
	missed, err := settle("k", first.Record.Lease, resp, lost)
	ok(t, "SettleIdempotent by the owner that lost the lease", err)
	if !missed {
		t.Error("the owner that lost the lease was not told")
	}
	e.get(t, lost.ID) // the rest of its transaction committed
	e.wantOutcome(t, idem("acme", "k", bodyA), store.IdempotencyBusy)

	mine := captured(200)
	missed, err = settle("k", second.Record.Lease, resp, mine)
	ok(t, "SettleIdempotent by the owner", err)
	if missed {
		t.Error("the owner was told it missed")
	}
	e.get(t, mine.ID)
	replay := e.wantOutcome(t, idem("acme", "k", bodyA), store.IdempotencyReplay)
	equal(t, "replayed response", replay.Record.Response, &resp)

	missed, err = settle("gone", first.Record.Lease, resp, captured(300))
	ok(t, "SettleIdempotent of a missing key", err)
	if !missed {
		t.Error("the settle of a missing key was not told")
	}
}

// testIdempotencyExpectNew: a key expected new is taken with the creation
// time asked for; one that was not new is never taken: either
// BeginIdempotent says so, or the transaction fails with ErrConflict, and
// nothing else it wrote stays.
func testIdempotencyExpectNew(t *testing.T, e *env) {
	created := e.clock.Now().Add(-time.Second)
	req := idem("acme", "k", bodyA)
	req.CreatedAt, req.ExpectNew = created, true
	first, err := e.begin(e.st, req)
	ok(t, "BeginIdempotent of a new key", err)
	if first.Outcome != store.IdempotencyNew || !first.Record.CreatedAt.Equal(store.Timestamp(created)) {
		t.Fatalf("new key: %+v, want new, created %s", first, created)
	}
	if got := e.wantOutcome(t, idem("acme", "k", bodyA), store.IdempotencyBusy); !got.Record.CreatedAt.Equal(store.Timestamp(created)) {
		t.Errorf("stored record created %s, want %s", got.Record.CreatedAt, created)
	}

	p := captured(100)
	var res store.IdempotencyResult
	err = e.st.InTx(e.ctx, func(tx store.Tx) (err error) {
		if res, err = tx.BeginIdempotent(e.ctx, req); err != nil || res.Outcome != store.IdempotencyNew {
			return err
		}
		return tx.InsertPayment(e.ctx, p)
	})
	switch {
	case err == nil && res.Outcome == store.IdempotencyBusy:
	case errors.Is(err, store.ErrConflict):
		if _, err := e.st.GetPayment(e.ctx, p.ID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("the failed transaction's payment reads %v, want not found", err)
		}
	default:
		t.Fatalf("BeginIdempotent of a held key expected new: outcome %s, InTx %v; want busy, or ErrConflict", res.Outcome, err)
	}
	e.wantOutcome(t, idem("acme", "k", bodyA), store.IdempotencyBusy)
}
