package webhook_test

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/payhost/payhost/internal/store"
)

// claimLog is a store whose transactions log their claims.
type claimLog struct {
	store.Store
	mu     sync.Mutex
	claims []claimed
}

// claimed is one ClaimEvents: when it was called, and what it took.
type claimed struct {
	at  time.Time
	ids []string
}

func (s *claimLog) InTx(ctx context.Context, fn func(store.Tx) error) error {
	return s.Store.InTx(ctx, func(tx store.Tx) error { return fn(&claimLogTx{Tx: tx, log: s}) })
}

// get returns the claims so far.
func (s *claimLog) get() []claimed {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.claims)
}

// ids returns the events of each claim so far.
func (s *claimLog) ids() [][]string {
	var out [][]string
	for _, c := range s.get() {
		out = append(out, c.ids)
	}
	return out
}

// of returns the claim that took event id, or false.
func (s *claimLog) of(id string) (claimed, bool) {
	for _, c := range s.get() {
		if slices.Contains(c.ids, id) {
			return c, true
		}
	}
	return claimed{}, false
}

type claimLogTx struct {
	store.Tx
	log *claimLog
}

func (t *claimLogTx) ClaimEvents(ctx context.Context, owner string, limit int, lease time.Duration) ([]store.Event, error) {
	c := claimed{at: time.Now()}
	events, err := t.Tx.ClaimEvents(ctx, owner, limit, lease)
	for _, e := range events {
		c.ids = append(c.ids, e.ID)
	}
	t.log.mu.Lock()
	t.log.claims = append(t.log.claims, c)
	t.log.mu.Unlock()
	return events, err
}

// TestNotifyAfterQuiet: a Notify after a quiet spell is claimed for at
// once, however long ClaimDelay; the Notifies that follow it within
// ClaimDelay wait.
func TestNotifyAfterQuiet(t *testing.T) {
	forEachBackend(t, func(t *testing.T, open opener) {
		st := &claimLog{Store: open(t, store.Options{})}
		m := newMerchant(t, "whsec_quiet", nil)
		opts := quick()
		opts.PollInterval, opts.ClaimDelay = time.Hour, time.Hour
		d := startDispatcher(t, t.Context(), st, m, m.endpoints("/events"), opts)
		waitFor(t, "the first claim, at Start", func() bool { return len(st.get()) == 1 })

		lone := appendEvents(t, st, 1)[0]
		d.Notify()
		// Within waitLimit: long before ClaimDelay.
		waitFor(t, "the lone event delivered", func() bool { return m.count(lone) == 1 })

		var later []string
		for range 3 {
			later = append(later, appendEvents(t, st, 1)...)
			d.Notify()
		}
		time.Sleep(50 * time.Millisecond)
		if n := len(st.get()); n != 2 {
			t.Errorf("%d claims: want the one at Start and the lone event's, the later events waiting for ClaimDelay", n)
		}
		for _, id := range later {
			if m.count(id) != 0 {
				t.Errorf("event %s delivered within ClaimDelay of the lone event's claim", id)
			}
		}
		d.Close() // does not wait for ClaimDelay
	})
}

// TestNotifyGathers: the events whose Notify follows a claim within
// ClaimDelay are claimed together, ClaimDelay after it.
func TestNotifyGathers(t *testing.T) {
	const delay = 300 * time.Millisecond
	forEachBackend(t, func(t *testing.T, open opener) {
		st := &claimLog{Store: open(t, store.Options{})}
		m := newMerchant(t, "whsec_gather", nil)
		opts := quick()
		opts.PollInterval, opts.ClaimDelay = time.Hour, delay
		d := startDispatcher(t, t.Context(), st, m, m.endpoints("/events"), opts)
		waitFor(t, "the first claim, at Start", func() bool { return len(st.get()) == 1 })

		first := appendEvents(t, st, 1)[0]
		d.Notify()
		var burst []string
		for range 5 {
			burst = append(burst, appendEvents(t, st, 1)...)
			d.Notify()
		}
		appended := time.Now()
		for _, id := range append(burst, first) {
			waitFor(t, "event "+id+" delivered", func() bool { return m.count(id) == 1 })
		}

		c1, ok := st.of(first)
		if !ok {
			t.Fatalf("no claim took event %s: claims %v", first, st.ids())
		}
		if appended.After(c1.at.Add(delay)) {
			t.Skipf("appending the burst took longer than ClaimDelay (%s): a busy machine", delay)
		}
		c2, ok := st.of(burst[len(burst)-1])
		switch {
		case !ok:
			t.Fatalf("no claim took event %s: claims %v", burst[len(burst)-1], st.ids())
		case c2.at.Equal(c1.at):
			// One claim took them all.
		case c2.at.Before(c1.at.Add(delay / 2)):
			// (The dispatcher times ClaimDelay from just before its
			// claims, which this log times a little later, unevenly.)
			t.Errorf("the burst was claimed %s after the first event's claim, well within ClaimDelay %s", c2.at.Sub(c1.at), delay)
		}
		// The first event may have been claimed alone or with the start
		// of the burst; the rest of the burst came in one claim.
		for _, id := range burst {
			if c, _ := st.of(id); !slices.Equal(c.ids, c2.ids) && !slices.Equal(c.ids, c1.ids) {
				t.Errorf("event %s was claimed apart: claims %v", id, st.ids())
			}
		}
	})
}
