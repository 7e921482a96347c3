package e2e

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/payhost/payhost/internal/testutil"

	"github.com/payhost/payhost/api"
	"github.com/payhost/payhost/internal/sandbox/appotapay"
	"github.com/payhost/payhost/internal/sandbox/reddot"
	"github.com/payhost/payhost/internal/sandbox/redotpay"
	"github.com/payhost/payhost/internal/webhook"
)

// repoRoot is the repository's root, two directories up from here.
var repoRoot = func() string {
	abs, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		panic(err)
	}
	return abs
}()

// binDir holds the binaries this test process built.
var binDir string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "payhost-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binDir = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

var (
	buildOnce sync.Once
	buildErr  error
)

// binaries builds payhost and every shipped provider plugin into one
// directory, once per test process, and returns it: payhost finds the
// plugins beside its executable, as after `make build`.
func binaries(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		pkgs, _ := filepath.Glob(filepath.Join(repoRoot, "plugins", "*", "cmd", "payhost-provider-*"))
		args := []string{"build", "-o", binDir + string(filepath.Separator), "./cmd/payhost"}
		for _, p := range pkgs {
			rel, _ := filepath.Rel(repoRoot, p)
			args = append(args, "./"+filepath.ToSlash(rel))
		}
		cmd := exec.Command("go", args...)
		cmd.Dir = repoRoot
		if out, err := cmd.CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("go %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binDir
}

// Credentials the quickstart's configuration reads with env(): the
// emulators' published test credentials, and the shop's test key and
// webhook secret.
const (
	shopAPIKey        = "sk_test_e2e_shop_8d0f3b6a2c71"
	shopWebhookSecret = "whsec_test_e2e_shop_49e1c7a03b52"
)

// quickstartCredentials is the environment of the quickstart's env()
// calls for credentials.
func quickstartCredentials() []string {
	private, public := redotpay.TestKeyPEM()
	return []string{
		"APPOTAPAY_API_KEY=" + appotapay.SandboxAPIKey,
		"APPOTAPAY_SECRET_KEY=" + appotapay.SandboxSecretKey,
		"REDDOT_SECRET_KEY=" + reddot.DefaultSecret,
		"REDOTPAY_PRIVATE_KEY=" + string(private),
		"REDOTPAY_PLATFORM_PUBLIC_KEY=" + string(public),
		"SHOP_API_KEY=" + shopAPIKey,
		"SHOP_WEBHOOK_SECRET=" + shopWebhookSecret,
	}
}

// processEnv is this process's environment without payhost's and the
// quickstart's variables, plus env.
func processEnv(env []string) []string {
	var out []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "PAYHOST_") && !strings.HasPrefix(kv, "QUICKSTART_") {
			out = append(out, kv)
		}
	}
	return append(out, env...)
}

// freeAddrs returns n distinct addresses 127.0.0.1:<port> of ports that
// were free a moment ago: all are held until all are chosen, so that the
// kernel cannot hand out one port twice.
func freeAddrs(t *testing.T, n int) []string {
	t.Helper()
	var addrs []string
	for range n {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		defer ln.Close()
		addrs = append(addrs, ln.Addr().String())
	}
	return addrs
}

// process is a long-running command of a test: payhost sandbox or serve.
type process struct {
	name   string
	cmd    *exec.Cmd
	stdout *lockedBuffer
	stderr *lockedBuffer
	exited chan error
}

// startProcess starts bin with args in env and waits until a line of its
// standard output matches ready. It is killed when the test ends, unless
// stopped before.
func startProcess(t *testing.T, env []string, ready *regexp.Regexp, bin string, args ...string) *process {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = processEnv(env)
	cmd.Dir = t.TempDir()
	pipe, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	p := &process{name: filepath.Base(bin) + " " + args[0], cmd: cmd, stdout: &lockedBuffer{}, stderr: &lockedBuffer{}, exited: make(chan error, 1)}
	cmd.Stderr = p.stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Kill()
			<-p.exited
		}
	})
	isReady := make(chan struct{})
	go func() {
		sc := bufio.NewScanner(pipe)
		for sent := false; sc.Scan(); {
			p.stdout.Write([]byte(sc.Text() + "\n"))
			if !sent && ready.MatchString(sc.Text()) {
				close(isReady)
				sent = true
			}
		}
		_, _ = io.Copy(io.Discard, pipe)
		p.exited <- cmd.Wait()
	}()
	select {
	case <-isReady:
		return p
	case err := <-p.exited:
		t.Fatalf("%s exited before it was ready (%v):\n%s%s", p.name, err, p.stdout, p.stderr)
	case <-time.After(time.Minute):
		t.Fatalf("%s was not ready after a minute:\n%s%s", p.name, p.stdout, p.stderr)
	}
	return nil
}

// stop sends SIGTERM and returns how the process exited.
func (p *process) stop(t *testing.T) error {
	t.Helper()
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-p.exited:
		return err
	case <-time.After(30 * time.Second):
		t.Fatalf("%s did not stop within 30 s of SIGTERM", p.name)
		return nil
	}
}

// lockedBuffer is testutil.SyncBuffer, under this package's name for it.
type lockedBuffer = testutil.SyncBuffer

// sandbox is a running `payhost sandbox`, with each emulator's base URL.
type sandbox struct {
	*process
	urls map[string]string // redotpay, appotapay, reddot
}

// startSandbox runs payhost sandbox with every emulator on a port of its
// own and reads their base URLs from what it prints.
func startSandbox(t *testing.T, bin string) *sandbox {
	t.Helper()
	p := startProcess(t, nil, regexp.MustCompile(`^Sandbox ready`), filepath.Join(bin, "payhost"), "sandbox",
		"-redotpay-addr", "127.0.0.1:0", "-appotapay-addr", "127.0.0.1:0", "-reddot-addr", "127.0.0.1:0")
	s := &sandbox{process: p, urls: map[string]string{}}
	var name string
	for _, line := range strings.Split(p.stdout.String(), "\n") {
		if line != "" && !strings.HasPrefix(line, " ") {
			name = line
		}
		if u, ok := strings.CutPrefix(line, "  base URL: "); ok {
			s.urls[name] = u
		}
	}
	for _, g := range []string{"redotpay", "appotapay", "reddot"} {
		if s.urls[g] == "" {
			t.Fatalf("payhost sandbox printed no base URL for %s:\n%s", g, p.stdout)
		}
	}
	return s
}

// quickstartWorkspace copies the quickstart's configuration into a new
// directory and locks its plugins with payhost init, with env (the
// addresses) and the credentials set. It returns the directory and the
// full environment payhost serve needs.
func quickstartWorkspace(t *testing.T, bin string, env ...string) (string, []string) {
	t.Helper()
	src, err := os.ReadFile(filepath.Join(repoRoot, "examples", "quickstart", "payhost.hcl"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "payhost.hcl"), src, 0o644); err != nil {
		t.Fatal(err)
	}
	env = append(env, quickstartCredentials()...)
	cmd := exec.Command(filepath.Join(bin, "payhost"), "init", "-config", dir)
	cmd.Env = processEnv(env)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("payhost init: %v\n%s", err, out)
	}
	return dir, env
}

// merchant is the shop's web server in the tests: payhost's webhooks, each
// checked with internal/webhook's Verify, and the page customers return
// to.
type merchant struct {
	*httptest.Server
	t *testing.T

	mu         sync.Mutex
	events     []shopEvent
	unverified int
	returns    []string // the URLs the return page was asked for
	changed    chan struct{}
}

// shopEvent is the part of a merchant event the tests read.
type shopEvent struct {
	ID   string      `json:"id"`
	Type string      `json:"type"`
	Data api.Payment `json:"data"`
}

const (
	webhookPath = "/payhost/events"
	returnPath  = "/shop/return"
)

func newMerchant(t *testing.T) *merchant {
	t.Helper()
	m := &merchant{t: t, changed: make(chan struct{})}
	mux := http.NewServeMux()
	mux.HandleFunc("POST "+webhookPath, func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err == nil {
			err = webhook.Verify(shopWebhookSecret, r.Header.Get(webhook.SignatureHeader), body, 0)
		}
		var ev shopEvent
		if err == nil {
			err = json.Unmarshal(body, &ev)
		}
		m.mu.Lock()
		defer m.mu.Unlock()
		if err != nil || ev.ID == "" || ev.ID != r.Header.Get(webhook.EventIDHeader) {
			m.unverified++
			http.Error(w, "bad event", http.StatusBadRequest)
			return
		}
		m.events = append(m.events, ev)
		close(m.changed)
		m.changed = make(chan struct{})
	})
	mux.HandleFunc("GET "+returnPath, func(w http.ResponseWriter, r *http.Request) {
		m.mu.Lock()
		m.returns = append(m.returns, r.URL.String())
		m.mu.Unlock()
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Thank you</title></head>
<body style="font-family:sans-serif;padding:2rem"><h1 id="thanks">Thank you!</h1>
<p>Order <strong id="order">%s</strong> is being confirmed.</p>
<p style="color:#555;font-size:.8rem;word-break:break-all">The browser is at <code id="location"></code></p>
<script>document.getElementById("location").textContent = location.href</script></body></html>`, htmlEscape(r.URL.Query().Get("order")))
	})
	m.Server = httptest.NewServer(mux)
	t.Cleanup(m.Close)
	return m
}

func htmlEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&#34;").Replace(s)
}

// waitEvent waits up to 30 s for a verified event of type typ about
// payment id and returns it.
func (m *merchant) waitEvent(id, typ string) shopEvent {
	m.t.Helper()
	deadline := time.After(30 * time.Second)
	for {
		m.mu.Lock()
		if m.unverified > 0 {
			m.mu.Unlock()
			m.t.Fatalf("%d webhook deliveries did not verify", m.unverified)
		}
		for _, ev := range m.events {
			if ev.Data.ID == id && ev.Type == typ {
				m.mu.Unlock()
				return ev
			}
		}
		changed := m.changed
		m.mu.Unlock()
		select {
		case <-changed:
		case <-deadline:
			m.t.Fatalf("no %s event for payment %s after 30 s", typ, id)
		}
	}
}

// payhostAPI calls payhost serve's HTTP API as merchant "shop".
type payhostAPI struct {
	t    *testing.T
	base string
}

// call sends method path with body (JSON, none when empty) and an
// Idempotency-Key when key is set, and decodes the answer into out.
func (p payhostAPI) call(method, path, key, body string, out any) int {
	p.t.Helper()
	req, err := http.NewRequest(method, p.base+path, strings.NewReader(body))
	if err != nil {
		p.t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+shopAPIKey)
	req.Header.Set("Content-Type", "application/json")
	if key != "" {
		req.Header.Set("Idempotency-Key", key)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		p.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		p.t.Fatal(err)
	}
	if err := json.Unmarshal(b, out); err != nil {
		p.t.Fatalf("%s %s: HTTP %d, not JSON: %v\n%s", method, path, resp.StatusCode, err, b)
	}
	return resp.StatusCode
}

// waitStatus polls GET /v1/payments/{id} until the payment has status
// want, for up to 30 s, and returns it.
func (p payhostAPI) waitStatus(id string, want string) api.Payment {
	p.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		var got api.Payment
		if status := p.call("GET", "/v1/payments/"+id, "", "", &got); status != http.StatusOK {
			p.t.Fatalf("GET /v1/payments/%s: HTTP %d", id, status)
		}
		if string(got.Status) == want {
			return got
		}
		if time.Now().After(deadline) {
			p.t.Fatalf("payment %s is %s after 30 s; want %s", id, got.Status, want)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// noSecrets fails the test if text holds a credential or the test card.
// With published, the sandbox's published test credentials may appear
// (payhost sandbox prints them); the shop's own may not.
func noSecrets(t *testing.T, what, text string, published bool) {
	t.Helper()
	private, _ := redotpay.TestKeyPEM()
	secrets := map[string]string{
		"the e2e shop's API key":               shopAPIKey,
		"the e2e shop's webhook secret":        shopWebhookSecret,
		"the quickstart shop's API key":        "sk_test_quickstart_shop_5f2b8c41d9e7",
		"the quickstart shop's webhook secret": "whsec_test_quickstart_3a9d6e0f1c84",
		"RedotPay's private key":               strings.Split(string(private), "\n")[1],
		"a PEM private key":                    "PRIVATE KEY-----",
		"the card number":                      "4111111111111111",
	}
	if !published {
		secrets["AppotaPay's secret key"] = appotapay.SandboxSecretKey
		secrets["Red Dot's secret key"] = reddot.DefaultSecret
	}
	for name, secret := range secrets {
		if strings.Contains(text, secret) {
			t.Errorf("%s holds %s", what, name)
		}
	}
}
