package sqlstore

import (
	"context"
	"database/sql"
	"errors"
)

// Rows are the rows of a query; *sql.Rows is one.
type Rows interface {
	Next() bool
	Scan(dest ...any) error
	Close() error
	Err() error
}

// Row is the one row of a query that reads at most one; *sql.Row is one.
// Scan reports sql.ErrNoRows (or an error that wraps it) when there is
// none.
type Row interface {
	Scan(dest ...any) error
}

// querier runs the store's statements: a pool, a transaction, the write
// connection, or a Pipe.
type querier interface {
	// exec runs a write and returns how many rows it changed.
	exec(ctx context.Context, query string, args ...any) (int64, error)
	query(ctx context.Context, query string, args ...any) (Rows, error)
	queryRow(ctx context.Context, query string, args ...any) Row
}

// read is one query of reads: row is called with each of its rows.
type read struct {
	query string
	args  []any
	row   func(scanner) error
}

// reads runs queries one after the other, handing each row to its read;
// on a Pipe, in one round trip.
func (c *conn) reads(ctx context.Context, rs ...read) error {
	if p, ok := c.q.(pipeQuerier); ok {
		return p.p.Reads(ctx, pipeReads(rs)...)
	}
	for _, r := range rs {
		rows, err := c.q.query(ctx, r.query, r.args...)
		if err != nil {
			return err
		}
		for rows.Next() {
			if err := r.row(rows); err != nil {
				_ = rows.Close()
				return err
			}
		}
		if err := errors.Join(rows.Err(), rows.Close()); err != nil {
			return err
		}
	}
	return nil
}

// pipeReads are rs as a Pipe's (or SnapshotReads') Reads.
func pipeReads(rs []read) []Read {
	reads := make([]Read, len(rs))
	for i, r := range rs {
		reads[i] = Read{SQL: r.query, Args: r.args, Row: func(row Row) error { return r.row(row) }}
	}
	return reads
}

// queuer is a querier that may hold a write back and send it with the
// next statement or the commit (a Pipe, to spare round trips).
type queuer interface {
	queue(query string, args []any, expect int64, done func(rows int64, err error) error)
}

// sqlDB is what *sql.DB, *sql.Tx and stmtConn do.
type sqlDB interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// sqlQuerier is a querier over database/sql.
type sqlQuerier struct{ db sqlDB }

func (q sqlQuerier) exec(ctx context.Context, query string, args ...any) (int64, error) {
	res, err := q.db.ExecContext(ctx, query, args...)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

func (q sqlQuerier) query(ctx context.Context, query string, args ...any) (Rows, error) {
	rows, err := q.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	return rows, nil
}

func (q sqlQuerier) queryRow(ctx context.Context, query string, args ...any) Row {
	return q.db.QueryRowContext(ctx, query, args...)
}

// anyRows is write's expect for a write that may change any number of
// rows.
const anyRows = -1

// write runs a write whose outcome only done judges (from the rows it
// changed, or its error): at once, or, on a queuer, with the next
// statement or the commit, when its error surfaces from that statement or
// from InTx. A held-back write that must change expect rows (not
// anyRows) fails on the server when it does not, so that a commit sent
// with it does not happen. Only writes whose failure fails the
// transaction may wait: nothing in the transaction may depend on their
// outcome.
func (c *conn) write(ctx context.Context, expect int64, done func(rows int64, err error) error, query string, args ...any) error {
	if q, ok := c.q.(queuer); ok {
		q.queue(query, args, expect, done)
		return nil
	}
	n, err := c.q.exec(ctx, query, args...)
	return done(n, err)
}

// Pipe is one read-write transaction of a database whose driver
// pipelines statements (PostgreSQL through pgx): the writes Queue holds
// back travel with the next statement, or with the commit, in one round
// trip, and so does the BEGIN.
type Pipe interface {
	Exec(ctx context.Context, query string, args ...any) (int64, error)
	Query(ctx context.Context, query string, args ...any) (Rows, error)
	QueryRow(ctx context.Context, query string, args ...any) Row
	// Reads runs the queries in one round trip, in order, handing each
	// row to its Read.
	Reads(ctx context.Context, reads ...Read) error
	// Queue holds a write back. When expect is not negative, the write
	// must change that many rows: otherwise it fails on the server, with
	// the transaction, so that a COMMIT sent after it does not happen.
	// done judges its outcome (the rows it changed, or its error) once it
	// has run; an error of done fails the statement, or the commit, that
	// carried it (and, for a commit, is the caller's to have made sure of
	// on the server: through expect, or a constraint).
	Queue(query string, args []any, expect int64, done func(rows int64, err error) error)
}

// Read is one query of Pipe.Reads.
type Read struct {
	SQL  string
	Args []any
	// Row is called with each row.
	Row func(Row) error
}

// Pipeline runs fn in one pipelined transaction: committed when fn
// returns nil, the commit carrying the writes still queued; rolled back
// when fn or the commit fails, or fn panics (the panic goes on).
type Pipeline func(ctx context.Context, fn func(Pipe) error) error

// pipeQuerier is a querier over a Pipe.
type pipeQuerier struct{ p Pipe }

func (q pipeQuerier) exec(ctx context.Context, query string, args ...any) (int64, error) {
	return q.p.Exec(ctx, query, args...)
}

func (q pipeQuerier) query(ctx context.Context, query string, args ...any) (Rows, error) {
	return q.p.Query(ctx, query, args...)
}

func (q pipeQuerier) queryRow(ctx context.Context, query string, args ...any) Row {
	return q.p.QueryRow(ctx, query, args...)
}

func (q pipeQuerier) queue(query string, args []any, expect int64, done func(int64, error) error) {
	q.p.Queue(query, args, expect, done)
}
