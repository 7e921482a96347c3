package sqlstore

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/payhost/payhost/internal/store"
)

var (
	idempotencyColumns = columns{"merchant_id", "idem_key", "fingerprint", "state", "lease", "lease_expires_at",
		"response_status", "response_header", "response_body", "created_at", "expires_at"}
	selectIdempotency = "SELECT " + idempotencyColumns.list() +
		" FROM idempotency_keys WHERE merchant_id = $1 AND idem_key = $2"
	// insertNewIdempotency fails (a unique violation) when the key exists.
	insertNewIdempotency = idempotencyColumns.insert("idempotency_keys")
	// insertIdempotency does nothing when the key exists: BeginIdempotent
	// then inspects what is there.
	insertIdempotency = insertNewIdempotency + " ON CONFLICT (merchant_id, idem_key) DO NOTHING"
	// replaceIdempotency rewrites a record BeginIdempotent holds locked.
	replaceIdempotency = "UPDATE idempotency_keys SET " + idempotencyColumns[2:].set(3) +
		" WHERE merchant_id = $1 AND idem_key = $2"
	completeIdempotency = `UPDATE idempotency_keys SET state = 'completed', lease = '', lease_expires_at = NULL,
	response_status = $4, response_header = $5, response_body = $6
	WHERE merchant_id = $1 AND idem_key = $2 AND state = 'in_progress' AND lease = $3`
	releaseIdempotency = `DELETE FROM idempotency_keys
	WHERE merchant_id = $1 AND idem_key = $2 AND state = 'in_progress' AND lease = $3`
	purgeIdempotency = `DELETE FROM idempotency_keys
	WHERE expires_at <= $1 AND (state = 'completed' OR lease_expires_at <= $1)`
)

func idempotencyArgs(r *store.IdempotencyRecord) ([]any, error) {
	var (
		status int
		header any
		body   []byte
	)
	if r.Response != nil {
		h, err := json.Marshal(r.Response.Header)
		if err != nil {
			return nil, fmt.Errorf("encode response header: %w", err)
		}
		status, header, body = r.Response.StatusCode, string(h), r.Response.Body
	}
	return []any{r.MerchantID, r.Key, r.Fingerprint, string(r.State), r.Lease, timeArg(r.LeaseExpiresAt),
		status, header, body, r.CreatedAt, r.ExpiresAt}, nil
}

func scanIdempotency(s scanner) (store.IdempotencyRecord, error) {
	var (
		r            store.IdempotencyRecord
		leaseExpires sql.NullTime
		status       int
		header, body []byte
	)
	err := s.Scan(&r.MerchantID, &r.Key, &r.Fingerprint, &r.State, &r.Lease, &leaseExpires,
		&status, &header, &body, &r.CreatedAt, &r.ExpiresAt)
	if err != nil {
		return r, err
	}
	r.LeaseExpiresAt = timeOf(leaseExpires)
	r.CreatedAt, r.ExpiresAt = r.CreatedAt.UTC(), r.ExpiresAt.UTC()
	if r.State == store.IdempotencyCompleted {
		r.Response = &store.StoredResponse{StatusCode: status, Body: body}
		if err := json.Unmarshal(header, &r.Response.Header); err != nil {
			return r, fmt.Errorf("idempotency key %q: decode response header: %w", r.Key, err)
		}
	}
	return r, nil
}

// BeginIdempotent implements store.Idempotency. The INSERT … ON CONFLICT DO
// NOTHING decides which of several racing hosts creates the record (on
// PostgreSQL the others wait for its transaction, then find the row);
// everyone else reads the record locked and decides from what is there.
func (t *tx) BeginIdempotent(ctx context.Context, req store.IdempotencyRequest) (store.IdempotencyResult, error) {
	ttl := req.TTL
	if ttl == 0 {
		ttl = store.MinIdempotencyTTL
	}
	switch {
	case req.MerchantID == "" || req.Key == "" || req.Fingerprint == "":
		return store.IdempotencyResult{}, errors.New("begin idempotent request: merchant, key and fingerprint are required")
	case req.Lease <= 0:
		return store.IdempotencyResult{}, fmt.Errorf("begin idempotent request: lease %s must be positive", req.Lease)
	case ttl < store.MinIdempotencyTTL:
		return store.IdempotencyResult{}, fmt.Errorf("begin idempotent request: ttl %s is shorter than %s", ttl, store.MinIdempotencyTTL)
	}
	now := t.now()
	fresh := store.IdempotencyRecord{
		MerchantID: req.MerchantID, Key: req.Key, Fingerprint: req.Fingerprint,
		State: store.IdempotencyInProgress, Lease: newLease(), LeaseExpiresAt: now.Add(req.Lease),
		CreatedAt: now, ExpiresAt: now.Add(ttl),
	}
	if !req.CreatedAt.IsZero() {
		fresh.CreatedAt = store.Timestamp(req.CreatedAt)
	}
	args, err := idempotencyArgs(&fresh)
	if err != nil {
		return store.IdempotencyResult{}, err
	}
	if _, ok := t.q.(queuer); ok && req.ExpectNew {
		// Taken blind, with the writes that follow: a key that was there
		// fails the insert (a unique violation, store.ErrConflict), and
		// so the transaction, whose retry reads it. (A plain INSERT: the
		// server does less than for ON CONFLICT DO NOTHING checked by
		// payhost_expect.)
		key := req.Key
		err := t.write(ctx, anyRows, func(_ int64, err error) error {
			return t.fail(err, "insert idempotency key %q", key)
		}, insertNewIdempotency, args...)
		return store.IdempotencyResult{Outcome: store.IdempotencyNew, Record: fresh}, err
	}
	// The record found can be purged before it is read: then start over.
	for range 3 {
		created, err := t.execOne(ctx, insertIdempotency, args...)
		if err != nil {
			return store.IdempotencyResult{}, t.fail(err, "insert idempotency key %q", req.Key)
		}
		if created {
			return store.IdempotencyResult{Outcome: store.IdempotencyNew, Record: fresh}, nil
		}
		rec, err := scanIdempotency(t.q.queryRow(ctx, selectIdempotency+t.d.LockRows, req.MerchantID, req.Key))
		if errors.Is(err, sql.ErrNoRows) {
			continue
		}
		if err != nil {
			return store.IdempotencyResult{}, t.fail(err, "read idempotency key %q", req.Key)
		}
		leased := rec.State == store.IdempotencyInProgress && rec.LeaseExpiresAt.After(now)
		switch {
		case !rec.ExpiresAt.After(now) && !leased:
			return t.replaceIdempotency(ctx, fresh, false)
		case rec.Fingerprint != req.Fingerprint:
			rec.Lease, rec.Response = "", nil
			return store.IdempotencyResult{Outcome: store.IdempotencyMismatch, Record: rec}, nil
		case rec.State == store.IdempotencyCompleted:
			return store.IdempotencyResult{Outcome: store.IdempotencyReplay, Record: rec}, nil
		case leased:
			rec.Lease = ""
			return store.IdempotencyResult{Outcome: store.IdempotencyBusy, Record: rec}, nil
		}
		rec.Lease, rec.LeaseExpiresAt = fresh.Lease, fresh.LeaseExpiresAt
		return t.replaceIdempotency(ctx, rec, true)
	}
	return store.IdempotencyResult{}, fmt.Errorf("begin idempotency key %q: the record keeps vanishing: %w", req.Key, store.ErrConflict)
}

// replaceIdempotency writes rec over the locked record of its key and
// returns it as the caller's.
func (t *tx) replaceIdempotency(ctx context.Context, rec store.IdempotencyRecord, takenOver bool) (store.IdempotencyResult, error) {
	args, err := idempotencyArgs(&rec)
	if err != nil {
		return store.IdempotencyResult{}, err
	}
	if _, err := t.q.exec(ctx, replaceIdempotency, args...); err != nil {
		return store.IdempotencyResult{}, t.fail(err, "take idempotency key %q", rec.Key)
	}
	return store.IdempotencyResult{Outcome: store.IdempotencyNew, TakenOver: takenOver, Record: rec}, nil
}

// CompleteIdempotent implements store.Idempotency.
func (t *tx) CompleteIdempotent(ctx context.Context, merchantID, key, lease string, resp store.StoredResponse) error {
	header, err := json.Marshal(resp.Header)
	if err != nil {
		return fmt.Errorf("complete idempotency key %q: encode response header: %w", key, err)
	}
	body := resp.Body
	if body == nil {
		body = []byte{}
	}
	ok, err := t.execOne(ctx, completeIdempotency, merchantID, key, lease, resp.StatusCode, string(header), body)
	return t.leaseMissed(ctx, ok, err, merchantID, key, "complete")
}

// SettleIdempotent implements store.Idempotency.
func (t *tx) SettleIdempotent(ctx context.Context, merchantID, key, lease string, resp store.StoredResponse, missed func()) error {
	header, err := json.Marshal(resp.Header)
	if err != nil {
		return fmt.Errorf("settle idempotency key %q: encode response header: %w", key, err)
	}
	body := resp.Body
	if body == nil {
		body = []byte{}
	}
	return t.write(ctx, anyRows, func(n int64, err error) error {
		if err == nil && n != 1 && missed != nil {
			missed()
		}
		return t.fail(err, "settle idempotency key %q", key)
	}, completeIdempotency, merchantID, key, lease, resp.StatusCode, string(header), body)
}

// ReleaseIdempotent implements store.Idempotency.
func (t *tx) ReleaseIdempotent(ctx context.Context, merchantID, key, lease string) error {
	ok, err := t.execOne(ctx, releaseIdempotency, merchantID, key, lease)
	return t.leaseMissed(ctx, ok, err, merchantID, key, "release")
}

// leaseMissed explains a write under an idempotency lease that changed
// nothing: the record is gone, or no longer the caller's.
func (t *tx) leaseMissed(ctx context.Context, ok bool, err error, merchantID, key, what string) error {
	if err != nil || ok {
		return t.fail(err, "%s idempotency key %q", what, key)
	}
	_, err = scanIdempotency(t.q.queryRow(ctx, selectIdempotency, merchantID, key))
	if err != nil {
		return t.fail(err, "%s idempotency key %q", what, key)
	}
	return fmt.Errorf("%s idempotency key %q: the lease was taken over or the request completed: %w", what, key, store.ErrConflict)
}

// PurgeIdempotency implements store.Idempotency.
func (t *tx) PurgeIdempotency(ctx context.Context) (int64, error) {
	n, err := t.q.exec(ctx, purgeIdempotency, t.now())
	return n, t.fail(err, "purge idempotency keys")
}

// newLease returns an unguessable lease token.
func newLease() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // never fails; see store.NewID
	return hex.EncodeToString(b[:])
}
