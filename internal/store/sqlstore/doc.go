// Package sqlstore implements store.Store once, in SQL that SQLite and
// PostgreSQL both speak: $n placeholders, INSERT … ON CONFLICT DO NOTHING,
// UPDATE … RETURNING, partial indexes. Where the dialects differ (row locks,
// SKIP LOCKED, the migration lock, what a driver error means) a Dialect
// says how.
//
// It is the engine room of store/sqlite and store/postgres, which open the
// connections, tune them, and hand them to New, NewGrouped (one writer,
// commits in groups: SQLite) or NewPipelined (statements pipelined by the
// driver: PostgreSQL) with their Dialect and migrations; nothing else
// should import it.
//
// Statements go through a querier (querier.go). A write whose outcome
// nothing in its transaction reads (an insert, an update of a payment the
// transaction holds) goes through conn.write: at once, or, on a Pipe, held
// back to travel with the next statement, its error surfacing there or
// from InTx.
package sqlstore
