package storetest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/payhost/payhost/internal/store"
	"github.com/payhost/payhost/plugin"
)

// testLockPaymentDetail: the payment, its attempts and refunds, as the
// readers list them; not found for a missing payment.
func testLockPaymentDetail(t *testing.T, e *env) {
	p := e.insert(t, captured(1000))
	create := &store.Attempt{PaymentID: p.ID, ProviderInstance: "reddot.sg", Operation: store.OpCreate,
		Status: store.AttemptSucceeded}
	e.inTx(t, func(tx store.Tx) error {
		if err := tx.InsertAttempt(e.ctx, create); err != nil {
			return err
		}
		return tx.ReserveRefund(e.ctx, &store.Refund{PaymentID: p.ID, Amount: 300, Currency: "USD"})
	})
	want, err := store.GetPaymentDetail(e.ctx, e.st, p.ID)
	ok(t, "GetPaymentDetail", err)
	var got *store.PaymentDetail
	e.inTx(t, func(tx store.Tx) (err error) {
		got, err = tx.LockPaymentDetail(e.ctx, p.ID)
		return err
	})
	equal(t, "LockPaymentDetail", got, want)
	err = e.st.InTx(e.ctx, func(tx store.Tx) error {
		_, err := tx.LockPaymentDetail(e.ctx, "pay_missing")
		return err
	})
	wantErr(t, "LockPaymentDetail of a missing payment", err, store.ErrNotFound)
	_, err = store.GetPaymentDetail(e.ctx, e.st, "pay_missing")
	wantErr(t, "GetPaymentDetail of a missing payment", err, store.ErrNotFound)
	// A canceled read leaves the store's connections usable.
	canceled, cancel := context.WithCancel(e.ctx)
	cancel()
	if _, err := store.GetPaymentDetail(canceled, e.st, p.ID); err == nil {
		t.Error("GetPaymentDetail with a canceled context succeeded")
	}
	for range 20 {
		got, err := store.GetPaymentDetail(e.ctx, e.st, p.ID)
		ok(t, "GetPaymentDetail after a canceled one", err)
		equal(t, "GetPaymentDetail after a canceled one", got, want)
	}
}

// testHeldWrites: the writes a transaction makes to a payment it holds
// (which a store may send later) are read back by the transaction itself
// and committed with it, or not at all.
func testHeldWrites(t *testing.T, e *env) {
	p := e.insert(t, authorized(1000))
	a := &store.Attempt{PaymentID: p.ID, ProviderInstance: "reddot.sg", Operation: store.OpCapture,
		Status: store.AttemptStarted, Amount: 1000}
	e.inTx(t, func(tx store.Tx) error { return tx.InsertAttempt(e.ctx, a) })

	t.Run("rolled back with the transaction", func(t *testing.T) {
		err := e.st.InTx(e.ctx, func(tx store.Tx) error {
			d, err := tx.LockPaymentDetail(e.ctx, p.ID)
			if err != nil {
				return err
			}
			finished := *a
			finished.Status = store.AttemptSucceeded
			if err := tx.FinishAttempt(e.ctx, &finished); err != nil {
				return err
			}
			d.Payment.Status, d.Payment.AmountCaptured = plugin.StatusSucceeded, 1000
			if err := tx.UpdatePayment(e.ctx, &d.Payment); err != nil {
				return err
			}
			return errBoom
		})
		wantErr(t, "InTx", err, errBoom)
		equal(t, "payment after the rollback", e.get(t, p.ID), p)
		got, err := e.st.GetAttempt(e.ctx, a.ID)
		ok(t, "GetAttempt", err)
		equal(t, "attempt after the rollback", got, a)
	})

	t.Run("read back and committed", func(t *testing.T) {
		e.clock.Advance(time.Second)
		var (
			want     store.Payment
			finished store.Attempt
		)
		e.inTx(t, func(tx store.Tx) error {
			d, err := tx.LockPaymentDetail(e.ctx, p.ID)
			if err != nil {
				return err
			}
			finished = *a
			finished.Status, finished.ProviderReference = store.AttemptSucceeded, "rdp-9"
			if err := tx.FinishAttempt(e.ctx, &finished); err != nil {
				return err
			}
			want = d.Payment
			want.Status, want.AmountCaptured = plugin.StatusSucceeded, 1000
			if err := tx.UpdatePayment(e.ctx, &want); err != nil {
				return err
			}
			// Later writes and reads of the transaction see the held ones.
			attempts, err := tx.ListAttempts(e.ctx, p.ID)
			if err != nil {
				return err
			}
			equal(t, "attempts read in the transaction", attempts, []store.Attempt{finished})
			got, err := tx.GetPayment(e.ctx, p.ID)
			if err != nil {
				return err
			}
			equal(t, "payment read in the transaction", got, &want)
			return tx.UpdatePayment(e.ctx, &want)
		})
		equal(t, "payment after the commit", e.get(t, p.ID), &want)
		got, err := e.st.GetAttempt(e.ctx, a.ID)
		ok(t, "GetAttempt", err)
		equal(t, "attempt after the commit", got, &finished)
	})
}

// testFinishRace: two transactions finish one attempt, one of them while
// holding its payment after reading the attempt started: exactly one
// wins; the other fails with ErrConflict (from FinishAttempt, or from
// InTx for a store that sends held writes at the commit), and nothing it
// wrote stays.
func testFinishRace(t *testing.T, e *env) {
	p := e.insert(t, authorized(1000))
	a := &store.Attempt{PaymentID: p.ID, ProviderInstance: "reddot.sg", Operation: store.OpVoid,
		Status: store.AttemptStarted, Amount: 1000}
	e.inTx(t, func(tx store.Tx) error { return tx.InsertAttempt(e.ctx, a) })
	other := e.handle(t)

	read := make(chan struct{})
	otherDone := make(chan error, 1)
	go func() {
		<-read
		otherDone <- other.InTx(e.ctx, func(tx store.Tx) error {
			b := *a
			b.Status = store.AttemptUnknown
			return tx.FinishAttempt(e.ctx, &b)
		})
	}()
	holder := e.st.InTx(e.ctx, func(tx store.Tx) error {
		d, err := tx.LockPaymentDetail(e.ctx, p.ID)
		if err != nil {
			return err
		}
		close(read)
		// Where the other transaction can run meanwhile (PostgreSQL: it
		// does not need the payment), let it finish first; where it
		// waits for this one (SQLite), go on.
		select {
		case err := <-otherDone:
			otherDone <- err
		case <-time.After(200 * time.Millisecond):
		}
		b := *a
		b.Status = store.AttemptSucceeded
		if err := tx.FinishAttempt(e.ctx, &b); err != nil {
			return err
		}
		d.Payment.Status = plugin.StatusCanceled
		return tx.UpdatePayment(e.ctx, &d.Payment)
	})
	second := <-otherDone
	switch {
	case holder == nil && errors.Is(second, store.ErrConflict):
	case second == nil && errors.Is(holder, store.ErrConflict):
	default:
		t.Fatalf("the holder's transaction returned %v, the other's %v; want one nil and one ErrConflict", holder, second)
	}
	got, err := e.st.GetAttempt(e.ctx, a.ID)
	ok(t, "GetAttempt", err)
	want := store.AttemptSucceeded
	if holder != nil {
		want = store.AttemptUnknown
	}
	if got.Status != want {
		t.Errorf("attempt %s, want %s (the winner's)", got.Status, want)
	}
	// The loser's other writes are gone with it.
	if status := e.get(t, p.ID).Status; (holder == nil) != (status == plugin.StatusCanceled) {
		t.Errorf("payment %s after the holder's transaction returned %v", status, holder)
	}
}

// testAssumePaymentDetail: a transaction that assumes the payment and its
// attempts as written (rather than reading them) commits its writes when
// the payment is still at the assumed version, and fails with ErrConflict,
// having written nothing, when another transaction moved it on meanwhile
// or finished the assumed attempt.
func testAssumePaymentDetail(t *testing.T, e *env) {
	// setup stores a processing payment with a started create attempt,
	// and returns them as written: what a create's first transaction
	// knows.
	setup := func(t *testing.T) *store.PaymentDetail {
		p := payment(plugin.StatusProcessing, 1000, 0, 0)
		a := &store.Attempt{ProviderInstance: "reddot.sg", Operation: store.OpCreate,
			Status: store.AttemptStarted, Amount: 1000}
		e.inTx(t, func(tx store.Tx) error {
			if err := tx.InsertPayment(e.ctx, p); err != nil {
				return err
			}
			a.PaymentID = p.ID
			return tx.InsertAttempt(e.ctx, a)
		})
		return &store.PaymentDetail{Payment: *p, Attempts: []store.Attempt{*a}, Refunds: []store.Refund{}}
	}
	// finish assumes known and, in the same transaction, finishes its
	// attempt and moves the payment to succeeded; it returns what it
	// meant to write and InTx's error.
	finish := func(known *store.PaymentDetail) (store.Payment, store.Attempt, error) {
		var (
			p store.Payment
			a store.Attempt
		)
		err := e.st.InTx(e.ctx, func(tx store.Tx) error {
			d := known.Clone()
			if err := tx.AssumePaymentDetail(e.ctx, d); err != nil {
				return err
			}
			a = d.Attempts[0]
			a.Status, a.ProviderReference = store.AttemptSucceeded, "rdp-1"
			if err := tx.FinishAttempt(e.ctx, &a); err != nil {
				return err
			}
			p = d.Payment
			p.Status, p.AmountAuthorized, p.AmountCaptured = plugin.StatusSucceeded, 1000, 1000
			return tx.UpdatePayment(e.ctx, &p)
		})
		return p, a, err
	}

	t.Run("as written", func(t *testing.T) {
		known := setup(t)
		e.clock.Advance(time.Second)
		p, a, err := finish(known)
		ok(t, "InTx", err)
		want, err := store.GetPaymentDetail(e.ctx, e.st, known.Payment.ID)
		ok(t, "GetPaymentDetail", err)
		equal(t, "payment after the commit", &want.Payment, &p)
		equal(t, "attempts after the commit", want.Attempts, []store.Attempt{a})
		if p.Version != known.Payment.Version+1 {
			t.Errorf("version %d after the commit, want %d", p.Version, known.Payment.Version+1)
		}
	})

	t.Run("payment moved on", func(t *testing.T) {
		known := setup(t)
		moved := known.Payment
		moved.Status = plugin.StatusRequiresAction
		e.inTx(t, func(tx store.Tx) error { return tx.UpdatePayment(e.ctx, &moved) })
		_, _, err := finish(known)
		wantErr(t, "InTx assuming an old version", err, store.ErrConflict)
		after, err := store.GetPaymentDetail(e.ctx, e.st, known.Payment.ID)
		ok(t, "GetPaymentDetail", err)
		equal(t, "payment after the conflict", &after.Payment, &moved)
		equal(t, "attempts after the conflict", after.Attempts, known.Attempts)
	})

	t.Run("attempt finished meanwhile", func(t *testing.T) {
		known := setup(t)
		b := known.Attempts[0]
		b.Status = store.AttemptUnknown
		e.inTx(t, func(tx store.Tx) error { return tx.FinishAttempt(e.ctx, &b) })
		_, _, err := finish(known)
		wantErr(t, "InTx assuming a started attempt", err, store.ErrConflict)
		after, err := store.GetPaymentDetail(e.ctx, e.st, known.Payment.ID)
		ok(t, "GetPaymentDetail", err)
		equal(t, "payment after the conflict", &after.Payment, &known.Payment)
		equal(t, "attempts after the conflict", after.Attempts, []store.Attempt{b})
	})

	t.Run("refused without a stored payment", func(t *testing.T) {
		err := e.st.InTx(e.ctx, func(tx store.Tx) error {
			return tx.AssumePaymentDetail(e.ctx, &store.PaymentDetail{Payment: *payment(plugin.StatusProcessing, 1000, 0, 0)})
		})
		if err == nil {
			t.Fatal("AssumePaymentDetail of a payment without id or version succeeded")
		}
	})
}
