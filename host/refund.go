package host

import (
	"context"
	"errors"
	"net/http"

	"github.com/payhost/payhost/api"
	"github.com/payhost/payhost/internal/store"
	"github.com/payhost/payhost/plugin"
)

// RefundPayment implements api.Service: it refunds all or part of what a
// succeeded payment captured. The refund is reserved in the store before
// the provider is called (the store refuses one that would take the
// refunded amount above the captured amount, whatever runs concurrently,
// on any host), and settled after: a failed refund, or one not sent,
// gives its amount back; one whose outcome is unknown stays pending until
// a status query (GetRefund) or a callback settles it.
func (h *Host) RefundPayment(ctx context.Context, merchantID, paymentID string, req *api.RefundRequest, opts ...api.CallOption) (*api.Refund, error) {
	ctx = withCall(ctx, api.Options(opts...))
	if err := h.checkMerchant(merchantID); err != nil {
		return nil, err
	}
	r := api.RefundRequest{}
	if req != nil {
		r = *req
	}
	if r.Amount < 0 {
		return nil, invalid("amount", "amount must be a positive whole number of minor units, or 0 to refund everything not yet refunded")
	}
	if err := validateText("reason", r.Reason); err != nil {
		return nil, err
	}
	w := write{merchant: merchantID, opts: api.Options(opts...), op: string(store.OpRefund), pathID: paymentID, body: &r, status: http.StatusCreated, inRun: true}
	return idempotent(h, ctx, w, func(ctx context.Context, k *keyed) (*api.Refund, error) {
		return h.refund(ctx, merchantID, paymentID, &r, k)
	})
}

// refund reserves, sends and settles one refund. Its first transaction
// takes the idempotency key and reserves the refund; its last records the
// answer and stores it as the key's.
func (h *Host) refund(ctx context.Context, merchantID, paymentID string, req *api.RefundRequest, k *keyed) (*api.Refund, error) {
	var (
		p       *store.Payment
		a       *store.Attempt
		rf      *store.Refund
		ref     plugin.PaymentRef
		id      string
		resumed bool
	)
	err := h.begin(ctx, paymentID, k, func(tx store.Tx) error {
		// The id derives from the key's record (k.id), known once the key
		// is taken.
		id, resumed = k.id(store.PrefixRefund), false
		if k.takenOver {
			// The key's first owner stopped; it may have reserved the
			// refund already.
			_, err := tx.GetRefund(ctx, id)
			if resumed = err == nil; !isNotFound(err) {
				return err
			}
		}
		var attempts []store.Attempt
		var err error
		if p, attempts, err = h.lockFor(ctx, tx, merchantID, paymentID, store.OpRefund, plugin.OpRefund, succeeded); err != nil {
			return err
		}
		if rf, err = h.reserveRefund(ctx, tx, p, id, req); err != nil {
			return err
		}
		a = startedAttempt(p, p.ProviderInstance, store.OpRefund, rf.Amount)
		a.RefundID = rf.ID
		ref = paymentRef(p, attempts)
		return tx.InsertAttempt(ctx, a)
	})
	switch {
	case err != nil:
		return nil, err
	case resumed:
		return h.resumeRefund(ctx, id)
	}
	resp, callErr := call(h, ctx, h.providers[p.ProviderInstance], plugin.OpRefund, func(ctx context.Context, pp plugin.Provider) (*plugin.RefundResponse, error) {
		return pp.Refund(ctx, &plugin.RefundRequest{
			PaymentRef: ref, RefundID: rf.ID, IdempotencyKey: rf.ID, Amount: p.Money(rf.Amount),
			CapturedAmount: p.Money(p.AmountCaptured), Reason: rf.Reason,
		})
	})
	return h.finishRefund(ctx, merchantID, a, rf, resp, callErr, k)
}

// reserveRefund counts the refund in the locked payment p: the amount
// asked, or all that is left; a partial refund only where the provider
// does them.
func (h *Host) reserveRefund(ctx context.Context, tx store.Tx, p *store.Payment, id string, req *api.RefundRequest) (*store.Refund, error) {
	left := p.AmountCaptured - p.AmountRefunded
	amount := req.Amount
	if amount == 0 {
		amount = left
	}
	if amount <= 0 {
		return nil, refuse(api.CodePaymentState, "", "payment %s has nothing left to refund", p.ID)
	}
	if amount < p.AmountCaptured && !h.providers[p.ProviderInstance].caps.Supports(plugin.OpPartialRefund) {
		return nil, refuse(api.CodeUnsupported, "amount", "provider %s cannot refund part of a payment", p.ProviderInstance)
	}
	// Should this host stop before the provider answers, the reconciler
	// asks about the refund once its attempt counts as abandoned.
	rf := &store.Refund{ID: id, PaymentID: p.ID, Amount: amount, Currency: p.Currency, Reason: req.Reason,
		NextSyncAt: h.now().Add(h.lease)}
	err := tx.ReserveRefund(ctx, rf)
	var inv *store.InvariantError
	if errors.As(err, &inv) {
		return nil, refuse(api.CodeAmountTooLarge, "amount", "%s", inv.Reason)
	}
	return rf, err
}

// finishRefund records the answer to refund attempt a and settles refund
// rf as it says: succeeded or failed (then its amount is given back), or
// pending when the outcome is unknown or the gateway has not decided. The
// same transaction stores the refund as k's answer.
func (h *Host) finishRefund(ctx context.Context, merchantID string, a *store.Attempt, rf *store.Refund, resp *plugin.RefundResponse, callErr error, k *keyed) (*api.Refund, error) {
	var result *plugin.RefundResult
	switch classify(callErr) {
	case outcomeOK:
		result = &resp.RefundResult
	case outcomeNotSent:
		_, msg := failureOf(callErr)
		result = &plugin.RefundResult{Status: plugin.RefundFailed, FailureCode: string(api.CodeProviderUnavailable),
			FailureMessage: "the provider could not be reached; nothing was sent: " + msg}
	case outcomeRefused:
		result = &plugin.RefundResult{Status: plugin.RefundFailed}
		result.FailureCode, result.FailureMessage = failureOf(callErr)
	}
	reference := ""
	if result != nil {
		reference = result.ProviderRefundReference
	}
	finish(a, callErr, reference)
	var view *api.Refund
	err := h.inTx(ctx, func(tx store.Tx) error {
		if err := h.finishAttempt(ctx, tx, *a, nil, false); err != nil {
			return err
		}
		// The refund as the first transaction reserved it, pending,
		// until settled: what the answer shows, without reading it back.
		settled := *rf
		still, err := h.settleRefund(ctx, tx, merchantID, &settled, result)
		switch {
		case err != nil:
			return err
		case still:
			// The call is over: the refund is asked about on schedule.
			if err := tx.ScheduleRefund(ctx, rf.ID, h.now().Add(h.opts.ReconcileSchedule[0])); err != nil {
				return err
			}
		case settled.Status == plugin.RefundPending:
			// Settled meanwhile (a callback): answer as it stands.
			got, err := tx.GetRefund(ctx, rf.ID)
			if err != nil {
				return err
			}
			settled = *got
		}
		view = apiRefund(&settled)
		return h.completeKey(ctx, tx, k, k.status, view)
	})
	if err != nil {
		return nil, err
	}
	k.settled = true
	return view, nil
}

// settleRefund settles the pending refund rf of merchant's in tx as
// result reports (nil: nothing known yet), queueing its merchant event,
// and makes rf the refund as settled. It reports whether rf is still
// pending. A result whose amount is not the refund's, or about a refund
// already settled, changes nothing (rf included).
func (h *Host) settleRefund(ctx context.Context, tx store.Tx, merchant string, rf *store.Refund, result *plugin.RefundResult) (bool, error) {
	if result == nil || (result.Status != plugin.RefundSucceeded && result.Status != plugin.RefundFailed) {
		return true, nil
	}
	if m := result.Amount; m.Amount != 0 && (m.Currency != rf.Currency || m.Amount != rf.Amount) {
		h.logger(ctx).Warn("refund update not applied", "refund", rf.ID, "reason", "the provider reports another amount", "reported", m.String())
		return true, nil
	}
	settled := *rf
	settled.Status = result.Status
	if result.ProviderRefundReference != "" {
		settled.ProviderRefundReference = result.ProviderRefundReference
	}
	settled.FailureCode, settled.FailureMessage = result.FailureCode, result.FailureMessage
	err := tx.FinishRefund(ctx, &settled)
	if isConflict(err) {
		h.logger(ctx).Info("refund already settled", "refund", rf.ID)
		return false, nil
	}
	if err != nil {
		return false, err
	}
	*rf = settled
	if !h.hasWebhook(merchant) {
		return false, nil
	}
	d, err := store.ReadPaymentDetail(ctx, tx, rf.PaymentID)
	if err != nil {
		return false, err
	}
	return false, h.appendEvent(ctx, tx, merchant, "refund."+string(rf.Status), viewOf(&d.Payment, d.Attempts, d.Refunds))
}

// resumeRefund answers refund id, whose idempotency key was taken over
// from a host that stopped after reserving it: the refund, after
// abandoning its attempt if it was left started.
func (h *Host) resumeRefund(ctx context.Context, id string) (*api.Refund, error) {
	var rf *store.Refund
	err := h.store.View(ctx, func(r store.Reader) (err error) {
		rf, err = r.GetRefund(ctx, id)
		return err
	})
	if err != nil {
		return nil, err
	}
	if _, err := h.abandon(ctx, rf.PaymentID, h.now()); err != nil {
		return nil, err
	}
	return apiRefund(rf), nil
}
