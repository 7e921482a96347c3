package host

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/payhost/payhost/api"
	"github.com/payhost/payhost/internal/store"
	"github.com/payhost/payhost/plugin"
)

// reconcileBatch bounds how many payments one reconciler pass claims.
const reconcileBatch = 50

// purgeInterval is how often the reconciler deletes expired idempotency
// records.
const purgeInterval = time.Hour

// reconcileLoop runs Reconcile every ReconcileInterval, and purges expired
// idempotency records every purgeInterval, until ctx ends.
func (h *Host) reconcileLoop(ctx context.Context) {
	t := time.NewTicker(h.opts.ReconcileInterval)
	defer t.Stop()
	var purged time.Time
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if _, err := h.Reconcile(ctx); err != nil && ctx.Err() == nil {
			h.log.Error("reconciler", "error", err)
		}
		if now := h.now(); now.Sub(purged) >= purgeInterval {
			purged = now
			err := h.inTx(ctx, func(tx store.Tx) error {
				_, err := tx.PurgeIdempotency(ctx)
				return err
			})
			if err != nil && ctx.Err() == nil {
				h.log.Error("purging idempotency records", "error", err)
			}
		}
	}
}

// Reconcile runs one pass of the reconciler: it claims the payments due
// for a status query (left processing or unknown; ClaimSyncDue, so that
// several hosts on one database never ask about one payment at once),
// asks each one's provider where it stands and applies the truth, and
// settles the pending refunds due for a query (ClaimRefundsDue). It
// returns how many payments it asked about. The host runs it every
// ReconcileInterval.
func (h *Host) Reconcile(ctx context.Context) (int, error) {
	var due []store.Payment
	err := h.inTx(ctx, func(tx store.Tx) (err error) {
		due, err = tx.ClaimSyncDue(ctx, reconcileBatch, h.lease)
		return err
	})
	if err != nil {
		return 0, err
	}
	var errs []error
	for _, p := range due {
		if _, err := h.syncPayment(ctx, p.ID); err != nil && !isProviderError(err) {
			errs = append(errs, err)
		}
	}
	if _, err := h.syncDueRefunds(ctx); err != nil {
		errs = append(errs, err)
	}
	return len(due), errors.Join(errs...)
}

// SyncPayment implements api.Service: it asks the payment's provider where
// it stands now, applies the answer as the reconciler does, and settles
// its pending refunds. An error says the provider could not tell; the
// payment is as it was.
func (h *Host) SyncPayment(ctx context.Context, merchantID, paymentID string, opts ...api.CallOption) (*api.Payment, error) {
	ctx = withCall(ctx, api.Options(opts...))
	if err := h.checkMerchant(merchantID); err != nil {
		return nil, err
	}
	if _, err := h.GetPayment(ctx, merchantID, paymentID); err != nil {
		return nil, err
	}
	p, err := h.syncPayment(ctx, paymentID)
	if err != nil {
		return nil, h.answer(ctx, err)
	}
	if err := h.syncRefunds(ctx, paymentID); err != nil {
		return nil, h.answer(ctx, err)
	}
	return h.GetPayment(ctx, merchantID, p.ID)
}

// syncPayment asks payment id's provider where it stands and applies the
// answer; a payment still pending is scheduled for its next query. It
// returns the payment and an *api.Error when the provider could not tell.
func (h *Host) syncPayment(ctx context.Context, id string) (*store.Payment, error) {
	p, attempts, err := h.readPayment(ctx, id)
	if err == nil && stale(attempts, h.now().Add(-h.lease)) {
		if _, err = h.abandon(ctx, id, h.now().Add(-h.lease)); err == nil {
			p, attempts, err = h.readPayment(ctx, id)
		}
	}
	if err != nil || terminal(p.Status) || running(attempts, store.OpCreate) {
		return p, err
	}
	created := createAttempt(attempts)
	if created == nil {
		// Every candidate reported not sent, and the host stopped before
		// it failed the payment.
		return h.apply(ctx, id, statusOf(failed, string(api.CodeProviderUnavailable), "no provider could be reached; nothing was sent"), 0)
	}
	prov := h.providers[created.ProviderInstance]
	if prov == nil || !prov.caps.Supports(plugin.OpGetPayment) {
		return h.apply(ctx, id, nil, 0)
	}
	resp, callErr := call(h, ctx, prov, plugin.OpGetPayment, func(ctx context.Context, pp plugin.Provider) (*plugin.GetPaymentResponse, error) {
		return pp.GetPayment(ctx, &plugin.GetPaymentRequest{PaymentRef: paymentRef(p, attempts), Amount: p.Money(p.Amount), Method: p.Method})
	})
	if callErr != nil {
		if lost := h.neverReceived(ctx, callErr, created, p.ProviderReference, p.ID); lost != "" {
			return h.apply(ctx, id, statusOf(failed, string(api.CodeProviderUnavailable), lost), 0)
		}
		p, err := h.apply(ctx, id, nil, 0)
		if err != nil {
			return p, err
		}
		return p, providerError(callErr, prov.addr, plugin.OpGetPayment, id)
	}
	return h.apply(ctx, id, &resp.PaymentResult, captureAmount(attempts))
}

// neverReceived reports whether a status query's error err resolves
// attempt a as never received by the gateway, and then returns why, as a
// failure message; otherwise "". That is when the gateway answered that it
// has no such payment or refund (plugin.KindNotFound), a's outcome was
// unknown, the gateway never acknowledged it (no provider reference, on
// the attempt or ref) and a started at least Options.NotFoundAfter ago:
// a request still on its way is never declared lost. what names the
// payment or refund, for the log.
func (h *Host) neverReceived(ctx context.Context, err error, a *store.Attempt, ref, what string) string {
	if plugin.KindOf(err) != plugin.KindNotFound || a == nil || a.Status != store.AttemptUnknown ||
		a.ProviderReference != "" || ref != "" {
		return ""
	}
	after := h.opts.NotFoundAfter
	if age := h.now().Sub(a.StartedAt); age < after {
		h.logger(ctx).Info("provider has no record yet; asking again later", "id", what, "attempt", a.ID,
			"age", age.Round(time.Second), "resolves_after", after)
		return ""
	}
	h.logger(ctx).Warn("resolved as never received: the provider has no record of it", "id", what,
		"attempt", a.ID, "provider", a.ProviderInstance, "not_found_after", after)
	return fmt.Sprintf("the gateway still had no record of it %s after the call: it never received it, and nothing was done; try again with a new idempotency key", shortDuration(after))
}

// shortDuration renders d without trailing zero units: 1h, 1h30m, 90s.
func shortDuration(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}

// apply moves payment id as a status query reported (nil: the query
// failed) and schedules the next query of a payment still pending.
func (h *Host) apply(ctx context.Context, id string, report *plugin.PaymentResult, captured int64) (*store.Payment, error) {
	var (
		p     *store.Payment
		moved bool
	)
	err := h.inTx(ctx, func(tx store.Tx) (err error) {
		moved = false
		if p, err = tx.LockPayment(ctx, id); err != nil {
			return err
		}
		switch {
		case pending(p.Status):
			p.NextSyncAt = h.now().Add(h.syncDelay(p.SyncAttempts))
		case p.Status == requiresAction:
			// Waiting for its customer past its next action's expiry (or
			// its age): asked about again on schedule, or when a new next
			// action the provider reports expires, whichever is later.
			p.NextSyncAt = h.now().Add(h.syncDelay(p.SyncAttempts))
			if report != nil && report.NextAction != nil && report.NextAction.ExpiresAt.After(p.NextSyncAt) {
				p.NextSyncAt = store.Timestamp(report.NextAction.ExpiresAt)
			}
		}
		if report != nil {
			moved, err = h.move(ctx, tx, p, report, captured)
			var me *moveError
			if !errors.As(err, &me) {
				return err
			}
			h.refused(ctx, "status query", p, me)
		}
		return tx.UpdatePayment(ctx, p)
	})
	if err != nil {
		return nil, err
	}
	h.observe(p, moved)
	return p, nil
}

// syncDelay is the wait before the status query that follows the n-th.
func (h *Host) syncDelay(n int) time.Duration {
	s := h.opts.ReconcileSchedule
	return s[min(n, len(s)-1)]
}

// captureAmount is the amount of the payment's last capture that may have
// reached the gateway, or 0: what a status query that says succeeded
// without an amount means was captured.
func captureAmount(attempts []store.Attempt) int64 {
	for i := len(attempts) - 1; i >= 0; i-- {
		a := attempts[i]
		if a.Operation == store.OpCapture && a.Status != store.AttemptNotSent && a.Status != store.AttemptFailed {
			return a.Amount
		}
	}
	return 0
}

// readPayment reads payment id and its attempts.
func (h *Host) readPayment(ctx context.Context, id string) (p *store.Payment, attempts []store.Attempt, err error) {
	err = h.store.View(ctx, func(r store.Reader) error {
		if p, err = r.GetPayment(ctx, id); err != nil {
			return err
		}
		attempts, err = r.ListAttempts(ctx, id)
		return err
	})
	return p, attempts, err
}

// isProviderError reports whether err is a provider's failure to answer a
// status query, which the reconciler retries on schedule rather than
// reports.
func isProviderError(err error) bool {
	var aerr *api.Error
	return errors.As(err, &aerr)
}
