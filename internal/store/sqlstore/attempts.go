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
	as, err := list(ctx, c, scanAttempt, selectAttempt+" WHERE payment_id = $1 ORDER BY started_at, id", paymentID)
	return as, c.fail(err, "attempts of payment %s", paymentID)
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
	err := t.write(ctx, func(_ int64, err error) error { return t.fail(err, "insert attempt %s", row.ID) },
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
	ok, err := t.execOne(ctx, finishAttempt, a.ID, string(a.Status), string(a.ErrorKind), a.ErrorCode,
		a.ErrorMessage, a.ProviderReference, finished)
	if err != nil {
		return t.fail(err, "finish attempt %s", a.ID)
	}
	if !ok {
		return t.missed(ctx, "attempts", a.ID, "attempt", "it is no longer started")
	}
	a.FinishedAt = finished
	return nil
}
