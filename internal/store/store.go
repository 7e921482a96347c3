package store

import (
	"context"
	"time"
)

// Store is payhost's storage. Reads outside a transaction see committed
// data; every write runs in InTx.
type Store interface {
	Reader
	// InTx runs fn in one read-write transaction: it commits when fn
	// returns nil, and rolls back when fn returns an error (returned as is)
	// or panics. On SQLite the transaction holds the database's write lock
	// from its start (BEGIN IMMEDIATE), so the transactions of every host
	// on the file run one at a time; on PostgreSQL LockPayment and the
	// conditional writes lock rows. Keep fn short and do no network in it
	// (never call a plugin), and do not call InTx from fn.
	InTx(ctx context.Context, fn func(Tx) error) error
	// View runs fn in one read-only transaction, so that its reads see one
	// snapshot (a payment with its attempts and refunds, say).
	View(ctx context.Context, fn func(Reader) error) error
	// Close closes the store's connections.
	Close() error
}

// Tx is one transaction: reads, and every write.
type Tx interface {
	Reader
	PaymentWriter
	TokenWriter
	Idempotency
	Callbacks
	Outbox
}

// Reader reads records. Every Get returns an error wrapping ErrNotFound
// when there is no such record; lists are empty, not nil-with-error.
type Reader interface {
	PaymentReader
	TokenReader
	EventReader
}

// PaymentReader reads payments, their attempts and their refunds.
type PaymentReader interface {
	GetPayment(ctx context.Context, id string) (*Payment, error)
	// GetPaymentByProviderReference finds the payment a provider instance
	// knows by its gateway reference.
	GetPaymentByProviderReference(ctx context.Context, instance, reference string) (*Payment, error)
	GetAttempt(ctx context.Context, id string) (*Attempt, error)
	// ListAttempts returns a payment's attempts, oldest first.
	ListAttempts(ctx context.Context, paymentID string) ([]Attempt, error)
	GetRefund(ctx context.Context, id string) (*Refund, error)
	// ListRefunds returns a payment's refunds, oldest first.
	ListRefunds(ctx context.Context, paymentID string) ([]Refund, error)
}

// TokenReader reads tokens.
type TokenReader interface {
	GetToken(ctx context.Context, id string) (*Token, error)
}

// EventReader reads the outbox.
type EventReader interface {
	GetEvent(ctx context.Context, id string) (*Event, error)
	// ListEvents returns a merchant's events, newest first, at most limit
	// of them: the latest, or with before set (an event id of the
	// merchant's), those older than that event. An id that is not the
	// merchant's event lists nothing.
	ListEvents(ctx context.Context, merchantID, before string, limit int) ([]Event, error)
	// ListDeliveryAttempts returns an event's delivery attempts, first
	// first.
	ListDeliveryAttempts(ctx context.Context, eventID string) ([]DeliveryAttempt, error)
}

// PaymentWriter moves payments and records attempts and refunds.
type PaymentWriter interface {
	// InsertPayment writes a new payment at version 1, assigning ID,
	// CreatedAt and UpdatedAt in p. A payment with the same id is a
	// conflict.
	InsertPayment(ctx context.Context, p *Payment) error
	// LockPayment reads a payment and keeps other transactions from
	// writing it until this one ends (SELECT … FOR NO KEY UPDATE on
	// PostgreSQL; SQLite's write lock already covers the whole
	// transaction).
	LockPayment(ctx context.Context, id string) (*Payment, error)
	// LockPaymentDetail is LockPayment that also reads the payment's
	// attempts and refunds (ListAttempts, ListRefunds), in one round trip
	// where the database allows.
	LockPaymentDetail(ctx context.Context, id string) (*PaymentDetail, error)
	// AssumePaymentDetail is LockPaymentDetail without the read, for a
	// caller that knows d as LockPaymentDetail would read it (a payment
	// it wrote, with the attempts and refunds it wrote), on condition
	// that the payment is still at d.Payment.Version: the transaction
	// then holds the payment, and the attempts d lists started. The
	// condition is checked by the writes that follow, and the caller
	// must make one of them UpdatePayment: when the payment moved on,
	// UpdatePayment, or a FinishAttempt of an attempt d lists started,
	// fails with ErrConflict, or InTx does; read the payment with
	// LockPaymentDetail then. It spares a round trip, and on SQLite the
	// reads, where the caller knows d is nearly always right.
	AssumePaymentDetail(ctx context.Context, d *PaymentDetail) error
	// UpdatePayment writes p when the stored payment is still at
	// p.Version (compare-and-set), and advances p.Version and p.UpdatedAt.
	// It fails with ErrConflict when another write came first, and with an
	// *InvariantError when p breaks a money invariant. It never changes
	// AmountRefunded (see ReserveRefund).
	UpdatePayment(ctx context.Context, p *Payment) error
	// InsertAttempt writes a new attempt, assigning ID and StartedAt.
	InsertAttempt(ctx context.Context, a *Attempt) error
	// FinishAttempt writes the outcome of a started attempt (Status,
	// ErrorKind, ErrorCode, ErrorMessage, ProviderReference) and sets
	// FinishedAt. It fails with ErrConflict when the attempt is no longer
	// started, and when Status is AttemptStarted. For an attempt that
	// this transaction read started (ListAttempts, LockPaymentDetail)
	// while holding its payment, a store may report that conflict from a
	// later call of the transaction, or from InTx, instead.
	FinishAttempt(ctx context.Context, a *Attempt) error
	// FinishAttemptIfStarted is FinishAttempt for an attempt that may have
	// been abandoned meanwhile, where that need not fail the transaction:
	// when the attempt is no longer started (or gone) the write changes
	// nothing and missed, when not nil, is called instead of an error. A
	// store may hold the write back and call missed only as the
	// transaction commits, sparing a round trip.
	FinishAttemptIfStarted(ctx context.Context, a *Attempt, missed func()) error
	// ReserveRefund counts r.Amount in its payment's AmountRefunded and
	// inserts r as pending, atomically, when the refunded amount stays
	// within the captured amount; otherwise it fails with an
	// *InvariantError that names the limit. r.Currency must be the
	// payment's. It assigns r's ID (when empty), Status and timestamps.
	ReserveRefund(ctx context.Context, r *Refund) error
	// FinishRefund settles a pending refund as r.Status (succeeded or
	// failed) with r's ProviderRefundReference and failure, releasing its
	// amount from the payment's AmountRefunded when it failed. It fails
	// with ErrConflict when the refund is no longer pending.
	FinishRefund(ctx context.Context, r *Refund) error
	// ClaimRefundsDue is ClaimSyncDue for refunds: up to limit pending
	// refunds whose NextSyncAt has come, oldest due first, claimed for
	// hold (NextSyncAt moves to now+hold, SyncAttempts grows by one).
	// Reschedule with ScheduleRefund after the status query, unless the
	// refund was settled.
	ClaimRefundsDue(ctx context.Context, limit int, hold time.Duration) ([]Refund, error)
	// ScheduleRefund sets when pending refund id is next due for a status
	// query. A refund no longer pending, or none, is left as it is: there
	// is nothing to ask about. A store may hold the write back until the
	// transaction's next statement or its commit.
	ScheduleRefund(ctx context.Context, id string, at time.Time) error
	// ClaimSyncDue returns up to limit payments whose status is processing,
	// unknown or requires_action and whose NextSyncAt has come, oldest due
	// first, and claims them for hold: their NextSyncAt moves to now+hold
	// and their SyncAttempts grows by one, so that other hosts pass them
	// over (on PostgreSQL, rows another transaction holds are skipped).
	// Reschedule with UpdatePayment after the status query.
	ClaimSyncDue(ctx context.Context, limit int, hold time.Duration) ([]Payment, error)
}

// TokenWriter writes tokens.
type TokenWriter interface {
	// InsertToken writes a new token at version 1, assigning ID and
	// timestamps.
	InsertToken(ctx context.Context, t *Token) error
	// UpdateToken writes t (all but its ID, MerchantID and CreatedAt;
	// ProviderInstance included) when the stored token is still at
	// t.Version, and advances t.Version and t.UpdatedAt; ErrConflict
	// otherwise.
	UpdateToken(ctx context.Context, t *Token) error
}

// Idempotency keeps the Idempotency-Key records of merchant requests.
type Idempotency interface {
	// BeginIdempotent starts a request: the key is new, its earlier
	// request completed (replay), is still running (busy), or had another
	// fingerprint (mismatch). A record past its expiry counts as absent,
	// unless a live lease still holds it; an in-progress record whose lease
	// expired is taken over. Several hosts may race on one key: exactly one
	// gets IdempotencyNew.
	BeginIdempotent(ctx context.Context, req IdempotencyRequest) (IdempotencyResult, error)
	// CompleteIdempotent stores the response of the request that owns the
	// key under lease. It fails with ErrConflict when the lease was taken
	// over, and ErrNotFound when the record is gone.
	CompleteIdempotent(ctx context.Context, merchantID, key, lease string, resp StoredResponse) error
	// SettleIdempotent is CompleteIdempotent for the transaction that
	// records the request's outcome, which must commit whatever became of
	// the key: a record whose lease was taken over, or that is gone, is
	// left as it is, and missed (when not nil) is called, during the
	// transaction or at its commit. A store may send the write with a
	// later statement or the commit.
	SettleIdempotent(ctx context.Context, merchantID, key, lease string, resp StoredResponse, missed func()) error
	// ReleaseIdempotent forgets an in-progress key that lease owns, so that
	// the request may be sent again (the request did nothing worth
	// replaying, such as a refusal before any work). It fails like
	// CompleteIdempotent.
	ReleaseIdempotent(ctx context.Context, merchantID, key, lease string) error
	// PurgeIdempotency deletes the records past their expiry (in-progress
	// ones only once their lease has expired too) and returns how many.
	PurgeIdempotency(ctx context.Context) (int64, error)
}

// Callbacks remembers the gateway events already applied.
type Callbacks interface {
	// RecordCallback records that the event eventID of a provider instance
	// is being applied and reports whether it was new. Call it in the
	// transaction that applies the event: if that rolls back, so does the
	// record, and a redelivery is new again.
	RecordCallback(ctx context.Context, instance, eventID string) (bool, error)
}

// Outbox queues merchant events and tracks their delivery.
type Outbox interface {
	// AppendEvent queues e, assigning ID, CreatedAt and, when zero,
	// NextAttemptAt (now).
	AppendEvent(ctx context.Context, e *Event) error
	// ClaimEvents leases up to limit due events (not delivered, not given
	// up, NextAttemptAt come, no live lease) to owner for lease, oldest due
	// first. Two claimers never get the same event while its lease lives
	// (on PostgreSQL, rows another transaction holds are skipped).
	ClaimEvents(ctx context.Context, owner string, limit int, lease time.Duration) ([]Event, error)
	// RecordDelivery records a delivery attempt of an event that owner
	// claimed, then marks the event delivered, reschedules it for
	// RetryAt, or gives it up (RetryAt zero), and ends the lease. It fails
	// with ErrConflict when the event is no longer leased to owner.
	RecordDelivery(ctx context.Context, r DeliveryResult) (DeliveryAttempt, error)
	// RecordDeliveries is RecordDelivery for the attempts rs, in one
	// statement where the database allows (PostgreSQL), a few otherwise
	// (SQLite: two per 64 attempts), rather than two per attempt. Its
	// results go index for index with rs: attempts[i] is the attempt
	// recorded for rs[i] (numbered as RecordDelivery would), unless
	// missed[i] says why rs[i] was not recorded: ErrConflict when its
	// event is no longer leased to its owner, or when an earlier result
	// of rs names the same event (a batch records an event once);
	// ErrNotFound when there is no such event. A missed result leaves
	// the others, and the transaction, as they are. err reports what
	// failed the whole call (the database failed): then attempts and
	// missed are nil, and the transaction must not commit. An empty rs
	// costs nothing.
	RecordDeliveries(ctx context.Context, rs []DeliveryResult) (attempts []DeliveryAttempt, missed []error, err error)
}
