package store

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"time"
)

// IdempotencyState is where an idempotency record stands.
type IdempotencyState string

// The idempotency states.
const (
	IdempotencyInProgress IdempotencyState = "in_progress"
	IdempotencyCompleted  IdempotencyState = "completed"
)

// MinIdempotencyTTL is the shortest time an idempotency record is kept.
const MinIdempotencyTTL = 24 * time.Hour

// IdempotencyRequest starts a request carrying an Idempotency-Key.
type IdempotencyRequest struct {
	// MerchantID and Key identify the record: keys are per merchant.
	MerchantID string
	Key        string
	// Fingerprint identifies the request (see Fingerprint): the same key
	// with another fingerprint is a mismatch.
	Fingerprint string
	// Lease is how long the caller owns the key before another host may
	// take it over, as after a crash: longer than the slowest request.
	Lease time.Duration
	// TTL is how long the record is kept from now; zero means
	// MinIdempotencyTTL, and less than that is an error.
	TTL time.Duration
	// CreatedAt, when not zero, is a new record's creation time (else
	// the store's now), so that the caller may derive ids from it before
	// the record exists.
	CreatedAt time.Time
	// ExpectNew says the caller expects the key to be new: a store may
	// then take it without reading it first (a round trip fewer), and
	// when the key was not new after all, the transaction fails with
	// ErrConflict instead; begin again without ExpectNew.
	ExpectNew bool
}

// IdempotencyOutcome is what BeginIdempotent decided.
type IdempotencyOutcome string

// The idempotency outcomes.
const (
	// IdempotencyNew: the caller owns the key; run the request, then
	// CompleteIdempotent (or ReleaseIdempotent) with Record.Lease.
	IdempotencyNew IdempotencyOutcome = "new"
	// IdempotencyReplay: the request completed before; answer
	// Record.Response again.
	IdempotencyReplay IdempotencyOutcome = "replay"
	// IdempotencyBusy: the first request with this key is still running
	// (HTTP 409).
	IdempotencyBusy IdempotencyOutcome = "in_progress"
	// IdempotencyMismatch: the key was used for a different request (HTTP
	// 422).
	IdempotencyMismatch IdempotencyOutcome = "mismatch"
)

// IdempotencyResult is BeginIdempotent's answer.
type IdempotencyResult struct {
	Outcome IdempotencyOutcome
	// TakenOver is set with IdempotencyNew when the key was in progress
	// under a lease that had expired: its owner (a crashed host) may have
	// done part of the work, so look for that before doing it again.
	TakenOver bool
	Record    IdempotencyRecord
}

// IdempotencyRecord is what the store keeps for one key.
type IdempotencyRecord struct {
	MerchantID  string
	Key         string
	Fingerprint string
	State       IdempotencyState
	// Lease identifies the owner of an in-progress record; completing or
	// releasing the record takes it. Empty once completed.
	Lease          string
	LeaseExpiresAt time.Time
	// Response is set once completed.
	Response  *StoredResponse
	CreatedAt time.Time
	ExpiresAt time.Time
}

// StoredResponse is an HTTP answer kept to be replayed.
type StoredResponse struct {
	StatusCode int
	// Header holds the headers to replay (Content-Type, Location, …).
	Header http.Header
	Body   []byte
}

// Fingerprint returns the hex SHA-256 of a request's method, path and
// body: what an idempotency key is bound to.
func Fingerprint(method, path string, body []byte) string {
	h := sha256.New()
	h.Write([]byte(method))
	h.Write([]byte{0})
	h.Write([]byte(path))
	h.Write([]byte{0})
	h.Write(body)
	return hex.EncodeToString(h.Sum(nil))
}
