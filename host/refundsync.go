package host

import (
	"context"
	"errors"

	"github.com/payhost/payhost/api"
	"github.com/payhost/payhost/internal/store"
	"github.com/payhost/payhost/plugin"
)

// A refund whose outcome the provider has not told (the gateway is still
// deciding, or the call's outcome is unknown) stays pending, and is asked
// about on a schedule kept in the store with it (Refund.NextSyncAt), as a
// payment is: a host that restarts, or another host of the database,
// picks it up. The reconciler claims the refunds due (ClaimRefundsDue),
// asks each one's provider (GetRefund), and settles it or schedules the
// next query; a callback may settle it first.

// syncDueRefunds claims the pending refunds due for a status query and
// asks about each. It returns how many it claimed.
func (h *Host) syncDueRefunds(ctx context.Context) (int, error) {
	var due []store.Refund
	err := h.inTx(ctx, func(tx store.Tx) (err error) {
		due, err = tx.ClaimRefundsDue(ctx, reconcileBatch, h.lease)
		return err
	})
	if err != nil {
		return 0, err
	}
	var errs []error
	for i := range due {
		if err := h.syncRefund(ctx, &due[i]); err != nil {
			errs = append(errs, err)
		}
	}
	return len(due), errors.Join(errs...)
}

// syncRefunds asks the provider about payment id's pending refunds whose
// attempt is not running, and settles those it has decided (SyncPayment).
func (h *Host) syncRefunds(ctx context.Context, id string) error {
	var refunds []store.Refund
	err := h.store.View(ctx, func(r store.Reader) (err error) {
		refunds, err = r.ListRefunds(ctx, id)
		return err
	})
	if err != nil {
		return err
	}
	var errs []error
	for i := range refunds {
		if refunds[i].Status == plugin.RefundPending {
			errs = append(errs, h.syncRefund(ctx, &refunds[i]))
		}
	}
	return errors.Join(errs...)
}

// syncRefund asks rf's provider where pending refund rf stands, and
// settles it, or schedules its next query (after the reconcile schedule's
// delay for the queries made so far). A refund whose attempt is still
// running is left to it, unless the attempt was abandoned (its host
// stopped): then it is recorded as such first.
func (h *Host) syncRefund(ctx context.Context, rf *store.Refund) error {
	p, attempts, err := h.readPayment(ctx, rf.PaymentID)
	if err == nil && stale(attempts, h.now().Add(-h.lease)) {
		if _, err = h.abandon(ctx, rf.PaymentID, h.now().Add(-h.lease)); err == nil {
			p, attempts, err = h.readPayment(ctx, rf.PaymentID)
		}
	}
	if err != nil {
		return err
	}
	if refundRunning(attempts, rf.ID) {
		return nil // its claim's hold passes first; its call settles it
	}
	next := h.now().Add(h.syncDelay(rf.SyncAttempts))
	prov := h.providers[p.ProviderInstance]
	if prov == nil || !prov.caps.Supports(plugin.OpGetRefund) {
		// Only a callback can tell.
		return h.inTx(ctx, func(tx store.Tx) error { return tx.ScheduleRefund(ctx, rf.ID, next) })
	}
	resp, callErr := call(h, ctx, prov, plugin.OpGetRefund, func(ctx context.Context, pp plugin.Provider) (*plugin.GetRefundResponse, error) {
		return pp.GetRefund(ctx, &plugin.GetRefundRequest{PaymentRef: paymentRef(p, attempts), RefundID: rf.ID,
			ProviderRefundReference: rf.ProviderRefundReference, Amount: p.Money(rf.Amount)})
	})
	lost := h.neverReceived(ctx, callErr, refundAttempt(attempts, rf.ID), rf.ProviderRefundReference, rf.ID)
	if lost != "" {
		resp, callErr = &plugin.GetRefundResponse{RefundResult: plugin.RefundResult{Status: plugin.RefundFailed,
			FailureCode: string(api.CodeProviderUnavailable), FailureMessage: lost}}, nil
	}
	return h.inTx(ctx, func(tx store.Tx) error {
		still := true
		if callErr == nil {
			cur, err := tx.GetRefund(ctx, rf.ID)
			if err != nil {
				return err
			}
			if cur.Status != plugin.RefundPending {
				return nil // settled meanwhile (a callback)
			}
			if still, err = h.settleRefund(ctx, tx, p.MerchantID, cur, &resp.RefundResult); err != nil {
				return err
			}
		}
		if !still {
			return nil
		}
		return tx.ScheduleRefund(ctx, rf.ID, next)
	})
}

// refundAttempt returns refund id's last attempt, or nil.
func refundAttempt(attempts []store.Attempt, id string) *store.Attempt {
	for i := len(attempts) - 1; i >= 0; i-- {
		if a := &attempts[i]; a.Operation == store.OpRefund && a.RefundID == id {
			return a
		}
	}
	return nil
}

// refundRunning reports whether refund id's attempt is started.
func refundRunning(attempts []store.Attempt, id string) bool {
	for _, a := range attempts {
		if a.RefundID == id && a.Status == store.AttemptStarted {
			return true
		}
	}
	return false
}
