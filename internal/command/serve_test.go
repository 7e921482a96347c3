package command

import (
	"context"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/hashicorp/go-hclog"

	"github.com/payhost/payhost/api"
	"github.com/payhost/payhost/internal/config"
	"github.com/payhost/payhost/internal/httpapi"
	"github.com/payhost/payhost/internal/httpapi/httpapitest"
)

// serveTestKey is the API key of merchant acme of the stand-in engine.
const serveTestKey = "sk_test_serve_acme"

// fakeEngine is an engine serving the HTTP API of the in-memory service.
// It records what happens, in order, in events.
type fakeEngine struct {
	*httpapitest.Service
	handler http.Handler
	mu      sync.Mutex
	events  []string
}

func (f *fakeEngine) Handler() http.Handler { return f.handler }

func (f *fakeEngine) Close() error {
	f.record("closed")
	return nil
}

func (f *fakeEngine) record(e string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.events = append(f.events, e)
}

func (f *fakeEngine) Events() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.events...)
}

// startFake returns a startFunc that hands out eng, logging as the host
// does.
func startFake(eng *fakeEngine) startFunc {
	return func(_ context.Context, _ *config.Config, _ serveOptions, logger hclog.Logger) (engine, error) {
		eng.record("started")
		eng.handler = httpapi.New(eng.Service, httpapi.Options{Logger: logger.Named("http")})
		return eng, nil
	}
}

func newFakeEngine() *fakeEngine {
	return &fakeEngine{Service: httpapitest.New(map[string]string{serveTestKey: "acme"})}
}

// serveConfig writes a configuration listening on a free port with the
// given log format and returns its directory.
func serveConfig(t *testing.T, logFormat string) string {
	t.Helper()
	dir := t.TempDir()
	hcl := "payhost {\n  listen = \"127.0.0.1:0\"\n  log_level = \"debug\"\n  log_format = \"" + logFormat + "\"\n}\n"
	if err := os.WriteFile(filepath.Join(dir, "payhost.hcl"), []byte(hcl), 0o600); err != nil {
		t.Fatal(err)
	}
	return dir
}

var servingLine = regexp.MustCompile(`serving on (http://\S+) `)

// waitServing waits for serve's "serving on" line and returns the base URL.
func waitServing(t testing.TB, stdout *syncBuffer, done <-chan struct{}) string {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		if m := servingLine.FindStringSubmatch(stdout.String()); m != nil {
			return m[1]
		}
		select {
		case <-done:
			t.Fatalf("serve stopped before serving; stdout:\n%s", stdout.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("serve did not start; stdout:\n%s", stdout.String())
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// createPayment posts a payment to base as acme.
func createPayment(base string) (*http.Response, error) {
	req, err := http.NewRequest("POST", base+"/v1/payments", strings.NewReader(`{"amount": 100, "currency": "USD", "method": "wallet"}`))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+serveTestKey)
	req.Header.Set("Content-Type", "application/json")
	return http.DefaultClient.Do(req)
}

// blockCreates makes eng's CreatePayment signal entered, then wait for
// release.
func blockCreates(eng *fakeEngine) (entered, release chan struct{}) {
	entered, release = make(chan struct{}, 1), make(chan struct{})
	eng.Hook = func(ctx context.Context, c httpapitest.Call) error {
		if c.Op == "CreatePayment" {
			entered <- struct{}{}
			<-release
			eng.record("request finished")
		}
		return nil
	}
	return entered, release
}

// TestServeFinishesRequestsInFlight: once asked to stop, serve accepts no
// new connection, lets the request in flight finish and answer, and only
// then closes the engine.
func TestServeFinishesRequestsInFlight(t *testing.T) {
	cfg, diags := config.Load(serveConfig(t, "text"), nil)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	eng := newFakeEngine()
	entered, release := blockCreates(eng)
	ctx, stop := context.WithCancel(context.Background())
	var stdout, stderr syncBuffer
	done := make(chan struct{})
	var serveErr error
	go func() {
		defer close(done)
		logger := hclog.New(&hclog.LoggerOptions{Output: &stderr, Level: hclog.Debug})
		serveErr = runServe(ctx, cfg, serveOptions{shutdownTimeout: time.Minute}, startFake(eng), logger, &stdout)
	}()
	base := waitServing(t, &stdout, done)

	answered := make(chan *http.Response, 1)
	go func() {
		resp, err := createPayment(base)
		if err != nil {
			t.Errorf("the request in flight failed: %v", err)
		}
		answered <- resp
	}()
	<-entered
	stop()
	// Wait for the listener to close: new connections are refused.
	for {
		c, err := net.Dial("tcp", strings.TrimPrefix(base, "http://"))
		if err != nil {
			break
		}
		c.Close()
		select {
		case <-done:
			t.Fatal("serve returned with a request in flight")
		case <-time.After(5 * time.Millisecond):
		}
	}
	if ev := eng.Events(); len(ev) != 1 {
		t.Fatalf("events before the request finished: %v", ev)
	}
	close(release)
	if resp := <-answered; resp == nil || resp.StatusCode != http.StatusCreated {
		t.Fatalf("the request in flight was not answered 201: %+v", resp)
	}
	<-done
	if serveErr != nil {
		t.Fatal(serveErr)
	}
	if ev := eng.Events(); strings.Join(ev, ", ") != "started, request finished, closed" {
		t.Errorf("events %v, want the request finished, then the engine closed", ev)
	}
	for _, want := range []string{"shutting down", "stopped"} {
		if !strings.Contains(stderr.String(), want) {
			t.Errorf("log lacks %q:\n%s", want, stderr.String())
		}
	}
}

// TestServeShutdownIsBounded: a request that outlives the shutdown
// timeout is cut, and the engine is closed all the same.
func TestServeShutdownIsBounded(t *testing.T) {
	cfg, _ := config.Load(serveConfig(t, "text"), nil)
	eng := newFakeEngine()
	entered, release := blockCreates(eng)
	defer close(release)
	ctx, stop := context.WithCancel(context.Background())
	var stdout, stderr syncBuffer
	done := make(chan struct{})
	go func() {
		defer close(done)
		logger := hclog.New(&hclog.LoggerOptions{Output: &stderr})
		if err := runServe(ctx, cfg, serveOptions{shutdownTimeout: 50 * time.Millisecond}, startFake(eng), logger, &stdout); err != nil {
			t.Error(err)
		}
	}()
	base := waitServing(t, &stdout, done)
	failed := make(chan error, 1)
	go func() {
		resp, err := createPayment(base)
		if err == nil {
			resp.Body.Close()
		}
		failed <- err
	}()
	<-entered
	stop()
	<-done
	if err := <-failed; err == nil {
		t.Error("the hung request got an answer")
	}
	if ev := eng.Events(); strings.Join(ev, ", ") != "started, closed" {
		t.Errorf("events %v, want the engine closed", ev)
	}
	if !strings.Contains(stderr.String(), "cut short") {
		t.Errorf("the cut is not logged:\n%s", stderr.String())
	}
}

// TestServeCommand runs the command as a user does: the configuration's
// log format, a request, SIGTERM, exit 0.
func TestServeCommand(t *testing.T) {
	eng := newFakeEngine()
	var stdout, stderr syncBuffer
	c := &serveCommand{Meta: Meta{Stdout: &stdout, Stderr: &stderr}, start: startFake(eng)}
	done := make(chan struct{})
	code := -1
	go func() {
		defer close(done)
		code = c.Run([]string{"-config", serveConfig(t, "json")})
	}()
	base := waitServing(t, &stdout, done)
	resp, err := createPayment(base)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	id := resp.Header.Get("X-Request-Id")
	if resp.StatusCode != http.StatusCreated || id == "" {
		t.Fatalf("status %d, request id %q", resp.StatusCode, id)
	}
	if err := syscall.Kill(os.Getpid(), syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	<-done
	if code != 0 {
		t.Fatalf("exit %d; stderr:\n%s", code, stderr.String())
	}
	var access bool
	for _, line := range strings.Split(strings.TrimSpace(stderr.String()), "\n") {
		var l map[string]any
		if err := json.Unmarshal([]byte(line), &l); err != nil {
			t.Fatalf("log line is not JSON: %q", line)
		}
		if l["@module"] == "payhost.http" && l["request_id"] == id && l["route"] == "POST /v1/payments" && l["merchant"] == "acme" {
			access = true
		}
	}
	if !access {
		t.Errorf("no access log line for request %s:\n%s", id, stderr.String())
	}
	if strings.Contains(stderr.String(), serveTestKey) {
		t.Error("the API key is logged")
	}
}

func TestServeRefuses(t *testing.T) {
	withStaticSchemas(t)
	for _, tt := range []struct {
		name   string
		args   []string
		stderr []string
	}{
		{"configuration errors", []string{"-config", configFixture("invalid/provider_schema.hcl")},
			[]string{"Error: Missing required argument", "provider_schema.hcl:"}},
		{"argument", []string{"now"}, []string{"takes no arguments"}},
		{"shutdown timeout", []string{"-shutdown-timeout", "0s"}, []string{"must be positive"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr syncBuffer
			eng := newFakeEngine()
			c := &serveCommand{Meta: Meta{Stdout: &stdout, Stderr: &stderr}, start: startFake(eng)}
			if code := c.Run(tt.args); code != 1 {
				t.Errorf("exit %d, want 1", code)
			}
			for _, want := range tt.stderr {
				if !strings.Contains(stderr.String(), want) {
					t.Errorf("stderr lacks %q:\n%s", want, stderr.String())
				}
			}
			if ev := eng.Events(); len(ev) != 0 || stdout.String() != "" {
				t.Errorf("the engine was started: %v %q", ev, stdout.String())
			}
		})
	}
}

// TestServeStartFailure: an engine that cannot start is an error, and
// nothing listens.
func TestServeStartFailure(t *testing.T) {
	cfg, _ := config.Load(serveConfig(t, "text"), nil)
	start := func(context.Context, *config.Config, serveOptions, hclog.Logger) (engine, error) {
		return nil, &api.Error{Code: api.CodeInternal, Message: "plugin fault.a: checksum differs from payhost.lock.hcl"}
	}
	var stdout syncBuffer
	err := runServe(context.Background(), cfg, serveOptions{shutdownTimeout: time.Second}, start, hclog.NewNullLogger(), &stdout)
	if err == nil || !strings.Contains(err.Error(), "checksum differs") || errors.Is(err, context.Canceled) {
		t.Fatalf("error %v", err)
	}
	if stdout.String() != "" {
		t.Errorf("stdout %q", stdout.String())
	}
}
