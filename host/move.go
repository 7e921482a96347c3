package host

import (
	"context"
	"errors"

	"github.com/payhost/payhost/api"
	"github.com/payhost/payhost/internal/store"
	"github.com/payhost/payhost/plugin"
)

// move applies a provider's report r to payment p, which tx holds locked:
// it moves p as the state machine allows (see apply), writes it, and
// queues the merchant event of its new status. It returns whether the
// status changed; a *moveError leaves p unchanged and unwritten.
func (h *Host) move(ctx context.Context, tx store.Tx, p *store.Payment, r *plugin.PaymentResult, captured int64) (bool, error) {
	moved, _, err := h.moveView(ctx, tx, p, r, captured, nil, false)
	return moved, err
}

// moveView is move that also returns the payment as the API shows it
// after the move, when want is set (nil otherwise): made once, for the
// merchant event and the caller's answer, from d's attempts and refunds
// (current in tx) or, when d is nil, from tx.
func (h *Host) moveView(ctx context.Context, tx store.Tx, p *store.Payment, r *plugin.PaymentResult, captured int64, d *store.PaymentDetail, want bool) (bool, *api.Payment, error) {
	moved, err := apply(p, r, captured, h.now(), h.schedule())
	if err != nil {
		return false, nil, err
	}
	if err := tx.UpdatePayment(ctx, p); err != nil {
		return false, nil, err
	}
	typ := ""
	if moved && h.hasWebhook(p.MerchantID) {
		typ = eventType(p.Status)
	}
	if typ == "" && !want {
		return moved, nil, nil
	}
	view, err := h.view(ctx, tx, p, d)
	if err != nil {
		return false, nil, err
	}
	if typ != "" {
		if err := h.appendEvent(ctx, tx, p.MerchantID, typ, view); err != nil {
			return false, nil, err
		}
	}
	if !want {
		view = nil
	}
	return moved, view, nil
}

// view is payment p as the API shows it: with d's attempts and refunds
// when d is not nil, else with those read from tx.
func (h *Host) view(ctx context.Context, tx store.Tx, p *store.Payment, d *store.PaymentDetail) (*api.Payment, error) {
	if d == nil {
		return paymentView(ctx, tx, p)
	}
	return viewOf(p, d.Attempts, d.Refunds), nil
}

// moveOrUnknown is moveView (with the view), except that a report the
// host cannot trust (its amounts are not the payment's) leaves the payment
// unknown, for the reconciler to ask again, rather than as it was.
func (h *Host) moveOrUnknown(ctx context.Context, tx store.Tx, p *store.Payment, r *plugin.PaymentResult, captured int64, d *store.PaymentDetail) (bool, *api.Payment, error) {
	moved, view, err := h.moveView(ctx, tx, p, r, captured, d, true)
	var me *moveError
	if !errors.As(err, &me) {
		return moved, view, err
	}
	h.refused(ctx, "call answer", p, me)
	if me.reason == "" {
		// A move the state machine refuses: p stays as it was.
		view, err = h.view(ctx, tx, p, d)
		return false, view, err
	}
	return h.moveView(ctx, tx, p, &plugin.PaymentResult{Status: unknown}, 0, d, true)
}

// refused logs a report that did not move payment p.
func (h *Host) refused(ctx context.Context, source string, p *store.Payment, err error) {
	h.logger(ctx).Warn("payment update not applied", "source", source, "payment", p.ID, "status", p.Status, "reason", err)
}

// observe tells the observer about a payment that moved, once the move
// committed.
func (h *Host) observe(p *store.Payment, moved bool) {
	if moved {
		h.observer.PaymentStatus(p.ProviderInstance, p.Status)
	}
}

// statusOf is a report of status s alone, with a failure for failed.
func statusOf(s plugin.PaymentStatus, code, message string) *plugin.PaymentResult {
	return &plugin.PaymentResult{Status: s, FailureCode: code, FailureMessage: message}
}

// schedule is when a payment that moved is next asked about (apply).
func (h *Host) schedule() schedule {
	return schedule{firstSync: h.opts.ReconcileSchedule[0], actionAge: h.opts.ActionAge}
}
