package host_test

import (
	"encoding/hex"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/payhost/payhost/api"
	"github.com/payhost/payhost/host"
	"github.com/payhost/payhost/host/hosttest"
	"github.com/payhost/payhost/host/internal/callbackprovider"
	"github.com/payhost/payhost/internal/config"
	"github.com/payhost/payhost/internal/faultprovider"
	"github.com/payhost/payhost/internal/pluginhost"
	"github.com/payhost/payhost/plugin"
)

// TestNewRefusesChangedPlugin: a plugin binary that is not the one the
// lock file holds is not launched, and the error names the file and both
// checksums.
func TestNewRefusesChangedPlugin(t *testing.T) {
	dir, pluginDir := t.TempDir(), t.TempDir()
	bin := faultprovider.Install(t, pluginDir, "fault")
	c := envConfig{providers: []string{"fault.a"}}
	writeConfig(t, dir, pluginDir, c)
	hosttest.Lock(t, dir, pluginDir)
	want, err := pluginhost.Checksum(bin)
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.OpenFile(bin, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Write([]byte("tampered")); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	got, err := pluginhost.Checksum(bin)
	if err != nil {
		t.Fatal(err)
	}
	h, err := host.New(t.Context(), host.Options{ConfigPath: dir, ReconcileInterval: -1})
	if err == nil {
		h.Close()
		t.Fatal("host.New launched a plugin whose checksum differs from the lock file's")
	}
	var cerr *pluginhost.ChecksumError
	if !errors.As(err, &cerr) {
		t.Errorf("error %v, want a *pluginhost.ChecksumError", err)
	}
	for _, s := range []string{bin, hex.EncodeToString(want), hex.EncodeToString(got)} {
		if !strings.Contains(err.Error(), s) {
			t.Errorf("error %q does not name %s", err, s)
		}
	}
}

// TestNewRefusesUnlockedPlugin: without a lock file entry, nothing runs.
func TestNewRefusesUnlockedPlugin(t *testing.T) {
	dir := t.TempDir()
	writeConfig(t, dir, installPlugins(t, []string{"fault.a"}), envConfig{providers: []string{"fault.a"}})
	h, err := host.New(t.Context(), host.Options{ConfigPath: dir, ReconcileInterval: -1})
	if err == nil {
		h.Close()
		t.Fatal("host.New launched a plugin the lock file does not hold")
	}
	if !strings.Contains(err.Error(), "payhost init") {
		t.Errorf("error %q does not say to run payhost init", err)
	}
}

// TestLifecycle: a started host is ready and its plugins run; Close stops
// every plugin process and can be called again.
func TestLifecycle(t *testing.T) {
	e := newEnv(t, envConfig{providers: []string{"fault.a", "callback.cb"}})
	if err := e.h.Ready(e.ctx); err != nil {
		t.Fatalf("Ready: %v", err)
	}
	statuses := e.h.Providers()
	if len(statuses) != 2 {
		t.Fatalf("Providers: %+v, want 2", statuses)
	}
	for _, s := range statuses {
		if !s.Ready || s.PID == 0 {
			t.Errorf("provider %+v is not running", s)
		}
	}
	if err := e.h.Close(); err != nil {
		t.Fatal(err)
	}
	if err := e.h.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	for _, s := range statuses {
		if err := syscall.Kill(s.PID, 0); !errors.Is(err, syscall.ESRCH) {
			t.Errorf("plugin process %d of %s is still there after Close (%v)", s.PID, s.Provider, err)
		}
	}
}

// TestCloseLeavesNothing: once Close returns, the host's goroutines are
// gone (some of the plugin clients' end just after).
func TestCloseLeavesNothing(t *testing.T) {
	before := runtime.NumGoroutine()
	dir, pluginDir := t.TempDir(), installPlugins(t, []string{"fault.a"})
	writeConfig(t, dir, pluginDir, envConfig{providers: []string{"fault.a"}, webhookURL: "http://127.0.0.1:1/events"})
	hosttest.Lock(t, dir, pluginDir)
	h, err := host.New(t.Context(), host.Options{ConfigPath: dir, ReconcileInterval: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.CreatePayment(t.Context(), "acme", &api.CreatePaymentRequest{Amount: 100, Currency: "USD", Method: plugin.MethodWallet}); err != nil {
		t.Fatal(err)
	}
	if err := h.Close(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > before {
		var b strings.Builder
		_ = pprof.Lookup("goroutine").WriteTo(&b, 1)
		t.Errorf("%d goroutines after Close, %d before New:\n%s", n, before, b.String())
	}
}

// TestBackgroundReconciler: the reconciler runs by itself.
func TestBackgroundReconciler(t *testing.T) {
	e := newEnv(t, envConfig{reconcileInterval: time.Millisecond})
	p := e.create(e.payment(1050, plugin.CaptureAutomatic, map[string]string{"fault": "unknown"}))
	wantStatus(t, p, plugin.StatusUnknown)
	e.advance(time.Minute)
	deadline := time.Now().Add(30 * time.Second)
	for e.get(p.ID).Status == plugin.StatusUnknown && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	wantStatus(t, e.get(p.ID), plugin.StatusSucceeded)
}

// TestHandler: the host's HTTP API serves the same payments as its Go
// API, with its readiness and metrics.
func TestHandler(t *testing.T) {
	e := newEnv(t, envConfig{})
	srv := httptest.NewServer(e.h.Handler())
	defer srv.Close()
	do := func(method, path, body string) (int, string) {
		t.Helper()
		key := ""
		if body != "" {
			key = "http-1"
		}
		return e.httpCall(srv, method, path, body, key)
	}
	status, body := do(http.MethodPost, "/v1/payments", `{"amount": 1050, "currency": "USD", "method": "wallet"}`)
	var p api.Payment
	if err := json.Unmarshal([]byte(body), &p); status != http.StatusCreated || err != nil {
		t.Fatalf("POST /v1/payments: %d %s", status, body)
	}
	wantStatus(t, &p, plugin.StatusSucceeded)
	if again, body2 := do(http.MethodPost, "/v1/payments", `{"amount": 1050, "currency": "USD", "method": "wallet"}`); again != status || body2 != body {
		t.Errorf("replay answered %d %s, want %d %s", again, body2, status, body)
	}
	if status, body := do(http.MethodGet, "/v1/payments/"+p.ID, ""); status != http.StatusOK || !strings.Contains(body, p.ID) {
		t.Errorf("GET the payment: %d %s", status, body)
	}
	if status, _ := do(http.MethodGet, "/readyz", ""); status != http.StatusOK {
		t.Errorf("GET /readyz: %d", status)
	}
	if _, body := do(http.MethodGet, "/metrics", ""); !strings.Contains(body, `payhost_payments_total{provider="fault.a",status="succeeded"} 1`) {
		t.Errorf("GET /metrics does not count the payment:\n%s", body)
	}
	// The payment's event reaches acme's webhook, and is counted.
	const delivered = `payhost_webhook_deliveries_total{result="delivered"} 1`
	deadline := time.Now().Add(30 * time.Second)
	for {
		_, body := do(http.MethodGet, "/metrics", "")
		if strings.Contains(body, delivered) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("GET /metrics does not count the event's delivery (%s):\n%s", delivered, body)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestNarrowedCapabilities: routing uses what a configured instance kept,
// not what its plugin declares: an instance configured without authorize
// is skipped for manual capture.
func TestNarrowedCapabilities(t *testing.T) {
	e := newEnv(t, envConfig{
		providers:  []string{"callback.a", "callback.b"},
		attributes: map[string]string{"callback.a": callbackprovider.WithoutAttribute + ` = ["authorize"]`},
	})
	sale := e.create(e.payment(1000, plugin.CaptureAutomatic, nil))
	auth := e.create(e.payment(1000, plugin.CaptureManual, nil))
	if sale.Provider != "callback.a" || auth.Provider != "callback.b" {
		t.Errorf("sale went to %s, authorization to %s; want callback.a and callback.b", sale.Provider, auth.Provider)
	}
}

// TestOptionsConfig: a host runs from a configuration loaded by the
// embedding program, which it leaves as it was.
func TestOptionsConfig(t *testing.T) {
	dir := t.TempDir()
	pluginDir := installPlugins(t, []string{"fault.a"})
	writeConfig(t, dir, pluginDir, envConfig{providers: []string{"fault.a"}})
	hosttest.Lock(t, dir, pluginDir)
	cfg, diags := config.Load(dir, nil)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	h, err := host.New(t.Context(), host.Options{Config: cfg, ReconcileInterval: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	p, err := h.CreatePayment(t.Context(), "acme", &api.CreatePaymentRequest{Amount: 100, Currency: "VND", Method: plugin.MethodQR})
	if err != nil {
		t.Fatal(err)
	}
	wantStatus(t, p, plugin.StatusSucceeded)
	if _, err := os.Stat(filepath.Join(dir, config.DefaultSQLitePath)); err != nil {
		t.Errorf("the sqlite store is not in the configuration's directory: %v", err)
	}
}

// TestObserver: the observer sees every provider call and status change.
func TestObserver(t *testing.T) {
	obs := &recorder{}
	e := newEnv(t, envConfig{observer: obs})
	e.create(e.payment(1000, plugin.CaptureAutomatic, nil))
	e.create(e.payment(1000, plugin.CaptureAutomatic, map[string]string{"fault": "decline"}))
	want := []string{
		"call fault.a create_payment ok", "status fault.a succeeded",
		"call fault.a create_payment declined", "status fault.a failed",
	}
	if got := obs.seen(); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("observed\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestWebhookObserver: an Observer that is a WebhookObserver hears of the
// delivery of the merchant's events.
func TestWebhookObserver(t *testing.T) {
	obs := &webhookRecorder{}
	e := newEnv(t, envConfig{observer: obs})
	e.create(e.payment(1000, plugin.CaptureAutomatic, nil))
	deadline := time.Now().Add(30 * time.Second)
	for !slices.Contains(obs.seen(), "webhook delivered") {
		if time.Now().After(deadline) {
			t.Fatalf("the observer was not told of the event's delivery; it saw %q", obs.seen())
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// webhookRecorder is a recorder that is a WebhookObserver too.
type webhookRecorder struct{ recorder }

func (r *webhookRecorder) WebhookDelivery(result string) { r.add("webhook " + result) }

var _ host.WebhookObserver = (*webhookRecorder)(nil)

// recorder is an Observer that remembers what it saw.
type recorder struct {
	mu     sync.Mutex
	events []string
}

func (r *recorder) ProviderCall(provider string, op plugin.Operation, result string, took time.Duration) {
	r.add("call " + provider + " " + string(op) + " " + result)
}

func (r *recorder) PaymentStatus(provider string, status plugin.PaymentStatus) {
	r.add("status " + provider + " " + string(status))
}

func (r *recorder) add(s string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = append(r.events, s)
}

func (r *recorder) seen() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.events...)
}
