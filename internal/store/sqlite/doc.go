// Package sqlite is payhost's embedded store: one SQLite file (pure Go,
// modernc.org/sqlite, no cgo), for a single `payhost serve` process or a few
// on one machine.
//
// Open tunes the file for a payment workload: WAL (readers never wait for
// the writer), synchronous=FULL (a committed payment survives a power cut),
// foreign keys on, a busy timeout for the hosts that share the file, and
// every write transaction started with BEGIN IMMEDIATE, so that it holds
// the write lock from its first statement: transactions run one at a time
// and never fail half-way on a lock upgrade. Inside one process the writes
// queue for a single connection instead of spinning on the busy timeout;
// reads use a pool of read-only connections.
//
// The SQL itself is store/sqlstore's, shared with store/postgres.
package sqlite
