// Package sqlite is payhost's embedded store: one SQLite file (pure Go,
// modernc.org/sqlite, no cgo), for a single `payhost serve` process or a few
// on one machine.
//
// Open tunes the file for a payment workload:
//
//   - WAL, so that readers never wait for the writer and the writer never
//     waits for readers;
//   - every commit is made durable before its write returns, so that a
//     payment whose write returned survives a power cut: the store syncs
//     the write-ahead log itself (fdatasync) after each group's COMMIT,
//     rather than SQLite inside it (synchronous=FULL), so that the sync
//     does not hold the write lock and the next group's statements run
//     during it (synchronous=NORMAL alone, without that sync, would lose
//     the last commits on a power cut; we do not trade that for speed);
//   - foreign keys on, and a busy timeout for the processes that share the
//     file;
//   - every write transaction starts with BEGIN IMMEDIATE and so holds the
//     write lock from its first statement: transactions run one at a time
//     and never fail half-way on a lock upgrade.
//
// Inside one process, writes go through a single connection whose prepared
// statements are kept, and concurrent write transactions are committed in
// groups: each runs in its own SAVEPOINT, and one COMMIT ends the group
// once nobody else is waiting to write; one sync then covers every group
// committed since the last. Every InTx still returns only once durable, and
// so does anything that acts on what a write transaction read (it commits
// after what it read, and its sync covers all before). Reads use a pool of
// read-only connections; a read outside a write transaction may see a
// commit up to one sync (a fraction of a millisecond) before it is durable:
// after a power cut in that window, what it saw would be gone, as it was
// never acknowledged to the writer either.
//
// The SQL itself is store/sqlstore's, shared with store/postgres.
package sqlite
