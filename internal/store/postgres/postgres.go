package postgres

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/payhost/payhost/internal/store"
	"github.com/payhost/payhost/internal/store/sqlstore"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// DefaultMaxConns is the connection pool's size when Options.MaxConns is
// zero.
const DefaultMaxConns = 16

var dialect = sqlstore.Dialect{
	Name: "postgres",
	// NO KEY UPDATE: excludes every other writer of the row, but lets
	// other transactions insert attempts and refunds that reference it
	// (their foreign key checks take KEY SHARE locks).
	LockRows:   " FOR NO KEY UPDATE",
	SkipLocked: " FOR NO KEY UPDATE SKIP LOCKED",
	// One lock for every host of the database, held until the migration
	// transaction ends.
	LockMigrations: "SELECT pg_advisory_xact_lock(hashtextextended('payhost schema_migrations', 0))",
	// A batch of outbox deliveries is one statement (unnest).
	Unnest: true,
	// A snapshot for View: every read of the transaction sees the same
	// committed state.
	Snapshot: sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true},
	Classify: classify,
}

// Open connects to the PostgreSQL database of dsn (a URL or key=value
// string, as libpq takes; a search_path parameter selects the schema) and
// migrates its schema.
func Open(ctx context.Context, dsn string, opts store.Options) (store.Store, error) {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		// pgx's parse errors keep the password out.
		return nil, fmt.Errorf("postgres store: %w", err)
	}
	db := stdlib.OpenDB(*cfg)
	conns := opts.MaxConns
	if conns <= 0 {
		conns = DefaultMaxConns
	}
	db.SetMaxOpenConns(conns)
	db.SetMaxIdleConns(conns)
	migrations, err := fs.Sub(migrationFiles, "migrations")
	if err != nil {
		return nil, errors.Join(err, db.Close())
	}
	if err := sqlstore.Migrate(ctx, db, &dialect, migrations); err != nil {
		return nil, errors.Join(fmt.Errorf("postgres store %s/%s: %w", cfg.Host, cfg.Database, err), db.Close())
	}
	return sqlstore.NewPipelined(db, &dialect, opts, pipeline(db, newGroupCommitter(groupSlots)), snapshotReads(db)), nil
}

// classify tells what a PostgreSQL error means, by its SQLSTATE.
func classify(err error) sqlstore.ErrorClass {
	var e *pgconn.PgError
	if !errors.As(err, &e) {
		return sqlstore.ErrOther
	}
	switch e.Code {
	case "23505": // unique_violation
		return sqlstore.ErrUnique
	case "23514": // check_violation
		return sqlstore.ErrCheck
	case "40001", "40P01": // serialization_failure, deadlock_detected
		return sqlstore.ErrLostRace
	}
	return sqlstore.ErrOther
}
