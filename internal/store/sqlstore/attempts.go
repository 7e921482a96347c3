package sqlstore

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/payhost/payhost/internal/store"
)

var (
	attemptColumns = columns{"id", "payment_id", "refund_id", "provider_instance", "operation", "status",
		"amount", "error_kind", "error_code", "error_message", "provider_reference", "started_at", "finished_at"}
	selectAttempt = "SELECT " + attemptColumns.list() + " FROM attempts"
	insertAttempt = attemptColumns.insert("attempts")
	listAttempts  = selectAttempt + " WHERE payment_id = $1 ORDER BY started_at, id"
	finishAttempt = `UPDATE attempts SET status = $2, error_kind = $3, error_code = $4, error_message = $5,
	provider_reference = $6, finished_at = $7 WHERE id = $1 AND status = 'started'`
)

func scanAttempt(s scanner) (store.Attempt, error) {
	var (
		a        store.Attempt
		finished sql.NullTime
	)
	err := s.Scan(&a.ID, &a.PaymentID, &a.RefundID, &a.ProviderInstance, &a.Operation, &a.Status,
		&a.Amount, &a.ErrorKind, &a.ErrorCode, &a.ErrorMessage, &a.ProviderReference, &a.StartedAt, &finished)
	a.StartedAt, a.FinishedAt = a.StartedAt.UTC(), timeOf(finished)
	return a, err
}

// GetAttempt implements store.PaymentReader.
func (c *conn) GetAttempt(ctx context.Context, id string) (*store.Attempt, error) {
	a, err := scanAttempt(c.q.queryRow(ctx, selectAttempt+" WHERE id = $1", id))
	if err != nil {
		return nil, c.fail(err, "attempt %s", id)
	}
	return &a, nil
}

// ListAttempts implements store.PaymentReader.
func (c *conn) ListAttempts(ctx context.Context, paymentID string) ([]store.Attempt, error) {
	as, err := list(ctx, c, scanAttempt, listAttempts, paymentID)
	return as, c.fail(err, "attempts of payment %s", paymentID)
}

// ListAttempts implements store.PaymentReader, noting the started
// attempts of the payments the transaction holds (see FinishAttempt).
func (t *tx) ListAttempts(ctx context.Context, paymentID string) ([]store.Attempt, error) {
	as, err := t.conn.ListAttempts(ctx, paymentID)
	if err == nil {
		t.seen(paymentID, as)
	}
	return as, err
}

// seen notes the started attempts among as, read while the transaction
// holds their payment id: the engine finishes them only while holding it,
// so that finishing one cannot miss (and if it does, the transaction
// fails with ErrConflict and is tried again).
func (t *tx) seen(paymentID string, as []store.Attempt) {
	if !t.mine[paymentID] {
		return
	}
	for _, a := range as {
		if a.Status == store.AttemptStarted {
			t.started[a.ID] = true
		}
	}
}

// InsertAttempt implements store.PaymentWriter.
func (t *tx) InsertAttempt(ctx context.Context, a *store.Attempt) error {
	if a.ID == "" {
		a.ID = store.NewID(store.PrefixAttempt)
	}
	if err := a.Validate(); err != nil {
		return err
	}
	row := *a
	row.StartedAt = t.now()
	row.FinishedAt = store.Timestamp(row.FinishedAt)
	err := t.write(ctx, anyRows, func(_ int64, err error) error { return t.fail(err, "insert attempt %s", row.ID) },
		insertAttempt, row.ID, row.PaymentID, row.RefundID, row.ProviderInstance,
		string(row.Operation), string(row.Status), row.Amount, string(row.ErrorKind), row.ErrorCode, row.ErrorMessage,
		row.ProviderReference, row.StartedAt, timeArg(row.FinishedAt))
	if err != nil {
		return err
	}
	*a = row
	return nil
}

// FinishAttempt implements store.PaymentWriter.
func (t *tx) FinishAttempt(ctx context.Context, a *store.Attempt) error {
	if !a.Status.Valid() || a.Status == store.AttemptStarted {
		return fmt.Errorf("attempt %s: cannot finish with status %q", a.ID, a.Status)
	}
	finished := t.now()
	args := []any{a.ID, string(a.Status), string(a.ErrorKind), a.ErrorCode, a.ErrorMessage, a.ProviderReference, finished}
	if t.started[a.ID] {
		// Read started while the transaction holds its payment: the
		// update cannot miss, and may wait.
		delete(t.started, a.ID)
		id := a.ID
		err := t.write(ctx, 1, func(n int64, err error) error {
			if err == nil && n != 1 {
				return fmt.Errorf("attempt %s: it is no longer started: %w", id, store.ErrConflict)
			}
			return t.fail(err, "finish attempt %s", id)
		}, finishAttempt, args...)
		if err != nil {
			return err
		}
		a.FinishedAt = finished
		return nil
	}
	ok, err := t.execOne(ctx, finishAttempt, args...)
	if err != nil {
		return t.fail(err, "finish attempt %s", a.ID)
	}
	if !ok {
		return t.missed(ctx, "attempts", a.ID, "attempt", "it is no longer started")
	}
	a.FinishedAt = finished
	return nil
}

// FinishAttemptIfStarted implements store.PaymentWriter. The write waits
// for the transaction's next statement or its commit: nothing depends on
// its outcome but missed.
func (t *tx) FinishAttemptIfStarted(ctx context.Context, a *store.Attempt, missed func()) error {
	if !a.Status.Valid() || a.Status == store.AttemptStarted {
		return fmt.Errorf("attempt %s: cannot finish with status %q", a.ID, a.Status)
	}
	finished := t.now()
	delete(t.started, a.ID)
	id := a.ID
	err := t.write(ctx, anyRows, func(n int64, err error) error {
		if err == nil && n != 1 && missed != nil {
			missed()
		}
		return t.fail(err, "finish attempt %s", id)
	}, finishAttempt, a.ID, string(a.Status), string(a.ErrorKind), a.ErrorCode, a.ErrorMessage, a.ProviderReference, finished)
	if err != nil {
		return err
	}
	a.FinishedAt = finished
	return nil
}
