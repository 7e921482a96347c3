package postgres

import (
	"context"
	"errors"
	"slices"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// Group commits. A transaction whose writes were all held back until its
// commit (a blind transaction: a payment's first, and usually its last)
// is one batch, one implicit transaction. Under load, the server's cost
// of a transaction is as much in the transaction as in its statements:
// the round trip and its wake-ups, starting and committing it, the WAL
// flush. So blind transactions that arrive while the store already
// commits as many as it lets at once (groupSlots) wait, and the next to
// go takes every one waiting with it: their statements, in order, in one
// batch, one implicit transaction, one commit. A transaction that finds a
// slot free goes at once, alone: one client waits no longer than before.
//
// A group is all or nothing on the server: when a statement of it fails
// (a duplicate key, a write that changed no row where it had to, a lost
// race), the server rolls the whole group back. The transaction that
// failed is then run alone, and learns its error as it would have; the
// others are run again, as a group, in the same order. Any order of the
// transactions alone is one the server could have chosen, so each learns
// what it would have learnt committing alone. A group whose outcome is
// unknown (the connection broke) fails every transaction of it, as a
// lone transaction's would fail its caller.
//
// Each transaction's result callbacks run only once its group committed,
// each with its statement's result, in the order the transaction queued
// them.

const (
	// groupSlots is how many batches of blind transactions may be in
	// flight at once: more spreads the statements over more server
	// processes (cores), fewer makes larger groups.
	groupSlots = 2
	// maxGroup bounds how many transactions one commit ends.
	maxGroup = 32
)

// groupCommitter commits blind transactions, in groups under load. Its
// zero value is not usable: see newGroupCommitter.
type groupCommitter struct {
	mu sync.Mutex
	// free counts the slots not in use. A transaction waits only while
	// there are none.
	free int
	// waiting are the transactions waiting for a slot, oldest first.
	waiting []*blindTx
	// groupSizes, when set, is told the size of each group sent (tests).
	groupSizes func(int)
}

func newGroupCommitter(slots int) *groupCommitter {
	return &groupCommitter{free: slots}
}

// blindTx is one blind transaction waiting to be committed.
type blindTx struct {
	ctx    context.Context
	conn   *pgx.Conn
	writes []queuedWrite
	// turn is closed when err is the transaction's outcome or, with lead
	// set, when the transaction has a slot to send a group in.
	turn chan struct{}
	lead bool
	err  error
}

// commit sends writes as one implicit transaction, possibly with other
// transactions' (see Group commits), and returns once it knows their
// outcome. conn is the caller's connection: a transaction that leads a
// group sends it on its own connection.
func (g *groupCommitter) commit(ctx context.Context, conn *pgx.Conn, writes []queuedWrite) error {
	t := &blindTx{ctx: ctx, conn: conn, writes: writes}
	g.mu.Lock()
	if g.free > 0 {
		g.free--
		g.mu.Unlock()
		return g.lead(t)
	}
	t.turn = make(chan struct{})
	g.waiting = append(g.waiting, t)
	g.mu.Unlock()
	select {
	case <-t.turn:
	case <-ctx.Done():
		g.mu.Lock()
		if i := slices.Index(g.waiting, t); i >= 0 {
			// Not taken yet: nothing was sent.
			g.waiting = slices.Delete(g.waiting, i, i+1)
			g.mu.Unlock()
			return ctx.Err()
		}
		g.mu.Unlock()
		// Taken into a group, or given the lead: the caller must learn
		// the outcome.
		<-t.turn
	}
	if t.lead {
		return g.lead(t)
	}
	return t.err
}

// lead sends t, with the transactions waiting, on t's connection, holding
// a slot that it then hands to the oldest transaction still waiting.
func (g *groupCommitter) lead(t *blindTx) error {
	g.mu.Lock()
	n := min(len(g.waiting), maxGroup-1)
	group := make([]*blindTx, 0, n+1)
	group = append(group, t)
	group = append(group, g.waiting[:n]...)
	g.waiting = slices.Delete(g.waiting, 0, n)
	g.mu.Unlock()
	defer func() {
		p := recover()
		for _, m := range group[1:] {
			if p != nil && m.err == nil {
				m.err = errors.New("postgres store: a transaction of the group panicked")
			}
			close(m.turn)
		}
		g.release()
		if p != nil {
			panic(p)
		}
	}()
	if g.groupSizes != nil {
		g.groupSizes(len(group))
	}
	if len(group) == 1 {
		t.err = sendWrites(t.ctx, t.conn, t.writes)
		return t.err
	}
	ctx, cancel := groupContext(group)
	defer cancel()
	sendGroup(ctx, t.conn, group)
	return t.err
}

// release gives up a slot: to the oldest transaction waiting, which then
// leads the next group, or back to the free ones.
func (g *groupCommitter) release() {
	g.mu.Lock()
	defer g.mu.Unlock()
	if len(g.waiting) == 0 {
		g.free++
		return
	}
	next := g.waiting[0]
	g.waiting = g.waiting[1:]
	next.lead = true
	close(next.turn)
}

// groupContext is the context a group is sent under: no one caller's,
// whose cancellation would break the others' transactions; the latest of
// their deadlines, if they all have one.
func groupContext(group []*blindTx) (context.Context, context.CancelFunc) {
	ctx := context.WithoutCancel(group[0].ctx)
	var latest time.Time
	for _, t := range group {
		d, ok := t.ctx.Deadline()
		if !ok {
			return ctx, func() {}
		}
		if d.After(latest) {
			latest = d
		}
	}
	return context.WithDeadline(ctx, latest)
}

// sendGroup commits group's transactions as one implicit transaction on
// conn and sets each one's err. When a statement fails, and so the server
// rolled the group back, its transaction runs alone and the others again.
func sendGroup(ctx context.Context, conn *pgx.Conn, group []*blindTx) {
	for len(group) > 0 {
		if len(group) == 1 {
			group[0].err = sendWrites(ctx, conn, group[0].writes)
			return
		}
		tags, err := sendStatements(ctx, conn, group)
		if err == nil {
			i := 0
			for _, t := range group {
				for _, w := range t.writes {
					if t.err == nil {
						t.err = w.done(tags[i].RowsAffected(), nil)
					}
					i++
				}
			}
			return
		}
		var pgErr *pgconn.PgError
		if !errors.As(err, &pgErr) || pgErr.Severity != "ERROR" {
			// The outcome is unknown.
			for _, t := range group {
				t.err = err
			}
			return
		}
		// Rolled back. The transaction whose statement failed runs
		// alone; when the failure was the commit's, each does.
		failed := owner(group, len(tags))
		if failed < 0 {
			for _, t := range group {
				t.err = sendWrites(ctx, conn, t.writes)
			}
			return
		}
		group[failed].err = sendWrites(ctx, conn, group[failed].writes)
		group = slices.Delete(slices.Clone(group), failed, failed+1)
	}
}

// sendStatements sends the writes of group as one batch and returns the
// results of the statements that succeeded, in order, and the first
// error: a statement's, which ends the batch, or the commit's.
func sendStatements(ctx context.Context, conn *pgx.Conn, group []*blindTx) ([]pgconn.CommandTag, error) {
	b := &pgx.Batch{}
	for _, t := range group {
		for _, w := range t.writes {
			b.Queue(w.sql, w.args...)
		}
	}
	br := conn.SendBatch(ctx, b)
	tags := make([]pgconn.CommandTag, 0, b.Len())
	for range b.Len() {
		tag, err := br.Exec()
		if err != nil {
			_ = br.Close()
			return tags, err
		}
		tags = append(tags, tag)
	}
	return tags, br.Close()
}

// owner returns the index in group of the transaction whose writes
// include the i-th statement of their batch, or -1 past the last.
func owner(group []*blindTx, i int) int {
	for j, t := range group {
		if i < len(t.writes) {
			return j
		}
		i -= len(t.writes)
	}
	return -1
}
