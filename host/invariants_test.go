package host_test

import (
	"errors"
	"sync"
	"testing"

	"github.com/payhost/payhost/api"
	"github.com/payhost/payhost/host"
	"github.com/payhost/payhost/internal/store/postgres/pgtest"
	"github.com/payhost/payhost/plugin"
)

// trials is how many times each race runs.
const trials = 200

// race runs a and b at the same moment and returns their errors.
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

// oneStarts checks that, of two racing calls, exactly one was refused
// with code (before it reached a gateway), and returns the other (0 or 1).
func oneStarts(t *testing.T, trial int, errs [2]error, code api.ErrorCode) int {
	t.Helper()
	refused := func(err error) bool {
		var aerr *api.Error
		return errors.As(err, &aerr) && aerr.Code == code
	}
	if refused(errs[0]) == refused(errs[1]) {
		t.Fatalf("trial %d: want exactly one call refused with %s, got errors %v and %v", trial, code, errs[0], errs[1])
	}
	if refused(errs[0]) {
		return 1
	}
	return 0
}

// TestMoneyInvariants races operations that must not both apply, through
// the whole engine and real plugins, on both stores: within one host, and
// between two hosts sharing the store.
func TestMoneyInvariants(t *testing.T) {
	for _, backend := range []string{"sqlite", "postgres"} {
		t.Run(backend, func(t *testing.T) {
			var c envConfig
			if backend == "postgres" {
				c.postgresDSN = pgtest.DSN(t)
			}
			t.Run("one host", func(t *testing.T) {
				e := newEnv(t, c)
				t.Run("refunds beyond the captured amount", func(t *testing.T) {
					testConcurrentRefunds(t, e, e.h, e.payments(trials, plugin.CaptureAutomatic))
				})
				t.Run("capture and void", func(t *testing.T) {
					testConcurrentCaptureVoid(t, e, e.h, e.payments(trials, plugin.CaptureManual))
				})
			})
			t.Run("two hosts", func(t *testing.T) {
				// The second host has plugin processes of its own: its
				// gateway knows the payments the first host's made because
				// it starts after them, from the gateway's saved table.
				c := c
				c.persist = true
				e := newEnv(t, c)
				sales, auths := e.payments(trials, plugin.CaptureAutomatic), e.payments(trials, plugin.CaptureManual)
				b := e.start(c)
				t.Run("refunds beyond the captured amount", func(t *testing.T) { testConcurrentRefunds(t, e, b, sales) })
				t.Run("capture and void", func(t *testing.T) { testConcurrentCaptureVoid(t, e, b, auths) })
			})
		})
	}
}

// payments makes n payments of 1000 with capture mode c.
func (e *env) payments(n int, c plugin.CaptureMode) []*api.Payment {
	ps := make([]*api.Payment, n)
	for i := range ps {
		ps[i] = e.create(e.payment(1000, c, nil))
	}
	return ps
}

// testConcurrentRefunds: two refunds of each payment, by e's host and b,
// that each fit but together exceed what was captured; exactly one is
// made, at the gateway too.
func testConcurrentRefunds(t *testing.T, e *env, b *host.Host, sales []*api.Payment) {
	before := e.callCount(plugin.OpRefund)
	refund := func(h *host.Host, id string) func() error {
		return func() error {
			_, err := h.RefundPayment(e.ctx, "acme", id, &api.RefundRequest{Amount: 600})
			return err
		}
	}
	for trial, p := range sales {
		winner := oneStarts(t, trial, race(refund(e.h, p.ID), refund(b, p.ID)), api.CodeAmountTooLarge)
		got := e.get(p.ID)
		if got.AmountRefunded != 600 || len(got.Refunds) != 1 || got.Refunds[0].Status != plugin.RefundSucceeded {
			t.Fatalf("trial %d (won by %d): refunded %d in %+v, want one refund of 600", trial, winner, got.AmountRefunded, got.Refunds)
		}
	}
	if n := e.callCount(plugin.OpRefund) - before; n != len(sales) {
		t.Errorf("the gateway got %d refund calls in %d trials, want %d", n, len(sales), len(sales))
	}
}

// testConcurrentCaptureVoid: a capture by e's host and a void by b of
// each authorization; exactly one reaches the gateway, the other is
// refused.
func testConcurrentCaptureVoid(t *testing.T, e *env, b *host.Host, auths []*api.Payment) {
	before := e.callCount(plugin.OpCapture) + e.callCount(plugin.OpVoid)
	final := [2]plugin.PaymentStatus{plugin.StatusSucceeded, plugin.StatusCanceled}
	for trial, p := range auths {
		errs := race(
			func() error { _, err := e.h.CapturePayment(e.ctx, "acme", p.ID, nil); return err },
			func() error { _, err := b.VoidPayment(e.ctx, "acme", p.ID); return err },
		)
		winner := oneStarts(t, trial, errs, api.CodePaymentState)
		if errs[winner] != nil {
			t.Fatalf("trial %d: %v", trial, errs[winner])
		}
		got := e.get(p.ID)
		wantStatus(t, got, final[winner])
		if n := len(got.Attempts); n != 2 {
			t.Fatalf("trial %d: %d attempts, want the create and one capture or void: %+v", trial, n, got.Attempts)
		}
	}
	if n := e.callCount(plugin.OpCapture) + e.callCount(plugin.OpVoid) - before; n != len(auths) {
		t.Errorf("the gateway got %d captures and voids in %d trials, want %d", n, len(auths), len(auths))
	}
}
