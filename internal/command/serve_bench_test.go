package command

import (
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
// reports payments/s and the p50 and p99 latency; the payhost ones at one
// client also report added-p50-ms, their p50 less the direct one's.
//
//	go test -run '^$' -bench BenchmarkServe -benchtime 2000x ./internal/command
func BenchmarkServe(b *testing.B) {
	emu := httptest.NewUnstartedServer(nil)
	emu.Config.Handler = appotaemu.New(appotaemu.Config{BaseURL: "http://" + emu.Listener.Addr().String(), RefundSettleAfter: -1})
	emu.Start()
	b.Cleanup(emu.Close)

	direct := appotapay.New()
	if _, err := direct.Configure(context.Background(), &plugin.ConfigureRequest{
		Instance: "appotapay.vn", Config: appotaConfig(b, emu.URL),
		CallbackURL: "http://127.0.0.1:1/v1/callbacks/appotapay/vn",
	}); err != nil {
		b.Fatal(err)
	}
	directP50 := map[int]time.Duration{}
	for _, clients := range benchClients {
		b.Run(fmt.Sprintf("direct/clients=%d", clients), func(b *testing.B) {
			directP50[clients] = measure(b, clients, func(i int) error {
				_, err := direct.CreatePayment(context.Background(), &plugin.CreatePaymentRequest{
					PaymentID: fmt.Sprintf("pay_direct_%d_%d_%d", clients, b.N, i), AttemptID: fmt.Sprintf("att_direct_%d_%d_%d", clients, b.N, i),
					Amount: plugin.Money{Amount: 25_000, Currency: "VND"}, Method: plugin.MethodBank,
					ReturnURL: "https://acme.example/return", Customer: plugin.Customer{IP: "203.0.113.7"},
				})
				return err
			})
		})
	}

	plugins := buildAppotaPay(b)
	for _, store := range []struct{ name, block string }{
		{"sqlite", `store "sqlite" { path = "payhost.db" }`},
		{"postgres", `store "postgres" { dsn = env("BENCH_PG_DSN") }`},
	} {
		b.Run(store.name, func(b *testing.B) {
			if store.name == "postgres" {
				b.Setenv("BENCH_PG_DSN", postgresDSN(b))
			}
			base := benchServe(b, plugins, emu.URL, store.block)
			client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
			for _, clients := range benchClients {
				b.Run(fmt.Sprintf("clients=%d", clients), func(b *testing.B) {
					run := time.Now().UnixNano()
					p50 := measure(b, clients, func(i int) error {
						return postPayment(client, base, fmt.Sprintf("bench-%d-%d", run, i))
					})
					b.ReportMetric(float64(p50-directP50[clients])/1e6, "added-p50-ms")
				})
			}
		})
	}
}

// measure runs b.N calls of do from clients goroutines and reports
// payments/s, p50-ms and p99-ms; it returns the p50.
func measure(b *testing.B, clients int, do func(i int) error) time.Duration {
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
	return p50
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
func buildAppotaPay(b *testing.B) string {
	dir := b.TempDir()
	out, err := exec.Command("go", "build", "-o", filepath.Join(dir, "payhost-provider-appotapay"),
		"github.com/payhost/payhost/plugins/appotapay/cmd/payhost-provider-appotapay").CombinedOutput()
	if err != nil {
		b.Fatalf("building the AppotaPay plugin: %v\n%s", err, out)
	}
	return dir
}

// benchServe runs payhost serve in process with the AppotaPay plugin of
// pluginDir against the emulator at emuURL and the given store block, and
// returns its base URL; it stops when the benchmark ends.
func benchServe(b *testing.B, pluginDir, emuURL, store string) string {
	dir := b.TempDir()
	hcl := fmt.Sprintf(`
payhost {
  listen     = "127.0.0.1:0"
  public_url = "http://127.0.0.1:1"
  plugin_dir = %q
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
