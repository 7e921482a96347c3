package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/payhost/payhost/internal/store"
)

// DB is a store.Store over database/sql.
type DB struct {
	conn
	w    writer
	read *sql.DB
	// snap, when not nil, runs reads in one snapshot and one round trip.
	snap SnapshotReads
}

// SnapshotReads runs reads in one read-only transaction that sees one
// snapshot, in one round trip, handing each row to its Read.
type SnapshotReads func(ctx context.Context, reads ...Read) error

// New returns a Store over the pool db, for a database that runs
// concurrent write transactions itself (PostgreSQL). The schema must be
// migrated (Migrate). Close closes db.
func New(db *sql.DB, d *Dialect, opts store.Options) *DB {
	return &DB{conn: conn{q: sqlQuerier{db}, d: d, now: opts.Now}, w: poolWriter{db: db}, read: db}
}

// NewPipelined is New for a database whose driver pipelines statements:
// write transactions run in run's transactions, reads through db, and
// reads that must see one snapshot (PaymentDetail) through snap.
func NewPipelined(db *sql.DB, d *Dialect, opts store.Options, run Pipeline, snap SnapshotReads) *DB {
	return &DB{conn: conn{q: sqlQuerier{db}, d: d, now: opts.Now}, w: pipeWriter{db: db, run: run}, read: db, snap: snap}
}

// NewGrouped returns a Store for a database that takes one writer at a time
// (SQLite): it writes through the one connection of write (a pool limited
// to one), committing concurrent write transactions in groups, and reads
// through the pool read. The schema must be migrated (Migrate). Close
// closes both pools.
func NewGrouped(ctx context.Context, write, read *sql.DB, d *Dialect, opts store.Options) (*DB, error) {
	w, err := newGroupWriter(ctx, write)
	if err != nil {
		return nil, fmt.Errorf("%s: take the write connection: %w", d.Name, err)
	}
	return &DB{conn: conn{q: sqlQuerier{read}, d: d, now: opts.Now}, w: w, read: read}, nil
}

// InTx implements store.Store.
func (db *DB) InTx(ctx context.Context, fn func(store.Tx) error) error {
	var fnErr error
	err := db.w.inTx(ctx, func(q querier) error {
		fnErr = fn(&tx{conn: conn{q: q, d: db.d, now: db.now}, mine: map[string]bool{}, started: map[string]bool{}, held: map[string]store.Payment{}})
		return fnErr
	})
	if fnErr != nil {
		return fnErr
	}
	return db.fail(err, "write transaction")
}

// View implements store.Store.
func (db *DB) View(ctx context.Context, fn func(store.Reader) error) error {
	sqlTx, err := db.read.BeginTx(ctx, &db.d.Snapshot)
	if err != nil {
		return db.fail(err, "begin a read-only transaction")
	}
	// A read-only transaction has nothing to commit: roll back either way.
	defer func() { _ = sqlTx.Rollback() }()
	return fn(&conn{q: sqlQuerier{sqlTx}, d: db.d, now: db.now})
}

// Close implements store.Store.
func (db *DB) Close() error {
	err := db.w.close()
	switch db.w.(type) {
	case poolWriter, pipeWriter:
	default:
		err = errors.Join(err, db.read.Close())
	}
	return err
}

// conn reads, through a pool or a transaction. It implements store.Reader.
type conn struct {
	q   querier
	d   *Dialect
	now func() time.Time
}

// tx is one read-write transaction. It implements store.Tx.
type tx struct {
	conn
	// mine are the payments no other transaction can write until this
	// one ends: locked (LockPayment) or inserted by it. Their updates
	// cannot lose a race, so a queuer may hold them back.
	mine map[string]bool
	// started are the attempts read started while the transaction held
	// their payment: they cannot have moved since.
	started map[string]bool
	// held are the payments the transaction locked, as it read them,
	// while nothing in it has changed their amounts since: ReserveRefund
	// checks a refund against them instead of asking the database.
	held map[string]store.Payment
}

// fail turns a driver error into the store's: no rows is store.ErrNotFound,
// a unique violation or a lost race store.ErrConflict; what stands
// first says what was being done. A nil err stays nil.
func (c *conn) fail(err error, format string, args ...any) error {
	if err == nil {
		return nil
	}
	what := fmt.Sprintf(format, args...)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("%s: %w", what, store.ErrNotFound)
	}
	switch c.d.Classify(err) {
	case ErrUnique:
		return fmt.Errorf("%s: already exists: %w", what, store.ErrConflict)
	case ErrLostRace:
		return fmt.Errorf("%s: lost a race with another transaction (%v): %w", what, err, store.ErrConflict)
	}
	return fmt.Errorf("%s: %s: %w", what, c.d.Name, err)
}

// execOne runs a write that must change exactly one row and reports
// whether it did.
func (c *conn) execOne(ctx context.Context, query string, args ...any) (bool, error) {
	n, err := c.q.exec(ctx, query, args...)
	return n == 1, err
}

// exists reports whether table has a row with id; for telling "not found"
// from "lost a race" after a conditional write missed.
func (c *conn) exists(ctx context.Context, table, id string) (bool, error) {
	var one int
	err := c.q.queryRow(ctx, "SELECT 1 FROM "+table+" WHERE id = $1", id).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return err == nil, err
}

// missed explains a conditional write of the row id of table that changed
// nothing: store.ErrNotFound when there is no such row, else
// store.ErrConflict with why.
func (c *conn) missed(ctx context.Context, table, id, what, why string) error {
	ok, err := c.exists(ctx, table, id)
	switch {
	case err != nil:
		return c.fail(err, "%s %s", what, id)
	case !ok:
		return fmt.Errorf("%s %s: %w", what, id, store.ErrNotFound)
	}
	return fmt.Errorf("%s %s: %s: %w", what, id, why, store.ErrConflict)
}

// Interface guards.
var (
	_ store.Store  = (*DB)(nil)
	_ store.Reader = (*conn)(nil)
	_ store.Tx     = (*tx)(nil)
)
