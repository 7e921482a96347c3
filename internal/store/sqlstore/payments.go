package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/payhost/payhost/internal/store"
)

// paymentKept are the payment columns UpdatePayment leaves alone: fixed at
// creation, or the refund methods' (amount_refunded).
var paymentKept = columns{"id", "merchant_id", "amount", "currency", "method", "capture_mode",
	"amount_refunded", "created_at"}

// paymentUpdated are the payment columns UpdatePayment writes.
var paymentUpdated = columns{"status", "reference", "description", "return_url", "customer",
	"card_first6", "card_last4", "card_exp_month", "card_exp_year", "card_brand", "token_id",
	"provider_instance", "provider_reference", "route", "next_action",
	"amount_authorized", "amount_captured", "failure_code", "failure_message", "metadata",
	"next_sync_at", "sync_attempts", "version", "updated_at"}

var (
	paymentColumns = paymentKept.concat(paymentUpdated)
	selectPayment  = "SELECT " + paymentColumns.list() + " FROM payments"
	insertPayment  = paymentColumns.insert("payments")
	// updatePayment is a compare-and-set on the version.
	updatePayment = fmt.Sprintf("UPDATE payments SET %s WHERE id = $%d AND version = $%d",
		paymentUpdated.set(1), len(paymentUpdated)+1, len(paymentUpdated)+2)
	// claimSyncDue takes the due payments (see PaymentWriter.ClaimSyncDue);
	// $1 is the new next_sync_at, $2 now, $3 the limit; %s is the
	// Dialect's SkipLocked.
	claimSyncDue = `UPDATE payments SET next_sync_at = $1, sync_attempts = sync_attempts + 1,
	version = version + 1, updated_at = $2
	WHERE id IN (SELECT id FROM payments
		WHERE status IN ('processing', 'unknown', 'requires_action') AND next_sync_at <= $2
		ORDER BY next_sync_at, id LIMIT $3%s)
	RETURNING ` + paymentColumns.list()
)

// keepPayment makes p what the store keeps of it, as it will read back.
func keepPayment(p *store.Payment) {
	p.Card, p.NextAction, p.Metadata = keptCard(p.Card), keptNextAction(p.NextAction), keptMetadata(p.Metadata)
	p.NextSyncAt = store.Timestamp(p.NextSyncAt)
}

// paymentKeptArgs are the values of paymentKept for p.
func paymentKeptArgs(p *store.Payment) []any {
	return []any{p.ID, p.MerchantID, p.Amount, p.Currency, string(p.Method), string(p.Capture),
		p.AmountRefunded, p.CreatedAt}
}

// paymentUpdatedArgs are the values of paymentUpdated for p.
func paymentUpdatedArgs(p *store.Payment) ([]any, error) {
	customer, err := customerArg(p.Customer)
	if err != nil {
		return nil, fmt.Errorf("payment %s: encode customer: %w", p.ID, err)
	}
	action, err := nextActionArg(p.NextAction)
	if err != nil {
		return nil, fmt.Errorf("payment %s: encode next action: %w", p.ID, err)
	}
	metadata, err := metadataArg(p.Metadata)
	if err != nil {
		return nil, fmt.Errorf("payment %s: encode metadata: %w", p.ID, err)
	}
	c := cardOf(p.Card)
	return []any{string(p.Status), p.Reference, p.Description, p.ReturnURL, customer,
		c.first6, c.last4, c.expMonth, c.expYear, c.brand, p.TokenID,
		p.ProviderInstance, p.ProviderReference, p.Route, action,
		p.AmountAuthorized, p.AmountCaptured, p.FailureCode, p.FailureMessage, metadata,
		timeArg(p.NextSyncAt), p.SyncAttempts, p.Version, p.UpdatedAt}, nil
}

// scanPayment reads one row of paymentColumns.
func scanPayment(s scanner) (store.Payment, error) {
	var (
		p                          store.Payment
		c                          card
		customer, action, metadata []byte
		nextSync                   sql.NullTime
	)
	err := s.Scan(
		// paymentKept
		&p.ID, &p.MerchantID, &p.Amount, &p.Currency, &p.Method, &p.Capture,
		&p.AmountRefunded, &p.CreatedAt,
		// paymentUpdated
		&p.Status, &p.Reference, &p.Description, &p.ReturnURL, &customer,
		&c.first6, &c.last4, &c.expMonth, &c.expYear, &c.brand, &p.TokenID,
		&p.ProviderInstance, &p.ProviderReference, &p.Route, &action,
		&p.AmountAuthorized, &p.AmountCaptured, &p.FailureCode, &p.FailureMessage, &metadata,
		&nextSync, &p.SyncAttempts, &p.Version, &p.UpdatedAt,
	)
	if err != nil {
		return p, err
	}
	p.Card = c.info()
	p.NextSyncAt = timeOf(nextSync)
	p.CreatedAt, p.UpdatedAt = p.CreatedAt.UTC(), p.UpdatedAt.UTC()
	if p.Customer, err = decodeCustomer(customer); err != nil {
		return p, fmt.Errorf("payment %s: decode customer: %w", p.ID, err)
	}
	if p.NextAction, err = decodeNextAction(action); err != nil {
		return p, fmt.Errorf("payment %s: decode next action: %w", p.ID, err)
	}
	if p.Metadata, err = decodeMetadata(metadata); err != nil {
		return p, fmt.Errorf("payment %s: decode metadata: %w", p.ID, err)
	}
	return p, nil
}

// onePayment runs a query that selects at most one payment.
func (c *conn) onePayment(ctx context.Context, what string, query string, args ...any) (*store.Payment, error) {
	p, err := scanPayment(c.q.queryRow(ctx, query, args...))
	if err != nil {
		return nil, c.fail(err, "%s", what)
	}
	return &p, nil
}

// GetPayment implements store.PaymentReader.
func (c *conn) GetPayment(ctx context.Context, id string) (*store.Payment, error) {
	return c.onePayment(ctx, "payment "+id, selectPayment+` WHERE id = $1`, id)
}

// GetPaymentByProviderReference implements store.PaymentReader.
func (c *conn) GetPaymentByProviderReference(ctx context.Context, instance, reference string) (*store.Payment, error) {
	return c.onePayment(ctx, fmt.Sprintf("payment of %s with reference %q", instance, reference),
		selectPayment+` WHERE provider_instance = $1 AND provider_reference = $2 AND provider_reference <> ''
		ORDER BY created_at DESC LIMIT 1`, instance, reference)
}

// LockPayment implements store.PaymentWriter.
func (t *tx) LockPayment(ctx context.Context, id string) (*store.Payment, error) {
	p, err := t.onePayment(ctx, "payment "+id, selectPayment+` WHERE id = $1`+t.d.LockRows, id)
	if err == nil {
		t.mine[id], t.held[id] = true, *p
	}
	return p, err
}

// LockPaymentDetail implements store.PaymentWriter: the three reads go in
// one round trip on a Pipe.
func (t *tx) LockPaymentDetail(ctx context.Context, id string) (*store.PaymentDetail, error) {
	d, reads, found := detailReads(id, t.d.LockRows)
	if err := t.reads(ctx, reads...); err != nil {
		return nil, t.fail(err, "payment %s", id)
	}
	if !*found {
		return nil, fmt.Errorf("payment %s: %w", id, store.ErrNotFound)
	}
	t.mine[id], t.held[id] = true, d.Payment
	t.seen(id, d.Attempts)
	return d, nil
}

// detailReads are the reads of payment id (its row with lock appended),
// its attempts and its refunds, into d; found is set when the payment is.
func detailReads(id, lock string) (d *store.PaymentDetail, reads []read, found *bool) {
	d, found = &store.PaymentDetail{Attempts: []store.Attempt{}, Refunds: []store.Refund{}}, new(bool)
	return d, []read{
		{selectPayment + ` WHERE id = $1` + lock, []any{id}, func(s scanner) (err error) {
			d.Payment, err = scanPayment(s)
			*found = true
			return err
		}},
		{listAttempts, []any{id}, func(s scanner) error {
			a, err := scanAttempt(s)
			d.Attempts = append(d.Attempts, a)
			return err
		}},
		{listRefunds, []any{id}, func(s scanner) error {
			r, err := scanRefund(s)
			d.Refunds = append(d.Refunds, r)
			return err
		}},
	}, found
}

// PaymentDetail implements store.DetailReader for a View's Reader and a
// transaction: the three reads in one round trip on a Pipe (PostgreSQL),
// where they also carry the transaction's held-back writes.
func (c *conn) PaymentDetail(ctx context.Context, id string) (*store.PaymentDetail, error) {
	d, reads, found := detailReads(id, "")
	if err := c.reads(ctx, reads...); err != nil {
		return nil, c.fail(err, "payment %s", id)
	}
	if !*found {
		return nil, fmt.Errorf("payment %s: %w", id, store.ErrNotFound)
	}
	return d, nil
}

// PaymentDetail reads payment id with its attempts and refunds from one
// snapshot (see store.GetPaymentDetail): on PostgreSQL in one round trip,
// else in a read-only transaction.
func (db *DB) PaymentDetail(ctx context.Context, id string) (*store.PaymentDetail, error) {
	d, reads, found := detailReads(id, "")
	var err error
	if db.snap != nil {
		err = db.snap(ctx, pipeReads(reads)...)
	} else {
		err = db.View(ctx, func(r store.Reader) error { return r.(*conn).reads(ctx, reads...) })
	}
	if err != nil {
		return nil, db.fail(err, "payment %s", id)
	}
	if !*found {
		return nil, fmt.Errorf("payment %s: %w", id, store.ErrNotFound)
	}
	return d, nil
}

// AssumePaymentDetail implements store.PaymentWriter: it takes d's
// payment as the transaction's and d's started attempts as read, so that
// their writes are held back like those of LockPaymentDetail's. Unlike
// those, UpdatePayment's compare-and-set may miss, when the payment moved
// on: it fails then, at once or, held back on PostgreSQL, on the server
// (payhost_expect), failing the transaction with a serialization failure,
// which InTx reports as store.ErrConflict.
func (t *tx) AssumePaymentDetail(_ context.Context, d *store.PaymentDetail) error {
	if d == nil || d.Payment.ID == "" || d.Payment.Version < 1 {
		return errors.New("assume payment detail: a stored payment (with its id and version) is required")
	}
	t.mine[d.Payment.ID] = true
	t.seen(d.Payment.ID, d.Attempts)
	return nil
}

// InsertPayment implements store.PaymentWriter.
func (t *tx) InsertPayment(ctx context.Context, p *store.Payment) error {
	if p.ID == "" {
		p.ID = store.NewID(store.PrefixPayment)
	}
	if err := p.Validate(); err != nil {
		return err
	}
	if p.AmountRefunded != 0 {
		return fmt.Errorf("payment %s: a new payment has nothing refunded (ReserveRefund counts refunds)", p.ID)
	}
	row := *p
	now := t.now()
	row.Version, row.CreatedAt, row.UpdatedAt = 1, now, now
	keepPayment(&row)
	updated, err := paymentUpdatedArgs(&row)
	if err != nil {
		return err
	}
	err = t.write(ctx, anyRows, func(_ int64, err error) error { return t.failPayment(err, row.ID, "insert payment %s", row.ID) },
		insertPayment, append(paymentKeptArgs(&row), updated...)...)
	if err != nil {
		return err
	}
	t.mine[row.ID] = true
	*p = row
	return nil
}

// UpdatePayment implements store.PaymentWriter.
func (t *tx) UpdatePayment(ctx context.Context, p *store.Payment) error {
	if err := p.Validate(); err != nil {
		return err
	}
	row := *p
	row.Version, row.UpdatedAt = p.Version+1, t.now()
	keepPayment(&row)
	args, err := paymentUpdatedArgs(&row)
	if err != nil {
		return err
	}
	args = append(args, p.ID, p.Version)
	delete(t.held, p.ID)
	if t.mine[p.ID] {
		// Nobody else writes the payment before this transaction ends:
		// the compare-and-set cannot miss, and the write may wait.
		id, version := p.ID, p.Version
		err = t.write(ctx, 1, func(n int64, err error) error {
			if err == nil && n != 1 {
				return fmt.Errorf("payment %s: it is no longer at version %d: %w", id, version, store.ErrConflict)
			}
			return t.failPayment(err, id, "update payment %s", id)
		}, updatePayment, args...)
		if err != nil {
			return err
		}
		*p = row
		return nil
	}
	ok, err := t.execOne(ctx, updatePayment, args...)
	if err != nil {
		return t.failPayment(err, p.ID, "update payment %s", p.ID)
	}
	if !ok {
		return t.missed(ctx, "payments", p.ID, "payment", fmt.Sprintf("it is no longer at version %d", p.Version))
	}
	*p = row
	return nil
}

// ClaimSyncDue implements store.PaymentWriter.
func (t *tx) ClaimSyncDue(ctx context.Context, limit int, hold time.Duration) ([]store.Payment, error) {
	if limit <= 0 || hold <= 0 {
		return nil, fmt.Errorf("claim payments due for sync: limit %d and hold %s must be positive", limit, hold)
	}
	now := t.now()
	ps, err := list(ctx, &t.conn, scanPayment, fmt.Sprintf(claimSyncDue, t.d.SkipLocked), now.Add(hold), now, limit)
	return ps, t.fail(err, "claim payments due for sync")
}

// failPayment is fail for writes of payment id, where a CHECK violation
// means a money invariant the Go checks missed.
func (t *tx) failPayment(err error, id, format string, args ...any) error {
	if t.d.Classify(err) == ErrCheck {
		return &store.InvariantError{PaymentID: id, Reason: fmt.Sprintf("the database refused the amounts: %v", err)}
	}
	return t.fail(err, format, args...)
}
