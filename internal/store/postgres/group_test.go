package postgres

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/payhost/payhost/internal/store"
	"github.com/payhost/payhost/internal/store/postgres/pgtest"
)

// groupFixture is a migrated schema with a table of its own, and
// connections to it.
type groupFixture struct {
	dsn string
}

func newGroupFixture(t *testing.T) groupFixture {
	t.Helper()
	dsn := pgtest.DSN(t)
	st, err := Open(t.Context(), dsn, store.Options{}) // payhost_expect
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	f := groupFixture{dsn: dsn}
	c := f.conn(t)
	if _, err := c.Exec(t.Context(), "CREATE TABLE grouped (id BIGINT PRIMARY KEY, v BIGINT NOT NULL)"); err != nil {
		t.Fatal(err)
	}
	return f
}

func (f groupFixture) conn(t *testing.T) *pgx.Conn {
	t.Helper()
	c, err := pgx.Connect(t.Context(), f.dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close(context.Background()) })
	return c
}

// rows returns the table's rows, id to v.
func (f groupFixture) rows(t *testing.T) map[int64]int64 {
	t.Helper()
	rows, err := f.conn(t).Query(t.Context(), "SELECT id, v FROM grouped")
	if err != nil {
		t.Fatal(err)
	}
	got := map[int64]int64{}
	for rows.Next() {
		var id, v int64
		if err := rows.Scan(&id, &v); err != nil {
			t.Fatal(err)
		}
		got[id] = v
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return got
}

// blindWrite is one write of a blind transaction, and what its result
// callback was told.
type blindWrite struct {
	sql    string
	args   []any
	expect int64

	called int
	rows   int64
	err    error
}

// commitBlind queues writes on a pipe of conn and commits them through g,
// as a transaction whose writes were all held back.
func commitBlind(ctx context.Context, conn *pgx.Conn, g *groupCommitter, writes []*blindWrite) error {
	p := &pipe{conn: conn, groups: g}
	for _, w := range writes {
		p.Queue(w.sql, w.args, w.expect, func(n int64, err error) error {
			w.called++
			w.rows, w.err = n, err
			return err
		})
	}
	return p.commit(ctx)
}

// queuedTx is a transaction for queueUp.
type queuedTx struct {
	ctx    context.Context
	conn   *pgx.Conn
	writes []*blindWrite
}

// queueUp starts committing txs through g, each once the one before it
// waits for a slot, so that they wait in this order. The function it
// returns waits for them all and returns their errors.
func queueUp(t *testing.T, g *groupCommitter, txs []queuedTx) func() []error {
	t.Helper()
	errs := make([]error, len(txs))
	var wg sync.WaitGroup
	for i, tx := range txs {
		wg.Go(func() { errs[i] = commitBlind(tx.ctx, tx.conn, g, tx.writes) })
		waitWaiting(t, g, i+1)
	}
	return func() []error {
		wg.Wait()
		return errs
	}
}

// busyCommitter returns a groupCommitter of one slot, in use elsewhere:
// every transaction waits until the test releases it, and then the
// first to go takes all the others.
func busyCommitter() *groupCommitter {
	g := newGroupCommitter(1)
	g.free = 0
	return g
}

// waitWaiting waits until n transactions wait for a slot of g.
func waitWaiting(t *testing.T, g *groupCommitter, n int) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(time.Millisecond) {
		g.mu.Lock()
		w := len(g.waiting)
		g.mu.Unlock()
		if w == n {
			return
		}
	}
	t.Fatalf("%d transactions never waited for a slot", n)
}

func TestGroupCommit(t *testing.T) {
	f := newGroupFixture(t)
	seed := f.conn(t)
	if _, err := seed.Exec(t.Context(), "INSERT INTO grouped VALUES (100, 0), (101, 0)"); err != nil {
		t.Fatal(err)
	}

	// Each transaction inserts its row and adds to a row many share;
	// some fail: a duplicate key (100 is there), an update that must
	// change one row and changes none.
	type txCase struct {
		name    string
		writes  []*blindWrite
		wantErr string // SQLSTATE; "" when the transaction commits
	}
	var cases []*txCase
	for i := range 8 {
		cases = append(cases, &txCase{name: fmt.Sprintf("ok%d", i), writes: []*blindWrite{
			{sql: "INSERT INTO grouped VALUES ($1, $2)", args: []any{i, i}, expect: -1},
			{sql: "UPDATE grouped SET v = v + 1 WHERE id = 101", expect: 1},
		}})
		switch i {
		case 2:
			cases = append(cases, &txCase{name: "duplicate", wantErr: "23505", writes: []*blindWrite{
				{sql: "INSERT INTO grouped VALUES (50, 1)", expect: -1},
				{sql: "INSERT INTO grouped VALUES (100, 1)", expect: -1},
			}})
		case 5:
			cases = append(cases, &txCase{name: "no row", wantErr: "40001", writes: []*blindWrite{
				{sql: "INSERT INTO grouped VALUES (51, 1)", expect: -1},
				{sql: "UPDATE grouped SET v = 1 WHERE id = 999", expect: 1},
			}})
		}
	}

	g := busyCommitter()
	var sizes []int
	g.groupSizes = func(n int) { sizes = append(sizes, n) }
	txs := make([]queuedTx, len(cases))
	for i, c := range cases {
		txs[i] = queuedTx{t.Context(), f.conn(t), c.writes}
	}
	wait := queueUp(t, g, txs)
	g.release()
	errs := wait()

	if len(sizes) == 0 || sizes[0] != len(cases) {
		t.Errorf("group sizes %v, want a first group of all %d", sizes, len(cases))
	}
	for i, c := range cases {
		var pgErr *pgconn.PgError
		switch {
		case c.wantErr == "" && errs[i] != nil:
			t.Errorf("%s: %v", c.name, errs[i])
		case c.wantErr != "" && (!errors.As(errs[i], &pgErr) || pgErr.Code != c.wantErr):
			t.Errorf("%s: error %v, want SQLSTATE %s", c.name, errs[i], c.wantErr)
		}
		for j, w := range c.writes {
			if c.wantErr == "" && (w.called != 1 || w.err != nil || w.rows != 1) {
				t.Errorf("%s: write %d told %d times, last (%d rows, %v); want once (1 row, no error)", c.name, j, w.called, w.rows, w.err)
			}
		}
	}
	want := map[int64]int64{100: 0, 101: 8}
	for i := range 8 {
		want[int64(i)] = int64(i)
	}
	got := f.rows(t)
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("rows %v, want %v (the failed transactions' writes rolled back, every other one's applied once)", got, want)
	}
	if g.free != 1 || len(g.waiting) != 0 {
		t.Errorf("after: %d free slots, %d waiting; want 1, 0", g.free, len(g.waiting))
	}
}

// A lone transaction that finds a slot goes at once, with its own context.
func TestGroupCommitAlone(t *testing.T) {
	f := newGroupFixture(t)
	g := newGroupCommitter(2)
	var sizes []int
	g.groupSizes = func(n int) { sizes = append(sizes, n) }
	w := &blindWrite{sql: "INSERT INTO grouped VALUES (1, 1)", expect: -1}
	if err := commitBlind(t.Context(), f.conn(t), g, []*blindWrite{w}); err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(sizes) != "[1]" || w.called != 1 || w.rows != 1 {
		t.Errorf("sizes %v, write told %d times (%d rows); want [1], once (1 row)", sizes, w.called, w.rows)
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	err := commitBlind(ctx, f.conn(t), g, []*blindWrite{{sql: "INSERT INTO grouped VALUES (2, 2)", expect: -1}})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("commit under a canceled context: %v", err)
	}
	if got := f.rows(t); fmt.Sprint(got) != "map[1:1]" {
		t.Errorf("rows %v, want map[1:1]", got)
	}
}

// A transaction whose caller gives up while it waits for a slot leaves
// the queue, having written nothing; the others commit.
func TestGroupCommitCanceledWhileWaiting(t *testing.T) {
	f := newGroupFixture(t)
	g := busyCommitter()
	ctx, cancel := context.WithCancel(t.Context())
	wait := queueUp(t, g, []queuedTx{
		{ctx, f.conn(t), []*blindWrite{{sql: "INSERT INTO grouped VALUES (1, 1)", expect: -1}}},
		{t.Context(), f.conn(t), []*blindWrite{{sql: "INSERT INTO grouped VALUES (2, 2)", expect: -1}}},
	})
	cancel()
	waitWaiting(t, g, 1) // the canceled one left the queue, the slot still busy
	g.release()
	errs := wait()
	if !errors.Is(errs[0], context.Canceled) {
		t.Fatalf("the canceled transaction: %v", errs[0])
	}
	if errs[1] != nil {
		t.Fatalf("the other transaction: %v", errs[1])
	}
	if got := f.rows(t); fmt.Sprint(got) != "map[2:2]" {
		t.Errorf("rows %v, want map[2:2]", got)
	}
}

// When the group's outcome is unknown (here its connection is gone before
// it is sent), every transaction of it fails; none is run alone.
func TestGroupCommitUnknownOutcome(t *testing.T) {
	f := newGroupFixture(t)
	g := busyCommitter()
	broken := f.conn(t)
	if err := broken.Close(t.Context()); err != nil {
		t.Fatal(err)
	}
	var txs []queuedTx
	for i, c := range []*pgx.Conn{broken, f.conn(t), f.conn(t)} {
		txs = append(txs, queuedTx{t.Context(), c, []*blindWrite{{sql: "INSERT INTO grouped VALUES ($1, 1)", args: []any{i}, expect: -1}}})
	}
	wait := queueUp(t, g, txs)
	g.release()
	for i, err := range wait() {
		if err == nil {
			t.Errorf("transaction %d committed on a closed connection's group", i)
		}
	}
	if got := f.rows(t); len(got) != 0 {
		t.Errorf("rows %v, want none", got)
	}
}
