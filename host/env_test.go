package host_test

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/payhost/payhost/internal/testutil"

	"github.com/hashicorp/go-hclog"

	"github.com/payhost/payhost/api"
	"github.com/payhost/payhost/host"
	"github.com/payhost/payhost/host/hosttest"
	"github.com/payhost/payhost/internal/faultprovider"
	"github.com/payhost/payhost/internal/store"
	"github.com/payhost/payhost/plugin"
)

func TestMain(m *testing.M) {
	code := m.Run()
	faultprovider.RemoveBuilds()
	os.Exit(code)
}

// The test configuration's secrets: the leak scan looks for each of them.
const (
	acmeKey       = "sk_test_acme_3f9b2c71d04e4a8c"
	otherKey      = "sk_test_other_91ab7e20c5d84f13"
	webhookSecret = "whsec_acme_b7d1e06f2a9c4e55"
	providerKey   = "fault_secret_6c2e8a41f09b7d3e"
	cardNumber    = "4111111111111111"
	cardCVC       = "987"
)

// env is one running host over a fresh store and real plugins.
type env struct {
	t     testing.TB
	dir   string
	h     *host.Host
	calls string
	clock *clock
	logs  *syncBuffer
	ctx   context.Context
	// config is what the env was made with.
	config envConfig
}

// envConfig says what an env runs.
type envConfig struct {
	// providers are the instances ("fault.a", "callback.cb"); the
	// merchants' route lists them in this order. Default: fault.a.
	providers []string
	// attributes are extra lines of provider blocks, by address.
	attributes map[string]string
	// webhookURL receives merchant acme's events; default: a receiver of
	// the test's own.
	webhookURL string
	// postgresDSN, when set, is the store; else a sqlite file.
	postgresDSN string
	// persist keeps the fault gateways' payment tables in a file, so
	// that they survive a plugin crash.
	persist bool
	// callTimeout bounds plugin calls; default 10s.
	callTimeout time.Duration
	// hooks and idempotencyWait go to host.Options.
	hooks           host.Hooks
	idempotencyWait time.Duration
	observer        host.Observer
	// reconcileInterval runs the reconciler in the background; default
	// never (tests call Reconcile).
	reconcileInterval time.Duration
	// actionAge goes to host.Options.ActionAge.
	actionAge time.Duration
	// notFoundAfter goes to host.Options.NotFoundAfter.
	notFoundAfter time.Duration
}

// newEnv starts a host as c says and stops it when the test ends.
func newEnv(t testing.TB, c envConfig) *env {
	t.Helper()
	if len(c.providers) == 0 {
		c.providers = []string{"fault.a"}
	}
	if c.callTimeout == 0 {
		c.callTimeout = 10 * time.Second
	}
	e := &env{t: t, dir: t.TempDir(), clock: newClock(), logs: &syncBuffer{}, ctx: t.Context(), config: c}
	e.calls = filepath.Join(e.dir, "calls.log")
	t.Setenv(faultprovider.EnvCallLog, e.calls)
	if c.persist {
		t.Setenv(faultprovider.EnvState, filepath.Join(e.dir, "gateway.json"))
	}
	pluginDir := installPlugins(t, c.providers)
	writeConfig(t, e.dir, pluginDir, c)
	hosttest.Lock(t, e.dir, pluginDir)
	e.h = e.start(c)
	return e
}

// start starts a host on the env's configuration and store (another one
// is a second host sharing them), stopped when the test ends.
func (e *env) start(c envConfig) *host.Host {
	t := e.t
	t.Helper()
	h, err := host.New(e.ctx, host.Options{
		ConfigPath:        e.dir,
		Logger:            hclog.New(&hclog.LoggerOptions{Output: e.logs, Level: hclog.Trace, DisableTime: true}),
		Clock:             e.clock.Now,
		CallTimeout:       c.callTimeout,
		ReconcileInterval: cmp.Or(c.reconcileInterval, -1),
		ActionAge:         c.actionAge,
		NotFoundAfter:     c.notFoundAfter,
		IdempotencyWait:   c.idempotencyWait,
		Hooks:             c.hooks,
		Observer:          c.observer,
	})
	if err != nil {
		t.Fatalf("host.New: %v", err)
	}
	t.Cleanup(func() {
		if err := h.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
		if t.Failed() {
			t.Logf("host log:\n%s", e.logs.String())
		}
	})
	return h
}

// installPlugins returns a directory with the plugins the providers
// need.
func installPlugins(t testing.TB, providers []string) string {
	t.Helper()
	var types []string
	for _, addr := range providers {
		typ, _, _ := strings.Cut(addr, ".")
		types = append(types, typ)
	}
	return hosttest.Plugins(t, types...)
}

// writeConfig writes the configuration: the providers, and two merchants
// routing every payment to them in order.
func writeConfig(t testing.TB, dir, pluginDir string, c envConfig) {
	t.Helper()
	if c.webhookURL == "" {
		c.webhookURL = newReceiver(t).URL
	}
	var b strings.Builder
	fmt.Fprintf(&b, "payhost {\n  public_url = \"https://payhost.test\"\n  plugin_dir = %q\n}\n", pluginDir)
	if c.postgresDSN != "" {
		fmt.Fprintf(&b, "store \"postgres\" {\n  dsn = %q\n}\n", c.postgresDSN)
	}
	var refs []string
	for _, addr := range c.providers {
		typ, name, _ := strings.Cut(addr, ".")
		fmt.Fprintf(&b, "provider %q %q {\n  api_key = %q\n  %s\n}\n", typ, name, providerKey, c.attributes[addr])
		refs = append(refs, "provider."+addr)
	}
	route := "  route \"all\" {\n    providers = [" + strings.Join(refs, ", ") + "]\n  }\n"
	fmt.Fprintf(&b, "merchant \"acme\" {\n  api_key = %q\n  webhook {\n    url    = %q\n    secret = %q\n  }\n%s}\n",
		acmeKey, c.webhookURL, webhookSecret, route)
	fmt.Fprintf(&b, "merchant \"other\" {\n  api_key = %q\n%s}\n", otherKey, route)
	if err := os.WriteFile(filepath.Join(dir, "payhost.hcl"), []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
}

// card is a valid test card.
func (e *env) card() *api.Card {
	return &api.Card{Number: plugin.NewCardNumber(cardNumber), ExpMonth: 12, ExpYear: e.clock.Now().Year() + 2,
		CVC: plugin.NewSecret(cardCVC), HolderName: "Ada Lovelace"}
}

// payment is a card payment of amount USD minor units; metadata selects
// the fault gateway's faults and statuses.
func (e *env) payment(amount int64, capture plugin.CaptureMode, metadata map[string]string) *api.CreatePaymentRequest {
	return &api.CreatePaymentRequest{Amount: amount, Currency: "USD", Method: plugin.MethodCard, Capture: capture,
		Reference: "order-1", Card: e.card(), Metadata: metadata}
}

// create makes a payment of merchant acme, failing the test on error.
func (e *env) create(req *api.CreatePaymentRequest, opts ...api.CallOption) *api.Payment {
	e.t.Helper()
	p, err := e.h.CreatePayment(e.ctx, "acme", req, opts...)
	if err != nil {
		e.t.Fatalf("CreatePayment: %v", err)
	}
	return p
}

// get reads a payment of merchant acme.
func (e *env) get(id string) *api.Payment {
	e.t.Helper()
	p, err := e.h.GetPayment(e.ctx, "acme", id)
	if err != nil {
		e.t.Fatalf("GetPayment %s: %v", id, err)
	}
	return p
}

// callCount counts the calls of operation op the fault gateways received
// for the given attempt ids (any attempt when none is given).
func (e *env) callCount(op plugin.Operation, ids ...string) int {
	e.t.Helper()
	calls, err := faultprovider.ReadCalls(e.calls)
	if err != nil {
		e.t.Fatal(err)
	}
	n := 0
	for _, c := range calls {
		if c.Operation == op && (len(ids) == 0 || contains(ids, c.ID)) {
			n++
		}
	}
	return n
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// wantStatus fails the test unless p has status want.
func wantStatus(t *testing.T, p *api.Payment, want plugin.PaymentStatus) {
	t.Helper()
	if p.Status != want {
		t.Fatalf("payment %s is %s, want %s (failure %+v, attempts %+v)", p.ID, p.Status, want, p.Failure, p.Attempts)
	}
}

// wantCode fails the test unless err is an *api.Error with code.
func wantCode(t *testing.T, err error, code api.ErrorCode) *api.Error {
	t.Helper()
	var aerr *api.Error
	if !errors.As(err, &aerr) || aerr.Code != code {
		t.Fatalf("error %v, want an *api.Error with code %s", err, code)
	}
	return aerr
}

// clock is a test clock that moves only when told.
type clock struct{ now atomic.Int64 }

func newClock() *clock {
	c := &clock{}
	c.now.Store(time.Now().UnixNano())
	return c
}

func (c *clock) Now() time.Time          { return time.Unix(0, c.now.Load()) }
func (c *clock) Advance(d time.Duration) { c.now.Add(int64(d)) }

// advance moves the host's clock on.
func (e *env) advance(d time.Duration) { e.clock.Advance(d) }

// reconcile runs one pass of the reconciler.
func (e *env) reconcile() int {
	e.t.Helper()
	n, err := e.h.Reconcile(e.ctx)
	if err != nil {
		e.t.Fatalf("Reconcile: %v", err)
	}
	return n
}

// httpCall sends one request to srv (the host's Handler) as merchant acme,
// with the JSON body and idempotency key when set, and returns the
// answer's status and body.
func (e *env) httpCall(srv *httptest.Server, method, path, body, idemKey string) (int, string) {
	e.t.Helper()
	req, err := http.NewRequestWithContext(e.ctx, method, srv.URL+path, strings.NewReader(body))
	if err != nil {
		e.t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+acmeKey)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if idemKey != "" {
		req.Header.Set("Idempotency-Key", idemKey)
	}
	resp, err := srv.Client().Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	return resp.StatusCode, string(b)
}

// syncBuffer is testutil.SyncBuffer, under this package's name for it.
type syncBuffer = testutil.SyncBuffer

// events returns the types of the merchant events about payment (or
// token) id queued so far, oldest first.
func (e *env) events(id string) []string {
	e.t.Helper()
	evs, err := storeEvents(e)
	if err != nil {
		e.t.Fatal(err)
	}
	var types []string
	for i := len(evs) - 1; i >= 0; i-- {
		var payload struct {
			ID   string `json:"id"`
			Type string `json:"type"`
			Data struct {
				ID string `json:"id"`
			} `json:"data"`
		}
		if err := json.Unmarshal(evs[i].Payload, &payload); err != nil {
			e.t.Fatalf("event %s: %v", evs[i].ID, err)
		}
		if payload.ID != evs[i].ID || payload.Type != evs[i].Type {
			e.t.Fatalf("event %s of type %s has payload id %s, type %s", evs[i].ID, evs[i].Type, payload.ID, payload.Type)
		}
		if payload.Data.ID == id {
			types = append(types, payload.Type)
		}
	}
	return types
}

// storeEvents returns merchant acme's events in the outbox, newest first.
func storeEvents(e *env) ([]store.Event, error) {
	return host.StoreOf(e.h).ListEvents(e.ctx, "acme", "", 10000)
}

// wantEvents fails the test unless the events about id are want, in order.
func (e *env) wantEvents(id string, want ...string) {
	e.t.Helper()
	if got := e.events(id); !slices.Equal(got, want) {
		e.t.Errorf("events of %s: %q, want %q", id, got, want)
	}
}
