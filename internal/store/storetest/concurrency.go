package storetest

import (
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/payhost/payhost/internal/store"
	"github.com/payhost/payhost/plugin"
)

// trials is how many times each race is run.
const trials = 200

// race runs a and b at the same moment and returns their errors. The
// callers give each its own handle (its own connections, as two hosts).
func race(a, b func() error) [2]error {
	var errs [2]error
	start := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() { <-start; errs[0] = a() })
	wg.Go(func() { <-start; errs[1] = b() })
	close(start)
	wg.Wait()
	return errs
}

// oneWins checks that exactly one of two racing writes succeeded and that
// the other lost with an error that is lost; it returns which won (0 or
// 1).
func oneWins(t *testing.T, trial int, errs [2]error, lost func(error) bool) int {
	t.Helper()
	switch {
	case errs[0] == nil && errs[1] == nil:
		t.Fatalf("trial %d: both writes applied", trial)
	case errs[0] != nil && errs[1] != nil:
		t.Fatalf("trial %d: neither write applied: %v; %v", trial, errs[0], errs[1])
	}
	winner, loser := 0, errs[1]
	if errs[0] != nil {
		winner, loser = 1, errs[0]
	}
	if !lost(loser) {
		t.Fatalf("trial %d: the losing write failed with %v", trial, loser)
	}
	return winner
}

func testConcurrentRefunds(t *testing.T, e *env) {
	h1, h2 := e.handle(t), e.handle(t)
	for trial := range trials {
		p := e.insert(t, captured(1000))
		// Each fits alone; both together would refund 1200 of 1000.
		errs := race(
			func() error { _, err := e.reserve(h1, p.ID, 600); return err },
			func() error { _, err := e.reserve(h2, p.ID, 600); return err },
		)
		oneWins(t, trial, errs, func(err error) bool { return errors.Is(err, store.ErrInvariant) })
		got := e.get(t, p.ID)
		refunds, err := e.st.ListRefunds(e.ctx, p.ID)
		ok(t, "ListRefunds", err)
		if got.AmountRefunded != 600 || len(refunds) != 1 || refunds[0].Amount != 600 {
			t.Fatalf("trial %d: refunded %d in %d refunds, want 600 in one", trial, got.AmountRefunded, len(refunds))
		}
	}
}

func testConcurrentCaptureVoid(t *testing.T, e *env) {
	h1, h2 := e.handle(t), e.handle(t)
	errNotAuthorized := errors.New("payment is no longer authorized")
	capture := func(p *store.Payment) {
		p.Status, p.AmountCaptured = plugin.StatusSucceeded, p.AmountAuthorized
	}
	void := func(p *store.Payment) { p.Status = plugin.StatusCanceled }
	final := [2]plugin.PaymentStatus{plugin.StatusSucceeded, plugin.StatusCanceled}

	t.Run("locked", func(t *testing.T) {
		// As the engine does it: lock, check, move.
		move := func(h store.Store, id string, change func(*store.Payment)) func() error {
			return func() error {
				return h.InTx(e.ctx, func(tx store.Tx) error {
					p, err := tx.LockPayment(e.ctx, id)
					if err != nil {
						return err
					}
					if p.Status != plugin.StatusAuthorized {
						return errNotAuthorized
					}
					change(p)
					return tx.UpdatePayment(e.ctx, p)
				})
			}
		}
		for trial := range trials {
			p := e.insert(t, authorized(1000))
			errs := race(move(h1, p.ID, capture), move(h2, p.ID, void))
			// The lock makes the loser wait and then see the winner's
			// change: it never gets as far as a stale write.
			winner := oneWins(t, trial, errs, func(err error) bool { return errors.Is(err, errNotAuthorized) })
			checkOneApplied(t, e, trial, p.ID, final[winner])
		}
	})

	t.Run("compare-and-set", func(t *testing.T) {
		// Both read the authorized payment first; the version decides.
		move := func(h store.Store, p store.Payment, change func(*store.Payment)) func() error {
			return func() error {
				change(&p)
				return h.InTx(e.ctx, func(tx store.Tx) error { return tx.UpdatePayment(e.ctx, &p) })
			}
		}
		for trial := range trials {
			p := e.insert(t, authorized(1000))
			errs := race(move(h1, *p, capture), move(h2, *p, void))
			winner := oneWins(t, trial, errs, func(err error) bool { return errors.Is(err, store.ErrConflict) })
			checkOneApplied(t, e, trial, p.ID, final[winner])
		}
	})
}

// checkOneApplied checks that payment id shows the winning write only.
func checkOneApplied(t *testing.T, e *env, trial int, id string, want plugin.PaymentStatus) {
	t.Helper()
	got := e.get(t, id)
	captured := int64(0)
	if want == plugin.StatusSucceeded {
		captured = got.AmountAuthorized
	}
	if got.Status != want || got.AmountCaptured != captured || got.Version != 2 {
		t.Fatalf("trial %d: payment is %s with %d captured at version %d; want %s with %d at version 2",
			trial, got.Status, got.AmountCaptured, got.Version, want, captured)
	}
}

func testConcurrentTransactions(t *testing.T, e *env) {
	// Many transactions of one handle at once, as one host's requests: a
	// failing or panicking one takes back its own writes only, and one that
	// returned nil is committed: another handle reads it at once.
	const clients = 24
	other := e.handle(t)
	errs := make([]error, clients)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range clients {
		wg.Go(func() {
			<-start
			errs[i] = concurrentTransaction(e, other, i)
		})
	}
	close(start)
	wg.Wait()
	for i, err := range errs {
		ok(t, fmt.Sprintf("transaction %d", i), err)
	}
}

// concurrentTransaction inserts a payment and refunds part of it; when i%4
// is 1 it then fails, when 2 it panics. It checks what other reads after.
func concurrentTransaction(e *env, other store.Store, i int) error {
	p := captured(int64(100 + i))
	p.ID = store.NewID(store.PrefixPayment)
	err := func() (err error) {
		defer func() {
			if r := recover(); r != nil {
				err = fmt.Errorf("panicked: %v", r)
			}
		}()
		return e.st.InTx(e.ctx, func(tx store.Tx) error {
			if err := tx.InsertPayment(e.ctx, p); err != nil {
				return err
			}
			if err := tx.ReserveRefund(e.ctx, &store.Refund{PaymentID: p.ID, Amount: 10, Currency: "USD"}); err != nil {
				return err
			}
			switch i % 4 {
			case 1:
				return errBoom
			case 2:
				panic(errBoom)
			}
			return nil
		})
	}()
	got, getErr := other.GetPayment(e.ctx, p.ID)
	switch {
	case i%4 == 1 || i%4 == 2:
		if err == nil || !errors.Is(getErr, store.ErrNotFound) {
			return fmt.Errorf("failed on purpose, InTx returned %v and the payment reads %v", err, getErr)
		}
	case err != nil:
		return err
	case getErr != nil:
		return fmt.Errorf("committed, but another handle cannot read it: %w", getErr)
	case got.AmountRefunded != 10:
		return fmt.Errorf("committed with %d refunded, want 10", got.AmountRefunded)
	}
	return nil
}
