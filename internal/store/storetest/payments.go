package storetest

import (
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/payhost/payhost/internal/store"
	"github.com/payhost/payhost/plugin"
)

func testMigrations(t *testing.T, e *env) {
	// Hosts that start together on a fresh database all come up, and
	// migrate it once between them.
	open := e.newDB(t)
	const hosts = 4
	errs := make(chan error, hosts)
	for range hosts {
		go func() {
			_, err := open(t, e.options())
			errs <- err
		}()
	}
	for range hosts {
		ok(t, "open a fresh database together", <-errs)
	}
	// Opening a migrated database again changes nothing and sees its data.
	first, err := open(t, e.options())
	ok(t, "open", err)
	p := captured(1000)
	ok(t, "InsertPayment", first.InTx(e.ctx, func(tx store.Tx) error { return tx.InsertPayment(e.ctx, p) }))
	again, err := open(t, e.options())
	ok(t, "open again", err)
	got, err := again.GetPayment(e.ctx, p.ID)
	ok(t, "GetPayment through the second handle", err)
	equal(t, "payment", got, p)
}

func testTransactions(t *testing.T, e *env) {
	t.Run("an error rolls back", func(t *testing.T) {
		p := captured(100)
		err := e.st.InTx(e.ctx, func(tx store.Tx) error {
			if err := tx.InsertPayment(e.ctx, p); err != nil {
				return err
			}
			return errBoom
		})
		wantErr(t, "InTx", err, errBoom)
		_, err = e.st.GetPayment(e.ctx, p.ID)
		wantErr(t, "GetPayment after rollback", err, store.ErrNotFound)
	})
	t.Run("a panic rolls back and goes on", func(t *testing.T) {
		p := captured(100)
		func() {
			defer func() {
				if r := recover(); r != errBoom {
					t.Fatalf("recovered %v, want the panic of fn", r)
				}
			}()
			_ = e.st.InTx(e.ctx, func(tx store.Tx) error {
				if err := tx.InsertPayment(e.ctx, p); err != nil {
					return err
				}
				panic(errBoom)
			})
		}()
		_, err := e.st.GetPayment(e.ctx, p.ID)
		wantErr(t, "GetPayment after panic", err, store.ErrNotFound)
		// The store is still usable: the connection was given back.
		e.insert(t, captured(100))
	})
}

func testView(t *testing.T, e *env) {
	p := e.insert(t, captured(1000))
	err := e.st.View(e.ctx, func(r store.Reader) error {
		before, err := r.GetPayment(e.ctx, p.ID)
		ok(t, "GetPayment in View", err)
		// Another transaction commits a refund meanwhile.
		e.inTx(t, func(tx store.Tx) error {
			return tx.ReserveRefund(e.ctx, &store.Refund{PaymentID: p.ID, Amount: 100, Currency: "USD"})
		})
		after, err := r.GetPayment(e.ctx, p.ID)
		ok(t, "GetPayment in View", err)
		refunds, err := r.ListRefunds(e.ctx, p.ID)
		ok(t, "ListRefunds in View", err)
		equal(t, "payment read twice in one View", after, before)
		equal(t, "refunds in the View's snapshot", refunds, []store.Refund{})
		return nil
	})
	ok(t, "View", err)

	// GetPaymentDetail reads through View.
	attempt := store.Attempt{PaymentID: p.ID, ProviderInstance: "reddot.sg", Operation: store.OpRefund, Status: store.AttemptStarted}
	e.inTx(t, func(tx store.Tx) error { return tx.InsertAttempt(e.ctx, &attempt) })
	d, err := store.GetPaymentDetail(e.ctx, e.st, p.ID)
	ok(t, "GetPaymentDetail", err)
	refunds, err := e.st.ListRefunds(e.ctx, p.ID)
	ok(t, "ListRefunds", err)
	equal(t, "GetPaymentDetail", d, &store.PaymentDetail{Payment: *e.get(t, p.ID), Attempts: []store.Attempt{attempt}, Refunds: refunds})
	if d.Payment.AmountRefunded != 100 || len(d.Refunds) != 1 {
		t.Errorf("after the View, refunded %d in %d refunds, want 100 in one", d.Payment.AmountRefunded, len(d.Refunds))
	}
	_, err = store.GetPaymentDetail(e.ctx, e.st, "pay_missing")
	wantErr(t, "GetPaymentDetail of a missing payment", err, store.ErrNotFound)

	// ReadPaymentDetail, in a transaction, sees the transaction's own
	// writes, held back or not.
	e.inTx(t, func(tx store.Tx) error {
		finished := attempt
		finished.Status, finished.ProviderReference = store.AttemptSucceeded, "rdp-refund"
		if err := tx.FinishAttemptIfStarted(e.ctx, &finished, nil); err != nil {
			return err
		}
		in, err := store.ReadPaymentDetail(e.ctx, tx, p.ID)
		ok(t, "ReadPaymentDetail in InTx", err)
		want := d.Clone()
		want.Attempts[0] = finished
		equal(t, "ReadPaymentDetail in InTx", in, want)
		_, err = store.ReadPaymentDetail(e.ctx, tx, "pay_missing")
		wantErr(t, "ReadPaymentDetail of a missing payment", err, store.ErrNotFound)
		return nil
	})
}

func testPayments(t *testing.T, e *env) {
	tests := []struct {
		name    string
		payment *store.Payment
	}{
		{"every field", fullPayment()},
		{"only what is required", &store.Payment{MerchantID: "acme", Amount: 1, Currency: "VND",
			Method: plugin.MethodQR, Capture: plugin.CaptureAutomatic, Status: plugin.StatusProcessing}},
		{"amounts beyond float64 precision", payment(plugin.StatusSucceeded, math.MaxInt64, 1<<62+1, 1<<62+1)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := tt.payment
			e.clock.Advance(time.Second)
			e.insert(t, p)
			if !strings.HasPrefix(p.ID, store.PrefixPayment) || p.Version != 1 {
				t.Errorf("inserted payment has id %q, version %d; want pay_…, 1", p.ID, p.Version)
			}
			now := store.Timestamp(e.clock.Now())
			if !p.CreatedAt.Equal(now) || !p.UpdatedAt.Equal(now) {
				t.Errorf("CreatedAt, UpdatedAt = %s, %s; want the clock's %s", p.CreatedAt, p.UpdatedAt, now)
			}
			equal(t, "GetPayment", e.get(t, p.ID), p)
		})
	}

	full := tests[0].payment
	if full.Card.HolderName != "" {
		t.Errorf("the card holder's name %q was kept", full.Card.HolderName)
	}
	got, err := e.st.GetPaymentByProviderReference(e.ctx, "reddot.sg", "rdp-1")
	ok(t, "GetPaymentByProviderReference", err)
	equal(t, "GetPaymentByProviderReference", got, full)
	_, err = e.st.GetPaymentByProviderReference(e.ctx, "redotpay.cards", "rdp-1")
	wantErr(t, "GetPaymentByProviderReference of another instance", err, store.ErrNotFound)
	_, err = e.st.GetPayment(e.ctx, "pay_missing")
	wantErr(t, "GetPayment of a missing payment", err, store.ErrNotFound)

	again := *full
	err = e.st.InTx(e.ctx, func(tx store.Tx) error { return tx.InsertPayment(e.ctx, &again) })
	wantErr(t, "InsertPayment of an existing id", err, store.ErrConflict)
}

func testPaymentValidation(t *testing.T, e *env) {
	tests := []struct {
		name   string
		change func(*store.Payment)
		// invariant is set when the error must be an *InvariantError
		// naming this limit.
		invariant string
	}{
		{"no merchant", func(p *store.Payment) { p.MerchantID = "" }, ""},
		{"unknown currency", func(p *store.Payment) { p.Currency = "XXY" }, ""},
		{"negative amount", func(p *store.Payment) { p.Amount = -1 }, ""},
		{"unknown method", func(p *store.Payment) { p.Method = "cash" }, ""},
		{"unknown capture mode", func(p *store.Payment) { p.Capture = "later" }, ""},
		{"unknown status", func(p *store.Payment) { p.Status = "done" }, ""},
		{"negative authorized amount", func(p *store.Payment) { p.AmountAuthorized = -1 }, ""},
		{"refunded before any refund", func(p *store.Payment) { p.AmountRefunded = 1 }, ""},
		{"captured beyond authorized", func(p *store.Payment) { p.AmountCaptured = 1001 },
			"capture of 10.01 USD would exceed the authorized amount 10.00 USD"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := captured(1000)
			p.ID = store.NewID(store.PrefixPayment)
			tt.change(p)
			err := e.st.InTx(e.ctx, func(tx store.Tx) error { return tx.InsertPayment(e.ctx, p) })
			if err == nil {
				t.Fatal("InsertPayment took an invalid payment")
			}
			var inv *store.InvariantError
			if isInv := errors.As(err, &inv); isInv != (tt.invariant != "") || isInv && inv.Reason != tt.invariant {
				t.Errorf("err = %v; want an invariant error %q", err, tt.invariant)
			}
			_, err = e.st.GetPayment(e.ctx, p.ID)
			wantErr(t, "GetPayment of the refused payment", err, store.ErrNotFound)
		})
	}
}

func testUpdatePayment(t *testing.T, e *env) {
	p := e.insert(t, authorized(1000))
	stale := *p

	e.clock.Advance(time.Minute)
	p.Status, p.AmountCaptured, p.ProviderReference = plugin.StatusSucceeded, 1000, "rdp-9"
	p.NextSyncAt, p.NextAction = time.Time{}, nil
	e.inTx(t, func(tx store.Tx) error { return tx.UpdatePayment(e.ctx, p) })
	if p.Version != 2 || !p.UpdatedAt.Equal(store.Timestamp(e.clock.Now())) || p.CreatedAt.Equal(p.UpdatedAt) {
		t.Errorf("after the update, version %d, created %s, updated %s", p.Version, p.CreatedAt, p.UpdatedAt)
	}
	equal(t, "GetPayment after UpdatePayment", e.get(t, p.ID), p)

	stale.Status = plugin.StatusCanceled
	err := e.st.InTx(e.ctx, func(tx store.Tx) error { return tx.UpdatePayment(e.ctx, &stale) })
	wantErr(t, "UpdatePayment at an old version", err, store.ErrConflict)
	equal(t, "payment after the stale update", e.get(t, p.ID), p)

	missing := *p
	missing.ID = "pay_missing"
	err = e.st.InTx(e.ctx, func(tx store.Tx) error { return tx.UpdatePayment(e.ctx, &missing) })
	wantErr(t, "UpdatePayment of a missing payment", err, store.ErrNotFound)

	// AmountRefunded belongs to the refund methods.
	e.inTx(t, func(tx store.Tx) error {
		return tx.ReserveRefund(e.ctx, &store.Refund{PaymentID: p.ID, Amount: 400, Currency: "USD"})
	})
	p = e.get(t, p.ID)
	p.AmountRefunded = 0
	e.inTx(t, func(tx store.Tx) error { return tx.UpdatePayment(e.ctx, p) })
	if got := e.get(t, p.ID).AmountRefunded; got != 400 {
		t.Errorf("UpdatePayment changed AmountRefunded to %d, want 400", got)
	}

	tests := []struct {
		name   string
		change func(*store.Payment)
		reason string
	}{
		{"captured beyond authorized", func(p *store.Payment) { p.AmountCaptured = 1001 },
			"capture of 10.01 USD would exceed the authorized amount 10.00 USD"},
		{"captured below refunded", func(p *store.Payment) { p.AmountCaptured = 300 },
			"captured amount 3.00 USD would be less than the amount refunded 4.00 USD"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := e.get(t, p.ID)
			before := *p
			tt.change(p)
			err := e.st.InTx(e.ctx, func(tx store.Tx) error { return tx.UpdatePayment(e.ctx, p) })
			var inv *store.InvariantError
			if !errors.As(err, &inv) || inv.Reason != tt.reason || !errors.Is(err, store.ErrInvariant) {
				t.Fatalf("err = %v, want an invariant error %q", err, tt.reason)
			}
			equal(t, "payment after the refused update", e.get(t, p.ID), &before)
		})
	}
}
