package storetest

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/payhost/payhost/internal/store"
)

// Opener opens a new handle, with its own connections, on one database,
// and closes it when the test ends. It may be called from several
// goroutines at once.
type Opener func(t testing.TB, opts store.Options) (store.Store, error)

// NewDB makes a fresh, empty database for one test and returns its Opener.
type NewDB func(t testing.TB) Opener

// Run runs the shared suite against the backend of newDB; every test gets
// a fresh database.
func Run(t *testing.T, newDB NewDB) {
	tests := []struct {
		name string
		run  func(*testing.T, *env)
	}{
		{"Migrations", testMigrations},
		{"Transactions", testTransactions},
		{"View", testView},
		{"Payments", testPayments},
		{"PaymentValidation", testPaymentValidation},
		{"UpdatePayment", testUpdatePayment},
		{"Attempts", testAttempts},
		{"LockPaymentDetail", testLockPaymentDetail},
		{"HeldWrites", testHeldWrites},
		{"AssumePaymentDetail", testAssumePaymentDetail},
		{"FinishRace", testFinishRace},
		{"Refunds", testRefunds},
		{"RefundRefused", testRefundRefused},
		{"Tokens", testTokens},
		{"TokenMetadata", testTokenMetadata},
		{"Idempotency", testIdempotency},
		{"IdempotencyLease", testIdempotencyLease},
		{"SettleIdempotent", testSettleIdempotent},
		{"IdempotencyExpectNew", testIdempotencyExpectNew},
		{"IdempotencyExpiry", testIdempotencyExpiry},
		{"IdempotencyRace", testIdempotencyRace},
		{"Callbacks", testCallbacks},
		{"CallbackRace", testCallbackRace},
		{"Outbox", testOutbox},
		{"OutboxDelivery", testOutboxDelivery},
		{"OutboxClaimRace", testOutboxClaimRace},
		{"SyncDue", testSyncDue},
		{"RefundSyncDue", testRefundSyncDue},
		{"ConcurrentRefunds", testConcurrentRefunds},
		{"ConcurrentCaptureVoid", testConcurrentCaptureVoid},
		{"ConcurrentTransactions", testConcurrentTransactions},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.run(t, newEnv(t, newDB))
		})
	}
}

// env is one test's database, clock and first handle.
type env struct {
	ctx   context.Context
	clock *clock
	newDB NewDB
	open  Opener
	st    store.Store
}

func newEnv(t *testing.T, newDB NewDB) *env {
	t.Helper()
	e := &env{ctx: t.Context(), clock: newClock(), newDB: newDB, open: newDB(t)}
	e.st = e.handle(t)
	return e
}

// options are the Options of the test's handles: the test's clock.
func (e *env) options() store.Options { return store.Options{Clock: e.clock.Now} }

// handle opens another handle on the test's database.
func (e *env) handle(t testing.TB) store.Store {
	t.Helper()
	st, err := e.open(t, e.options())
	if err != nil {
		t.Fatalf("open another handle: %v", err)
	}
	return st
}

// inTx runs fn in a transaction of e.st and fails the test on an error.
func (e *env) inTx(t testing.TB, fn func(store.Tx) error) {
	t.Helper()
	if err := e.st.InTx(e.ctx, fn); err != nil {
		t.Fatalf("InTx: %v", err)
	}
}

// clock is a settable store.Options.Clock.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func newClock() *clock {
	return &clock{now: time.Date(2030, 1, 2, 3, 4, 5, 678901000, time.UTC)}
}

// Now returns the clock's time.
func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock on by d.
func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}
