package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"runtime"
	"strings"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/payhost/payhost/internal/store"
	"github.com/payhost/payhost/internal/store/sqlstore"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// connParams are the driver's parameters on every connection: times as
// integer microseconds (read back into time.Time from TIMESTAMP columns),
// foreign keys enforced, and 10 s to wait for another process's write
// transaction on the file before failing.
const connParams = "_time_integer_format=unix_micro&_inttotime=1&_foreign_keys=1&_busy_timeout=10000"

// writeParams make the write connection's transactions BEGIN IMMEDIATE on a
// WAL file with full fsync at commit, and keep statement journals (the
// savepoints of grouped transactions) in memory.
const writeParams = "&_journal_mode=WAL&_synchronous=FULL&_txlock=immediate&_pragma=temp_store(MEMORY)"

// readParams make the read connections read-only.
const readParams = "&_query_only=1"

var dialect = sqlstore.Dialect{
	Name: "sqlite",
	// A write transaction holds the whole file's write lock from BEGIN
	// IMMEDIATE: rows need no locks of their own, and nothing is ever
	// locked by someone else when a claim reads the queue.
	LockRows:       "",
	SkipLocked:     "",
	LockMigrations: "",
	Snapshot:       sql.TxOptions{ReadOnly: true},
	Classify:       classify,
}

// Open opens the SQLite database at path, creating the file when missing,
// and migrates its schema. Several Stores (processes) may open one file.
func Open(ctx context.Context, path string, opts store.Options) (store.Store, error) {
	if path == "" || strings.ContainsAny(path, "?#") {
		return nil, fmt.Errorf("sqlite store: path %q must be a file name without ? or #", path)
	}
	write, err := sql.Open("sqlite", path+"?"+connParams+writeParams)
	if err != nil {
		return nil, fmt.Errorf("sqlite store %s: %w", path, err)
	}
	// One writer per process: writes queue here, in Go, rather than
	// sleeping in SQLite's busy handler, and commit in groups.
	write.SetMaxOpenConns(1)
	migrations, err := fs.Sub(migrationFiles, "migrations")
	if err != nil {
		return nil, errors.Join(err, write.Close())
	}
	// The first connection also turns the file to WAL, which persists.
	if err := sqlstore.Migrate(ctx, write, &dialect, migrations); err != nil {
		return nil, errors.Join(fmt.Errorf("sqlite store %s: %w", path, err), write.Close())
	}
	read, err := sql.Open("sqlite", path+"?"+connParams+readParams)
	if err != nil {
		return nil, errors.Join(fmt.Errorf("sqlite store %s: %w", path, err), write.Close())
	}
	readers := opts.MaxConns
	if readers <= 0 {
		readers = max(4, runtime.GOMAXPROCS(0))
	}
	read.SetMaxOpenConns(readers)
	read.SetMaxIdleConns(readers)
	st, err := sqlstore.NewGrouped(ctx, write, read, &dialect, opts)
	if err != nil {
		return nil, errors.Join(fmt.Errorf("sqlite store %s: %w", path, err), write.Close(), read.Close())
	}
	return st, nil
}

// classify tells what a SQLite error means, by its extended result code.
func classify(err error) sqlstore.ErrorClass {
	var e *sqlite.Error
	if !errors.As(err, &e) {
		return sqlstore.ErrOther
	}
	switch e.Code() {
	case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
		return sqlstore.ErrUnique
	case sqlite3.SQLITE_CONSTRAINT_CHECK:
		return sqlstore.ErrCheck
	}
	return sqlstore.ErrOther
}
