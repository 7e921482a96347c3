package host

import (
	"context"
	"errors"

	"github.com/payhost/payhost/internal/store"
	"github.com/payhost/payhost/plugin"
)

// move applies a provider's report r to payment p, which tx holds locked:
// it moves p as the state machine allows (see apply), writes it, and
// queues the merchant event of its new status. It returns whether the
// status changed; a *moveError leaves p unchanged and unwritten.
func (h *Host) move(ctx context.Context, tx store.Tx, p *store.Payment, r *plugin.PaymentResult, captured int64) (bool, error) {
	moved, err := apply(p, r, captured, h.now(), h.opts.ReconcileSchedule[0])
	if err != nil {
		return false, err
	}
	if err := tx.UpdatePayment(ctx, p); err != nil {
		return false, err
	}
	if !moved {
		return false, nil
	}
	return true, h.paymentEvent(ctx, tx, p, eventType(p.Status))
}

// moveOrUnknown is move, except that a report the host cannot trust (its
// amounts are not the payment's) leaves the payment unknown, for the
// reconciler to ask again, rather than as it was.
func (h *Host) moveOrUnknown(ctx context.Context, tx store.Tx, p *store.Payment, r *plugin.PaymentResult, captured int64) (bool, error) {
	moved, err := h.move(ctx, tx, p, r, captured)
	var me *moveError
	if !errors.As(err, &me) {
		return moved, err
	}
	h.refused("call answer", p, me)
	if me.reason == "" {
		return false, nil // a move the state machine refuses: p stays
	}
	return h.move(ctx, tx, p, &plugin.PaymentResult{Status: unknown}, 0)
}

// refused logs a report that did not move payment p.
func (h *Host) refused(source string, p *store.Payment, err error) {
	h.log.Warn("payment update not applied", "source", source, "payment", p.ID, "status", p.Status, "reason", err)
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
