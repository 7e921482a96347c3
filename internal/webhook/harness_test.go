package webhook_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/go-hclog"

	"github.com/payhost/payhost/internal/store"
	"github.com/payhost/payhost/internal/store/postgres"
	"github.com/payhost/payhost/internal/store/postgres/pgtest"
	"github.com/payhost/payhost/internal/store/sqlite"
	"github.com/payhost/payhost/internal/webhook"
	"github.com/payhost/payhost/plugin"
)

const (
	// merchantID is the merchant of every test event.
	merchantID = "acme"
	// payloadMarker is in every event's payload, and must never be logged.
	payloadMarker = "payload-must-not-be-logged"
	// waitLimit keeps a broken test from hanging; nothing is asserted
	// about how long anything takes.
	waitLimit = time.Minute
)

// opener opens a handle, with its own connections, on one test database:
// each handle is another host. The handle closes when the test ends.
type opener func(tb testing.TB, opts store.Options) store.Store

// backends make a fresh database per test.
var backends = []struct {
	name  string
	newDB func(testing.TB) opener
}{
	{"sqlite", newSQLite},
	{"postgres", newPostgres},
}

// forEachBackend runs test once per backend, each on a fresh database.
func forEachBackend(t *testing.T, test func(t *testing.T, open opener)) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) { test(t, b.newDB(t)) })
	}
}

// newSQLite makes a database file in the test's temporary directory.
func newSQLite(tb testing.TB) opener {
	path := filepath.Join(tb.TempDir(), "payhost.db")
	return func(tb testing.TB, opts store.Options) store.Store {
		tb.Helper()
		return keep(tb)(sqlite.Open(context.Background(), path, opts))
	}
}

// newPostgres makes a schema of its own on the test server, dropped when
// the test ends (pgtest.DSN: skipped without a server, failed when
// PAYHOST_REQUIRE_POSTGRES=1).
func newPostgres(tb testing.TB) opener {
	tb.Helper()
	dsn := pgtest.DSN(tb)
	return func(tb testing.TB, opts store.Options) store.Store {
		tb.Helper()
		return keep(tb)(postgres.Open(context.Background(), dsn, opts))
	}
}

// keep fails tb on Open's error, and closes the store when tb ends.
func keep(tb testing.TB) func(store.Store, error) store.Store {
	return func(st store.Store, err error) store.Store {
		tb.Helper()
		if err != nil {
			tb.Fatal(err)
		}
		tb.Cleanup(func() { _ = st.Close() })
		return st
	}
}

// appendEvents appends n events of merchantID the way the engine does,
// with payloads {"id", "type", "created_at", "data"}, and returns their
// ids in order.
func appendEvents(tb testing.TB, st store.Store, n int) []string {
	tb.Helper()
	ids := make([]string, 0, n)
	const perTx = 200
	for len(ids) < n {
		err := st.InTx(context.Background(), func(tx store.Tx) error {
			for range min(perTx, n-len(ids)) {
				id := store.NewID(store.PrefixEvent)
				payload := fmt.Sprintf(`{"id":%q,"type":"payment.succeeded","created_at":%d,"data":{"id":"pay_%d","amount":1000,"currency":"USD","description":%q}}`,
					id, time.Now().Unix(), len(ids), payloadMarker)
				e := store.Event{ID: id, MerchantID: merchantID, Type: "payment.succeeded", Payload: json.RawMessage(payload)}
				if err := tx.AppendEvent(context.Background(), &e); err != nil {
					return err
				}
				ids = append(ids, id)
			}
			return nil
		})
		if err != nil {
			tb.Fatal(err)
		}
	}
	return ids
}

// waitFor polls cond until it holds, and fails tb when it never does.
func waitFor(tb testing.TB, what string, cond func() bool) {
	tb.Helper()
	deadline := time.Now().Add(waitLimit)
	for !cond() {
		if time.Now().After(deadline) {
			tb.Fatalf("still waiting, after %s, for %s", waitLimit, what)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// event reads an event, failing tb when it cannot.
func event(tb testing.TB, st store.Store, id string) *store.Event {
	tb.Helper()
	e, err := st.GetEvent(context.Background(), id)
	if err != nil {
		tb.Fatal(err)
	}
	return e
}

// deliveryLog reads an event's delivery attempts, failing tb when it
// cannot.
func deliveryLog(tb testing.TB, st store.Store, id string) []store.DeliveryAttempt {
	tb.Helper()
	log, err := st.ListDeliveryAttempts(context.Background(), id)
	if err != nil {
		tb.Fatal(err)
	}
	return log
}

// received is one request a merchant got.
type received struct {
	// eventID is the Payhost-Event-Id header, bodyID the body's "id".
	eventID, bodyID string
	userAgent       string
	contentType     string
	body            []byte
	// verified is what webhook.Verify said of the signature.
	verified error
}

// merchant is a webhook endpoint on a real HTTP server: it verifies and
// keeps every request, and answers as its answer function says.
type merchant struct {
	secret string
	// answer answers the attempt-th request of an event (from 1); nil
	// answers 204.
	answer func(w http.ResponseWriter, r *http.Request, attempt int)
	srv    *httptest.Server

	mu       sync.Mutex
	requests []received
	perEvent map[string]int
}

// newMerchant starts a merchant whose webhook secret is secret, stopped
// when tb ends.
func newMerchant(tb testing.TB, secret string, answer func(w http.ResponseWriter, r *http.Request, attempt int)) *merchant {
	m := &merchant{secret: secret, answer: answer, perEvent: map[string]int{}}
	m.srv = httptest.NewServer(http.HandlerFunc(m.serve))
	tb.Cleanup(m.srv.Close)
	return m
}

func (m *merchant) serve(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	var head struct{ ID string }
	_ = json.Unmarshal(body, &head)
	got := received{
		eventID: r.Header.Get(webhook.EventIDHeader), bodyID: head.ID,
		userAgent: r.UserAgent(), contentType: r.Header.Get("Content-Type"), body: body,
		verified: webhook.Verify(m.secret, r.Header.Get(webhook.SignatureHeader), body, 0),
	}
	m.mu.Lock()
	m.requests = append(m.requests, got)
	m.perEvent[got.eventID]++
	attempt := m.perEvent[got.eventID]
	m.mu.Unlock()
	if m.answer == nil {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	m.answer(w, r, attempt)
}

// received returns the requests so far, oldest first.
func (m *merchant) received() []received {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]received(nil), m.requests...)
}

// count returns how many requests carried event id.
func (m *merchant) count(id string) int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.perEvent[id]
}

// distinct returns how many events the merchant has seen.
func (m *merchant) distinct() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.perEvent)
}

// endpoints routes merchantID's events to the merchant at path (with any
// query) on its server.
func (m *merchant) endpoints(path string) webhook.EndpointMap {
	return webhook.EndpointMap{merchantID: {URL: m.srv.URL + path, Secret: plugin.NewSecret(m.secret)}}
}

// logBuffer collects a test's log output.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// newLogger returns a logger at trace level whose output, when tb ends
// (after the dispatchers started later have closed), must hold none of
// secrets and no payload.
func newLogger(tb testing.TB, secrets ...string) (hclog.Logger, *logBuffer) {
	var out logBuffer
	tb.Cleanup(func() {
		logs := out.String()
		for _, s := range append(secrets, payloadMarker) {
			if strings.Contains(logs, s) {
				tb.Errorf("the log shows %q:\n%s", s, logs)
			}
		}
	})
	return hclog.New(&hclog.LoggerOptions{Name: "webhook", Level: hclog.Trace, Output: &out}), &out
}

// startDispatcher starts a dispatcher of st to endpoints with opts
// (logging to a checked logger unless opts has one) until ctx ends or tb
// ends, and returns it.
func startDispatcher(tb testing.TB, ctx context.Context, st store.Store, m *merchant, endpoints webhook.Endpoints, opts webhook.Options) *webhook.Dispatcher {
	tb.Helper()
	if opts.Logger == nil {
		opts.Logger, _ = newLogger(tb, m.secret)
	}
	d, err := webhook.NewDispatcher(st, endpoints, opts)
	if err != nil {
		tb.Fatal(err)
	}
	d.Start(ctx)
	tb.Cleanup(d.Close)
	return d
}

// quick are options for tests: short polls and retries, generous
// timeouts.
func quick() webhook.Options {
	return webhook.Options{
		PollInterval: 5 * time.Millisecond,
		Timeout:      30 * time.Second,
		Lease:        time.Minute,
		Backoff:      webhook.Backoff{Delays: []time.Duration{time.Millisecond}, Horizon: time.Hour},
	}
}
