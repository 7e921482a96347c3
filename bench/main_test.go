package main

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"encoding/xml"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/payhost/payhost/internal/testutil"

	"github.com/payhost/payhost/internal/bench"
	"github.com/payhost/payhost/internal/pluginhost"
	"github.com/payhost/payhost/plugin/plugintest"
)

// The PostgreSQL test's DSN, and whether a missing one fails the test.
const (
	postgresEnv        = "PAYHOST_TEST_POSTGRES_DSN"
	requirePostgresEnv = "PAYHOST_REQUIRE_POSTGRES"
)

// syncBuffer is testutil.SyncBuffer, under this package's name for it.
type syncBuffer = testutil.SyncBuffer

// buildBench builds this program into a temporary directory.
func buildBench(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "bench")
	out, err := exec.Command("go", "build", "-o", bin, "github.com/payhost/payhost/bench").CombinedOutput()
	if err != nil {
		t.Fatalf("building bench: %v\n%s", err, out)
	}
	return bin
}

func TestBenchHelp(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := (&benchCommand{Stdout: &stdout, Stderr: &stderr}).Run([]string{"-help"}); code != 0 || stderr.Len() > 0 {
		t.Fatalf("exit %d, stderr:\n%s", code, stderr.String())
	}
	if !strings.HasPrefix(stdout.String(), "Usage: go run ./bench [options]") || !strings.Contains(stdout.String(), "-provider=NAME") {
		t.Errorf("help:\n%s", stdout.String())
	}
}

func TestBenchFlagErrors(t *testing.T) {
	t.Setenv(pluginhost.PathEnv, "")
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"-provider", "stripe"}, `-provider: unknown provider "stripe" (want appotapay, redotpay, reddot)`},
		{[]string{"-mix", "create=80,capture=5"}, `-mix: unknown operation "capture" (want create, status, sync or refund)`},
		{[]string{"-mix", "create=80,status"}, `-mix: "status" is not operation=weight`},
		{[]string{"-mix", "create=0"}, `-mix: "create=0" gives no operation a weight above zero`},
		{[]string{"-provider", "redotpay", "-mix", "create=1,refund=1"},
			"-mix: redotpay does not support refund: RedotPay Connect has no refund API (it supports create, status or sync)"},
		{[]string{"-provider", "reddot", "-mix", "create=1,sync=1"}, "-mix: reddot does not support sync"},
		{[]string{"-concurrency", "0"}, "-concurrency must be from 1 to 1024, got 0"},
		{[]string{"-concurrency", "1025"}, "-concurrency must be from 1 to 1024, got 1025"},
		{[]string{"-concurrency", "many"}, `invalid value "many" for flag -concurrency`},
		{[]string{"-duration", "0s"}, "-duration must be above 0 and at most 1h0m0s, got 0s"},
		{[]string{"-duration", "2h"}, "-duration must be above 0 and at most 1h0m0s, got 2h0m0s"},
		{[]string{"-warmup", "-1s"}, "-warmup must be from 0 to 10m0s, got -1s"},
		{[]string{"-plugin-dir", ""}, "-plugin-dir must not be empty"},
		{[]string{"-store", "mysql"}, `-store must be sqlite or postgres, got "mysql"`},
		{[]string{"-store", "postgres"}, "-dsn is required with -store postgres"},
		{[]string{"-dsn", "postgres://localhost/x"}, "-dsn is used only with -store postgres"},
		{[]string{"-log-level", "loud"}, `-log-level must be trace, debug, info, warn or error, got "loud"`},
		{[]string{"-bogus"}, "flag provided but not defined: -bogus"},
		{[]string{"extra"}, `bench takes no arguments, got ["extra"]`},
		{[]string{"-plugin-dir", "/nonexistent/payhost-bench"},
			`plugin "appotapay" not found: no executable file named payhost-provider-appotapay in any of:`},
	} {
		var stdout, stderr bytes.Buffer
		code := (&benchCommand{Stdout: &stdout, Stderr: &stderr}).Run(tt.args)
		if code != 1 || !strings.Contains(stderr.String(), tt.want) {
			t.Errorf("bench %q: exit %d, stderr:\n%s\nwant exit 1 and %q", tt.args, code, stderr.String(), tt.want)
		}
		if stdout.Len() > 0 {
			t.Errorf("bench %q printed a report:\n%s", tt.args, stdout.String())
		}
	}
}

func TestBenchMissingPluginSaysHowToBuildIt(t *testing.T) {
	t.Setenv(pluginhost.PathEnv, "")
	var stderr bytes.Buffer
	(&benchCommand{Stdout: io.Discard, Stderr: &stderr}).Run([]string{"-provider", "reddot", "-plugin-dir", t.TempDir()})
	if !strings.Contains(stderr.String(), "make build (or go build -o ") ||
		!strings.Contains(stderr.String(), "./plugins/reddot/cmd/payhost-provider-reddot)") {
		t.Errorf("stderr:\n%s", stderr.String())
	}
}

func TestBenchDefaultMixes(t *testing.T) {
	for provider, want := range map[string]string{
		"appotapay": "create=80,status=15,refund=5",
		"redotpay":  "create=80,status=20",
		"reddot":    "create=80,status=15,refund=5",
	} {
		opts, err := parseBenchFlags([]string{"-provider", provider})
		if err != nil {
			t.Fatal(err)
		}
		if opts.mix.String() != want || opts.concurrency != 16 || opts.duration != 10*time.Second ||
			opts.warmup != 2*time.Second || opts.pluginDir != "./bin" || opts.store != "sqlite" {
			t.Errorf("%s defaults: %+v", provider, opts)
		}
	}
}

func TestBenchCommandLineHidesTheDSN(t *testing.T) {
	for _, tt := range []struct{ in, want []string }{
		{[]string{"-store", "postgres", "-dsn", "postgres://u:secret@h/db", "-duration", "1s"},
			[]string{"-store", "postgres", "-dsn", "REDACTED", "-duration", "1s"}},
		{[]string{"--dsn=postgres://u:secret@h/db"}, []string{"--dsn=REDACTED"}},
		{[]string{"-out", "dsn", "-dsn"}, []string{"-out", "dsn", "-dsn"}},
	} {
		if got := redactDSN(tt.in); !slices.Equal(got, tt.want) {
			t.Errorf("redactDSN(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// benchPlugins builds the shipped providers' plugins into one directory.
func benchPlugins(t *testing.T) string {
	t.Helper()
	t.Setenv(pluginhost.PathEnv, "")
	var dir string
	for _, g := range benchGateways {
		bin := plugintest.BuildPlugin(t, "github.com/payhost/payhost/plugins/"+g.name+"/cmd/"+pluginhost.BinaryName(g.name))
		dir = filepath.Dir(bin)
	}
	return dir
}

// A short benchmark of each provider through the program: both runs, every
// operation of the mix measured without a failure, percentiles in order,
// the JSON and SVG written with what they document, nothing left running.
func TestBench(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the plugins and runs benchmarks")
	}
	plugins := benchPlugins(t)
	for _, tt := range []struct{ provider, mix string }{
		{"appotapay", "create=50,status=20,sync=20,refund=10"},
		{"redotpay", "create=60,status=20,sync=20"},
		{"reddot", "create=70,status=20,refund=10"},
	} {
		t.Run(tt.provider, func(t *testing.T) {
			dir := t.TempDir()
			out, svg := filepath.Join(dir, "result.json"), filepath.Join(dir, "latency.svg")
			var stdout, stderr syncBuffer
			code := (&benchCommand{Stdout: &stdout, Stderr: &stderr}).Run([]string{"-provider", tt.provider, "-mix", tt.mix,
				"-duration", "1s", "-warmup", "200ms", "-concurrency", "2",
				"-plugin-dir", plugins, "-out", out, "-histogram", svg,
			})
			if code != 0 {
				t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout.String(), stderr.String())
			}
			res := readBenchResult(t, out)
			checkBenchResult(t, res, tt.provider, bench.MustParseMix(tt.mix))
			checkBenchJSONFields(t, out)
			checkBenchSVG(t, svg)
			for _, want := range []string{"payhost vs direct", "operations/s", "CPU per operation", "status: payhost answers",
				"payhost: payhost's HTTP API on loopback → the host (store sqlite) → payhost-provider-" + tt.provider} {
				if !strings.Contains(stdout.String(), want) {
					t.Errorf("the report lacks %q:\n%s", want, stdout.String())
				}
			}
			if left := pluginProcesses(t, plugins); len(left) > 0 {
				t.Errorf("plugin processes left running: %v", left)
			}
		})
	}
}

// The PostgreSQL store: the run gets a schema of its own, dropped after.
func TestBenchPostgres(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the plugins and runs a benchmark")
	}
	dsn := os.Getenv(postgresEnv)
	if dsn == "" {
		if os.Getenv(requirePostgresEnv) == "1" {
			t.Fatalf("%s=1 but %s is not set", requirePostgresEnv, postgresEnv)
		}
		t.Skipf("%s is not set: skipping the PostgreSQL benchmark", postgresEnv)
	}
	plugins := benchPlugins(t)
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	schemas := func() int {
		var n int
		if err := db.QueryRow(`SELECT count(*) FROM information_schema.schemata WHERE schema_name LIKE 'payhost_bench_%'`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	before := schemas()
	out := filepath.Join(t.TempDir(), "result.json")
	var stdout, stderr syncBuffer
	code := (&benchCommand{Stdout: &stdout, Stderr: &stderr}).Run([]string{"-store", "postgres", "-dsn", dsn, "-duration", "1s", "-warmup", "0s",
		"-concurrency", "2", "-plugin-dir", plugins, "-out", out})
	if code != 0 {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout.String(), stderr.String())
	}
	res := readBenchResult(t, out)
	if strings.Contains(res.Command, dsn) || !strings.Contains(res.Command, "-dsn REDACTED") {
		t.Errorf("command line %q shows the DSN", res.Command)
	}
	if res.Config.Store != "postgres" || !strings.Contains(res.Runs[1].Description, "(store postgres)") {
		t.Errorf("store %q, payhost run %q", res.Config.Store, res.Runs[1].Description)
	}
	checkBenchResult(t, res, "appotapay", bench.MustParseMix("create=80,status=15,refund=5"))
	if after := schemas(); after != before {
		t.Errorf("payhost_bench_ schemas: %d before, %d after", before, after)
	}
}

// Interrupted during the payhost run, the benchmark reports both runs,
// the payhost one marked, and stops the host and its plugin.
func TestBenchInterrupted(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the plugins and runs a benchmark")
	}
	plugins := benchPlugins(t)
	out := filepath.Join(t.TempDir(), "result.json")
	opts, err := parseBenchFlags([]string{"-duration", "1s", "-warmup", "0s", "-concurrency", "2", "-plugin-dir", plugins, "-out", out})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stdout, stderr syncBuffer
	c := &benchCommand{Stdout: &stdout, Stderr: &stderr, hooks: benchHooks{options: func(o *bench.Options) {
		if o.Name != "payhost" {
			return
		}
		// The payhost run would last an hour; the interruption comes
		// after its clients have sent 20 operations.
		o.Duration = time.Hour
		var sent atomic.Int64
		newClient := o.NewClient
		o.NewClient = func(ctx context.Context, i int) (bench.Client, error) {
			c, err := newClient(ctx, i)
			return countingClient{c, func() {
				if sent.Add(1) == 20 {
					cancel()
				}
			}}, err
		}
	}}}
	if code := c.run(ctx, opts); code != 0 {
		t.Fatalf("exit %d\nstderr:\n%s", code, stderr.String())
	}
	res := readBenchResult(t, out)
	if !res.Interrupted || len(res.Runs) != 2 || res.Runs[0].Interrupted || !res.Runs[1].Interrupted {
		t.Fatalf("interrupted %v, runs %d", res.Interrupted, len(res.Runs))
	}
	if res.Runs[1].Operations < 18 || res.Runs[1].Errors != 0 {
		t.Errorf("payhost run: %d operations, %d errors, want the 20 sent (less the ones cut short)", res.Runs[1].Operations, res.Runs[1].Errors)
	}
	if res.Comparison == nil {
		t.Error("no comparison")
	}
	if !strings.Contains(stdout.String(), "INTERRUPTED") || !strings.Contains(stdout.String(), "payhost (interrupted)") {
		t.Errorf("report:\n%s", stdout.String())
	}
	if left := pluginProcesses(t, plugins); len(left) > 0 {
		t.Errorf("plugin processes left running: %v", left)
	}
}

// countingClient calls done after each operation.
type countingClient struct {
	bench.Client
	done func()
}

func (c countingClient) Do(ctx context.Context, op bench.Op) error {
	err := c.Client.Do(ctx, op)
	c.done()
	return err
}

// Ctrl-C in the real program: bench stops, reports what it
// measured and removes what it made.
func TestBenchSIGINT(t *testing.T) {
	if testing.Short() {
		t.Skip("builds bench and the plugins")
	}
	plugins := benchPlugins(t)
	bin := buildBench(t)
	tmp := t.TempDir()
	out := filepath.Join(t.TempDir(), "result.json")
	cmd := exec.Command(bin, "-duration", "1h", "-warmup", "0s", "-concurrency", "2", "-plugin-dir", plugins, "-out", out)
	cmd.Env = append(os.Environ(), "TMPDIR="+tmp)
	var stdout bytes.Buffer
	cmd.Stdout = &stdout
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	var log syncBuffer
	measuring := make(chan struct{})
	go func() {
		sc := bufio.NewScanner(stderr)
		signalled := false
		for sc.Scan() {
			log.Write([]byte(sc.Text() + "\n"))
			if !signalled && strings.Contains(sc.Text(), "bench: direct run: measuring for 1h0m0s") {
				signalled = true
				close(measuring)
			}
		}
		exited <- cmd.Wait()
	}()
	select {
	case <-measuring:
	case err := <-exited:
		t.Fatalf("bench exited (%v) before measuring:\n%s", err, log.String())
	case <-time.After(2 * time.Minute):
		_ = cmd.Process.Kill()
		t.Fatalf("bench did not start measuring:\n%s", log.String())
	}
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-exited:
		if err != nil {
			t.Fatalf("bench exited with %v:\n%s", err, log.String())
		}
	case <-time.After(2 * time.Minute):
		_ = cmd.Process.Kill()
		t.Fatalf("bench did not stop on SIGINT:\n%s", log.String())
	}
	res := readBenchResult(t, out)
	if !res.Interrupted || len(res.Runs) != 1 || res.Runs[0].Name != "direct" || !res.Runs[0].Interrupted {
		t.Errorf("result: interrupted %v, %d runs", res.Interrupted, len(res.Runs))
	}
	if !strings.Contains(stdout.String(), "INTERRUPTED") {
		t.Errorf("report:\n%s", stdout.String())
	}
	if entries, _ := os.ReadDir(tmp); len(entries) > 0 {
		t.Errorf("left in TMPDIR: %v", entries)
	}
}

func readBenchResult(t *testing.T, path string) *bench.Result {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var res bench.Result
	if err := json.Unmarshal(b, &res); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return &res
}

// checkBenchResult checks a complete benchmark of provider with mix.
func checkBenchResult(t *testing.T, res *bench.Result, provider string, mix bench.Mix) {
	t.Helper()
	if res.FormatVersion != 1 || res.Interrupted || res.Config.Provider != provider || res.Config.Mix != mix.String() ||
		res.Config.Concurrency != 2 || res.Config.DurationS != 1 {
		t.Errorf("result header: %+v", res)
	}
	if len(res.Runs) != 2 || res.Runs[0].Name != "direct" || res.Runs[1].Name != "payhost" {
		t.Fatalf("runs: %+v", res.Runs)
	}
	for _, run := range res.Runs {
		if run.Interrupted || run.Errors != 0 || run.Operations == 0 || run.OpsPerSecond <= 0 || run.PaymentsPerSecond <= 0 {
			t.Errorf("%s run: interrupted %v, %d operations, %d errors", run.Name, run.Interrupted, run.Operations, run.Errors)
		}
		checkPercentiles(t, run.Name, run.Latency)
		for _, w := range mix {
			op := run.Op(w.Op)
			if op == nil || op.Count == 0 || op.Errors != 0 {
				t.Errorf("%s run, %s: %+v", run.Name, w.Op, op)
				continue
			}
			checkPercentiles(t, run.Name+" "+string(w.Op), op.Latency)
		}
		if len(run.Ops) != len(mix) {
			t.Errorf("%s run sent %d operations, the mix has %d", run.Name, len(run.Ops), len(mix))
		}
	}
	if runtime.GOOS == "linux" {
		direct, host := res.Runs[0], res.Runs[1]
		if direct.CPU.Process == nil || direct.CPU.Plugins != nil || direct.CPU.MsPerOp <= 0 {
			t.Errorf("direct cpu: %+v", direct.CPU)
		}
		want := pluginhost.BinaryName(provider)
		if host.CPU.Process == nil || host.CPU.Plugins == nil || len(host.CPU.PluginProcesses) != 1 ||
			host.CPU.PluginProcesses[0].Name != want || host.Memory.PluginRSSPeakMiB <= 0 {
			t.Errorf("payhost cpu %+v, memory %+v; want one plugin process %s", host.CPU, host.Memory, want)
		}
		if direct.Memory.RSSPeakMiB <= 0 || host.Memory.HeapPeakMiB <= 0 {
			t.Errorf("memory: %+v, %+v", direct.Memory, host.Memory)
		}
	}
	c := res.Comparison
	if c == nil || c.Baseline != "direct" || c.Subject != "payhost" || c.ThroughputRatio <= 0 || len(c.Ops) != len(mix) {
		t.Errorf("comparison: %+v", c)
	}
}

func checkPercentiles(t *testing.T, what string, l bench.Latency) {
	t.Helper()
	if !(0 < l.Min && l.Min <= l.P50 && l.P50 <= l.P95 && l.P95 <= l.P99 && l.P99 <= l.Max) {
		t.Errorf("%s latency out of order: %+v", what, l)
	}
}

// checkBenchJSONFields checks the JSON's documented fields by name.
func checkBenchJSONFields(t *testing.T, path string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	has := func(m any, what string, keys ...string) {
		t.Helper()
		obj, ok := m.(map[string]any)
		if !ok {
			t.Errorf("%s is not an object", what)
			return
		}
		for _, k := range keys {
			if _, ok := obj[k]; !ok {
				t.Errorf("%s lacks %s", what, k)
			}
		}
	}
	has(doc, "the result", "format_version", "command", "started_at", "machine", "config", "interrupted", "runs", "comparison")
	has(doc["machine"], "machine", "os", "arch", "cpus", "gomaxprocs", "go_version", "usage_source")
	has(doc["config"], "config", "provider", "store", "mix", "concurrency", "duration_s", "warmup_s")
	runs, _ := doc["runs"].([]any)
	for _, run := range runs {
		has(run, "a run", "name", "description", "interrupted", "elapsed_s", "operations", "errors", "ops_per_s",
			"payments_per_s", "latency_ms", "ops", "cpu", "memory", "histogram", "load_average_before", "load_average_after")
		r := run.(map[string]any)
		has(r["latency_ms"], "latency_ms", "p50", "p95", "p99", "mean", "min", "max")
		has(r["cpu"], "cpu", "process", "total_s", "ms_per_op")
		has(r["memory"], "memory", "rss_start_mib", "rss_peak_mib", "rss_end_mib", "heap_start_mib", "heap_peak_mib", "heap_end_mib")
		for _, op := range r["ops"].([]any) {
			has(op, "an operation", "op", "count", "errors", "ops_per_s", "latency_ms")
		}
	}
	has(runs[1].(map[string]any)["cpu"], "the payhost run's cpu", "plugins", "plugin_processes")
	has(doc["comparison"], "comparison", "baseline", "subject", "throughput_ratio", "cpu_per_op_ratio", "added_cpu_ms_per_op", "ops")
	for _, op := range doc["comparison"].(map[string]any)["ops"].([]any) {
		has(op, "a compared operation", "op", "added_p50_ms", "added_p95_ms", "added_p99_ms", "p50_ratio", "p99_ratio")
	}
}

// checkBenchSVG checks that the histogram is well-formed SVG with both
// runs, the axes and the legend.
func checkBenchSVG(t *testing.T, path string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	dec := xml.NewDecoder(bytes.NewReader(b))
	ids, bars := map[string]bool{}, map[string]bool{}
	group, root := "", ""
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("%s is not well-formed XML: %v", path, err)
		}
		if e, ok := tok.(xml.StartElement); ok {
			if root == "" {
				root = e.Name.Space + " " + e.Name.Local
			}
			for _, a := range e.Attr {
				if a.Name.Local == "id" {
					ids[a.Value] = true
					if e.Name.Local == "g" {
						group = a.Value
					}
				}
				if a.Name.Local == "class" && a.Value == "bars" && e.Name.Local == "path" {
					bars[group] = true
				}
			}
		}
	}
	if root != "http://www.w3.org/2000/svg svg" {
		t.Errorf("root element %q", root)
	}
	for _, id := range []string{"title", "x-axis", "y-axis", "legend", "run-direct", "run-payhost"} {
		if !ids[id] {
			t.Errorf("the SVG has no %q", id)
		}
	}
	if !bars["run-direct"] || !bars["run-payhost"] {
		t.Errorf("bars drawn for %v, want both runs", bars)
	}
}

// pluginProcesses lists the running processes whose program is in dir.
func pluginProcesses(t *testing.T, dir string) []int {
	t.Helper()
	if runtime.GOOS != "linux" {
		return nil
	}
	entries, err := os.ReadDir("/proc")
	if err != nil {
		t.Fatal(err)
	}
	var pids []int
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		exe, err := os.Readlink(filepath.Join("/proc", e.Name(), "exe"))
		if err == nil && filepath.Dir(exe) == dir {
			pids = append(pids, pid)
		}
	}
	return pids
}
