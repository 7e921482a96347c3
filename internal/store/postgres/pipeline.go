package postgres

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/payhost/payhost/internal/store/sqlstore"
)

// A write transaction costs round trips to the server, each a context
// switch on both sides: BEGIN, every statement, COMMIT. The store's
// transactions run on pgx directly, through the pool's connection, and
// send their statements as batches (one round trip each): the BEGIN goes
// with the first statement, and the writes whose outcome nothing in the
// transaction reads (inserts, updates of rows the transaction holds) wait
// for the next statement, or go with the COMMIT. A payment's first
// transaction (its idempotency key, the payment, its attempt) is then one
// round trip instead of five. pgx prepares each statement once per
// connection and keeps it.
//
// A batch that ends with COMMIT commits unless a statement of it fails on
// the server: whatever the client then learns comes too late. So a
// held-back write whose outcome matters fails on the server when it is
// not the expected one: a constraint (a duplicate key), or, for a write
// that must change one row, payhost_expect.

// pipeline returns the sqlstore.Pipeline of the pool db, whose blind
// transactions groups commits.
func pipeline(db *sql.DB, groups *groupCommitter) sqlstore.Pipeline {
	return func(ctx context.Context, fn func(sqlstore.Pipe) error) error {
		return withConn(ctx, db, func(conn *pgx.Conn) error { return runPipe(ctx, conn, groups, fn) })
	}
}

// snapshotReads returns the sqlstore.SnapshotReads of the pool db: BEGIN
// (repeatable read, read only: one snapshot), the reads and COMMIT as one
// batch, one round trip.
func snapshotReads(db *sql.DB) sqlstore.SnapshotReads {
	return func(ctx context.Context, reads ...sqlstore.Read) error {
		return withConn(ctx, db, func(conn *pgx.Conn) error { return readSnapshot(ctx, conn, reads) })
	}
}

// withConn runs fn on the pgx connection of a connection taken from the
// pool db, and gives it back.
func withConn(ctx context.Context, db *sql.DB, fn func(*pgx.Conn) error) error {
	c, err := db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("take a connection: %w", err)
	}
	defer func() { _ = c.Close() }()
	return c.Raw(func(dc any) error {
		sc, ok := dc.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("the pool's connection is a %T, not pgx's", dc)
		}
		return fn(sc.Conn())
	})
}

// readSnapshot runs reads on conn in one batch, in a read-only transaction
// of their own. When a read fails, the server skips the rest of the batch
// and leaves the transaction aborted: it is rolled back (or the connection
// closed, for the pool to drop).
func readSnapshot(ctx context.Context, conn *pgx.Conn, reads []sqlstore.Read) error {
	b := &pgx.Batch{}
	b.Queue("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY")
	for _, r := range reads {
		b.Queue(r.SQL, r.Args...)
	}
	b.Queue("COMMIT")
	br := conn.SendBatch(ctx, b)
	err := func() error {
		if _, err := br.Exec(); err != nil {
			return err
		}
		for _, r := range reads {
			if err := readAll(br, r.Row); err != nil {
				return err
			}
		}
		_, err := br.Exec()
		return err
	}()
	err = errors.Join(err, br.Close())
	if err != nil && conn.PgConn().TxStatus() != 'I' {
		if _, rbErr := conn.Exec(context.Background(), "ROLLBACK"); rbErr != nil {
			_ = conn.Close(context.Background())
		}
	}
	return err
}

// runPipe runs fn in a transaction of conn, and commits it or rolls it
// back. A connection left in a transaction (a failed rollback) is closed,
// so that the pool drops it.
func runPipe(ctx context.Context, conn *pgx.Conn, groups *groupCommitter, fn func(sqlstore.Pipe) error) (err error) {
	p := &pipe{conn: conn, groups: groups}
	defer func() {
		if r := recover(); r != nil {
			p.rollback()
			panic(r)
		}
	}()
	if err := fn(p); err != nil {
		p.rollback()
		return err
	}
	if err := p.commit(ctx); err != nil {
		p.rollback()
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// pipe is one transaction on a pgx connection. It implements
// sqlstore.Pipe.
type pipe struct {
	conn *pgx.Conn
	// groups commits the transaction when every write of it was held
	// back.
	groups *groupCommitter
	// begun is set once BEGIN was sent.
	begun bool
	// queued are the writes held back, in order.
	queued []queuedWrite
}

type queuedWrite struct {
	sql  string
	args []any
	done func(int64, error) error
}

// Queue implements sqlstore.Pipe. A write that must change expect rows
// runs inside a statement that fails when it does not (payhost_expect,
// migration 0003): the server then skips the rest of the batch, COMMIT
// included.
func (p *pipe) Queue(query string, args []any, expect int64, done func(int64, error) error) {
	if expect >= 0 {
		query = "WITH w AS (" + query + " RETURNING 1) SELECT payhost_expect(count(*), " +
			strconv.FormatInt(expect, 10) + ") FROM w"
	}
	p.queued = append(p.queued, queuedWrite{query, args, done})
}

// statement is one statement and its arguments.
type statement struct {
	sql  string
	args []any
}

// send sends BEGIN (the first time), the queued writes and then last, in
// one batch, and reads the results of all but last, which it leaves for
// the caller to read before closing the batch. On error the batch is
// closed.
func (p *pipe) send(ctx context.Context, last ...statement) (pgx.BatchResults, error) {
	begin := !p.begun
	p.begun = true
	return p.sendBatch(ctx, begin, last)
}

// sendBatch is send, with BEGIN first when begin is set: without it, and
// without a COMMIT in last, the batch is an implicit transaction of its
// own.
func (p *pipe) sendBatch(ctx context.Context, begin bool, last []statement) (pgx.BatchResults, error) {
	queued := p.queued
	p.queued = nil
	return sendBatch(ctx, p.conn, begin, queued, last)
}

// sendBatch sends BEGIN when begin is set, writes and then last in one
// batch on conn, and reads the results of all but last, handing each
// write its own.
func sendBatch(ctx context.Context, conn *pgx.Conn, begin bool, writes []queuedWrite, last []statement) (pgx.BatchResults, error) {
	b := &pgx.Batch{}
	if begin {
		b.Queue("BEGIN")
	}
	for _, w := range writes {
		b.Queue(w.sql, w.args...)
	}
	for _, s := range last {
		b.Queue(s.sql, s.args...)
	}
	br := conn.SendBatch(ctx, b)
	fail := func(err error) (pgx.BatchResults, error) {
		_ = br.Close()
		return nil, err
	}
	if begin {
		if _, err := br.Exec(); err != nil {
			return fail(err)
		}
	}
	for _, w := range writes {
		tag, err := br.Exec()
		if err := w.done(tag.RowsAffected(), err); err != nil {
			return fail(err)
		}
	}
	return br, nil
}

// sendWrites sends writes, and only them, as one batch on conn: one
// implicit transaction.
func sendWrites(ctx context.Context, conn *pgx.Conn, writes []queuedWrite) error {
	br, err := sendBatch(ctx, conn, false, writes, nil)
	if err != nil {
		return err
	}
	return br.Close()
}

// Exec implements sqlstore.Pipe.
func (p *pipe) Exec(ctx context.Context, query string, args ...any) (int64, error) {
	br, err := p.send(ctx, statement{query, args})
	if err != nil {
		return 0, err
	}
	tag, err := br.Exec()
	return tag.RowsAffected(), errors.Join(err, br.Close())
}

// Query implements sqlstore.Pipe.
func (p *pipe) Query(ctx context.Context, query string, args ...any) (sqlstore.Rows, error) {
	br, err := p.send(ctx, statement{query, args})
	if err != nil {
		return nil, err
	}
	rows, err := br.Query()
	if err != nil {
		return nil, errors.Join(err, br.Close())
	}
	return &batchRows{Rows: rows, br: br}, nil
}

// Reads implements sqlstore.Pipe.
func (p *pipe) Reads(ctx context.Context, reads ...sqlstore.Read) error {
	stmts := make([]statement, len(reads))
	for i, r := range reads {
		stmts[i] = statement{r.SQL, r.Args}
	}
	br, err := p.send(ctx, stmts...)
	if err != nil {
		return err
	}
	for _, r := range reads {
		if err := readAll(br, r.Row); err != nil {
			return errors.Join(err, br.Close())
		}
	}
	return br.Close()
}

// readAll hands every row of br's next result to row.
func readAll(br pgx.BatchResults, row func(sqlstore.Row) error) error {
	rows, err := br.Query()
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := row(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// QueryRow implements sqlstore.Pipe.
func (p *pipe) QueryRow(ctx context.Context, query string, args ...any) sqlstore.Row {
	rows, err := p.Query(ctx, query, args...)
	return &batchRow{rows: rows, err: err}
}

// commit sends the queued writes and COMMIT; nothing when the
// transaction never began. A transaction that sent nothing before (every
// write queued, as a payment's first and, usually, last transaction)
// goes as one batch without BEGIN and COMMIT: the server runs the
// statements of a batch (up to its one Sync message) as one implicit
// transaction, committed at the Sync unless a statement fails, which
// rolls them all back. Under load, several such transactions go as one
// (group.go).
func (p *pipe) commit(ctx context.Context) error {
	if !p.begun && len(p.queued) == 0 {
		return nil
	}
	if !p.begun {
		queued := p.queued
		p.queued = nil
		return p.groups.commit(ctx, p.conn, queued)
	}
	br, err := p.send(ctx, statement{sql: "COMMIT"})
	if err != nil {
		return err
	}
	_, err = br.Exec()
	err = errors.Join(err, br.Close())
	if err == nil {
		p.begun = false
	}
	return err
}

// rollback ends a transaction that began, whatever the caller's context
// (its end may be why); it forgets the writes not sent. When the
// connection cannot roll back, it is closed.
func (p *pipe) rollback() {
	p.queued = nil
	if !p.begun {
		return
	}
	p.begun = false
	if _, err := p.conn.Exec(context.Background(), "ROLLBACK"); err != nil {
		_ = p.conn.Close(context.Background())
	}
}

// batchRows are a query's rows, the last result of their batch, which
// Close closes.
type batchRows struct {
	pgx.Rows
	br     pgx.BatchResults
	closed bool
	err    error
}

// Close implements sqlstore.Rows. It may be called more than once.
func (r *batchRows) Close() error {
	if !r.closed {
		r.closed = true
		r.Rows.Close()
		r.err = errors.Join(r.Rows.Err(), r.br.Close())
	}
	return r.err
}

// batchRow is the first row of a query, or sql.ErrNoRows.
type batchRow struct {
	rows sqlstore.Rows
	err  error
}

// Scan implements sqlstore.Row.
func (r *batchRow) Scan(dest ...any) error {
	if r.err != nil {
		return r.err
	}
	defer func() { _ = r.rows.Close() }()
	if !r.rows.Next() {
		if err := r.rows.Close(); err != nil {
			return err
		}
		return sql.ErrNoRows
	}
	if err := r.rows.Scan(dest...); err != nil {
		return err
	}
	return r.rows.Close()
}

// Interface guard.
var _ sqlstore.Pipe = (*pipe)(nil)
