package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/payhost/payhost/internal/store"
)

var (
	eventColumns = columns{"id", "merchant_id", "type", "payload", "created_at", "next_attempt_at",
		"attempts", "delivered_at", "failed_at", "lease_owner", "lease_expires_at"}
	selectEvent = "SELECT " + eventColumns.list() + " FROM events"
	insertEvent = eventColumns.insert("events")

	// claimEvents leases the due events; $1 is the owner, $2 the lease's
	// end, $3 now; the first %d is the limit, %s the Dialect's
	// SkipLocked. The limit is in the text, not a parameter: SQLite plans
	// with a LIMIT parameter's value and prepares the statement again
	// whenever it changes, which costs more than running it; a statement
	// per limit (at most the dispatcher's workers) is prepared once.
	claimEvents = `UPDATE events SET lease_owner = $1, lease_expires_at = $2
	WHERE id IN (SELECT id FROM events
		WHERE delivered_at IS NULL AND failed_at IS NULL AND next_attempt_at <= $3
			AND (lease_expires_at IS NULL OR lease_expires_at <= $3)
		ORDER BY next_attempt_at, id LIMIT %d%s)
	RETURNING ` + eventColumns.list()

	// settleEvent ends owner's lease after an attempt and counts it.
	settleEvent = `UPDATE events SET attempts = attempts + 1, delivered_at = $3, failed_at = $4,
	next_attempt_at = $5, lease_owner = '', lease_expires_at = NULL
	WHERE id = $1 AND lease_owner = $2 AND delivered_at IS NULL AND failed_at IS NULL
	RETURNING attempts`

	deliveryColumns = columns{"event_id", "attempt", "attempted_at", "http_status", "error", "duration_us"}
	insertDelivery  = deliveryColumns.insert("event_deliveries")
	listDeliveries  = "SELECT " + deliveryColumns.list() +
		" FROM event_deliveries WHERE event_id = $1 ORDER BY attempt"
)

func scanEvent(s scanner) (store.Event, error) {
	var (
		e                               store.Event
		payload                         []byte
		delivered, failed, leaseExpires sql.NullTime
	)
	err := s.Scan(&e.ID, &e.MerchantID, &e.Type, &payload, &e.CreatedAt, &e.NextAttemptAt,
		&e.Attempts, &delivered, &failed, &e.LeaseOwner, &leaseExpires)
	e.Payload = payload
	e.CreatedAt, e.NextAttemptAt = e.CreatedAt.UTC(), e.NextAttemptAt.UTC()
	e.DeliveredAt, e.FailedAt, e.LeaseExpiresAt = timeOf(delivered), timeOf(failed), timeOf(leaseExpires)
	return e, err
}

func scanDelivery(s scanner) (store.DeliveryAttempt, error) {
	var (
		d          store.DeliveryAttempt
		durationUS int64
	)
	err := s.Scan(&d.EventID, &d.Attempt, &d.At, &d.HTTPStatus, &d.Error, &durationUS)
	d.At, d.Duration = d.At.UTC(), time.Duration(durationUS)*time.Microsecond
	return d, err
}

// GetEvent implements store.EventReader.
func (c *conn) GetEvent(ctx context.Context, id string) (*store.Event, error) {
	e, err := scanEvent(c.q.queryRow(ctx, selectEvent+" WHERE id = $1", id))
	if err != nil {
		return nil, c.fail(err, "event %s", id)
	}
	return &e, nil
}

// ListEvents implements store.EventReader.
func (c *conn) ListEvents(ctx context.Context, merchantID string, limit int) ([]store.Event, error) {
	if limit <= 0 {
		return nil, fmt.Errorf("events of merchant %s: limit %d must be positive", merchantID, limit)
	}
	es, err := list(ctx, c, scanEvent,
		selectEvent+" WHERE merchant_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2", merchantID, limit)
	return es, c.fail(err, "events of merchant %s", merchantID)
}

// ListDeliveryAttempts implements store.EventReader.
func (c *conn) ListDeliveryAttempts(ctx context.Context, eventID string) ([]store.DeliveryAttempt, error) {
	ds, err := list(ctx, c, scanDelivery, listDeliveries, eventID)
	return ds, c.fail(err, "delivery attempts of event %s", eventID)
}

// AppendEvent implements store.Outbox.
func (t *tx) AppendEvent(ctx context.Context, e *store.Event) error {
	if e.ID == "" {
		e.ID = store.NewID(store.PrefixEvent)
	}
	if e.MerchantID == "" || e.Type == "" || len(e.Payload) == 0 {
		return fmt.Errorf("event %s: merchant, type and payload are required", e.ID)
	}
	row := store.Event{ID: e.ID, MerchantID: e.MerchantID, Type: e.Type, Payload: e.Payload,
		CreatedAt: t.now(), NextAttemptAt: store.Timestamp(e.NextAttemptAt)}
	if row.NextAttemptAt.IsZero() {
		row.NextAttemptAt = row.CreatedAt
	}
	err := t.write(ctx, anyRows, func(_ int64, err error) error { return t.fail(err, "append event %s", row.ID) },
		insertEvent, row.ID, row.MerchantID, row.Type, string(row.Payload),
		row.CreatedAt, row.NextAttemptAt, 0, nil, nil, "", nil)
	if err != nil {
		return err
	}
	*e = row
	return nil
}

// ClaimEvents implements store.Outbox.
func (t *tx) ClaimEvents(ctx context.Context, owner string, limit int, lease time.Duration) ([]store.Event, error) {
	if owner == "" || limit <= 0 || lease <= 0 {
		return nil, fmt.Errorf("claim events: owner %q, limit %d and lease %s must be set", owner, limit, lease)
	}
	now := t.now()
	es, err := list(ctx, &t.conn, scanEvent, fmt.Sprintf(claimEvents, limit, t.d.SkipLocked), owner, now.Add(lease), now)
	if err != nil {
		return nil, t.fail(err, "claim events")
	}
	// RETURNING keeps no order.
	slices.SortFunc(es, func(a, b store.Event) int {
		if c := a.NextAttemptAt.Compare(b.NextAttemptAt); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	return es, nil
}

// RecordDelivery implements store.Outbox.
func (t *tx) RecordDelivery(ctx context.Context, r store.DeliveryResult) (store.DeliveryAttempt, error) {
	now := t.now()
	var delivered, failed any
	next := now
	switch {
	case r.Delivered:
		delivered = now
	case r.RetryAt.IsZero():
		failed = now
	default:
		next = store.Timestamp(r.RetryAt)
	}
	d := store.DeliveryAttempt{EventID: r.EventID, At: now, HTTPStatus: r.HTTPStatus, Error: r.Error,
		Duration: r.Duration.Truncate(time.Microsecond)}
	err := t.q.queryRow(ctx, settleEvent, r.EventID, r.Owner, delivered, failed, next).Scan(&d.Attempt)
	if errors.Is(err, sql.ErrNoRows) {
		return d, t.missed(ctx, "events", r.EventID, "event", "it is not leased to "+r.Owner)
	}
	if err != nil {
		return d, t.fail(err, "settle event %s", r.EventID)
	}
	err = t.write(ctx, anyRows, func(_ int64, err error) error {
		return t.fail(err, "record delivery attempt %d of event %s", d.Attempt, d.EventID)
	}, insertDelivery, d.EventID, d.Attempt, d.At, d.HTTPStatus, d.Error, d.Duration.Microseconds())
	return d, err
}
