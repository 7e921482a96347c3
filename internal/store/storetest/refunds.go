package storetest

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/payhost/payhost/internal/store"
	"github.com/payhost/payhost/plugin"
)

// reserve reserves a refund of amount of payment id in its own
// transaction of st.
func (e *env) reserve(st store.Store, id string, amount int64) (*store.Refund, error) {
	r := &store.Refund{PaymentID: id, Amount: amount, Currency: "USD", Reason: "requested_by_customer"}
	return r, st.InTx(e.ctx, func(tx store.Tx) error { return tx.ReserveRefund(e.ctx, r) })
}

func testRefunds(t *testing.T, e *env) {
	p := e.insert(t, captured(1000))

	e.clock.Advance(time.Second)
	first, err := e.reserve(e.st, p.ID, 300)
	ok(t, "ReserveRefund", err)
	if !strings.HasPrefix(first.ID, store.PrefixRefund) || first.Status != plugin.RefundPending ||
		!first.CreatedAt.Equal(store.Timestamp(e.clock.Now())) {
		t.Errorf("reserved refund: %+v", first)
	}
	got := e.get(t, p.ID)
	if got.AmountRefunded != 300 || got.Version != p.Version+1 {
		t.Errorf("after a reservation, refunded %d at version %d; want 300 at %d", got.AmountRefunded, got.Version, p.Version+1)
	}

	e.clock.Advance(time.Second)
	second, err := e.reserve(e.st, p.ID, 700)
	ok(t, "ReserveRefund up to the captured amount", err)

	// A failed refund gives its amount back; a succeeded one keeps it.
	first.Status, first.FailureCode, first.FailureMessage = plugin.RefundFailed, "R05", "refund window closed"
	e.inTx(t, func(tx store.Tx) error { return tx.FinishRefund(e.ctx, first) })
	second.Status, second.ProviderRefundReference = plugin.RefundSucceeded, "rf-2"
	e.inTx(t, func(tx store.Tx) error { return tx.FinishRefund(e.ctx, second) })
	if got := e.get(t, p.ID).AmountRefunded; got != 700 {
		t.Errorf("AmountRefunded = %d, want 700 (the failed refund released)", got)
	}
	again := *second
	err = e.st.InTx(e.ctx, func(tx store.Tx) error { return tx.FinishRefund(e.ctx, &again) })
	wantErr(t, "FinishRefund of a finished refund", err, store.ErrConflict)
	missing := store.Refund{ID: "re_missing", Status: plugin.RefundSucceeded}
	err = e.st.InTx(e.ctx, func(tx store.Tx) error { return tx.FinishRefund(e.ctx, &missing) })
	wantErr(t, "FinishRefund of a missing refund", err, store.ErrNotFound)
	pending := *second
	pending.Status = plugin.RefundPending
	if err := e.st.InTx(e.ctx, func(tx store.Tx) error { return tx.FinishRefund(e.ctx, &pending) }); err == nil {
		t.Error("FinishRefund took the status pending")
	}

	gotRefund, err := e.st.GetRefund(e.ctx, second.ID)
	ok(t, "GetRefund", err)
	equal(t, "GetRefund", gotRefund, second)
	refunds, err := e.st.ListRefunds(e.ctx, p.ID)
	ok(t, "ListRefunds", err)
	equal(t, "ListRefunds, oldest first", refunds, []store.Refund{*first, *second})
	_, err = e.st.GetRefund(e.ctx, "re_missing")
	wantErr(t, "GetRefund of a missing refund", err, store.ErrNotFound)

	_, err = e.reserve(e.st, p.ID, 301)
	var inv *store.InvariantError
	const want = "refund of 3.01 USD would exceed the captured amount 10.00 USD (already refunded 7.00 USD)"
	if !errors.As(err, &inv) || inv.Reason != want || inv.PaymentID != p.ID {
		t.Errorf("ReserveRefund beyond the captured amount: err = %v, want %q", err, want)
	}

	// In a transaction that holds the payment, each reservation counts
	// the ones before it, and a refused one leaves the others.
	held := e.insert(t, captured(1000))
	var kept *store.Refund
	e.inTx(t, func(tx store.Tx) error {
		if _, err := tx.LockPaymentDetail(e.ctx, held.ID); err != nil {
			return err
		}
		kept = &store.Refund{PaymentID: held.ID, Amount: 600, Currency: "USD"}
		if err := tx.ReserveRefund(e.ctx, kept); err != nil {
			return err
		}
		over := &store.Refund{PaymentID: held.ID, Amount: 401, Currency: "USD"}
		const want = "refund of 4.01 USD would exceed the captured amount 10.00 USD (already refunded 6.00 USD)"
		if err := tx.ReserveRefund(e.ctx, over); !errors.As(err, &inv) || inv.Reason != want {
			t.Errorf("second ReserveRefund while held: err = %v, want %q", err, want)
		}
		last := &store.Refund{PaymentID: held.ID, Amount: 400, Currency: "USD"}
		return tx.ReserveRefund(e.ctx, last)
	})
	if got := e.get(t, held.ID); got.AmountRefunded != 1000 || got.Version != held.Version+2 {
		t.Errorf("after reservations while held: refunded %d at version %d; want 1000 at %d", got.AmountRefunded, got.Version, held.Version+2)
	}
	refunds, err = e.st.ListRefunds(e.ctx, held.ID)
	ok(t, "ListRefunds", err)
	// Reserved at the same instant: listed in either order.
	if len(refunds) != 2 || refunds[0].Amount+refunds[1].Amount != 1000 || (refunds[0].ID != kept.ID && refunds[1].ID != kept.ID) {
		t.Errorf("refunds after reservations while held: %+v; want %s of 6.00 USD and one of 4.00 USD", refunds, kept.ID)
	}
}

func testRefundRefused(t *testing.T, e *env) {
	tests := []struct {
		name    string
		payment *store.Payment
		refund  store.Refund
		want    error // nil: any error that is not an invariant one
	}{
		{"more than captured", captured(1000), store.Refund{Amount: 1001, Currency: "USD"}, store.ErrInvariant},
		{"nothing captured", authorized(1000), store.Refund{Amount: 1, Currency: "USD"}, store.ErrInvariant},
		{"another currency", captured(1000), store.Refund{Amount: 100, Currency: "EUR"}, nil},
		{"no amount", captured(1000), store.Refund{Amount: 0, Currency: "USD"}, nil},
		{"missing payment", nil, store.Refund{PaymentID: "pay_missing", Amount: 1, Currency: "USD"}, store.ErrNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := tt.refund
			var before *store.Payment
			if tt.payment != nil {
				before = e.insert(t, tt.payment)
				r.PaymentID = before.ID
			}
			err := e.st.InTx(e.ctx, func(tx store.Tx) error { return tx.ReserveRefund(e.ctx, &r) })
			if before != nil {
				// The same, in a transaction that holds the payment.
				held := tt.refund
				held.PaymentID = before.ID
				heldErr := e.st.InTx(e.ctx, func(tx store.Tx) error {
					if _, err := tx.LockPaymentDetail(e.ctx, before.ID); err != nil {
						return err
					}
					return tx.ReserveRefund(e.ctx, &held)
				})
				if errors.Is(err, store.ErrInvariant) != errors.Is(heldErr, store.ErrInvariant) || (err == nil) != (heldErr == nil) {
					t.Errorf("with the payment held: err = %v; without: %v", heldErr, err)
				}
			}
			switch {
			case err == nil:
				t.Fatal("ReserveRefund took it")
			case tt.want != nil && !errors.Is(err, tt.want):
				t.Fatalf("err = %v, want %v", err, tt.want)
			case tt.want == nil && errors.Is(err, store.ErrInvariant):
				t.Fatalf("err = %v, want a validation error", err)
			}
			if before != nil {
				equal(t, "payment after the refused refund", e.get(t, before.ID), before)
				refunds, err := e.st.ListRefunds(e.ctx, before.ID)
				ok(t, "ListRefunds", err)
				equal(t, "refunds after the refused refund", refunds, []store.Refund{})
			}
		})
	}
}
