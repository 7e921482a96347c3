package webhook_test

import (
	"bytes"
	"context"
	"net/http"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/payhost/payhost/internal/store"
	"github.com/payhost/payhost/internal/webhook"
)

func TestDeliver(t *testing.T) {
	forEachBackend(t, func(t *testing.T, open opener) {
		st := open(t, store.Options{})
		m := newMerchant(t, "whsec_deliver", nil)
		opts := quick()
		// Only Notify wakes the dispatcher once it has started.
		opts.PollInterval = time.Hour
		first := appendEvents(t, st, 1)
		d := startDispatcher(t, t.Context(), st, m, m.endpoints("/events"), opts)
		// The first claim, at Start, finds the first event; the dispatcher
		// then sleeps until Notify.
		waitFor(t, "the first event's delivery", func() bool { return !event(t, st, first[0]).DeliveredAt.IsZero() })
		ids := append(first, appendEvents(t, st, 3)...)
		d.Notify()
		for _, id := range ids {
			waitFor(t, "event "+id+" delivered", func() bool { return !event(t, st, id).DeliveredAt.IsZero() })
		}

		got := m.received()
		if len(got) != len(ids) {
			t.Fatalf("the merchant got %d requests, want %d", len(got), len(ids))
		}
		// Several workers deliver at once: arrivals keep no order.
		slices.SortFunc(got, func(a, b received) int { return strings.Compare(a.eventID, b.eventID) })
		slices.Sort(ids)
		for i, r := range got {
			e := event(t, st, ids[i])
			switch {
			case r.eventID != e.ID || r.bodyID != e.ID:
				t.Errorf("request %d: %s %q, body id %q; want %s", i, webhook.EventIDHeader, r.eventID, r.bodyID, e.ID)
			case r.verified != nil:
				t.Errorf("request %d: Verify = %v", i, r.verified)
			case !bytes.Equal(r.body, e.Payload):
				t.Errorf("request %d: body %s, want the payload as stored: %s", i, r.body, e.Payload)
			case r.contentType != "application/json" || !strings.HasPrefix(r.userAgent, "payhost/"):
				t.Errorf("request %d: Content-Type %q, User-Agent %q", i, r.contentType, r.userAgent)
			case e.Attempts != 1 || e.LeaseOwner != "":
				t.Errorf("event %s: %d attempts, lease %q; want 1 and none", e.ID, e.Attempts, e.LeaseOwner)
			}
			log := deliveryLog(t, st, e.ID)
			if len(log) != 1 || log[0].Attempt != 1 || log[0].HTTPStatus != http.StatusNoContent || log[0].Error != "" {
				t.Errorf("event %s: delivery log %+v, want one attempt answered 204", e.ID, log)
			}
		}
	})
}

// hangUp closes the connection without answering.
func hangUp(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err == nil {
		_ = conn.Close()
	}
}

func TestRetryUntilRecovered(t *testing.T) {
	const (
		secret = "whsec_retry"
		// token is in the URL's query, and must not be logged or recorded.
		token = "url-token-must-not-be-logged"
	)
	// The merchant fails each event's first four attempts, each its own
	// way, then takes it.
	answers := []struct {
		answer func(w http.ResponseWriter, r *http.Request)
		status int
		err    string // "" for any error but the empty one
	}{
		{func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusServiceUnavailable) },
			http.StatusServiceUnavailable, "merchant answered 503 Service Unavailable"},
		{func(w http.ResponseWriter, r *http.Request) { hangUp(w) }, 0, ""},
		{func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/moved", http.StatusFound) },
			http.StatusFound, "merchant answered 302 Found"},
		{func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() }, 0, "no answer within 1s"},
		{func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusOK) }, http.StatusOK, "-"},
	}
	forEachBackend(t, func(t *testing.T, open opener) {
		st := open(t, store.Options{})
		m := newMerchant(t, secret, func(w http.ResponseWriter, r *http.Request, attempt int) {
			answers[min(attempt, len(answers))-1].answer(w, r)
		})
		opts := quick()
		opts.Timeout = time.Second
		opts.Logger, _ = newLogger(t, secret, token)
		startDispatcher(t, t.Context(), st, m, m.endpoints("/events?token="+token), opts)
		ids := appendEvents(t, st, 5)
		for _, id := range ids {
			waitFor(t, "event "+id+" delivered", func() bool { return !event(t, st, id).DeliveredAt.IsZero() })
		}

		for _, r := range m.received() {
			if r.verified != nil || r.eventID != r.bodyID {
				t.Errorf("request for %s (body id %s): Verify = %v", r.eventID, r.bodyID, r.verified)
			}
		}
		for _, id := range ids {
			if n := m.count(id); n != len(answers) {
				t.Errorf("event %s reached the merchant %d times, want %d", id, n, len(answers))
			}
			if e := event(t, st, id); e.Attempts != len(answers) {
				t.Errorf("event %s: %d attempts, want %d", id, e.Attempts, len(answers))
			}
			log := deliveryLog(t, st, id)
			if len(log) != len(answers) {
				t.Fatalf("event %s: delivery log %+v, want %d attempts", id, log, len(answers))
			}
			for i, a := range log {
				want := answers[i]
				switch {
				case a.Attempt != i+1 || a.HTTPStatus != want.status:
					t.Errorf("event %s attempt %d: %+v, want status %d", id, i+1, a, want.status)
				case want.err == "-" && a.Error != "", want.err == "" && a.Error == "",
					want.err != "" && want.err != "-" && a.Error != want.err:
					t.Errorf("event %s attempt %d: error %q, want %q", id, i+1, a.Error, want.err)
				case strings.Contains(a.Error, token) || strings.Contains(a.Error, m.srv.URL):
					t.Errorf("event %s attempt %d: error %q shows the URL", id, i+1, a.Error)
				}
			}
		}
	})
}

func TestGiveUp(t *testing.T) {
	const secret = "whsec_give_up"
	const horizon = 30 * time.Millisecond
	tests := []struct {
		name      string
		endpoints func(*merchant) webhook.Endpoints
		status    int
		err       string
		// reaches says whether attempts reach the merchant; those that do
		// not are given up at once rather than at the horizon.
		reaches bool
	}{
		{"the merchant keeps failing", func(m *merchant) webhook.Endpoints { return m.endpoints("/events") },
			http.StatusInternalServerError, "merchant answered 500 Internal Server Error", true},
		{"the merchant has no webhook", func(*merchant) webhook.Endpoints { return webhook.EndpointMap{} },
			0, "merchant has no webhook endpoint", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			forEachBackend(t, func(t *testing.T, open opener) {
				st := open(t, store.Options{})
				m := newMerchant(t, secret, func(w http.ResponseWriter, r *http.Request, attempt int) {
					w.WriteHeader(http.StatusInternalServerError)
				})
				opts := quick()
				opts.Backoff = webhook.Backoff{Delays: []time.Duration{2 * time.Millisecond}, Horizon: horizon}
				var logs *logBuffer
				opts.Logger, logs = newLogger(t, secret)
				d := startDispatcher(t, t.Context(), st, m, tt.endpoints(m), opts)
				id := appendEvents(t, st, 1)[0]
				waitFor(t, "the event given up", func() bool { return !event(t, st, id).FailedAt.IsZero() })
				d.Close() // and so every line is logged

				e := event(t, st, id)
				log := deliveryLog(t, st, id)
				reached := 0
				if tt.reaches {
					reached = len(log)
				}
				switch {
				case len(log) == 0:
					t.Fatalf("event %+v given up with no attempt logged", e)
				case !e.DeliveredAt.IsZero() || e.Attempts != len(log) || m.count(id) != reached:
					t.Errorf("event %+v: %d attempts logged, %d reached the merchant", e, len(log), m.count(id))
				case !tt.reaches && len(log) != 1:
					t.Errorf("%d attempts, want 1", len(log))
				case tt.reaches && log[len(log)-1].At.Before(e.CreatedAt.Add(horizon)):
					// How many attempts fit before the horizon depends on
					// the machine; that none gives up before it does not.
					t.Errorf("given up after %d attempts, the last %s after the event; want the last at or past the horizon %s",
						len(log), log[len(log)-1].At.Sub(e.CreatedAt), horizon)
				}
				t.Logf("given up after %d attempts", len(log))
				for _, a := range log {
					if a.HTTPStatus != tt.status || a.Error != tt.err {
						t.Errorf("attempt %+v, want status %d, error %q", a, tt.status, tt.err)
					}
				}
				if !logged(logs.String(), "gave up delivering the event", "event="+id) {
					t.Errorf("no line of the log says that event %s was given up:\n%s", id, logs)
				}
			})
		})
	}
}

// logged reports whether a line of logs has every one of parts.
func logged(logs string, parts ...string) bool {
	for line := range strings.Lines(logs) {
		if !slices.ContainsFunc(parts, func(p string) bool { return !strings.Contains(line, p) }) {
			return true
		}
	}
	return false
}

// TestTwoHosts runs two dispatchers, each on its own handle (its own
// connections: another host), over one database: every event reaches the
// merchant exactly once when nothing fails.
func TestTwoHosts(t *testing.T) {
	const events = 1000
	forEachBackend(t, func(t *testing.T, open opener) {
		hosts := []string{"host-a", "host-b"}
		m := newMerchant(t, "whsec_two_hosts", nil)
		var st store.Store
		var dispatchers []*webhook.Dispatcher
		for _, host := range hosts {
			st = open(t, store.Options{})
			opts := quick()
			opts.Owner, opts.UserAgent = host, "payhost/"+host
			dispatchers = append(dispatchers, startDispatcher(t, t.Context(), st, m, m.endpoints("/events"), opts))
		}
		ids := appendEvents(t, st, events)
		waitFor(t, "every event at the merchant", func() bool { return m.distinct() == events })
		for _, d := range dispatchers {
			d.Close()
		}

		got := m.received()
		if len(got) != events {
			t.Errorf("the merchant got %d requests for %d events", len(got), events)
		}
		perHost := map[string]int{}
		for _, r := range got {
			perHost[r.userAgent]++
			if r.verified != nil {
				t.Errorf("event %s: Verify = %v", r.eventID, r.verified)
			}
		}
		for _, id := range ids {
			if n := m.count(id); n != 1 {
				t.Errorf("event %s reached the merchant %d times", id, n)
			}
			if e := event(t, st, id); e.DeliveredAt.IsZero() || e.Attempts != 1 {
				t.Errorf("event %s: delivered at %s after %d attempts; want delivered after 1", id, e.DeliveredAt, e.Attempts)
			}
		}
		t.Logf("deliveries per host: %v", perHost)
	})
}

// TestLeaseExpiry kills a host mid-delivery: its event stays leased to it,
// then another host delivers it once the lease has run out.
func TestLeaseExpiry(t *testing.T) {
	const secret = "whsec_lease"
	forEachBackend(t, func(t *testing.T, open opener) {
		// The first attempt hangs until the host that made it goes away.
		m := newMerchant(t, secret, func(w http.ResponseWriter, r *http.Request, attempt int) {
			if attempt == 1 {
				<-r.Context().Done()
				return
			}
			w.WriteHeader(http.StatusOK)
		})
		optsA, optsB := quick(), quick()
		optsA.Owner, optsA.UserAgent = "host-a", "payhost/host-a"
		optsB.Owner, optsB.UserAgent = "host-b", "payhost/host-b"

		stA := open(t, store.Options{})
		ctxA, killA := context.WithCancel(t.Context())
		a := startDispatcher(t, ctxA, stA, m, m.endpoints("/events"), optsA)
		id := appendEvents(t, stA, 1)[0]
		a.Notify()
		waitFor(t, "host A's request", func() bool { return m.count(id) == 1 })
		killA()
		a.Close()

		if e := event(t, stA, id); e.LeaseOwner != "host-a" || e.Attempts != 0 || len(deliveryLog(t, stA, id)) != 0 {
			t.Fatalf("after host A died: %+v; want it leased to host-a, with no attempt recorded", e)
		}
		// Host B's clock runs ahead by the lease once A has died.
		var ahead atomic.Int64
		stB := open(t, store.Options{Clock: func() time.Time { return time.Now().Add(time.Duration(ahead.Load())) }})
		if claimed := claim(t, stB, "probe"); len(claimed) != 0 {
			t.Fatalf("claimed %+v while host A's lease lives", claimed)
		}
		ahead.Store(int64(optsA.Lease))
		startDispatcher(t, t.Context(), stB, m, m.endpoints("/events"), optsB)
		waitFor(t, "host B's delivery", func() bool { return !event(t, stB, id).DeliveredAt.IsZero() })

		got := m.received()
		if len(got) != 2 || got[0].userAgent != "payhost/host-a" || got[1].userAgent != "payhost/host-b" {
			t.Fatalf("the merchant got %+v; want host A's request, then host B's", got)
		}
		for _, r := range got {
			if r.eventID != id || r.bodyID != id || r.verified != nil {
				t.Errorf("request for %s (body id %s): Verify = %v; want event %s, verified", r.eventID, r.bodyID, r.verified, id)
			}
		}
		if log := deliveryLog(t, stB, id); len(log) != 1 || log[0].HTTPStatus != http.StatusOK {
			t.Errorf("delivery log %+v; want host B's one attempt, answered 200", log)
		}
	})
}

// claim claims due events for owner, as a host would.
func claim(tb testing.TB, st store.Store, owner string) []store.Event {
	tb.Helper()
	var events []store.Event
	err := st.InTx(context.Background(), func(tx store.Tx) (err error) {
		events, err = tx.ClaimEvents(context.Background(), owner, 10, time.Minute)
		return err
	})
	if err != nil {
		tb.Fatal(err)
	}
	return events
}

// TestCloseFinishesDeliveries: Close lets a delivery in flight finish and
// be recorded.
func TestCloseFinishesDeliveries(t *testing.T) {
	forEachBackend(t, func(t *testing.T, open opener) {
		st := open(t, store.Options{})
		release := make(chan struct{})
		m := newMerchant(t, "whsec_close", func(w http.ResponseWriter, r *http.Request, attempt int) {
			<-release
			w.WriteHeader(http.StatusAccepted)
		})
		d := startDispatcher(t, t.Context(), st, m, m.endpoints("/events"), quick())
		id := appendEvents(t, st, 1)[0]
		d.Notify()
		waitFor(t, "the request", func() bool { return m.count(id) == 1 })
		closed := make(chan struct{})
		go func() {
			d.Close()
			close(closed)
		}()
		close(release)
		<-closed
		if log := deliveryLog(t, st, id); len(log) != 1 || log[0].HTTPStatus != http.StatusAccepted {
			t.Errorf("delivery log after Close: %+v; want the attempt in flight, answered 202", log)
		}
	})
}

func TestNewDispatcherRejects(t *testing.T) {
	tests := []struct {
		name string
		opts webhook.Options
	}{
		{"lease within the timeout", webhook.Options{Timeout: time.Minute, Lease: time.Minute}},
		{"lease within the default timeout", webhook.Options{Lease: time.Second}},
		{"negative workers", webhook.Options{Workers: -1}},
		{"negative poll interval", webhook.Options{PollInterval: -time.Second}},
		{"backoff without horizon", webhook.Options{Backoff: webhook.Backoff{Delays: []time.Duration{time.Second}}}},
		{"backoff without delays", webhook.Options{Backoff: webhook.Backoff{Horizon: time.Hour}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := webhook.NewDispatcher(nil, webhook.EndpointMap{}, tt.opts); err == nil {
				t.Errorf("NewDispatcher(%+v) succeeded", tt.opts)
			}
		})
	}
}
