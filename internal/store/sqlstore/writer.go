package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
)

// writer runs the store's write transactions.
type writer interface {
	// inTx runs fn in a write transaction and returns nil once fn's writes
	// are committed. An error of fn comes back as it is; a panic of fn
	// rolls its writes back and goes on.
	inTx(ctx context.Context, fn func(querier) error) error
	close() error
}

// poolWriter runs each write transaction as a transaction of a connection
// pool (PostgreSQL, whose server commits concurrent transactions together).
type poolWriter struct {
	db *sql.DB
}

func (w poolWriter) inTx(ctx context.Context, fn func(querier) error) error {
	sqlTx, err := w.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin a transaction: %w", err)
	}
	defer func() {
		if p := recover(); p != nil {
			_ = sqlTx.Rollback()
			panic(p)
		}
	}()
	if err := fn(sqlQuerier{sqlTx}); err != nil {
		_ = sqlTx.Rollback()
		return err
	}
	if err := sqlTx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

func (w poolWriter) close() error { return w.db.Close() }

// pipeWriter runs each write transaction as a Pipeline's, over a pool
// that it closes.
type pipeWriter struct {
	db  *sql.DB
	run Pipeline
}

func (w pipeWriter) inTx(ctx context.Context, fn func(querier) error) error {
	return w.run(ctx, func(p Pipe) error { return fn(pipeQuerier{p}) })
}

func (w pipeWriter) close() error { return w.db.Close() }

// maxGroup bounds how many write transactions one COMMIT ends, and so how
// long the first of them waits and the file stays locked.
const maxGroup = 32

// groupWriter runs the write transactions of a database that takes one
// writer at a time (SQLite) on one connection, several to a database
// transaction: the first in the database transaction itself, each later
// one in its own SAVEPOINT, and the group committed by one COMMIT (one
// fsync) as soon as no other write transaction waits, or the group is
// full. A write transaction returns only after the COMMIT that made it
// durable; when that COMMIT fails, every transaction of the group fails
// with it, none having returned before. Transactions of a group run one
// after the other, so each sees the writes of those before it, which
// commit with it or not at all.
type groupWriter struct {
	db *sql.DB
	// waiting counts the callers blocked on mu: while there are any, the
	// group stays open for them.
	waiting atomic.Int32
	mu      sync.Mutex
	conn    *stmtConn // under mu
	group   *group    // the open database transaction, or nil; under mu
}

// group is one database transaction shared by write transactions.
type group struct {
	size int
	done chan struct{} // closed once committed or rolled back
	err  error         // why the group did not commit; set before done closes
}

// newGroupWriter takes the one connection of db (which should allow no
// more) for its writes.
func newGroupWriter(ctx context.Context, db *sql.DB) (*groupWriter, error) {
	c, err := db.Conn(ctx)
	if err != nil {
		return nil, err
	}
	return &groupWriter{db: db, conn: &stmtConn{conn: c, stmts: map[string]*sql.Stmt{}}}, nil
}

func (w *groupWriter) inTx(ctx context.Context, fn func(querier) error) error {
	w.waiting.Add(1)
	w.mu.Lock()
	w.waiting.Add(-1)
	g, err := w.join(ctx)
	if err != nil {
		w.mu.Unlock()
		return err
	}
	var (
		fnErr    error
		panicked any
	)
	if g.size == 0 {
		panicked, fnErr = w.runFirst(g, fn)
	} else {
		panicked, fnErr = w.runSavepoint(g, fn)
	}
	if w.group == g {
		g.size++
		if w.waiting.Load() == 0 || g.size >= maxGroup {
			w.end(g, w.exec("COMMIT"))
		}
	}
	w.mu.Unlock()
	if panicked != nil {
		panic(panicked)
	}
	if fnErr != nil {
		return fnErr // its writes were rolled back: nothing to wait for
	}
	<-g.done
	return g.err
}

// join returns the open group, beginning one when there is none.
func (w *groupWriter) join(ctx context.Context) (*group, error) {
	if w.group != nil {
		return w.group, nil
	}
	// IMMEDIATE: the write lock from the start, waiting for other
	// processes' transactions under the busy timeout.
	if _, err := w.conn.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
		return nil, fmt.Errorf("begin a transaction: %w", err)
	}
	w.group = &group{done: make(chan struct{})}
	return w.group, nil
}

// runFirst runs fn, the first transaction of group g, in the database
// transaction: when fn fails or panics, nothing else is in the group yet,
// and the group ends rolled back.
func (w *groupWriter) runFirst(g *group, fn func(querier) error) (panicked any, fnErr error) {
	panicked, fnErr = w.call(fn)
	if fnErr != nil {
		_ = w.exec("ROLLBACK")
		w.group = nil
		close(g.done)
	}
	return panicked, fnErr
}

// call runs fn on the connection, returning its panic rather than raising
// it.
func (w *groupWriter) call(fn func(querier) error) (panicked any, err error) {
	defer func() {
		if p := recover(); p != nil {
			panicked, err = p, errors.New("panic")
		}
	}()
	return nil, fn(sqlQuerier{w.conn})
}

// runSavepoint runs fn in a savepoint of group g, releasing it when fn
// succeeds and rolling it back when fn fails or panics (the panic is
// returned, to be raised once mu is free). When the savepoint itself fails,
// the database may have rolled the whole transaction back: then the group
// ends with that error.
func (w *groupWriter) runSavepoint(g *group, fn func(querier) error) (panicked any, fnErr error) {
	if err := w.exec("SAVEPOINT tx"); err != nil {
		w.end(g, err)
		return nil, fmt.Errorf("begin a transaction: %w", err)
	}
	panicked, fnErr = w.call(fn)
	if fnErr == nil {
		if err := w.exec("RELEASE tx"); err != nil {
			w.end(g, err)
			return nil, fmt.Errorf("commit: %w", err)
		}
		return nil, nil
	}
	if err := errors.Join(w.exec("ROLLBACK TO tx"), w.exec("RELEASE tx")); err != nil {
		w.end(g, err)
	}
	return panicked, fnErr
}

// end ends group g: committed when err is nil, else rolled back with err
// for all its transactions.
func (w *groupWriter) end(g *group, err error) {
	if err != nil {
		_ = w.exec("ROLLBACK")
		g.err = fmt.Errorf("commit: the transaction was rolled back: %w", err)
	}
	w.group = nil
	close(g.done)
}

// exec runs a transaction-control statement, prepared once. They run
// whatever the caller's context: other callers' writes depend on them.
func (w *groupWriter) exec(stmt string) error {
	_, err := w.conn.ExecContext(context.Background(), stmt)
	return err
}

func (w *groupWriter) close() error {
	return errors.Join(w.conn.close(), w.db.Close())
}

// stmtConn is a connection that prepares each query once and keeps the
// prepared statement: parsing costs more than running most of ours.
type stmtConn struct {
	conn  *sql.Conn
	stmts map[string]*sql.Stmt
}

func (c *stmtConn) stmt(ctx context.Context, query string) (*sql.Stmt, error) {
	if s, ok := c.stmts[query]; ok {
		return s, nil
	}
	s, err := c.conn.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	c.stmts[query] = s
	return s, nil
}

// ExecContext runs query, prepared once, with args.
func (c *stmtConn) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	s, err := c.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	return s.ExecContext(ctx, args...)
}

// QueryContext runs query, prepared once, with args.
func (c *stmtConn) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	s, err := c.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	return s.QueryContext(ctx, args...)
}

// QueryRowContext runs query, prepared once, with args.
func (c *stmtConn) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	s, err := c.stmt(ctx, query)
	if err != nil {
		// The unprepared query fails the same way, in a *sql.Row.
		return c.conn.QueryRowContext(ctx, query, args...)
	}
	return s.QueryRowContext(ctx, args...)
}

func (c *stmtConn) close() error {
	var errs []error
	for _, s := range c.stmts {
		errs = append(errs, s.Close())
	}
	return errors.Join(append(errs, c.conn.Close())...)
}
