package httpapi_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/go-hclog"

	"github.com/payhost/payhost/host"
	"github.com/payhost/payhost/internal/faultprovider"
	"github.com/payhost/payhost/internal/httpapi"
	"github.com/payhost/payhost/internal/pluginhost"
	"github.com/payhost/payhost/plugin"
)

func TestMain(m *testing.M) {
	code := m.Run()
	faultprovider.RemoveBuilds()
	os.Exit(code)
}

// hostEnv is the HTTP API over a real host: SQLite, the fault plugin as
// provider fault.a, merchants acme and globex.
type hostEnv struct {
	*env
	h     *host.Host
	calls string
}

// newHostEnv starts the host with hooks and serves its HTTP API.
func newHostEnv(t *testing.T, hooks host.Hooks) *hostEnv {
	t.Helper()
	dir := t.TempDir()
	calls := filepath.Join(dir, "calls.log")
	t.Setenv(faultprovider.EnvCallLog, calls)
	bin := filepath.Join(dir, "bin")
	if err := os.Mkdir(bin, 0o755); err != nil {
		t.Fatal(err)
	}
	sum, err := pluginhost.Checksum(faultprovider.Install(t, bin, "fault"))
	if err != nil {
		t.Fatal(err)
	}
	lock := &pluginhost.LockFile{}
	lock.Set(pluginhost.LockedProvider{Type: "fault", Version: faultprovider.Version, Protocol: plugin.ProtocolVersion, SHA256: sum})
	if _, err := pluginhost.WriteLockFile(filepath.Join(dir, pluginhost.LockFileName), lock); err != nil {
		t.Fatal(err)
	}
	route := `route "all" { providers = [provider.fault.a] }`
	hcl := fmt.Sprintf(`
payhost { plugin_dir = "./bin" }
provider "fault" "a" { api_key = "fault-key" }
merchant "acme" {
  api_key = %q
  %s
}
merchant "globex" {
  api_key = %q
  %s
}
`, acmeKey, route, globexKey, route)
	if err := os.WriteFile(filepath.Join(dir, "payhost.hcl"), []byte(hcl), 0o600); err != nil {
		t.Fatal(err)
	}
	e := &env{t: t, logs: &syncBuffer{}}
	logger := hclog.New(&hclog.LoggerOptions{Output: e.logs, Level: hclog.Debug, JSONFormat: true})
	h, err := host.New(t.Context(), host.Options{
		ConfigPath: dir, Logger: logger, CallTimeout: time.Second,
		IdempotencyWait: 50 * time.Millisecond, ReconcileInterval: -1, Hooks: hooks,
	})
	if err != nil {
		t.Fatal(err)
	}
	e.srv = httptest.NewServer(httpapi.New(h, httpapi.Options{Logger: logger, Readiness: h}))
	t.Cleanup(func() {
		e.srv.Close()
		if err := h.Close(); err != nil {
			t.Error(err)
		}
	})
	return &hostEnv{env: e, h: h, calls: calls}
}

// creates counts the create_payment calls the fault plugin received.
func (e *hostEnv) creates() int {
	e.t.Helper()
	calls, err := faultprovider.ReadCalls(e.calls)
	if err != nil {
		e.t.Fatal(err)
	}
	n := 0
	for _, c := range calls {
		if c.Operation == plugin.OpCreatePayment {
			n++
		}
	}
	return n
}

// hostPayment is a card payment body with the fault gateway's metadata.
func hostPayment(amount int, metadata string) string {
	return fmt.Sprintf(`{"amount": %d, "currency": "USD", "method": "card", "metadata": {%s},
		"card": {"number": %q, "exp_month": 12, "exp_year": 2030, "cvc": %q}}`, amount, metadata, testPAN, testCVC)
}

// TestThroughHost drives the HTTP API over the real host and plugin: what
// the host answers reaches the merchant with the documented statuses.
func TestThroughHost(t *testing.T) {
	// gate holds the plugin call of a payment whose key is "slow" until
	// released, so that a second request finds the key in progress.
	var gate struct {
		sync.Mutex
		entered chan struct{}
		release chan struct{}
	}
	e := newHostEnv(t, host.Hooks{BeforeProviderCall: func(string, plugin.Operation) {
		gate.Lock()
		entered, release := gate.entered, gate.release
		gate.Unlock()
		if entered != nil {
			entered <- struct{}{}
			<-release
		}
	}})
	post := func(key, body string) *response {
		h := as(acmeKey)
		if key != "" {
			h = append(h, "Idempotency-Key", key)
		}
		return e.do(request{method: "POST", path: "/v1/payments", body: body, header: h})
	}

	var first struct{ ID, Status string }
	post("k-1", hostPayment(1000, "")).decode(t, http.StatusCreated, &first)
	if first.Status != "succeeded" {
		t.Fatalf("payment %+v", first)
	}

	t.Run("replay makes no second plugin call", func(t *testing.T) {
		var again struct{ ID string }
		post("k-1", hostPayment(1000, "")).decode(t, http.StatusCreated, &again)
		if again.ID != first.ID || e.creates() != 1 {
			t.Errorf("replay %s (first %s), %d plugin calls", again.ID, first.ID, e.creates())
		}
	})
	t.Run("same key, other body", func(t *testing.T) {
		wantError(t, post("k-1", hostPayment(2000, "")), 422, "idempotency_mismatch", "", "")
	})
	t.Run("same key, first still running", func(t *testing.T) {
		gate.Lock()
		gate.entered, gate.release = make(chan struct{}), make(chan struct{})
		entered, release := gate.entered, gate.release
		gate.Unlock()
		done := make(chan *response, 1)
		go func() { done <- post("slow", hostPayment(300, "")) }()
		<-entered
		gate.Lock()
		gate.entered = nil
		gate.Unlock()
		wantError(t, post("slow", hostPayment(300, "")), 409, "idempotency_in_progress", "", "")
		close(release)
		if resp := <-done; resp.status != http.StatusCreated {
			t.Errorf("the first request: %d %s", resp.status, resp.body)
		}
	})
	t.Run("gateway answers", func(t *testing.T) {
		// A create is recorded whatever the gateway says: refused or
		// never sent, it failed; lost or timed out, it is unknown until
		// the reconciler finds out.
		for _, tt := range []struct {
			fault, status, failure string
		}{
			{"decline", "failed", faultprovider.DeclineCode},
			{"not_sent", "failed", "provider_unavailable"},
			{"unknown", "unknown", ""},
			{"hang", "unknown", ""},
		} {
			var p struct {
				Status  string
				Failure struct{ Code string }
			}
			post("", hostPayment(100, `"fault": "`+tt.fault+`"`)).decode(t, http.StatusCreated, &p)
			if p.Status != tt.status || p.Failure.Code != tt.failure {
				t.Errorf("%s: payment %+v, want %s with failure %q", tt.fault, p, tt.status, tt.failure)
			}
		}
		// A capture the gateway refused or never got is an error naming
		// the payment; one whose outcome is unknown leaves it unknown.
		for _, tt := range []struct {
			fault, code string
			status      int
		}{
			{"decline", "provider_error", 502},
			{"not_sent", "provider_unavailable", 503},
		} {
			var p struct{ ID string }
			body := hostPayment(100, `"fault.capture": "`+tt.fault+`"`)
			post("", strings.Replace(body, `"method"`, `"capture": "manual", "method"`, 1)).decode(t, http.StatusCreated, &p)
			resp := e.do(request{method: "POST", path: "/v1/payments/" + p.ID + "/capture", header: as(acmeKey)})
			if got := wantError(t, resp, tt.status, tt.code, "", ""); got.Error.PaymentID != p.ID {
				t.Errorf("%s: payment_id %q, want %s", tt.fault, got.Error.PaymentID, p.ID)
			}
		}
	})
	t.Run("another merchant's payment", func(t *testing.T) {
		resp := e.do(request{method: "GET", path: "/v1/payments/" + first.ID, header: as(globexKey)})
		wantError(t, resp, 404, "not_found", "", "")
	})
	t.Run("bad body never reaches the plugin", func(t *testing.T) {
		before := e.creates()
		wantError(t, post("", `{"amount": 1, "currency": "USD", "method": "card", "card": {"pan": "1"}}`), 400, "invalid_request", "card.pan", "")
		if e.creates() != before {
			t.Error("the plugin was called")
		}
	})
	t.Run("callback to a provider without callbacks", func(t *testing.T) {
		wantError(t, e.do(request{method: "POST", path: "/v1/callbacks/fault/a", body: "{}"}), 404, "not_found", "", "takes no callbacks")
		wantError(t, e.do(request{method: "POST", path: "/v1/callbacks/fault/zz", body: "{}"}), 404, "not_found", "", "no provider fault.zz")
	})
	t.Run("ready", func(t *testing.T) {
		if resp := e.do(request{method: "GET", path: "/readyz"}); resp.status != 200 {
			t.Errorf("readyz %d", resp.status)
		}
	})
	if strings.Contains(e.logs.String(), testPAN) || strings.Contains(e.logs.String(), acmeKey) {
		t.Error("the log holds the card number or the API key")
	}
}
