package command

import (
	"fmt"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver "pgx"

	"github.com/payhost/payhost/internal/faultprovider"
	"github.com/payhost/payhost/internal/store/postgres/pgtest"
	"github.com/payhost/payhost/plugin"
)

// cluster is several `payhost serve` processes sharing one PostgreSQL
// schema, each with its own fault plugin and call log, and acme's webhook
// receiver.
type cluster struct {
	servers  []*server
	callLogs []string
	hooks    *receiver
}

// startCluster starts n processes of one configuration on PostgreSQL.
func startCluster(t *testing.T, n int) *cluster {
	t.Helper()
	dsn := pgtest.DSN(t)
	bin := buildPayhost(t)
	c := &cluster{hooks: newReceiver(t)}
	env := []string{"E2E_PG_DSN=" + dsn, c.hooks.env()}
	dir := e2eWorkspace(t, bin, `store "postgres" { dsn = env("E2E_PG_DSN") }`, env...)
	for i := range n {
		log := filepath.Join(t.TempDir(), fmt.Sprintf("calls-%d.log", i))
		c.callLogs = append(c.callLogs, log)
		c.servers = append(c.servers, startServe(t, bin, dir, append(env, faultprovider.EnvCallLog+"="+log)...))
	}
	return c
}

// stop stops every process, failing the test unless each exits cleanly.
func (c *cluster) stop(t *testing.T) {
	t.Helper()
	for _, s := range c.servers {
		if err := s.stop(); err != nil {
			t.Errorf("stop: %v\n%s", err, s.stderr.String())
		}
	}
}

// calls counts the calls of op the plugins of every process received.
func (c *cluster) calls(t *testing.T, op plugin.Operation) int {
	t.Helper()
	n := 0
	for _, log := range c.callLogs {
		calls, err := faultprovider.ReadCalls(log)
		if err != nil {
			t.Fatal(err)
		}
		for _, call := range calls {
			if call.Operation == op {
				n++
			}
		}
	}
	return n
}

// TestServeClusterIdempotency sends each idempotency key to three hosts
// of one database at once: each key makes one plugin call and one
// payment, whichever host answers.
func TestServeClusterIdempotency(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs payhost")
	}
	c := startCluster(t, 3)
	const keys = 20
	body := `{"amount": 1000, "currency": "USD", "method": "card", ` + e2eCard + `}`
	const maxRetries = 500
	var (
		mu        sync.Mutex
		ids       = map[string]map[string]bool{} // key -> payment ids answered
		conflicts int
		wg        sync.WaitGroup
	)
	for k := range keys {
		key := fmt.Sprintf("order-%d", k)
		ids[key] = map[string]bool{}
		for _, s := range c.servers {
			wg.Go(func() {
				// 409 while another host runs the key's first request:
				// the merchant retries, as the API says.
				for range maxRetries {
					status, _, p := s.call("POST", "/v1/payments", e2eAcmeKey, key, body)
					if status == 409 {
						mu.Lock()
						conflicts++
						mu.Unlock()
						time.Sleep(10 * time.Millisecond)
						continue
					}
					if status != 201 {
						t.Errorf("%s: %d %v", key, status, p)
						return
					}
					mu.Lock()
					ids[key][p["id"].(string)] = true
					mu.Unlock()
					return
				}
				t.Errorf("%s: still in progress after %d tries", key, maxRetries)
			})
		}
	}
	wg.Wait()
	for key, got := range ids {
		if len(got) != 1 {
			t.Errorf("key %s answered %d payments: %v", key, len(got), got)
		}
	}
	if n := c.calls(t, plugin.OpCreatePayment); n != keys {
		t.Errorf("%d plugin create calls for %d keys", n, keys)
	}
	t.Logf("%d keys sent to %d hosts at once: %d answers 409 in progress, retried", keys, len(c.servers), conflicts)
	c.stop(t)
}

// TestServeClusterEvents creates 1,000 payments through three hosts of
// one database: the event of each reaches the merchant, signed, and no
// event arrives twice (under normal operation: no host dies, no
// delivery outlives its lease).
func TestServeClusterEvents(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs payhost")
	}
	c := startCluster(t, 3)
	const payments, clients = 1000, 12
	body := `{"amount": 1000, "currency": "USD", "method": "card", ` + e2eCard + `}`
	ids := make([]string, payments)
	var (
		next atomic.Int64
		wg   sync.WaitGroup
	)
	for range clients {
		wg.Go(func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= payments {
					return
				}
				s := c.servers[i%len(c.servers)]
				status, _, p := s.call("POST", "/v1/payments", e2eAcmeKey, fmt.Sprintf("evt-order-%d", i), body)
				if status != 201 || p["status"] != "succeeded" {
					t.Errorf("payment %d: %d %v", i, status, p)
					return
				}
				ids[i] = p["id"].(string)
			}
		})
	}
	wg.Wait()
	if t.Failed() {
		c.stop(t)
		return
	}
	deliveries := c.hooks.waitFor(ids, "payment.succeeded")
	if len(deliveries) < payments {
		t.Errorf("%d events delivered for %d payments", len(deliveries), payments)
	}
	for id, n := range deliveries {
		if n != 1 {
			t.Errorf("event %s delivered %d times", id, n)
		}
	}
	t.Logf("%d payments through %d hosts: %d events, each delivered once", payments, len(c.servers), len(deliveries))
	c.stop(t)
}
