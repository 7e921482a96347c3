package command

import (
	"bufio"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// The e2e merchants' API keys and the card number sent, none of which
// may reach a log.
const (
	e2eAcmeKey   = "sk_test_e2e_acme_0b1c2d3e4f5a6b7c"
	e2eGlobexKey = "sk_test_e2e_globex_9f8e7d6c5b4a3210"
	e2ePAN       = "4111111111111111"
)

// buildPayhost builds the payhost binary into a temporary directory.
func buildPayhost(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "payhost")
	out, err := exec.Command("go", "build", "-o", bin, "github.com/payhost/payhost/cmd/payhost").CombinedOutput()
	if err != nil {
		t.Fatalf("building payhost: %v\n%s", err, out)
	}
	return bin
}

// e2eConfig is a configuration with the fault plugin, SQLite and two
// merchants; %STORE% is replaced by the store block.
const e2eConfig = `
payhost {
  listen     = "127.0.0.1:0"
  plugin_dir = "./bin"
  log_level  = "debug"
  log_format = "json"
}

%STORE%

provider "fault" "a" {
  api_key = "fault-key"
}

merchant "acme" {
  api_key = env("E2E_ACME_KEY")
  webhook {
    url    = env("E2E_WEBHOOK_URL")
    secret = "whsec_e2e_acme_5d4c3b2a1f0e9d8c"
  }
  route "all" {
    providers = [provider.fault.a]
  }
}

merchant "globex" {
  api_key = env("E2E_GLOBEX_KEY")
  route "all" {
    providers = [provider.fault.a]
  }
}
`

// server is a running `payhost serve` process.
type server struct {
	t      *testing.T
	cmd    *exec.Cmd
	base   string
	stderr *syncBuffer
	exited chan error
}

// startServe runs `payhost serve -config dir`, with env added to the
// environment, and waits until it serves.
func startServe(t *testing.T, bin, dir string, env ...string) *server {
	t.Helper()
	cmd := exec.Command(bin, "serve", "-config", dir, "-shutdown-timeout", "10s")
	cmd.Env = append(os.Environ(), "E2E_ACME_KEY="+e2eAcmeKey, "E2E_GLOBEX_KEY="+e2eGlobexKey)
	cmd.Env = append(cmd.Env, env...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	s := &server{t: t, cmd: cmd, stderr: &syncBuffer{}, exited: make(chan error, 1)}
	cmd.Stderr = s.stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Kill()
			<-s.exited
		}
	})
	urls := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if m := servingLine.FindStringSubmatch(sc.Text() + " "); m != nil {
				urls <- m[1]
			}
		}
		_, _ = io.Copy(io.Discard, stdout)
		s.exited <- cmd.Wait()
	}()
	select {
	case s.base = <-urls:
	case err := <-s.exited:
		t.Fatalf("payhost serve exited (%v):\n%s", err, s.stderr.String())
	case <-time.After(time.Minute):
		t.Fatalf("payhost serve did not start:\n%s", s.stderr.String())
	}
	return s
}

// stop sends SIGTERM and returns the exit error.
func (s *server) stop() error {
	s.t.Helper()
	if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		s.t.Fatal(err)
	}
	return <-s.exited
}

// call sends a request as the merchant with key, body as JSON (when not
// empty), and returns the status, answer and decoded answer.
func (s *server) call(method, path, key, idemKey, body string) (int, http.Header, map[string]any) {
	s.t.Helper()
	status, header, b := httpCall(s.t, method, s.base+path, key, idemKey, body)
	var m map[string]any
	if strings.HasPrefix(header.Get("Content-Type"), "application/json") {
		if err := json.Unmarshal(b, &m); err != nil {
			s.t.Fatalf("%s %s: %v: %s", method, path, err, b)
		}
	} else {
		m = map[string]any{"raw": string(b)}
	}
	return status, header, m
}

// httpCall sends method url with body as JSON (when not empty), as the
// merchant with API key key and with Idempotency-Key idemKey (each when
// not empty), and returns the status, header and body of the answer.
func httpCall(t testing.TB, method, url, key, idemKey, body string) (int, http.Header, []byte) {
	t.Helper()
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, url, r)
	if err != nil {
		t.Fatal(err)
	}
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	if idemKey != "" {
		req.Header.Set("Idempotency-Key", idemKey)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, resp.Header, b
}

// e2eWorkspace writes the configuration with store and the fault plugin,
// and locks it with payhost init, env added to its environment.
func e2eWorkspace(t *testing.T, bin, store string, env ...string) string {
	t.Helper()
	dir := pluginWorkspace(t, strings.Replace(e2eConfig, "%STORE%", store, 1), "fault")
	cmd := exec.Command(bin, "init", "-config", dir)
	cmd.Env = append(os.Environ(), "E2E_ACME_KEY="+e2eAcmeKey, "E2E_GLOBEX_KEY="+e2eGlobexKey)
	cmd.Env = append(cmd.Env, env...)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("payhost init: %v\n%s", err, out)
	}
	return dir
}

const e2eCard = `"card": {"number": "` + e2ePAN + `", "exp_month": 12, "exp_year": 2030, "cvc": "737"}`

// TestServeEndToEnd runs `payhost serve` as a real process with the fault
// provider plugin and SQLite, and drives the HTTP API as a merchant.
func TestServeEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs payhost")
	}
	bin := buildPayhost(t)
	hooks := newReceiver(t)
	dir := e2eWorkspace(t, bin, `store "sqlite" { path = "payhost.db" }`, hooks.env())
	s := startServe(t, bin, dir, hooks.env())

	create := `{"amount": 1000, "currency": "USD", "method": "card", ` + e2eCard + `}`
	status, hdr, p := s.call("POST", "/v1/payments", e2eAcmeKey, "order-1", create)
	if status != 201 || p["status"] != "succeeded" || p["provider"] != "fault.a" {
		t.Fatalf("create: %d %v", status, p)
	}
	id := p["id"].(string)
	if hdr.Get("X-Request-Id") == "" {
		t.Error("no X-Request-Id")
	}

	t.Run("idempotent replay", func(t *testing.T) {
		status, _, again := s.call("POST", "/v1/payments", e2eAcmeKey, "order-1", create)
		if status != 201 || again["id"] != id {
			t.Errorf("replay: %d %v, want 201 %s", status, again, id)
		}
		status, _, e := s.call("POST", "/v1/payments", e2eAcmeKey, "order-1", strings.Replace(create, "1000", "2000", 1))
		if status != 422 || e["error"].(map[string]any)["code"] != "idempotency_mismatch" {
			t.Errorf("other body: %d %v", status, e)
		}
	})
	t.Run("manual capture and refund", func(t *testing.T) {
		status, _, p := s.call("POST", "/v1/payments", e2eAcmeKey, "order-2",
			`{"amount": 500, "currency": "USD", "method": "card", "capture": "manual", `+e2eCard+`}`)
		if status != 201 || p["status"] != "authorized" {
			t.Fatalf("authorize: %d %v", status, p)
		}
		pid := p["id"].(string)
		if status, _, p = s.call("POST", "/v1/payments/"+pid+"/capture", e2eAcmeKey, "cap-2", `{"amount": 400}`); status != 200 || p["status"] != "succeeded" {
			t.Fatalf("capture: %d %v", status, p)
		}
		if status, _, p = s.call("POST", "/v1/payments/"+pid+"/refunds", e2eAcmeKey, "ref-2", `{"amount": 150}`); status != 201 || p["payment_id"] != pid {
			t.Fatalf("refund: %d %v", status, p)
		}
		if status, _, p = s.call("GET", "/v1/payments/"+pid, e2eAcmeKey, "", ""); status != 200 || p["amount_refunded"] != 150.0 {
			t.Fatalf("get: %d %v", status, p)
		}
	})
	t.Run("declined", func(t *testing.T) {
		status, _, p := s.call("POST", "/v1/payments", e2eAcmeKey, "order-3",
			`{"amount": 700, "currency": "USD", "method": "card", "metadata": {"fault": "decline"}, `+e2eCard+`}`)
		if status != 201 || p["status"] != "failed" {
			t.Errorf("decline: %d %v", status, p)
		}
	})
	t.Run("rejections", func(t *testing.T) {
		for _, tt := range []struct {
			method, path, key, body string
			status                  int
			code                    string
		}{
			{"GET", "/v1/payments/" + id, e2eGlobexKey, "", 404, "not_found"},
			{"GET", "/v1/payments/" + id, "sk_wrong", "", 401, "authentication_failed"},
			{"POST", "/v1/payments", e2eAcmeKey, `{"amount": 1, "card": {"numbr": "1"}}`, 400, "invalid_request"},
			{"POST", "/v1/payments/" + id + "/void", e2eAcmeKey, "", 409, "payment_state"},
		} {
			status, _, e := s.call(tt.method, tt.path, tt.key, "", tt.body)
			if status != tt.status || e["error"].(map[string]any)["code"] != tt.code {
				t.Errorf("%s %s: %d %v, want %d %s", tt.method, tt.path, status, e, tt.status, tt.code)
			}
		}
	})
	t.Run("webhook", func(t *testing.T) {
		if deliveries := hooks.waitFor([]string{id}, "payment.succeeded"); len(deliveries) == 0 {
			t.Error("no event delivered")
		}
	})
	t.Run("probes and metrics", func(t *testing.T) {
		if status, _, _ := s.call("GET", "/readyz", "", "", ""); status != 200 {
			t.Errorf("readyz %d", status)
		}
		_, _, m := s.call("GET", "/metrics", "", "", "")
		for _, want := range []string{
			`payhost_payments_total{provider="fault.a",status="succeeded"}`,
			`payhost_provider_calls_total{operation="create_payment",provider="fault.a",result="ok"}`,
			`payhost_plugin_up{provider="fault.a"} 1`,
			`payhost_http_requests_total{code="201",method="POST",route="POST /v1/payments"}`,
		} {
			if !strings.Contains(m["raw"].(string), want) {
				t.Errorf("/metrics lacks %s", want)
			}
		}
	})

	if err := s.stop(); err != nil {
		t.Fatalf("payhost serve exited with %v:\n%s", err, s.stderr.String())
	}
	log := s.stderr.String()
	for _, want := range []string{`"@message":"shutting down: finishing the requests in flight"`, `"@message":"stopped"`} {
		if !strings.Contains(log, want) {
			t.Errorf("log lacks %s", want)
		}
	}
	for _, secret := range []string{e2ePAN, e2eAcmeKey, e2eGlobexKey, "sk_wrong", "fault-key", e2eWebhookSecret} {
		if strings.Contains(log, secret) {
			t.Errorf("the log holds %q", secret)
		}
	}
}
