package reddot

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/payhost/payhost/internal/testutil"

	"github.com/hashicorp/go-hclog"
	"github.com/payhost/payhost/internal/sandbox/emukit"
)

// testEpoch is the manual clock's start: 2026-03-02 17:30:00 in RDP's
// UTC+8.
var testEpoch = time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)

// testPendingDelay is long enough that no wall-clock timer fires during a
// test; tests move the manual clock past it instead.
const testPendingDelay = time.Hour

// env is one emulator on an httptest server, a merchant endpoint that
// records notifications, and a log buffer.
type env struct {
	t     *testing.T
	srv   *Server
	url   string
	clock *emukit.ManualClock
	sink  *sink
	logs  *syncBuffer
}

// newEnv starts an emulator with a manual clock and deterministic ids;
// mods adjust its Config.
func newEnv(t *testing.T, mods ...func(*Config)) *env {
	t.Helper()
	e := &env{t: t, clock: emukit.NewManualClock(testEpoch), logs: &syncBuffer{}, sink: newSink(t)}
	cfg := Config{
		PendingDelay: testPendingDelay,
		Kit: emukit.Options{
			Clock: e.clock, Deterministic: true,
			Logger: hclog.New(&hclog.LoggerOptions{Output: e.logs, Level: hclog.Trace}),
		},
	}
	for _, mod := range mods {
		mod(&cfg)
	}
	e.srv = New(cfg)
	ts := httptest.NewServer(e.srv)
	e.url = ts.URL
	t.Cleanup(func() {
		ts.Close()
		e.srv.Close()
	})
	return e
}

// fixture loads testdata/requests/name.json, pointing notify_url (when it
// has one) at the env's merchant endpoint.
func (e *env) fixture(name string) map[string]any {
	e.t.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", "requests", name+".json"))
	if err != nil {
		e.t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		e.t.Fatalf("%s: %v", name, err)
	}
	if _, ok := m["notify_url"]; ok {
		m["notify_url"] = e.sink.url
	}
	return m
}

// with returns a copy of req with set applied; a nil value deletes.
func with(req map[string]any, set map[string]any) map[string]any {
	out := maps.Clone(req)
	for k, v := range set {
		if v == nil {
			delete(out, k)
			continue
		}
		out[k] = v
	}
	return out
}

// signed returns req with a sign_generic signature made with secret.
func signed(req map[string]any, secret string) map[string]any {
	out := maps.Clone(req)
	out["signature"] = signGeneric(out, secret)
	return out
}

// paySigned returns req with a payment-api signature made with secret.
func paySigned(req map[string]any, secret string) map[string]any {
	out := maps.Clone(req)
	p, _ := parseParams(mustJSON(out))
	out["signature"] = paymentSignature(p, secret)
	return out
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

// post sends body as JSON to path and decodes the JSON answer, keeping
// numbers as json.Number.
func (e *env) post(path string, body any) map[string]any {
	e.t.Helper()
	raw, ok := body.([]byte)
	if !ok {
		raw = mustJSON(body)
	}
	return e.do(path, "application/json", raw)
}

// postForm sends form fields to path and decodes the JSON answer.
func (e *env) postForm(path string, form url.Values) map[string]any {
	e.t.Helper()
	return e.do(path, "application/x-www-form-urlencoded", []byte(form.Encode()))
}

func (e *env) do(path, contentType string, body []byte) map[string]any {
	e.t.Helper()
	resp, err := http.Post(e.url+path, contentType, bytes.NewReader(body))
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		e.t.Fatalf("POST %s: HTTP %d: %s", path, resp.StatusCode, raw)
	}
	p, err := parseParams(raw)
	if err != nil {
		e.t.Fatalf("POST %s: answer is not a JSON object: %s", path, raw)
	}
	return p
}

// query asks a query endpoint about id, signed with the default secret.
func (e *env) query(path, id string) map[string]any {
	e.t.Helper()
	return e.post(path, signed(map[string]any{"request_mid": DefaultMID, "transaction_id": id}, DefaultSecret))
}

// waitCallbacks waits until no notification is being delivered.
func (e *env) waitCallbacks() {
	e.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := e.srv.Kit().Callbacks.Wait(ctx); err != nil {
		e.t.Fatalf("notifications still in flight: %v", err)
	}
}

// wantError checks an answer in RDP's error shape with code, unsigned.
func wantError(t *testing.T, resp map[string]any, code string) {
	t.Helper()
	if resp["response_status"] != "error" || resp["response_code"] != code {
		t.Fatalf("want error %s, got %v", code, resp)
	}
	if msg, _ := resp["response_msg"].(string); msg == "" {
		t.Errorf("error %s has no response_msg", code)
	}
	if _, ok := resp["signature"]; ok {
		t.Errorf("error answer carries a signature: %v", resp)
	}
}

// wantResult checks a signed result: response_code is the JSON string
// code and the signature verifies with secret.
func wantResult(t *testing.T, resp map[string]any, code, secret string) {
	t.Helper()
	if resp["response_code"] != code {
		t.Fatalf("response_code = %#v, want the string %q; answer %v", resp["response_code"], code, resp)
	}
	wantSignature(t, resp, secret)
}

// wantSignature checks resp's sign_generic signature.
func wantSignature(t *testing.T, resp map[string]any, secret string) {
	t.Helper()
	sig, _ := resp["signature"].(string)
	if want := signGeneric(resp, secret); sig != want {
		t.Fatalf("signature = %q, want %q", sig, want)
	}
}

// str reads a string member of an answer.
func str(t *testing.T, resp map[string]any, key string) string {
	t.Helper()
	v, ok := resp[key].(string)
	if !ok {
		t.Fatalf("%s is %#v, want a string; answer %v", key, resp[key], resp)
	}
	return v
}

// sink is a merchant endpoint recording the notifications it receives and
// answering them with scripted statuses (200 once the script runs out).
type sink struct {
	url string

	mu       sync.Mutex
	bodies   [][]byte
	statuses []int
}

func newSink(t *testing.T) *sink {
	s := &sink{}
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		s.mu.Lock()
		s.bodies = append(s.bodies, body)
		status := http.StatusOK
		if len(s.statuses) > 0 {
			status, s.statuses = s.statuses[0], s.statuses[1:]
		}
		s.mu.Unlock()
		w.WriteHeader(status)
	}))
	t.Cleanup(ts.Close)
	s.url = ts.URL + "/rdp/notify"
	return s
}

// failNext makes the next calls answer these statuses.
func (s *sink) failNext(statuses ...int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.statuses = append(s.statuses, statuses...)
}

// received returns the notifications received so far, decoded.
func (s *sink) received(t *testing.T) []map[string]any {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]map[string]any, 0, len(s.bodies))
	for _, b := range s.bodies {
		p, err := parseParams(b)
		if err != nil {
			t.Fatalf("notification is not a JSON object: %s", b)
		}
		out = append(out, p)
	}
	return out
}

// rawBodies returns the notification bodies as received.
func (s *sink) rawBodies() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]string, len(s.bodies))
	for i, b := range s.bodies {
		out[i] = string(b)
	}
	return out
}

// syncBuffer is testutil.SyncBuffer, under this package's name for it.
type syncBuffer = testutil.SyncBuffer
