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
	at(plugin.StatusSucceeded, now.Add(-time.Hour)) // final: never synced
	at(plugin.StatusProcessing, time.Time{})        // not scheduled

	equal(t, "ClaimSyncDue", e.claimSync(t, 10), sorted(processing.ID, unknown.ID))
	if got := e.get(t, unknown.ID); got.SyncAttempts != 1 || got.Version != 2 {
		t.Errorf("claimed payment: %d sync attempts at version %d; want 1 at 2", got.SyncAttempts, got.Version)
	}
	equal(t, "ClaimSyncDue again, while held", e.claimSync(t, 10), nil)

	// The reconciler reschedules what it synced; the oldest due go first.
	p := e.get(t, processing.ID)
	p.NextSyncAt = e.clock.Now().Add(10 * time.Minute)
	e.inTx(t, func(tx store.Tx) error { return tx.UpdatePayment(e.ctx, p) })
	e.clock.Advance(time.Hour)
	equal(t, "ClaimSyncDue of the two oldest due", e.claimSync(t, 2), sorted(processing.ID, unknown.ID))
	equal(t, "ClaimSyncDue of the rest", e.claimSync(t, 2), sorted(notYet.ID))
	if got := e.get(t, unknown.ID).SyncAttempts; got != 2 {
		t.Errorf("SyncAttempts = %d after two claims", got)
	}
}

func sorted(ids ...string) []string {
	slices.Sort(ids)
	return ids
}
