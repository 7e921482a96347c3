// Package postgres is payhost's shared store: PostgreSQL through pgx, for
// several `payhost serve` processes sharing state.
//
// Transactions run at READ COMMITTED. What must not race is made safe by
// the statements themselves: LockPayment is SELECT … FOR NO KEY UPDATE
// (FOR UPDATE that still lets attempts and refunds reference the row); the money
// invariants and compare-and-set updates are conditions of the UPDATE,
// which PostgreSQL re-checks on the newest row version after waiting for a
// concurrent writer; idempotency keys and callback receipts are decided by
// unique constraints (INSERT … ON CONFLICT DO NOTHING, then inspect); the
// outbox and the reconciler claim work with SKIP LOCKED; and
// migrations run under a transaction-scoped advisory lock, so that hosts
// starting together apply each one once.
//
// Write transactions run on pgx itself (the pool's connection, through
// database/sql's Conn.Raw) and pipeline their statements (pipeline.go):
// BEGIN goes with the first statement, and the writes whose outcome the
// transaction does not read (inserts, updates of payments it holds) wait
// for the next statement or go with COMMIT, one round trip per batch.
// pgx prepares every statement once per connection.
//
// The SQL itself is store/sqlstore's, shared with store/sqlite.
package postgres
