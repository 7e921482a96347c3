package examples_test

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/payhost/payhost/internal/testutil"

	"github.com/payhost/payhost/internal/config"
	"github.com/payhost/payhost/internal/pluginhost"
	"github.com/payhost/payhost/internal/routing"
	"github.com/payhost/payhost/internal/sandbox/appotapay"
	"github.com/payhost/payhost/internal/sandbox/reddot"
	"github.com/payhost/payhost/internal/sandbox/redotpay"
	"github.com/payhost/payhost/plugin"
)

// The examples run as a user runs them: payhost and the plugins are built
// with the go command, once per test process, into binDir, and every
// payhost command is a process.

// binDir holds the binaries built by this test process.
var binDir string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "payhost-examples-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binDir = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// builds records each go build of this process by output directory.
var builds = struct {
	sync.Mutex
	done map[string]error
}{done: map[string]error{}}

// build runs `go build -o binDir/<out>/ pkgs...` in the module directory
// dir, once per test process, and returns binDir/<out>.
func build(t *testing.T, dir, out string, pkgs ...string) string {
	t.Helper()
	builds.Lock()
	defer builds.Unlock()
	target := filepath.Join(binDir, out)
	err, done := builds.done[out]
	if !done {
		args := append([]string{"build", "-o", target + string(filepath.Separator)}, pkgs...)
		cmd := exec.Command("go", args...)
		cmd.Dir = dir
		if b, cerr := cmd.CombinedOutput(); cerr != nil {
			err = fmt.Errorf("go build %s (in %s): %v\n%s", strings.Join(pkgs, " "), dir, cerr, b)
		}
		builds.done[out] = err
	}
	if err != nil {
		t.Fatal(err)
	}
	return target
}

// payhostBinary is the payhost executable, in a directory of its own so
// that no plugin sits beside it.
func payhostBinary(t *testing.T) string {
	return filepath.Join(build(t, ".", "payhost", "github.com/payhost/payhost/cmd/payhost"), "payhost")
}

// run runs bin with args, its environment cleared of payhost's variables
// and extended with env, and returns the exit code and the outputs.
func run(t *testing.T, env []string, bin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Env = processEnv(env)
	cmd.Dir = t.TempDir() // no configuration files found by accident
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	if exit, ok := err.(*exec.ExitError); ok {
		return exit.ExitCode(), out.String(), errOut.String()
	}
	if err != nil {
		t.Fatalf("running %s %s: %v", filepath.Base(bin), strings.Join(args, " "), err)
	}
	return 0, out.String(), errOut.String()
}

// processEnv is this process's environment without payhost's variables,
// plus env.
func processEnv(env []string) []string {
	var out []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "PAYHOST_") {
			out = append(out, kv)
		}
	}
	return append(out, env...)
}

// writeConfig writes src as payhost.hcl in a new directory and returns it.
func writeConfig(t *testing.T, src string) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "payhost.hcl"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// freePort returns a TCP port on 127.0.0.1 that was free a moment ago.
func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// process is a long-running command of a test.
type process struct {
	cmd    *exec.Cmd
	stderr *lockedBuffer
	exited chan error
}

// startProcess starts bin and waits until a line of its standard output
// matches ready; it returns the process and the line's first submatch.
// The process is killed when the test ends, unless stopped before.
func startProcess(t *testing.T, env []string, ready *regexp.Regexp, bin string, args ...string) (*process, string) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = processEnv(env)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	p := &process{cmd: cmd, stderr: &lockedBuffer{}, exited: make(chan error, 1)}
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
	matched := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sent := false; sc.Scan(); {
			if m := ready.FindStringSubmatch(sc.Text()); m != nil && !sent {
				matched <- m[1]
				sent = true
			}
		}
		_, _ = io.Copy(io.Discard, stdout)
		p.exited <- cmd.Wait()
	}()
	select {
	case m := <-matched:
		return p, m
	case err := <-p.exited:
		t.Fatalf("%s exited before it was ready (%v):\n%s", filepath.Base(bin), err, p.stderr)
	case <-time.After(time.Minute):
		t.Fatalf("%s was not ready after a minute:\n%s", filepath.Base(bin), p.stderr)
	}
	return nil, ""
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
	case <-time.After(time.Minute):
		t.Fatal("the process did not stop within a minute of SIGTERM")
		return nil
	}
}

// lockedBuffer is testutil.SyncBuffer, under this package's name for it.
type lockedBuffer = testutil.SyncBuffer

// sha256Hex is the SHA-256 of the file at path, in hex.
func sha256Hex(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("%x", sha256.Sum256(b))
}

// httpJSON sends a request with a JSON body (none when empty) and headers,
// and returns the status and the decoded answer.
func httpJSON(t *testing.T, method, url, body string, headers map[string]string) (int, map[string]any) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var m map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&m); err != nil {
		t.Fatalf("%s %s: the answer (HTTP %d) is not JSON: %v", method, url, resp.StatusCode, err)
	}
	return resp.StatusCode, m
}

// noRedirects is a customer's browser that stops at the first redirect.
var noRedirects = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

// The custom provider: tinypay, built from its own module, loaded by an
// unchanged payhost.

// tinypayCredentials are the tinypay emulator's published test
// credentials (custom-provider/emulator), as env() reads them.
var tinypayCredentials = []string{
	"TINYPAY_API_KEY=tp_test_8f14e45fceea167a",
	"TINYPAY_SECRET=tpsec_test_c9f0f895fb98ab91",
	"SHOP_API_KEY=sk_test_shop_0123456789abcdef",
}

// tinypayConfig declares an instance of tinypay; %[1]s is the emulator's
// URL, %[2]d the port payhost serve listens on, %[3]s more attributes of
// the provider block.
const tinypayConfig = `payhost {
  listen     = "127.0.0.1:%[2]d"
  public_url = "http://127.0.0.1:%[2]d"
  log_level  = "debug"
}

store "sqlite" {
  path = "payhost.db"
}

provider "tinypay" "demo" {
  endpoint = "%[1]s"
  api_key  = env("TINYPAY_API_KEY")
  secret   = env("TINYPAY_SECRET")%[3]s
}

merchant "shop" {
  api_key = env("SHOP_API_KEY")
  route "all" {
    providers = [provider.tinypay.demo]
  }
}
`

// tinypayPlugin builds the tinypay plugin inside its module and returns
// the directory it is in.
func tinypayPlugin(t *testing.T) string {
	return build(t, "custom-provider", "tinypay-plugins", "./cmd/payhost-provider-tinypay")
}

// startTinypayEmulator runs the tinypay emulator and returns its URL.
func startTinypayEmulator(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(build(t, "custom-provider", "tinypay-emulator", "./cmd/tinypay-emulator"), "tinypay-emulator")
	_, u := startProcess(t, nil, regexp.MustCompile(`serving on (http://\S+)`), bin, "-listen", "127.0.0.1:0")
	return u
}

func TestCustomProvider(t *testing.T) {
	if testing.Short() {
		t.Skip("builds payhost and the tinypay plugin and runs them")
	}
	bin, plugins := payhostBinary(t), tinypayPlugin(t)
	pluginPath := filepath.Join(plugins, "payhost-provider-tinypay")
	emulatorURL, port := startTinypayEmulator(t), freePort(t)
	dir := writeConfig(t, fmt.Sprintf(tinypayConfig, emulatorURL, port, ""))

	t.Run("providers", func(t *testing.T) {
		code, out, errOut := run(t, nil, bin, "providers", "-plugin-dir", plugins)
		for _, line := range []string{
			`tinypay v0\.1\.0 \(plugin protocol 1\)`,
			`sha256: +` + sha256Hex(t, pluginPath),
			`operations: +create_payment, get_payment, refund, partial_refund, callbacks`,
			`methods: +card, wallet`,
			`currencies: +EUR, JPY, SGD, USD`,
			`endpoint +string +required +Base URL`,
			`api_key +string +required, sensitive +The merchant's API key`,
			`secret +string +required, sensitive +The merchant's signing secret`,
			`timeout +duration +optional, default "30s" +How long`,
		} {
			if !regexp.MustCompile(`(?m)^ *` + line).MatchString(out) {
				t.Errorf("payhost providers has no line %q:\n%s", line, out)
			}
		}
		if code != 0 {
			t.Errorf("payhost providers: exit %d\n%s", code, errOut)
		}
	})

	t.Run("init", func(t *testing.T) {
		code, out, errOut := run(t, tinypayCredentials, bin, "init", "-config", dir, "-plugin-dir", plugins)
		if code != 0 || !strings.Contains(out, "tinypay v0.1.0 (plugin protocol 1)") {
			t.Fatalf("payhost init: exit %d\n%s%s", code, out, errOut)
		}
		lock, err := pluginhost.ReadLockFile(filepath.Join(dir, pluginhost.LockFileName))
		if err != nil {
			t.Fatal(err)
		}
		locked, ok := lock.Provider("tinypay")
		if !ok || locked.Version != "0.1.0" || fmt.Sprintf("%x", locked.SHA256) != sha256Hex(t, pluginPath) {
			t.Errorf("the lock file holds %+v, %v; want tinypay 0.1.0 with the binary's sha256", locked, ok)
		}
	})

	t.Run("validate", func(t *testing.T) {
		code, out, errOut := run(t, tinypayCredentials, bin, "validate", "-config", dir, "-plugin-dir", plugins)
		if code != 0 || !strings.Contains(out, "Success! The configuration is valid.") {
			t.Fatalf("payhost validate: exit %d\n%s%s", code, out, errOut)
		}
	})

	t.Run("validate refuses an attribute tinypay does not declare", func(t *testing.T) {
		src := fmt.Sprintf(tinypayConfig, emulatorURL, port, "\n  api_secret = \"x\"")
		bad := writeConfig(t, src)
		code, _, errOut := run(t, tinypayCredentials, bin, "validate", "-config", bad, "-plugin-dir", plugins)
		// The attribute is indented by two.
		line := strings.Count(src[:strings.Index(src, "api_secret")], "\n") + 1
		for _, want := range []string{"Error: Unsupported argument", fmt.Sprintf("payhost.hcl:%d:3,", line), `"api_secret"`} {
			if !strings.Contains(errOut, want) {
				t.Errorf("the diagnostic does not say %q:\n%s", want, errOut)
			}
		}
		if code != 1 {
			t.Errorf("payhost validate: exit %d, want 1", code)
		}
	})

	t.Run("serve", func(t *testing.T) {
		payThroughServe(t, bin, plugins, dir, emulatorURL)
	})
}

// payThroughServe runs payhost serve on the locked configuration in dir
// and makes a payment with tinypay end to end: create, the hosted page
// of the next action, the customer pays, tinypay's callback, and the
// payment succeeded; then a partial refund.
func payThroughServe(t *testing.T, bin, plugins, dir, emulatorURL string) {
	serve, base := startProcess(t, tinypayCredentials, regexp.MustCompile(`serving on (http://\S+) `),
		bin, "serve", "-config", dir, "-plugin-dir", plugins, "-shutdown-timeout", "10s")
	shop := map[string]string{"Authorization": "Bearer sk_test_shop_0123456789abcdef"}
	withKey := func(key string) map[string]string {
		return map[string]string{"Authorization": shop["Authorization"], "Idempotency-Key": key}
	}

	status, p := httpJSON(t, "POST", base+"/v1/payments",
		`{"amount": 1050, "currency": "USD", "method": "card", "reference": "order-1", "return_url": "https://shop.example/return"}`, withKey("order-1"))
	action, _ := p["next_action"].(map[string]any)
	payURL, _ := action["url"].(string)
	if status != http.StatusCreated || p["status"] != "requires_action" || p["provider"] != "tinypay.demo" || !strings.HasPrefix(payURL, emulatorURL+"/pay/") {
		t.Fatalf("create: HTTP %d %v; want requires_action at tinypay.demo with tinypay's page", status, p)
	}
	id := p["id"].(string)

	page, err := http.Get(payURL)
	if err != nil {
		t.Fatal(err)
	}
	html, _ := io.ReadAll(page.Body)
	page.Body.Close()
	if !bytes.Contains(html, []byte("10.50 USD")) {
		t.Errorf("tinypay's page does not show 10.50 USD:\n%s", html)
	}
	paid, err := noRedirects.PostForm(payURL, url.Values{"action": {"pay"}})
	if err != nil {
		t.Fatal(err)
	}
	paid.Body.Close()
	if paid.StatusCode != http.StatusSeeOther {
		t.Fatalf("paying on tinypay's page: %s", paid.Status)
	}

	deadline := time.Now().Add(30 * time.Second)
	for p["status"] != "succeeded" {
		if time.Now().After(deadline) {
			t.Fatalf("the payment is still %v after the customer paid:\n%s", p["status"], serve.stderr)
		}
		time.Sleep(100 * time.Millisecond)
		_, p = httpJSON(t, "GET", base+"/v1/payments/"+id, "", shop)
	}
	if p["amount"] != 1050.0 || p["amount_captured"] != 1050.0 || !strings.HasPrefix(fmt.Sprint(p["provider_reference"]), "tp_") {
		t.Errorf("the succeeded payment: %v; want 1050 captured, tinypay's reference", p)
	}

	status, r := httpJSON(t, "POST", base+"/v1/payments/"+id+"/refunds", `{"amount": 250}`, withKey("refund-1"))
	if status != http.StatusCreated || r["status"] != "succeeded" || r["amount"] != 250.0 {
		t.Errorf("refund of 250: HTTP %d %v", status, r)
	}

	if err := serve.stop(t); err != nil {
		t.Errorf("payhost serve exited with %v:\n%s", err, serve.stderr)
	}
	log := serve.stderr.String()
	if !strings.Contains(log, "tinypay callback") {
		t.Errorf("the plugin's log did not reach payhost's:\n%s", log)
	}
	for _, kv := range tinypayCredentials {
		if _, secret, _ := strings.Cut(kv, "="); strings.Contains(log, secret) {
			t.Errorf("payhost serve logged the value of %s", kv[:strings.Index(kv, "=")])
		}
	}
}

// The routing example: routing/payhost.hcl over the three shipped
// providers.

// shippedPlugins builds the three shipped provider plugins and returns
// their directory.
func shippedPlugins(t *testing.T) string {
	return build(t, ".", "shipped-plugins",
		"github.com/payhost/payhost/plugins/appotapay/cmd/payhost-provider-appotapay",
		"github.com/payhost/payhost/plugins/reddot/cmd/payhost-provider-reddot",
		"github.com/payhost/payhost/plugins/redotpay/cmd/payhost-provider-redotpay")
}

// routingEnv is what the example's env() calls read: the published test
// credentials of payhost sandbox's emulators.
func routingEnv() map[string]string {
	private, _ := redotpay.TestKeyPEM()
	return map[string]string{
		"ACME_API_KEY":               "sk_test_acme_0123456789abcdef",
		"APPOTAPAY_API_KEY":          appotapay.SandboxAPIKey,
		"APPOTAPAY_SECRET_KEY":       appotapay.SandboxSecretKey,
		"REDDOT_SECRET_KEY":          reddot.DefaultSecret,
		"REDOTPAY_SEED_MERCHANT_KEY": redotpay.DefaultSeedMerchantKey,
		"REDOTPAY_SEED_SECRET_KEY":   redotpay.DefaultSeedSecret,
		"REDOTPAY_PRIVATE_KEY":       string(private),
	}
}

// envList renders env as KEY=VALUE entries, without the variable named
// without.
func envList(env map[string]string, without string) []string {
	var out []string
	for k, v := range env {
		if k != without {
			out = append(out, k+"="+v)
		}
	}
	return out
}

// routingConfig is the example's configuration file.
const routingConfig = "routing/payhost.hcl"

// lineOf is the 1-based line of routingConfig that holds s.
func lineOf(t *testing.T, s string) int {
	t.Helper()
	b, err := os.ReadFile(routingConfig)
	if err != nil {
		t.Fatal(err)
	}
	for i, line := range strings.Split(string(b), "\n") {
		if strings.Contains(line, s) {
			return i + 1
		}
	}
	t.Fatalf("%s does not hold %q", routingConfig, s)
	return 0
}

// routeOutput is what the test reads of `payhost route -json`.
type routeOutput struct {
	Decision struct {
		Route      string              `json:"route"`
		Candidates []routing.Candidate `json:"candidates"`
		Dropped    []routing.Dropped   `json:"dropped"`
	} `json:"decision"`
	Error string `json:"error"`
}

// providers lists the candidates in order.
func (o routeOutput) providers() []string {
	var out []string
	for _, c := range o.Decision.Candidates {
		out = append(out, c.Provider)
	}
	return out
}

// routeExample runs `payhost route -json` for merchant acme on the
// example with the payment flags given.
func routeExample(t *testing.T, bin, plugins string, payment ...string) (int, routeOutput, string) {
	t.Helper()
	abs, err := filepath.Abs(routingConfig)
	if err != nil {
		t.Fatal(err)
	}
	args := append([]string{"route", "-config", abs, "-plugin-dir", plugins, "-json", "-merchant", "acme"}, payment...)
	code, out, errOut := run(t, nil, bin, args...)
	var o routeOutput
	if err := json.Unmarshal([]byte(out), &o); err != nil {
		t.Fatalf("payhost route %s: exit %d, output not JSON (%v):\n%s%s", strings.Join(payment, " "), code, err, out, errOut)
	}
	return code, o, errOut
}

func TestRoutingExample(t *testing.T) {
	if testing.Short() {
		t.Skip("builds payhost and the shipped plugins and runs them")
	}
	bin, plugins := payhostBinary(t), shippedPlugins(t)
	env := routingEnv()
	abs, err := filepath.Abs(routingConfig)
	if err != nil {
		t.Fatal(err)
	}

	t.Run("the README gives every credential", func(t *testing.T) {
		readme, err := os.ReadFile("routing/README.md")
		if err != nil {
			t.Fatal(err)
		}
		for name, value := range env {
			if !bytes.Contains(readme, []byte(name)) || (name != "REDOTPAY_PRIVATE_KEY" && !bytes.Contains(readme, []byte(value))) {
				t.Errorf("routing/README.md does not give %s", name)
			}
		}
	})

	t.Run("validate", func(t *testing.T) {
		code, out, errOut := run(t, envList(env, ""), bin, "validate", "-config", abs, "-plugin-dir", plugins)
		if code != 0 || !strings.Contains(out, "Success! The configuration is valid, but there were some warnings.") ||
			!strings.Contains(errOut, "Warning: No route matches every payment") || strings.Contains(errOut, "Error") {
			t.Errorf("payhost validate: exit %d\n%s%s", code, out, errOut)
		}
		for name, value := range env {
			if strings.Contains(out+errOut, value) {
				t.Errorf("payhost validate printed the value of %s", name)
			}
		}
	})

	t.Run("validate names a missing credential", func(t *testing.T) {
		code, _, errOut := run(t, envList(env, "REDDOT_SECRET_KEY"), bin, "validate", "-config", abs, "-plugin-dir", plugins)
		where := fmt.Sprintf("payhost.hcl:%d:", lineOf(t, `env("REDDOT_SECRET_KEY")`))
		if code != 1 || !strings.Contains(errOut, "Error: Missing environment variable") || !strings.Contains(errOut, where) {
			t.Errorf("payhost validate without REDDOT_SECRET_KEY: exit %d, want 1 and an error at %s:\n%s", code, where, errOut)
		}
	})

	t.Run("route", func(t *testing.T) {
		cases := []struct {
			name      string
			payment   []string
			route     string
			providers []string
			err       string // in the error when the payment finds no provider
		}{
			{"VND bank transfer: currency rule", []string{"-amount", "500000", "-currency", "VND", "-method", "bank"}, "vietnam", []string{"appotapay.vn"}, ""},
			{"VND card: the currency rule comes first", []string{"-amount", "250000", "-currency", "VND"}, "vietnam", []string{"appotapay.vn"}, ""},
			{"USD card: the fallback list as declared", []string{"-amount", "1050", "-currency", "USD"}, "cards", []string{"redotpay.cards", "reddot.sg"}, ""},
			{"EUR card authorization", []string{"-amount", "9900", "-currency", "EUR", "-capture", "manual"}, "cards", []string{"redotpay.cards", "reddot.sg"}, ""},
			{"USD wallet: method rule", []string{"-amount", "1050", "-currency", "USD", "-method", "wallet"}, "crypto", []string{"redotpay.checkout"}, ""},
			{"SGD QR code", []string{"-amount", "2000", "-currency", "SGD", "-method", "qr"}, "crypto", []string{"redotpay.checkout"}, ""},
			{"VND QR code: the first match decides", []string{"-amount", "10000", "-currency", "VND", "-method", "qr"}, "vietnam", nil,
				`route "vietnam" of merchant "acme" matched, but no provider can take the payment: appotapay.vn (does not support method "qr")`},
			{"EUR bank transfer: no route", []string{"-amount", "1000", "-currency", "EUR", "-method", "bank"}, "", nil,
				`merchant "acme" has no route for payment`},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				code, o, errOut := routeExample(t, bin, plugins, tc.payment...)
				if o.Decision.Route != tc.route || !slices.Equal(o.providers(), tc.providers) {
					t.Errorf("route %q to %v; want %q to %v", o.Decision.Route, o.providers(), tc.route, tc.providers)
				}
				wantCode := 0
				if tc.err != "" {
					wantCode = 1
				}
				if code != wantCode || !strings.Contains(o.Error, tc.err) || !strings.Contains(errOut, tc.err) {
					t.Errorf("exit %d, error %q, stderr %q; want exit %d and an error saying %q", code, o.Error, errOut, wantCode, tc.err)
				}
			})
		}
	})

	t.Run("split", func(t *testing.T) {
		checkSplit(t, bin, plugins, env)
	})
}

// checkSplit checks the example's 70/30 split of SGD cards: each payment
// id goes to the same provider every time, in the bucket its reason
// names, and over a thousand ids the shares match the weights. The
// thousand decisions are the routing package's, on the example decoded
// against the real plugins as payhost decodes it (a payhost process per
// decision would take minutes); a sample of them is checked against
// `payhost route`.
func checkSplit(t *testing.T, bin, plugins string, env map[string]string) {
	router := exampleRouter(t, plugins, env)
	payment := func(id string) routing.Payment {
		return routing.Payment{ID: id, Amount: 1050, Currency: "SGD", Method: plugin.MethodCard, Capture: plugin.CaptureAutomatic}
	}
	const ids = 1000
	first := map[string]int{}
	for i := range ids {
		d, err := router.Route("acme", payment(fmt.Sprintf("pay_%04d", i)))
		if err != nil || d.Route != "sgd-cards" || len(d.Candidates) != 2 {
			t.Fatalf("payment %d: %+v, %v; want the split of route sgd-cards", i, d, err)
		}
		first[d.Candidates[0].Provider]++
	}
	// 70% within 5 points: 3.5 standard deviations over 1000 ids.
	if share := first["reddot.sg"] * 100 / ids; share < 65 || share > 75 || first["reddot.sg"]+first["redotpay.cards"] != ids {
		t.Errorf("first candidates over %d ids: %v; want reddot.sg 70%% and redotpay.cards 30%%, within 5 points", ids, first)
	}

	bucket := regexp.MustCompile(`^split: bucket (\d+) of 100 falls in its weight (70|30) `)
	for i := 0; i < ids; i += 50 {
		id := fmt.Sprintf("pay_%04d", i)
		code, o, errOut := routeExample(t, bin, plugins, "-amount", "1050", "-currency", "SGD", "-id", id)
		want, _ := router.Route("acme", payment(id))
		if code != 0 || !slices.Equal(o.Decision.Candidates, want.Candidates) {
			t.Fatalf("payhost route -id %s: exit %d, %+v; the router says %+v\n%s", id, code, o.Decision.Candidates, want.Candidates, errOut)
		}
		chosen := o.Decision.Candidates[0]
		m := bucket.FindStringSubmatch(chosen.Reason)
		if m == nil {
			t.Fatalf("payment %s: the reason %q does not name the bucket", id, chosen.Reason)
		}
		if b, _ := strconv.Atoi(m[1]); (b < 70) != (chosen.Provider == "reddot.sg") {
			t.Errorf("payment %s went to %s: %q; buckets 0-69 are reddot.sg's", id, chosen.Provider, chosen.Reason)
		}
		if i == 0 {
			if _, again, _ := routeExample(t, bin, plugins, "-amount", "1050", "-currency", "SGD", "-id", id); !slices.Equal(again.Decision.Candidates, o.Decision.Candidates) {
				t.Errorf("payment %s: %+v, then %+v", id, o.Decision.Candidates, again.Decision.Candidates)
			}
		}
	}
}

// exampleRouter loads the routing example as payhost does, its provider
// blocks decoded against the plugins in dir, and returns its router.
func exampleRouter(t *testing.T, dir string, env map[string]string) *routing.Router {
	t.Helper()
	for k, v := range env {
		t.Setenv(k, v)
	}
	cfg, diags := config.Load(routingConfig, nil)
	h := pluginhost.New(pluginhost.Options{})
	defer h.Close()
	if diags = append(diags, cfg.DecodeProviders(pluginhost.NewCatalog(h, []string{dir}, nil))...); diags.HasErrors() {
		t.Fatalf("loading %s: %v", routingConfig, diags)
	}
	router, err := routing.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return router
}
