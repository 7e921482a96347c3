// Package sqlite is payhost's embedded store: one SQLite file (pure Go,
// modernc.org/sqlite, no cgo), for a single `payhost serve` process or a few
// on one machine.
//
// Open tunes the file for a payment workload:
//
//   - WAL, so that readers never wait for the writer and the writer never
//     waits for readers;
//   - synchronous=FULL: every commit is fsynced, so that a payment whose
//     write returned survives a power cut (NORMAL would lose the last
//     commits; we do not trade that for speed);
//   - foreign keys on, and a busy timeout for the processes that share the
//     file;
//   - every write transaction starts with BEGIN IMMEDIATE and so holds the
//     write lock from its first statement: transactions run one at a time
//     and never fail half-way on a lock upgrade.
//
// Inside one process, writes go through a single connection whose prepared
// statements are kept, and concurrent write transactions are committed in
// groups: each runs in its own SAVEPOINT, and one COMMIT (one fsync) ends
// the group once nobody else is waiting to write. Every InTx still returns
// only after the commit that made it durable. Reads use a pool of read-only
// connections.
//
// The SQL itself is store/sqlstore's, shared with store/postgres.
package sqlite
