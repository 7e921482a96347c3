package sqlstore

import "database/sql"

// Dialect is what differs between the SQL databases sqlstore runs on.
type Dialect struct {
	// Name is the database's name in errors: "sqlite", "postgres".
	Name string
	// LockRows ends a SELECT of rows the transaction goes on to write
	// (" FOR UPDATE"), or is empty where the transaction already holds the
	// whole database's write lock.
	LockRows string
	// SkipLocked ends the SELECT that picks queued work to claim
	// (" FOR UPDATE SKIP LOCKED"), or is empty as LockRows.
	SkipLocked string
	// LockMigrations is run first in the migration transaction to keep
	// other hosts out until it commits; empty where the transaction's own
	// lock does that.
	LockMigrations string
	// Unnest says that the database takes arrays as parameters
	// ($1::text[]), turns them into rows with unnest, and runs writes in
	// a WITH (PostgreSQL): a batch of writes is then one statement, whose
	// text is the same for any number of rows. Otherwise (SQLite) a batch
	// is a statement per table, listing its rows as a VALUES list of
	// placeholders (a statement text, prepared once, per number of rows).
	Unnest bool
	// Snapshot are the options of View's read-only transaction.
	Snapshot sql.TxOptions
	// Classify tells what a driver's error means.
	Classify func(error) ErrorClass
}

// ErrorClass is the kind of a driver error that sqlstore treats specially.
type ErrorClass int

// The error classes.
const (
	// ErrOther is any error sqlstore passes on as it is.
	ErrOther ErrorClass = iota
	// ErrUnique is a unique or primary key violation.
	ErrUnique
	// ErrCheck is a CHECK constraint violation (the money invariants).
	ErrCheck
	// ErrLostRace is a deadlock or serialization failure: the database
	// chose this transaction to lose.
	ErrLostRace
)
