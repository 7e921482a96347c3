// Package sqlstore implements store.Store once, in SQL that SQLite and
// PostgreSQL both speak: $n placeholders, INSERT … ON CONFLICT DO NOTHING,
// UPDATE … RETURNING, partial indexes. Where the dialects differ (row locks,
// SKIP LOCKED, the migration lock, what a driver error means) a Dialect
// says how.
//
// It is the engine room of store/sqlite and store/postgres, which open the
// connections, tune them, and hand them to New with their Dialect and
// migrations; nothing else should import it.
package sqlstore
