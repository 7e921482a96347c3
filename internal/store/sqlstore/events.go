package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
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

	deliveryColumns = columns{"event_id", "attempt", "attempted_at", "http_status", "error", "duration_us"}
	listDeliveries  = "SELECT " + deliveryColumns.list() +
		" FROM event_deliveries WHERE event_id = $1 ORDER BY attempt"

	// settleEvents is the rest of "UPDATE events" after a delivery
	// attempt of each row of r (id, owner, outcome, next_attempt_at): it
	// counts the attempt, ends the owner's lease, and marks the event
	// delivered or given up (at %s, now) or reschedules it. The
	// condition on delivered_at and failed_at is a coalesce so that each
	// event is found by its primary key: written as two IS NULLs, it let
	// PostgreSQL's planner pick the partial index events_due (on
	// next_attempt_at, id), which it cannot seek by id and reads whole
	// for every row.
	settleEvents = `SET attempts = attempts + 1,
	delivered_at = CASE r.outcome WHEN ` + strconv.Itoa(outcomeDelivered) + ` THEN %[1]s END,
	failed_at = CASE r.outcome WHEN ` + strconv.Itoa(outcomeGiveUp) + ` THEN %[1]s END,
	next_attempt_at = r.next_attempt_at, lease_owner = '', lease_expires_at = NULL
	FROM r WHERE events.id = r.id AND events.lease_owner = r.owner
		AND coalesce(events.delivered_at, events.failed_at) IS NULL`

	// recordDeliveries (Dialect.Unnest) settles a batch's events and
	// records their attempts in one statement: $1 is now, the others are
	// arrays, an element per attempt. It returns the events settled and
	// the numbers of their attempts; those of the other rows were not
	// leased to their owner, or do not exist.
	recordDeliveries = `WITH r AS (
		SELECT * FROM unnest($2::text[], $3::text[], $4::int[], $5::timestamptz[], $6::bigint[], $7::text[], $8::bigint[])
			AS r (id, owner, outcome, next_attempt_at, http_status, error, duration_us)),
	s AS (UPDATE events ` + fmt.Sprintf(settleEvents, "$1::timestamptz") + `
		RETURNING events.id, events.attempts, r.http_status, r.error, r.duration_us),
	d AS (INSERT INTO event_deliveries (` + deliveryColumns.list() + `)
		SELECT id, attempts, $1::timestamptz, http_status, error, duration_us FROM s)
	SELECT id, attempts FROM s`
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
func (c *conn) ListEvents(ctx context.Context, merchantID, before string, limit int) ([]store.Event, error) {
	if limit <= 0 {
		return nil, fmt.Errorf("events of merchant %s: limit %d must be positive", merchantID, limit)
	}
	if before == "" {
		es, err := list(ctx, c, scanEvent, selectEvent+" WHERE merchant_id = $1 "+newestFirst+" LIMIT $2", merchantID, limit)
		return es, c.fail(err, "events of merchant %s", merchantID)
	}
	// Older than the cursor in the order listed: an earlier creation, or
	// the same and a lower id. The cursor's creation is read once (an
	// uncorrelated subquery) and bounds the scan of events_merchant, so a
	// page deep in the list costs what the first does; a cursor that is
	// not the merchant's reads NULL, and lists nothing.
	const cursorCreated = "(SELECT created_at FROM events WHERE id = $2 AND merchant_id = $1)"
	es, err := list(ctx, c, scanEvent, selectEvent+" WHERE merchant_id = $1 AND created_at <= "+cursorCreated+
		" AND (created_at < "+cursorCreated+" OR id < $2) "+newestFirst+" LIMIT $3", merchantID, before, limit)
	return es, c.fail(err, "events of merchant %s before %s", merchantID, before)
}

// newestFirst is the order events are listed in.
const newestFirst = "ORDER BY created_at DESC, id DESC"

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

// RecordDelivery implements store.Outbox: RecordDeliveries of one.
func (t *tx) RecordDelivery(ctx context.Context, r store.DeliveryResult) (store.DeliveryAttempt, error) {
	ds, missed, err := t.RecordDeliveries(ctx, []store.DeliveryResult{r})
	if err != nil {
		return store.DeliveryAttempt{}, err
	}
	return ds[0], missed[0]
}

// RecordDeliveries implements store.Outbox.
func (t *tx) RecordDeliveries(ctx context.Context, rs []store.DeliveryResult) ([]store.DeliveryAttempt, []error, error) {
	if len(rs) == 0 {
		return []store.DeliveryAttempt{}, []error{}, nil
	}
	now := t.now()
	ds := make([]store.DeliveryAttempt, len(rs))
	missed := make([]error, len(rs))
	batch := make([]settling, 0, len(rs))
	first := make(map[string]int, len(rs))
	for i, r := range rs {
		ds[i] = store.DeliveryAttempt{EventID: r.EventID, At: now, HTTPStatus: r.HTTPStatus, Error: r.Error,
			Duration: r.Duration.Truncate(time.Microsecond)}
		if j, ok := first[r.EventID]; ok {
			missed[i] = fmt.Errorf("event %s: result %d of the batch records it already: %w", r.EventID, j, store.ErrConflict)
			continue
		}
		first[r.EventID] = i
		s := settling{r: i, outcome: outcomeRetry, next: now}
		switch {
		case r.Delivered:
			s.outcome = outcomeDelivered
		case r.RetryAt.IsZero():
			s.outcome = outcomeGiveUp
		default:
			s.next = store.Timestamp(r.RetryAt)
		}
		batch = append(batch, s)
	}
	settle := t.settleValues
	if t.d.Unnest {
		settle = t.settleUnnest
	}
	attempts, err := settle(ctx, now, rs, ds, batch)
	if err != nil {
		return nil, nil, err
	}
	for _, s := range batch {
		r := rs[s.r]
		if a, ok := attempts[r.EventID]; ok {
			ds[s.r].Attempt = a
			continue
		}
		// Not settled: not leased to its owner, or no such event (rare:
		// a lease ran out, a caller's mistake).
		found, err := t.exists(ctx, "events", r.EventID)
		switch {
		case err != nil:
			return nil, nil, t.fail(err, "event %s", r.EventID)
		case !found:
			missed[s.r] = fmt.Errorf("event %s: %w", r.EventID, store.ErrNotFound)
		default:
			missed[s.r] = fmt.Errorf("event %s: it is not leased to %s: %w", r.EventID, r.Owner, store.ErrConflict)
		}
	}
	return ds, missed, nil
}

// settling is an attempt of a RecordDeliveries batch, as the statements
// that settle its event take it.
type settling struct {
	// r is the index of its result in the batch.
	r       int
	outcome int
	// next is the event's next_attempt_at.
	next time.Time
}

// The outcomes of an attempt, in the rows of settleEvents.
const (
	outcomeRetry = iota
	outcomeDelivered
	outcomeGiveUp
)

// settled is a row of settleEvents' RETURNING: an event settled, and its
// attempt's number.
type settled struct {
	id      string
	attempt int
}

func scanSettled(s scanner) (settled, error) {
	var e settled
	return e, s.Scan(&e.id, &e.attempt)
}

// settleUnnest settles the events of batch and records their attempts
// (ds, at now) in one statement, recordDeliveries, and returns the
// attempt numbers of the events it settled by id.
func (t *tx) settleUnnest(ctx context.Context, now time.Time, rs []store.DeliveryResult, ds []store.DeliveryAttempt, batch []settling) (map[string]int, error) {
	n := len(batch)
	ids, owners, errs := make([]string, n), make([]string, n), make([]string, n)
	outcomes, statuses, durations := make([]int64, n), make([]int64, n), make([]int64, n)
	nexts := make([]time.Time, n)
	for i, s := range batch {
		r, d := rs[s.r], ds[s.r]
		ids[i], owners[i], outcomes[i], nexts[i] = r.EventID, r.Owner, int64(s.outcome), s.next
		statuses[i], errs[i], durations[i] = int64(d.HTTPStatus), d.Error, d.Duration.Microseconds()
	}
	got, err := list(ctx, &t.conn, scanSettled, recordDeliveries,
		now, ids, owners, outcomes, nexts, statuses, errs, durations)
	if err != nil {
		return nil, t.fail(err, "record %d delivery attempts", n)
	}
	attempts := make(map[string]int, len(got))
	for _, g := range got {
		attempts[g.id] = g.attempt
	}
	return attempts, nil
}

// settleValues settles the events of batch and records their attempts
// (ds, at now), maxValuesRows at a time, each time in two statements:
// settleEvents, then one INSERT of the attempts of the events it
// settled. It returns their attempt numbers by id.
func (t *tx) settleValues(ctx context.Context, now time.Time, rs []store.DeliveryResult, ds []store.DeliveryAttempt, batch []settling) (map[string]int, error) {
	attempts := make(map[string]int, len(batch))
	index := make(map[string]int, len(batch))
	for chunk := range slices.Chunk(batch, maxValuesRows) {
		args := make([]any, 0, 1+len(chunk)*len(deliveryColumns))
		args = append(args, now)
		for _, s := range chunk {
			r := rs[s.r]
			index[r.EventID] = s.r
			args = append(args, r.EventID, r.Owner, s.outcome, s.next)
		}
		got, err := list(ctx, &t.conn, scanSettled, valuesStatements()[len(chunk)].settle, args...)
		if err != nil {
			return nil, t.fail(err, "settle %d events", len(chunk))
		}
		if len(got) == 0 {
			continue
		}
		args = args[:0]
		for _, g := range got {
			attempts[g.id] = g.attempt
			d := ds[index[g.id]]
			args = append(args, d.EventID, g.attempt, d.At, d.HTTPStatus, d.Error, d.Duration.Microseconds())
		}
		want := int64(len(got))
		err = t.write(ctx, want, func(n int64, err error) error {
			if err == nil && n != want {
				err = fmt.Errorf("inserted %d rows", n)
			}
			return t.fail(err, "record %d delivery attempts", want)
		}, valuesStatements()[len(got)].insert, args...)
		if err != nil {
			return nil, err
		}
	}
	return attempts, nil
}

// maxValuesRows bounds the rows of one VALUES list (Dialect.Unnest
// false), and so how many statement texts settleValues prepares (two per
// number of rows) and the parameters of one.
const maxValuesRows = 64

// valuesStatements are settleValues' statements by number of rows.
var valuesStatements = sync.OnceValue(func() []struct{ settle, insert string } {
	stmts := make([]struct{ settle, insert string }, maxValuesRows+1)
	settleRow := columns{"id", "owner", "outcome", "next_attempt_at"}
	for n := 1; n <= maxValuesRows; n++ {
		stmts[n].settle = "WITH r (" + settleRow.list() + ") AS (VALUES " + values(n, len(settleRow), 2) + ")\n" +
			"UPDATE events " + fmt.Sprintf(settleEvents, "$1") + "\nRETURNING id, attempts"
		stmts[n].insert = "INSERT INTO event_deliveries (" + deliveryColumns.list() + ") VALUES " +
			values(n, len(deliveryColumns), 1)
	}
	return stmts
})

// values is n rows of cols placeholders each, numbered from from:
// "($1, $2), ($3, $4)".
func values(n, cols, from int) string {
	var b strings.Builder
	for i := range n {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteByte('(')
		for j := range cols {
			if j > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "$%d", from+i*cols+j)
		}
		b.WriteByte(')')
	}
	return b.String()
}
