// Package store is payhost's memory: payments, attempts, refunds, tokens,
// idempotency records, gateway callback receipts and the merchant event
// outbox, behind one Store interface with two implementations:
//
//   - store/sqlite, the embedded default: one file, WAL, synchronous=FULL,
//     writers serialised with BEGIN IMMEDIATE and committed in groups;
//   - store/postgres, for several `payhost serve` processes sharing state:
//     row locks (SELECT … FOR NO KEY UPDATE), SKIP LOCKED for work queues,
//     an advisory lock around migrations.
//
// Both are the same code (store/sqlstore) over two SQL dialects, and both
// pass one shared test suite (store/storetest).
//
// Everything that writes is a method of Tx and runs inside Store.InTx, so
// that the engine can move a payment's state, record the attempt, reserve a
// refund and append the merchant event in one transaction. The store
// enforces the money invariants itself, in that transaction and again with
// CHECK constraints in the schema: captured ≤ authorized, and refunded
// (succeeded plus pending refunds) ≤ captured.
//
// Card numbers never reach the store: a payment or token keeps only the
// card's first six and last four digits, expiry and brand.
//
// The store decides nothing about payments: which transitions are allowed,
// when to retry and what to tell the merchant belong to the engine (host/);
// delivering events belongs to internal/webhook.
package store
