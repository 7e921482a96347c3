package host

import (
	"context"
	"errors"
	"time"

	"github.com/payhost/payhost/api"
	"github.com/payhost/payhost/internal/store"
	"github.com/payhost/payhost/plugin"
)

// A host that stops mid-call leaves its attempt started. Once the attempt
// is older than the lease (longer than any call can take), it counts as
// abandoned: its outcome is unknown, as after a crash, and the status
// query resolves it.

// stale reports whether an attempt was started before t and is still
// started: its host must have stopped.
func stale(attempts []store.Attempt, t time.Time) bool {
	for _, a := range attempts {
		if a.Status == store.AttemptStarted && a.StartedAt.Before(t) {
			return true
		}
	}
	return false
}

// running reports whether an attempt of operation op is started.
func running(attempts []store.Attempt, op store.Operation) bool {
	for _, a := range attempts {
		if a.Operation == op && a.Status == store.AttemptStarted {
			return true
		}
	}
	return false
}

// abandon records the attempts on payment id started before t and never
// finished (the host that started them stopped mid-call) as unknown
// outcomes: the payment becomes unknown, for a status query, unless only
// refunds were left (they stay pending, for theirs). It reports whether
// the payment moved.
func (h *Host) abandon(ctx context.Context, id string, t time.Time) (bool, error) {
	var (
		p     *store.Payment
		moved bool
	)
	err := h.inTx(ctx, func(tx store.Tx) (err error) {
		moved = false
		if p, err = tx.LockPayment(ctx, id); err != nil {
			return err
		}
		attempts, err := tx.ListAttempts(ctx, id)
		if err != nil {
			return err
		}
		payment := false
		for _, a := range attempts {
			if a.Status != store.AttemptStarted || a.StartedAt.After(t) {
				continue
			}
			a.Status, a.ErrorKind = store.AttemptUnknown, plugin.KindUnknownOutcome
			a.ErrorMessage = "the host that made this call stopped before the provider answered; its outcome is unknown"
			if err := tx.FinishAttempt(ctx, &a); err != nil {
				return err
			}
			if a.Operation == store.OpRefund {
				// Its refund stays pending: ask about it now.
				if err := tx.ScheduleRefund(ctx, a.RefundID, h.now()); err != nil {
					return err
				}
			}
			payment = payment || a.Operation != store.OpRefund
		}
		if !payment {
			return nil
		}
		moved, err = h.move(ctx, tx, p, statusOf(unknown, "", ""), 0)
		var me *moveError
		if errors.As(err, &me) {
			h.refused(ctx, "abandoned attempt", p, me)
			return nil
		}
		return err
	})
	if err != nil {
		return false, err
	}
	h.observe(p, moved)
	return moved, nil
}

// resume answers a payment whose idempotency key was taken over from a
// host that stopped before it answered: what that host left started is
// abandoned, and the payment is answered as it stands. The error wraps
// store.ErrNotFound when that host never stored the payment.
func (h *Host) resume(ctx context.Context, id string) (*api.Payment, error) {
	if _, err := h.abandon(ctx, id, h.now()); err != nil {
		return nil, err
	}
	d, err := store.GetPaymentDetail(ctx, h.store, id)
	if err != nil {
		return nil, err
	}
	return viewOf(&d.Payment, d.Attempts, d.Refunds), nil
}
