package storetest

import (
	"strings"
	"testing"
	"time"

	"github.com/payhost/payhost/internal/store"
	"github.com/payhost/payhost/plugin"
)

func testAttempts(t *testing.T, e *env) {
	p := e.insert(t, authorized(1000))
	create := &store.Attempt{PaymentID: p.ID, ProviderInstance: "reddot.sg", Operation: store.OpCreate,
		Status: store.AttemptStarted}
	e.inTx(t, func(tx store.Tx) error { return tx.InsertAttempt(e.ctx, create) })
	if !strings.HasPrefix(create.ID, store.PrefixAttempt) || !create.StartedAt.Equal(store.Timestamp(e.clock.Now())) {
		t.Errorf("inserted attempt has id %q, started %s", create.ID, create.StartedAt)
	}

	e.clock.Advance(time.Second)
	create.Status, create.ProviderReference = store.AttemptSucceeded, "rdp-1"
	e.inTx(t, func(tx store.Tx) error { return tx.FinishAttempt(e.ctx, create) })
	if !create.FinishedAt.Equal(store.Timestamp(e.clock.Now())) {
		t.Errorf("FinishedAt = %s, want the clock's", create.FinishedAt)
	}
	got, err := e.st.GetAttempt(e.ctx, create.ID)
	ok(t, "GetAttempt", err)
	equal(t, "GetAttempt", got, create)

	capture := &store.Attempt{PaymentID: p.ID, ProviderInstance: "reddot.sg", Operation: store.OpCapture,
		Status: store.AttemptStarted, Amount: 600}
	e.inTx(t, func(tx store.Tx) error { return tx.InsertAttempt(e.ctx, capture) })
	capture.Status, capture.ErrorKind, capture.ErrorCode, capture.ErrorMessage =
		store.AttemptUnknown, plugin.KindUnknownOutcome, "504", "gateway timeout"
	e.inTx(t, func(tx store.Tx) error { return tx.FinishAttempt(e.ctx, capture) })

	attempts, err := e.st.ListAttempts(e.ctx, p.ID)
	ok(t, "ListAttempts", err)
	equal(t, "ListAttempts, oldest first", attempts, []store.Attempt{*create, *capture})
	none, err := e.st.ListAttempts(e.ctx, "pay_missing")
	ok(t, "ListAttempts of a missing payment", err)
	equal(t, "ListAttempts of a missing payment", none, []store.Attempt{})

	finish := func(a store.Attempt) error {
		return e.st.InTx(e.ctx, func(tx store.Tx) error { return tx.FinishAttempt(e.ctx, &a) })
	}
	again := *create
	again.Status = store.AttemptFailed
	wantErr(t, "FinishAttempt of a finished attempt", finish(again), store.ErrConflict)
	wantErr(t, "FinishAttempt of a missing attempt", finish(store.Attempt{ID: "att_missing", Status: store.AttemptFailed}),
		store.ErrNotFound)
	// FinishAttemptIfStarted finishes a started attempt; one no longer
	// started, or none, is left as it is and reported to missed, without
	// failing the transaction.
	var missed []string
	ifStarted := func(a store.Attempt) {
		t.Helper()
		e.inTx(t, func(tx store.Tx) error {
			return tx.FinishAttemptIfStarted(e.ctx, &a, func() { missed = append(missed, a.ID) })
		})
	}
	void := &store.Attempt{PaymentID: p.ID, ProviderInstance: "reddot.sg", Operation: store.OpVoid, Status: store.AttemptStarted}
	e.inTx(t, func(tx store.Tx) error { return tx.InsertAttempt(e.ctx, void) })
	e.clock.Advance(time.Second)
	void.Status, void.ProviderReference = store.AttemptFailed, "rdp-void"
	e.inTx(t, func(tx store.Tx) error {
		return tx.FinishAttemptIfStarted(e.ctx, void, func() { t.Error("missed called for a started attempt") })
	})
	got, err = e.st.GetAttempt(e.ctx, void.ID)
	ok(t, "GetAttempt", err)
	equal(t, "GetAttempt after FinishAttemptIfStarted", got, void)
	ifStarted(again)
	ifStarted(store.Attempt{ID: "att_missing", Status: store.AttemptFailed})
	equal(t, "attempts FinishAttemptIfStarted missed", missed, []string{again.ID, "att_missing"})
	got, err = e.st.GetAttempt(e.ctx, create.ID)
	ok(t, "GetAttempt", err)
	equal(t, "finished attempt after FinishAttemptIfStarted", got, create)

	started := store.Attempt{PaymentID: p.ID, ProviderInstance: "reddot.sg", Operation: store.OpVoid, Status: store.AttemptStarted}
	e.inTx(t, func(tx store.Tx) error { return tx.InsertAttempt(e.ctx, &started) })
	if err := finish(started); err == nil {
		t.Error("FinishAttempt took the status started")
	}

	for _, a := range []store.Attempt{
		{PaymentID: "pay_missing", ProviderInstance: "reddot.sg", Operation: store.OpCreate, Status: store.AttemptStarted},
		{PaymentID: p.ID, ProviderInstance: "reddot.sg", Operation: "charge", Status: store.AttemptStarted},
		{PaymentID: p.ID, ProviderInstance: "", Operation: store.OpCreate, Status: store.AttemptStarted},
		{PaymentID: p.ID, ProviderInstance: "reddot.sg", Operation: store.OpCreate, Status: "done"},
	} {
		err := e.st.InTx(e.ctx, func(tx store.Tx) error { return tx.InsertAttempt(e.ctx, &a) })
		if err == nil {
			t.Errorf("InsertAttempt took %+v", a)
		}
	}
}
