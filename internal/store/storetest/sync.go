package storetest

import (
	"slices"
	"testing"
	"time"

	"github.com/payhost/payhost/internal/store"
	"github.com/payhost/payhost/plugin"
)

// claimSync runs ClaimSyncDue in its own transaction and returns the ids.
func (e *env) claimSync(t *testing.T, limit int) []string {
	t.Helper()
	var ids []string
	e.inTx(t, func(tx store.Tx) error {
		ps, err := tx.ClaimSyncDue(e.ctx, limit, 5*time.Minute)
		for _, p := range ps {
			ids = append(ids, p.ID)
			if !p.NextSyncAt.Equal(store.Timestamp(e.clock.Now()).Add(5*time.Minute)) || p.SyncAttempts == 0 {
				t.Errorf("claimed payment %s: next sync %s, attempts %d", p.ID, p.NextSyncAt, p.SyncAttempts)
			}
		}
		return err
	})
	slices.Sort(ids)
	return ids
}

func testSyncDue(t *testing.T, e *env) {
	now := e.clock.Now()
	at := func(status plugin.PaymentStatus, next time.Time) *store.Payment {
		p := payment(status, 1000, 0, 0)
		p.NextSyncAt = next
		return e.insert(t, p)
	}
	processing := at(plugin.StatusProcessing, now.Add(-time.Minute))
	unknown := at(plugin.StatusUnknown, now.Add(-2*time.Minute))
	notYet := at(plugin.StatusProcessing, now.Add(time.Hour))
	waiting := at(plugin.StatusRequiresAction, now.Add(-3*time.Minute)) // its next action expired
	waitingLater := at(plugin.StatusRequiresAction, now.Add(time.Hour))
	at(plugin.StatusSucceeded, now.Add(-time.Hour)) // final: never synced
	at(plugin.StatusProcessing, time.Time{})        // not scheduled

	equal(t, "ClaimSyncDue", e.claimSync(t, 10), sorted(processing.ID, unknown.ID, waiting.ID))
	if got := e.get(t, unknown.ID); got.SyncAttempts != 1 || got.Version != 2 {
		t.Errorf("claimed payment: %d sync attempts at version %d; want 1 at 2", got.SyncAttempts, got.Version)
	}
	equal(t, "ClaimSyncDue again, while held", e.claimSync(t, 10), nil)

	// The reconciler reschedules what it synced; the oldest due go first.
	p := e.get(t, processing.ID)
	p.NextSyncAt = e.clock.Now().Add(10 * time.Minute)
	e.inTx(t, func(tx store.Tx) error { return tx.UpdatePayment(e.ctx, p) })
	e.inTx(t, func(tx store.Tx) error {
		w := e.get(t, waiting.ID)
		w.NextSyncAt = e.clock.Now().Add(2 * time.Hour)
		return tx.UpdatePayment(e.ctx, w)
	})
	e.clock.Advance(time.Hour)
	equal(t, "ClaimSyncDue of the two oldest due", e.claimSync(t, 2), sorted(processing.ID, unknown.ID))
	equal(t, "ClaimSyncDue of the rest", e.claimSync(t, 2), sorted(notYet.ID, waitingLater.ID))
	if got := e.get(t, unknown.ID).SyncAttempts; got != 2 {
		t.Errorf("SyncAttempts = %d after two claims", got)
	}
}

func sorted(ids ...string) []string {
	slices.Sort(ids)
	return ids
}

// claimRefunds runs ClaimRefundsDue in its own transaction and returns the
// ids.
func (e *env) claimRefunds(t *testing.T, limit int) []string {
	t.Helper()
	var ids []string
	e.inTx(t, func(tx store.Tx) error {
		rs, err := tx.ClaimRefundsDue(e.ctx, limit, 5*time.Minute)
		for _, r := range rs {
			ids = append(ids, r.ID)
			if !r.NextSyncAt.Equal(store.Timestamp(e.clock.Now()).Add(5*time.Minute)) || r.SyncAttempts == 0 ||
				r.Status != plugin.RefundPending {
				t.Errorf("claimed refund %+v", r)
			}
		}
		return err
	})
	slices.Sort(ids)
	return ids
}

// testRefundSyncDue: pending refunds are claimed once due, held, and
// rescheduled; settled ones never; the schedule is kept in the store.
func testRefundSyncDue(t *testing.T, e *env) {
	p := e.insert(t, captured(1000))
	now := e.clock.Now()
	reserve := func(next time.Time) *store.Refund {
		r := &store.Refund{PaymentID: p.ID, Amount: 100, Currency: "USD", NextSyncAt: next}
		e.inTx(t, func(tx store.Tx) error { return tx.ReserveRefund(e.ctx, r) })
		if !r.NextSyncAt.Equal(store.Timestamp(next)) {
			t.Errorf("reserved refund next sync %s, want %s", r.NextSyncAt, next)
		}
		return r
	}
	due := reserve(now.Add(-time.Minute))
	older := reserve(now.Add(-2 * time.Minute))
	notYet := reserve(now.Add(time.Hour))
	reserve(time.Time{}) // not scheduled
	settled := reserve(now.Add(-time.Hour))
	settled.Status = plugin.RefundSucceeded
	e.inTx(t, func(tx store.Tx) error { return tx.FinishRefund(e.ctx, settled) })

	equal(t, "ClaimRefundsDue", e.claimRefunds(t, 10), sorted(due.ID, older.ID))
	equal(t, "ClaimRefundsDue again, while held", e.claimRefunds(t, 10), nil)
	got, err := e.st.GetRefund(e.ctx, older.ID)
	ok(t, "GetRefund", err)
	if got.SyncAttempts != 1 || !got.UpdatedAt.Equal(older.UpdatedAt) {
		t.Errorf("claimed refund: %d sync attempts, updated %s; want 1, unchanged", got.SyncAttempts, got.UpdatedAt)
	}

	// The reconciler reschedules what it asked about; the oldest due go
	// first.
	e.inTx(t, func(tx store.Tx) error { return tx.ScheduleRefund(e.ctx, due.ID, e.clock.Now().Add(10*time.Minute)) })
	e.clock.Advance(time.Hour)
	equal(t, "ClaimRefundsDue of the two oldest due", e.claimRefunds(t, 2), sorted(due.ID, older.ID))
	equal(t, "ClaimRefundsDue of the rest", e.claimRefunds(t, 2), sorted(notYet.ID))

	schedule := func(id string) error {
		return e.st.InTx(e.ctx, func(tx store.Tx) error { return tx.ScheduleRefund(e.ctx, id, e.clock.Now()) })
	}
	// A refund settled meanwhile, or none, is left as it is.
	before, err := e.st.GetRefund(e.ctx, settled.ID)
	ok(t, "GetRefund", err)
	ok(t, "ScheduleRefund of a settled refund", schedule(settled.ID))
	ok(t, "ScheduleRefund of a missing refund", schedule("re_missing"))
	after, err := e.st.GetRefund(e.ctx, settled.ID)
	ok(t, "GetRefund", err)
	equal(t, "settled refund after ScheduleRefund", after, before)
}
