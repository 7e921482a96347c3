package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/payhost/payhost/internal/store"
	"github.com/payhost/payhost/plugin"
)

var (
	refundColumns = columns{"id", "payment_id", "amount", "currency", "status", "reason",
		"provider_refund_reference", "failure_code", "failure_message", "next_sync_at", "sync_attempts",
		"created_at", "updated_at"}
	selectRefund = "SELECT " + refundColumns.list() + " FROM refunds"
	insertRefund = refundColumns.insert("refunds")
	listRefunds  = selectRefund + " WHERE payment_id = $1 ORDER BY created_at, id"

	// reserveRefund counts a refund in its payment's refunded amount, only
	// while the result stays within the captured amount: the invariant is
	// the UPDATE's own condition, so it holds whatever the isolation level.
	reserveRefund = `UPDATE payments SET amount_refunded = amount_refunded + $2,
	version = version + 1, updated_at = $4
	WHERE id = $1 AND currency = $3 AND amount_refunded + $2 <= amount_captured`

	// finishRefund settles a pending refund and returns it.
	finishRefund = `UPDATE refunds SET status = $2, provider_refund_reference = $3,
	failure_code = $4, failure_message = $5, updated_at = $6
	WHERE id = $1 AND status = 'pending'
	RETURNING ` + refundColumns.list()

	// claimRefundsDue takes the due pending refunds (see
	// PaymentWriter.ClaimRefundsDue); $1 is the new next_sync_at, $2 now;
	// the %d is the limit (in the text: see claimEvents), %s the
	// Dialect's SkipLocked.
	claimRefundsDue = `UPDATE refunds SET next_sync_at = $1, sync_attempts = sync_attempts + 1
	WHERE id IN (SELECT id FROM refunds
		WHERE status = 'pending' AND next_sync_at <= $2
		ORDER BY next_sync_at, id LIMIT %d%s)
	RETURNING ` + refundColumns.list()

	scheduleRefund = `UPDATE refunds SET next_sync_at = $2 WHERE id = $1 AND status = 'pending'`

	// releaseRefund takes a failed refund's amount back out of its
	// payment's refunded amount.
	releaseRefund = `UPDATE payments SET amount_refunded = amount_refunded - $2,
	version = version + 1, updated_at = $3
	WHERE id = $1 AND amount_refunded >= $2`
)

func scanRefund(s scanner) (store.Refund, error) {
	var (
		r        store.Refund
		nextSync sql.NullTime
	)
	err := s.Scan(&r.ID, &r.PaymentID, &r.Amount, &r.Currency, &r.Status, &r.Reason,
		&r.ProviderRefundReference, &r.FailureCode, &r.FailureMessage, &nextSync, &r.SyncAttempts,
		&r.CreatedAt, &r.UpdatedAt)
	r.CreatedAt, r.UpdatedAt, r.NextSyncAt = r.CreatedAt.UTC(), r.UpdatedAt.UTC(), timeOf(nextSync)
	return r, err
}

// GetRefund implements store.PaymentReader.
func (c *conn) GetRefund(ctx context.Context, id string) (*store.Refund, error) {
	r, err := scanRefund(c.q.queryRow(ctx, selectRefund+" WHERE id = $1", id))
	if err != nil {
		return nil, c.fail(err, "refund %s", id)
	}
	return &r, nil
}

// ListRefunds implements store.PaymentReader.
func (c *conn) ListRefunds(ctx context.Context, paymentID string) ([]store.Refund, error) {
	rs, err := list(ctx, c, scanRefund, listRefunds, paymentID)
	return rs, c.fail(err, "refunds of payment %s", paymentID)
}

// ReserveRefund implements store.PaymentWriter.
func (t *tx) ReserveRefund(ctx context.Context, r *store.Refund) error {
	if r.ID == "" {
		r.ID = store.NewID(store.PrefixRefund)
	}
	if r.Amount <= 0 {
		return fmt.Errorf("refund %s: amount %d must be positive", r.ID, r.Amount)
	}
	now := t.now()
	if p, ok := t.held[r.PaymentID]; ok {
		// Nobody else writes the payment before this transaction ends,
		// and p is as it stands: the refund fits or not by p, and the
		// write, which cannot miss then, may wait.
		if err := refundFits(&p, r); err != nil {
			return err
		}
		id := r.PaymentID
		err := t.write(ctx, 1, func(n int64, err error) error {
			if err == nil && n != 1 {
				return fmt.Errorf("reserve refund of payment %s: the payment changed: %w", id, store.ErrConflict)
			}
			return t.failPayment(err, id, "reserve refund of payment %s", id)
		}, reserveRefund, r.PaymentID, r.Amount, r.Currency, now)
		if err != nil {
			return err
		}
		p.AmountRefunded += r.Amount
		t.held[r.PaymentID] = p
		return t.insertRefund(ctx, r, now)
	}
	// A refund that failed concurrently may free room between the UPDATE
	// missing and the diagnosis: then try again, a bounded number of times.
	for range 3 {
		ok, err := t.execOne(ctx, reserveRefund, r.PaymentID, r.Amount, r.Currency, now)
		if err != nil {
			return t.failPayment(err, r.PaymentID, "reserve refund %s of payment %s", r.ID, r.PaymentID)
		}
		if ok {
			delete(t.held, r.PaymentID)
			return t.insertRefund(ctx, r, now)
		}
		if err := t.refundRefused(ctx, r); err != nil {
			return err
		}
	}
	return fmt.Errorf("reserve refund %s of payment %s: the payment keeps changing: %w", r.ID, r.PaymentID, store.ErrConflict)
}

// refundRefused says why reserveRefund changed nothing, reading the payment
// locked: no such payment, another currency, or too much. It returns nil
// when the refund fits after all.
func (t *tx) refundRefused(ctx context.Context, r *store.Refund) error {
	p, err := t.LockPayment(ctx, r.PaymentID)
	if err != nil {
		return err
	}
	return refundFits(p, r)
}

// refundFits says whether refund r fits in payment p: nil, or why not
// (another currency, or an *store.InvariantError for too much).
func refundFits(p *store.Payment, r *store.Refund) error {
	if p.Currency != r.Currency {
		return fmt.Errorf("refund %s: currency %q differs from payment %s's %q", r.ID, r.Currency, p.ID, p.Currency)
	}
	if p.AmountRefunded+r.Amount <= p.AmountCaptured {
		return nil
	}
	return &store.InvariantError{PaymentID: p.ID, Reason: fmt.Sprintf(
		"refund of %s would exceed the captured amount %s (already refunded %s)",
		p.Money(r.Amount), p.Money(p.AmountCaptured), p.Money(p.AmountRefunded))}
}

func (t *tx) insertRefund(ctx context.Context, r *store.Refund, now time.Time) error {
	row := *r
	row.Status, row.CreatedAt, row.UpdatedAt = plugin.RefundPending, now, now
	row.NextSyncAt, row.SyncAttempts = store.Timestamp(row.NextSyncAt), 0
	err := t.write(ctx, anyRows, func(_ int64, err error) error { return t.fail(err, "insert refund %s", row.ID) },
		insertRefund, row.ID, row.PaymentID, row.Amount, row.Currency,
		string(row.Status), row.Reason, row.ProviderRefundReference, row.FailureCode, row.FailureMessage,
		timeArg(row.NextSyncAt), row.SyncAttempts, row.CreatedAt, row.UpdatedAt)
	if err != nil {
		return err
	}
	*r = row
	return nil
}

// FinishRefund implements store.PaymentWriter.
func (t *tx) FinishRefund(ctx context.Context, r *store.Refund) error {
	if r.Status != plugin.RefundSucceeded && r.Status != plugin.RefundFailed {
		return fmt.Errorf("refund %s: cannot finish with status %q", r.ID, r.Status)
	}
	now := t.now()
	row, err := scanRefund(t.q.queryRow(ctx, finishRefund, r.ID, string(r.Status),
		r.ProviderRefundReference, r.FailureCode, r.FailureMessage, now))
	if errors.Is(err, sql.ErrNoRows) {
		return t.missed(ctx, "refunds", r.ID, "refund", "it is no longer pending")
	}
	if err != nil {
		return t.fail(err, "finish refund %s", r.ID)
	}
	if row.Status == plugin.RefundFailed {
		delete(t.held, row.PaymentID)
		// The refund was counted in its payment until now: the release
		// cannot miss, and may wait for the next statement or the commit.
		err := t.write(ctx, 1, func(n int64, err error) error {
			if err == nil && n != 1 {
				return fmt.Errorf("release refund %s: payment %s does not count it", row.ID, row.PaymentID)
			}
			return t.failPayment(err, row.PaymentID, "release refund %s of payment %s", row.ID, row.PaymentID)
		}, releaseRefund, row.PaymentID, row.Amount, now)
		if err != nil {
			return err
		}
	}
	*r = row
	return nil
}

// ClaimRefundsDue implements store.PaymentWriter.
func (t *tx) ClaimRefundsDue(ctx context.Context, limit int, hold time.Duration) ([]store.Refund, error) {
	if limit <= 0 || hold <= 0 {
		return nil, fmt.Errorf("claim refunds due for sync: limit %d and hold %s must be positive", limit, hold)
	}
	now := t.now()
	rs, err := list(ctx, &t.conn, scanRefund, fmt.Sprintf(claimRefundsDue, limit, t.d.SkipLocked), now.Add(hold), now)
	return rs, t.fail(err, "claim refunds due for sync")
}

// ScheduleRefund implements store.PaymentWriter. The write waits for the
// transaction's next statement or its commit: a refund no longer pending
// is left as it is, so nothing depends on its outcome.
func (t *tx) ScheduleRefund(ctx context.Context, id string, at time.Time) error {
	return t.write(ctx, anyRows, func(_ int64, err error) error {
		return t.fail(err, "schedule refund %s", id)
	}, scheduleRefund, id, timeArg(at))
}
