package pluginhost_test

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/payhost/payhost/internal/faultprovider"
	"github.com/payhost/payhost/internal/pluginhost"
	"github.com/payhost/payhost/plugin"
)

// benchRequest is a realistic card payment, about 300 bytes on the wire.
func benchRequest(attemptID string) *plugin.CreatePaymentRequest {
	return &plugin.CreatePaymentRequest{
		PaymentID:      "pay_01HZX3K8Q7M2N4P6R8T0V2W4Y6",
		AttemptID:      attemptID,
		IdempotencyKey: "4b1d6f0e-2f7a-4c39-9a51-3c7e8d2b1f60",
		Amount:         plugin.Money{Amount: 125000, Currency: "VND"},
		Method:         plugin.MethodCard,
		Capture:        plugin.CaptureAutomatic,
		Reference:      "order-2026-000123",
		Description:    "Order 123 at Acme Coffee",
		ReturnURL:      "https://acme.example/checkout/return",
		Customer:       plugin.Customer{ID: "cus_42", Email: "jane@example.com", Name: "Jane Doe", IP: "203.0.113.7"},
		Card: &plugin.Card{Number: plugin.NewCardNumber("4111111111111111"), ExpMonth: 12, ExpYear: 2030,
			CVC: plugin.NewSecret("123"), HolderName: "JANE DOE"},
		Metadata: map[string]string{"cart_id": "c_981", "channel": "web"},
	}
}

// measure runs b.N calls of call spread over callers goroutines and
// reports the median and 99th percentile latency, the throughput, and the
// CPU time each call cost this process and, when pid is not 0, the plugin
// process pid. CPU time is what the machine's other load disturbs least.
func measure(b *testing.B, callers, pid int, call func(attemptID string) error) {
	b.Helper()
	hostCPU, pluginCPU := processCPU(b, 0), processCPU(b, pid)
	latencies := make([]time.Duration, b.N)
	var next atomic.Int64
	var failed atomic.Value
	var wg sync.WaitGroup
	b.ResetTimer()
	start := time.Now()
	for range callers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				n := next.Add(1) - 1
				if n >= int64(b.N) {
					return
				}
				t := time.Now()
				if err := call("att_" + strconv.FormatInt(n, 10)); err != nil {
					failed.Store(err)
				}
				latencies[n] = time.Since(t)
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	b.StopTimer()
	hostCPU, pluginCPU = processCPU(b, 0)-hostCPU, processCPU(b, pid)-pluginCPU
	if err, _ := failed.Load().(error); err != nil {
		b.Fatal(err)
	}
	slices.Sort(latencies)
	b.ReportMetric(float64(latencies[len(latencies)/2].Nanoseconds())/1e3, "p50-µs")
	b.ReportMetric(float64(latencies[len(latencies)*99/100].Nanoseconds())/1e3, "p99-µs")
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "calls/s")
	b.ReportMetric(float64(hostCPU.Microseconds())/float64(b.N), "host-cpu-µs/call")
	if pid != 0 {
		b.ReportMetric(float64(pluginCPU.Microseconds())/float64(b.N), "plugin-cpu-µs/call")
	}
}

// processCPU returns the user and system CPU time of process pid so far;
// pid 0 is this process.
func processCPU(b *testing.B, pid int) time.Duration {
	b.Helper()
	if pid == 0 {
		var ru syscall.Rusage
		if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
			b.Fatal(err)
		}
		return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	}
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		b.Fatal(err)
	}
	// utime and stime are the 14th and 15th fields, in clock ticks
	// (100 per second on Linux); the command name may hold spaces.
	s := string(stat)
	fields := strings.Fields(s[strings.LastIndexByte(s, ')')+2:])
	utime, _ := strconv.Atoi(fields[11])
	stime, _ := strconv.Atoi(fields[12])
	return time.Duration(utime+stime) * 10 * time.Millisecond
}

// BenchmarkCreatePayment compares one CreatePayment through a real plugin
// process (go-plugin gRPC with AutoMTLS, at several plugin GOMAXPROCS) with
// the same call to the same provider in-process, at 1 and 16 callers.
func BenchmarkCreatePayment(b *testing.B) {
	ctx := context.Background()
	for _, callers := range []int{1, 16} {
		b.Run(fmt.Sprintf("in-process/callers=%d", callers), func(b *testing.B) {
			p, err := faultprovider.New(faultprovider.Options{Type: "fault"})
			if err != nil {
				b.Fatal(err)
			}
			cfg, _ := plugin.NewConfig(map[string]any{"api_key": testAPIKey})
			if _, err := p.Configure(ctx, &plugin.ConfigureRequest{Config: cfg}); err != nil {
				b.Fatal(err)
			}
			measure(b, callers, 0, func(id string) error {
				_, err := p.CreatePayment(ctx, benchRequest(id))
				return err
			})
		})
	}
	for _, procs := range []int{1, 2} {
		for _, callers := range []int{1, 16} {
			b.Run(fmt.Sprintf("plugin/gomaxprocs=%d/callers=%d", procs, callers), func(b *testing.B) {
				inst := benchInstance(b, pluginhost.Options{PluginGOMAXPROCS: procs})
				measure(b, callers, inst.Status().PID, func(id string) error {
					_, err := inst.CreatePayment(ctx, benchRequest(id))
					return err
				})
			})
		}
	}
}

// benchInstance launches and configures the fault plugin for a benchmark.
func benchInstance(b *testing.B, opts pluginhost.Options) *pluginhost.Instance {
	b.Helper()
	h := pluginhost.New(opts)
	b.Cleanup(func() { h.Close() })
	p, err := pluginhost.Find("fault", []string{faultprovider.Build(b)})
	if err != nil {
		b.Fatal(err)
	}
	inst, err := h.Launch(context.Background(), p, "bench")
	if err != nil {
		b.Fatal(err)
	}
	cfg, _ := plugin.NewConfig(map[string]any{"api_key": testAPIKey})
	if _, err := inst.Configure(context.Background(), &plugin.ConfigureRequest{Instance: inst.Address(), Config: cfg}); err != nil {
		b.Fatal(err)
	}
	return inst
}

// BenchmarkStartup measures a plugin's start-up, from launch to its first
// answered call (GetInfo, inside Launch), with and without AutoMTLS and
// with the lock file's checksum verified, and reports the plugin's resident
// memory right after, while idle.
func BenchmarkStartup(b *testing.B) {
	path := faultprovider.Install(b, b.TempDir(), "fault")
	sum, err := pluginhost.Checksum(path)
	if err != nil {
		b.Fatal(err)
	}
	tests := []struct {
		name     string
		noMTLS   bool
		checksum []byte
	}{
		{"no-mtls", true, nil},
		{"mtls", false, nil},
		{"mtls+checksum", false, sum},
	}
	for _, tt := range tests {
		b.Run(tt.name, func(b *testing.B) {
			h := pluginhost.New(pluginhost.Options{DisableAutoMTLS: tt.noMTLS})
			defer h.Close()
			p := pluginhost.Plugin{Type: "fault", Path: path, Checksum: tt.checksum}
			starts := make([]time.Duration, 0, b.N)
			var rss float64
			b.ResetTimer()
			for i := range b.N {
				t := time.Now()
				inst, err := h.Launch(context.Background(), p, strconv.Itoa(i))
				if err != nil {
					b.Fatal(err)
				}
				starts = append(starts, time.Since(t))
				b.StopTimer()
				rss += vmRSS(b, inst.Status().PID)
				inst.Close()
				b.StartTimer()
			}
			slices.Sort(starts)
			b.ReportMetric(float64(starts[len(starts)/2].Microseconds())/1e3, "p50-ms")
			b.ReportMetric(rss/float64(b.N), "idle-rss-MB")
		})
	}
}

// vmRSS returns the resident memory of process pid in MB.
func vmRSS(b *testing.B, pid int) float64 {
	b.Helper()
	status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		b.Fatal(err)
	}
	for _, line := range strings.Split(string(status), "\n") {
		if kb, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			n, err := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(kb), "kB")))
			if err != nil {
				b.Fatal(err)
			}
			return float64(n) / 1024
		}
	}
	b.Fatal("no VmRSS in /proc status")
	return 0
}
