package command

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashicorp/go-hclog"

	"github.com/payhost/payhost/internal/config"
	appotaemu "github.com/payhost/payhost/internal/sandbox/appotapay"
	"github.com/payhost/payhost/internal/store/postgres/pgtest"
	"github.com/payhost/payhost/plugin"
	"github.com/payhost/payhost/plugins/appotapay"
)

// benchKey is the benchmark merchant's API key.
const benchKey = "sk_bench_acme_8c1f0e2d4b6a7980"

// benchClients are the numbers of concurrent clients measured.
var benchClients = []int{1, 16}

// BenchmarkServe measures POST /v1/payments through payhost serve (its
// HTTP server and API, the host with every payment durably stored in
// SQLite or PostgreSQL, the AppotaPay plugin binary over go-plugin) to the
// AppotaPay emulator, beside the same payments sent straight to the
// emulator by the AppotaPay provider in process. Each sub-benchmark
// reports payments/s and the p50 and p99 latency; the payhost ones also
// report added-p50-ms, their p50 less the direct one's at as many clients.
//
// It runs twice: with the emulator in a process of its own (payhost
// sandbox, as a gateway is to a merchant's service and to payhost alike:
// another process, over the network), and with the emulator in the
// benchmark's process. In the second, the direct baseline's calls never
// leave the process, while payhost's plugin calls the emulator from
// another: the difference is a cross-process round trip that a direct
// call to a real gateway pays too. The benchmark's log ends with the
// side-by-side tables of the run.
//
//	PAYHOST_TEST_POSTGRES_DSN=... go test -run '^$' -bench BenchmarkServe -benchtime 3000x ./internal/command
func BenchmarkServe(b *testing.B) {
	plugins := buildAppotaPay(b)
	tables := map[string]*benchTable{}
	for _, placement := range []string{"process", "inprocess"} {
		results := &benchTable{}
		tables[placement] = results
		b.Run("emulator="+placement, func(b *testing.B) {
			var emuURL string
			if placement == "process" {
				emuURL = sandboxProcess(b)
			} else {
				emu := httptest.NewUnstartedServer(nil)
				emu.Config.Handler = appotaemu.New(appotaemu.Config{BaseURL: "http://" + emu.Listener.Addr().String(), RefundSettleAfter: -1})
				emu.Start()
				b.Cleanup(emu.Close)
				emuURL = emu.URL
			}
			benchServe(b, results, plugins, emuURL)
		})
	}
	logTable(b, tables)
}

// benchServe runs the direct and the payhost sub-benchmarks against the
// emulator at emuURL.
func benchServe(b *testing.B, results *benchTable, plugins, emuURL string) {
	direct := appotapay.New()
	if _, err := direct.Configure(context.Background(), &plugin.ConfigureRequest{
		Instance: "appotapay.vn", Config: appotaConfig(b, emuURL),
		CallbackURL: "http://127.0.0.1:1/v1/callbacks/appotapay/vn",
	}); err != nil {
		b.Fatal(err)
	}
	for _, clients := range benchClients {
		b.Run(fmt.Sprintf("direct/clients=%d", clients), func(b *testing.B) {
			run := time.Now().UnixNano()
			results.add("direct", clients, measure(b, clients, func(i int) error {
				_, err := direct.CreatePayment(context.Background(), &plugin.CreatePaymentRequest{
					PaymentID: fmt.Sprintf("pay_direct_%d_%d", run, i), AttemptID: fmt.Sprintf("att_direct_%d_%d", run, i),
					Amount: plugin.Money{Amount: 25_000, Currency: "VND"}, Method: plugin.MethodBank,
					ReturnURL: "https://acme.example/return", Customer: plugin.Customer{IP: "203.0.113.7"},
				})
				return err
			}))
		})
	}
	for _, store := range []struct{ name, block string }{
		{"sqlite", `store "sqlite" { path = "payhost.db" }`},
		{"postgres", `store "postgres" { dsn = env("BENCH_PG_DSN") }`},
	} {
		b.Run(store.name, func(b *testing.B) {
			if store.name == "postgres" {
				b.Setenv("BENCH_PG_DSN", pgtest.DSN(b))
			}
			base := startBenchServe(b, plugins, emuURL, store.block)
			client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
			for _, clients := range benchClients {
				b.Run(fmt.Sprintf("clients=%d", clients), func(b *testing.B) {
					run := time.Now().UnixNano()
					r := measure(b, clients, func(i int) error {
						return postPayment(client, base, fmt.Sprintf("bench-%d-%d", run, i))
					})
					results.add(store.name, clients, r)
					b.ReportMetric(float64(r.p50-results.direct(clients).p50)/1e6, "added-p50-ms")
				})
			}
		})
	}
}

// sandboxEnv, set to 1, makes the test binary run payhost sandbox with the
// AppotaPay emulator on a free port, instead of its tests (see TestMain).
const sandboxEnv = "PAYHOST_BENCH_SANDBOX"

// runBenchSandbox is the test binary's main under sandboxEnv: payhost
// sandbox, until interrupted.
func runBenchSandbox() int {
	return RunWith([]string{"sandbox", "-only", "appotapay", "-appotapay-addr", "127.0.0.1:0", "-log-level", "error"},
		Meta{Stdout: os.Stdout, Stderr: os.Stderr})
}

// sandboxProcess starts this test binary as payhost sandbox (sandboxEnv)
// and returns the AppotaPay emulator's base URL; the process is
// interrupted when the benchmark ends.
func sandboxProcess(b *testing.B) string {
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), sandboxEnv+"=1")
	cmd.Stderr = os.Stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() {
		_ = cmd.Process.Signal(os.Interrupt)
		done := make(chan struct{})
		go func() {
			_ = cmd.Wait()
			close(done)
		}()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			_ = cmd.Process.Kill()
			<-done
		}
	})
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if url, ok := strings.CutPrefix(strings.TrimSpace(sc.Text()), "base URL: "); ok {
				found <- url
			}
		}
	}()
	select {
	case url := <-found:
		return url
	case <-time.After(30 * time.Second):
		b.Fatal("payhost sandbox printed no base URL within 30 s")
		return ""
	}
}

// logTable logs the side-by-side tables, each in a last sub-benchmark of
// its own: go test prints the log of a benchmark without sub-benchmarks,
// not of one with, and only its first lines.
func logTable(b *testing.B, tables map[string]*benchTable) {
	for _, placement := range []string{"process", "inprocess"} {
		b.Run("table/emulator="+placement, func(b *testing.B) {
			b.ReportMetric(0, "ns/op")
			if b.N > 1 || testing.Verbose() {
				b.Log("POST /v1/payments, every payment stored durably, beside the same payments sent straight to the emulator (direct), emulator " +
					map[string]string{"process": "in a process of its own (payhost sandbox)", "inprocess": "in the benchmark's process"}[placement] +
					"\n" + tables[placement].String())
			}
		})
	}
}

// measure runs b.N calls of do from clients goroutines and reports
// payments/s, p50-ms and p99-ms.
func measure(b *testing.B, clients int, do func(i int) error) benchResult {
	lat := make([]time.Duration, b.N)
	var next atomic.Int64
	var wg sync.WaitGroup
	b.ResetTimer()
	for range clients {
		wg.Go(func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= b.N {
					return
				}
				start := time.Now()
				if err := do(i); err != nil {
					b.Error(err)
					return
				}
				lat[i] = time.Since(start)
			}
		})
	}
	wg.Wait()
	b.StopTimer()
	slices.Sort(lat)
	p50, p99 := lat[len(lat)/2], lat[len(lat)*99/100]
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "payments/s")
	b.ReportMetric(float64(p50)/1e6, "p50-ms")
	b.ReportMetric(float64(p99)/1e6, "p99-ms")
	b.ReportMetric(0, "ns/op")
	return benchResult{n: b.N, rate: float64(b.N) / b.Elapsed().Seconds(), p50: p50, p99: p99}
}

// benchResult is one sub-benchmark's measure.
type benchResult struct {
	n         int
	rate      float64
	p50, p99  time.Duration
	config    string
	clients   int
	completed bool
}

// benchTable collects the run's results, for the side-by-side table.
type benchTable struct {
	mu   sync.Mutex
	rows []benchResult
}

// add records r, the measure of config at clients; a later measure of
// the same (the benchmark's real run after its first, of one payment)
// replaces an earlier one.
func (t *benchTable) add(config string, clients int, r benchResult) {
	t.mu.Lock()
	defer t.mu.Unlock()
	r.config, r.clients, r.completed = config, clients, true
	for i := range t.rows {
		if t.rows[i].config == config && t.rows[i].clients == clients {
			t.rows[i] = r
			return
		}
	}
	t.rows = append(t.rows, r)
}

// direct returns the direct measure at clients (zero when none).
func (t *benchTable) direct(clients int) benchResult {
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, r := range t.rows {
		if r.config == "direct" && r.clients == clients {
			return r
		}
	}
	return benchResult{}
}

// String is the table: one line per configuration and client count, the
// payhost ones beside the direct one at as many clients.
func (t *benchTable) String() string {
	var sb strings.Builder
	fmt.Fprintf(&sb, "%-9s %7s %8s %9s %9s %14s %9s %10s\n",
		"store", "clients", "payments", "pay/s", "p50 ms", "added p50 ms", "p99 ms", "vs direct")
	for _, clients := range benchClients {
		d := t.direct(clients)
		for _, r := range t.rows {
			if r.clients != clients {
				continue
			}
			added, ratio := "-", "-"
			if r.config != "direct" && d.completed {
				added = fmt.Sprintf("%.3f", float64(r.p50-d.p50)/1e6)
				ratio = fmt.Sprintf("%.3f", r.rate/d.rate)
			}
			fmt.Fprintf(&sb, "%-9s %7d %8d %9.0f %9.3f %14s %9.3f %10s\n",
				r.config, r.clients, r.n, r.rate, float64(r.p50)/1e6, added, float64(r.p99)/1e6, ratio)
		}
	}
	return sb.String()
}

// postPayment creates one AppotaPay bank payment through payhost.
func postPayment(client *http.Client, base, key string) error {
	req, err := http.NewRequest("POST", base+"/v1/payments", strings.NewReader(
		`{"amount": 25000, "currency": "VND", "method": "bank", "return_url": "https://acme.example/return", "customer": {"ip": "203.0.113.7"}}`))
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+benchKey)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Idempotency-Key", key)
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err == nil && resp.StatusCode != http.StatusCreated {
		err = fmt.Errorf("status %d: %s", resp.StatusCode, body)
	}
	return err
}

// appotaConfig is the AppotaPay provider block for the emulator at url.
func appotaConfig(b *testing.B, url string) plugin.Config {
	cfg, err := plugin.NewConfig(map[string]any{
		"endpoint": url, "partner_code": appotaemu.SandboxPartnerCode,
		"api_key": appotaemu.SandboxAPIKey, "secret_key": appotaemu.SandboxSecretKey,
	})
	if err != nil {
		b.Fatal(err)
	}
	return cfg
}

// buildAppotaPay builds the AppotaPay plugin into a directory of its own.
func buildAppotaPay(b testing.TB) string {
	dir := b.TempDir()
	out, err := exec.Command("go", "build", "-o", filepath.Join(dir, "payhost-provider-appotapay"),
		"github.com/payhost/payhost/plugins/appotapay/cmd/payhost-provider-appotapay").CombinedOutput()
	if err != nil {
		b.Fatalf("building the AppotaPay plugin: %v\n%s", err, out)
	}
	return dir
}

// startBenchServe runs payhost serve in process with the AppotaPay plugin of
// pluginDir against the emulator at emuURL and the given store block, and
// returns its base URL; it stops when the benchmark (or test) ends. settings
// are more lines of the payhost block.
func startBenchServe(b testing.TB, pluginDir, emuURL, store string, settings ...string) string {
	dir := b.TempDir()
	hcl := fmt.Sprintf(`
payhost {
  listen     = "127.0.0.1:0"
  public_url = "http://127.0.0.1:1"
  plugin_dir = %q
  `+strings.Join(settings, "\n  ")+`
}
%s
provider "appotapay" "vn" {
  endpoint     = %q
  partner_code = %q
  api_key      = %q
  secret_key   = %q
}
merchant "acme" {
  api_key = %q
  route "all" {
    providers = [provider.appotapay.vn]
  }
}
`, pluginDir, store, emuURL, appotaemu.SandboxPartnerCode, appotaemu.SandboxAPIKey, appotaemu.SandboxSecretKey, benchKey)
	if err := os.WriteFile(filepath.Join(dir, "payhost.hcl"), []byte(hcl), 0o600); err != nil {
		b.Fatal(err)
	}
	var out syncBuffer
	if code := RunWith([]string{"init", "-config", dir}, Meta{Stdout: &out, Stderr: &out}); code != 0 {
		b.Fatalf("payhost init: %s", out.String())
	}
	cfg, diags := config.Load(dir, nil)
	if diags.HasErrors() {
		b.Fatal(diags)
	}
	ctx, stop := context.WithCancel(context.Background())
	var stdout syncBuffer
	done := make(chan struct{})
	go func() {
		defer close(done)
		logger := hclog.New(&hclog.LoggerOptions{Output: io.Discard, Level: hclog.Info})
		if err := runServe(ctx, cfg, serveOptions{shutdownTimeout: 10 * time.Second}, startHost, logger, &stdout); err != nil {
			b.Error(err)
		}
	}()
	b.Cleanup(func() {
		stop()
		<-done
	})
	return waitServing(b, &stdout, done)
}
