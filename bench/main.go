// Command bench measures what payhost adds to a payment: it drives a
// shipped provider against its emulator twice, once called directly in this
// process and once through payhost (its HTTP API, the host with its store,
// the provider's plugin binary over gRPC), and reports both side by side.
// Run it from the repository root after make build:
//
//	go run ./bench [options]
//
// (go run ./bench -help lists the options.) internal/bench is its load
// generator and report; this program knows the gateways.
//
// It lives here, a program of its own at the top of the repository, rather
// than as a payhost command, because its baseline calls the providers'
// code in process: it imports plugins/appotapay, plugins/redotpay and
// plugins/reddot. ARCHITECTURE's dependency rule keeps internal/ and host/
// (and so the payhost binary) off plugins/ outside tests; a top-level
// program may import them, so payhost links no provider's code.
package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/zclconf/go-cty/cty"

	"github.com/payhost/payhost/host"
	"github.com/payhost/payhost/internal/bench"
	"github.com/payhost/payhost/internal/command"
	"github.com/payhost/payhost/internal/pluginhost"
	"github.com/payhost/payhost/plugin"
)

func main() {
	os.Exit((&benchCommand{Stdout: os.Stdout, Stderr: os.Stderr}).Run(os.Args[1:]))
}

// Limits of the flags, so that every run ends by itself in a known time.
const (
	maxBenchConcurrency = 1024
	maxBenchDuration    = time.Hour
	maxBenchWarmup      = 10 * time.Minute
)

// benchInstance is the name of the provider instance and of the merchant
// in the benchmark's configuration.
const benchInstance = "bench"

// benchCommand is the program, with where it writes.
type benchCommand struct {
	Stdout, Stderr io.Writer
	hooks          benchHooks
}

// benchHooks let tests reach inside a benchmark.
type benchHooks struct {
	// options, when set, may change each run's options before it starts.
	options func(*bench.Options)
}

func (c *benchCommand) Help() string {
	return strings.TrimSpace(`
Usage: go run ./bench [options]

  Measures what payhost adds to a payment. It starts a gateway emulator
  on a loopback port and sends a mix of operations from -concurrency
  clients for -duration (after -warmup), twice, side by side:

    direct   the provider's code in this process calls the emulator: what
             a merchant service linking the gateway's client would do;
    payhost  the same operations through payhost's HTTP API on loopback:
             the host (auth, idempotency, routing, the store), the
             provider's plugin binary over go-plugin gRPC, the emulator.

  Each run gets a fresh emulator; the payhost run a fresh store (SQLite in
  a temporary directory, or a schema of its own in PostgreSQL, dropped
  afterwards). Each client sends the same sequence of operations in both
  runs. The report gives, per run: operations and payments per second;
  p50, p95 and p99 latency per operation; the CPU time of this process and
  of the plugin processes (user+system seconds and % of one core, from
  getrusage and /proc) and per operation; resident memory and the Go heap;
  and payhost against direct: the throughput ratio and the milliseconds
  added at each percentile. Everything runs on this machine: the load
  generator and the emulator share its cores with what they measure.

  Operations (-mix NAME=WEIGHT,...; weights are relative):

    create   create a payment (POST /v1/payments; provider CreatePayment)
    status   read the client's last payment (GET /v1/payments/{id}, which
             payhost answers from its store; direct: GetPayment at the
             gateway, as a merchant without payhost would ask)
    sync     ask the gateway for it (POST /v1/payments/{id}/sync; GetPayment)
    refund   refund part of a paid payment (POST /v1/payments/{id}/refunds;
             Refund), spread over 4 paid payments per client

  Providers and what they support:

    appotapay  create, status, sync, refund   (default mix create=80,status=15,refund=5)
    redotpay   create, status, sync           (default mix create=80,status=20)
    reddot     create, status, refund         (default mix create=80,status=15,refund=5)

  The provider's plugin is found as payhost serve finds plugins: in
  -plugin-dir, then $PAYHOST_PLUGIN_PATH, then beside this program. Build
  it first (make build).

  Ctrl-C stops the benchmark early: the operations in flight finish, what
  was measured is reported, and everything started is stopped. bench
  exits 1 when an operation failed.

Options:

  -provider=NAME         appotapay (default), redotpay or reddot.
  -mix=SPEC              Operations and weights, such as create=80,status=15,refund=5.
  -concurrency=N         Clients sending at once (default 16, at most 1024).
  -duration=DURATION     How long each run is measured (default 10s, at most 1h).
  -warmup=DURATION       How long each run sends before it is measured (default 2s).
  -plugin-dir=DIR        Where to look for the plugin first (default ./bin).
  -store=KIND            sqlite (default) or postgres.
  -dsn=DSN               PostgreSQL connection string, with -store postgres.
  -out=FILE              Also write the result as JSON to FILE.
  -histogram=FILE        Also draw both runs' latency histograms in FILE, as SVG.
  -log-level=LEVEL       Log level of the host and the plugin (default warn).
`) + "\n"
}

// benchOptions are the parsed flags.
type benchOptions struct {
	args             []string
	gateway          *benchGateway
	mix              bench.Mix
	concurrency      int
	duration, warmup time.Duration
	pluginDir        string
	store, dsn       string
	out, histogram   string
	logLevel         string
}

func (c *benchCommand) Run(args []string) int {
	opts, err := parseBenchFlags(args)
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprint(c.Stdout, c.Help())
		return 0
	}
	if err != nil {
		fmt.Fprintf(c.Stderr, "Error: %s\n\nSee go run ./bench -help.\n", err)
		return 1
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() {
		// After the first Ctrl-C, a second one ends the program at once.
		<-ctx.Done()
		stop()
	}()
	return c.run(ctx, opts)
}

// run runs the benchmark until it ends or ctx does, and reports.
func (c *benchCommand) run(ctx context.Context, opts benchOptions) int {
	res, err := runBench(ctx, opts, c.Stderr, c.hooks)
	code := 0
	if res != nil {
		if werr := bench.WriteText(c.Stdout, res); werr != nil {
			err = errors.Join(err, werr)
		}
		if opts.out != "" {
			err = errors.Join(err, writeFile(opts.out, func(w io.Writer) error { return bench.WriteJSON(w, res) }))
		}
		if opts.histogram != "" {
			err = errors.Join(err, writeFile(opts.histogram, func(w io.Writer) error { return bench.WriteHistogramSVG(w, res) }))
		}
		for _, r := range res.Runs {
			if r.Errors > 0 {
				fmt.Fprintf(c.Stderr, "Error: %d operations of the %s run failed (see above).\n", r.Errors, r.Name)
				code = 1
			}
		}
	}
	if err != nil {
		fmt.Fprintf(c.Stderr, "Error: %s\n", err)
		return 1
	}
	return code
}

func parseBenchFlags(args []string) (benchOptions, error) {
	opts := benchOptions{args: args}
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	provider := fs.String("provider", "appotapay", "")
	mix := fs.String("mix", "", "")
	fs.IntVar(&opts.concurrency, "concurrency", 16, "")
	fs.DurationVar(&opts.duration, "duration", 10*time.Second, "")
	fs.DurationVar(&opts.warmup, "warmup", 2*time.Second, "")
	fs.StringVar(&opts.pluginDir, "plugin-dir", "./bin", "")
	fs.StringVar(&opts.store, "store", "sqlite", "")
	fs.StringVar(&opts.dsn, "dsn", "", "")
	fs.StringVar(&opts.out, "out", "", "")
	fs.StringVar(&opts.histogram, "histogram", "", "")
	fs.StringVar(&opts.logLevel, "log-level", "warn", "")
	if err := fs.Parse(args); err != nil {
		return opts, err
	}
	if fs.NArg() > 0 {
		return opts, fmt.Errorf("bench takes no arguments, got %q", fs.Args())
	}
	var err error
	if opts.gateway, err = findBenchGateway(*provider); err != nil {
		return opts, fmt.Errorf("-provider: %w", err)
	}
	if *mix == "" {
		*mix = opts.gateway.defaultMix
	}
	if opts.mix, err = bench.ParseMix(*mix); err != nil {
		return opts, fmt.Errorf("-mix: %w", err)
	}
	if err := opts.gateway.checkMix(opts.mix); err != nil {
		return opts, fmt.Errorf("-mix: %w", err)
	}
	switch {
	case opts.concurrency < 1 || opts.concurrency > maxBenchConcurrency:
		return opts, fmt.Errorf("-concurrency must be from 1 to %d, got %d", maxBenchConcurrency, opts.concurrency)
	case opts.duration <= 0 || opts.duration > maxBenchDuration:
		return opts, fmt.Errorf("-duration must be above 0 and at most %s, got %s", maxBenchDuration, opts.duration)
	case opts.warmup < 0 || opts.warmup > maxBenchWarmup:
		return opts, fmt.Errorf("-warmup must be from 0 to %s, got %s", maxBenchWarmup, opts.warmup)
	case opts.pluginDir == "":
		return opts, errors.New("-plugin-dir must not be empty")
	case opts.store != "sqlite" && opts.store != "postgres":
		return opts, fmt.Errorf("-store must be sqlite or postgres, got %q", opts.store)
	case opts.store == "postgres" && opts.dsn == "":
		return opts, errors.New("-dsn is required with -store postgres")
	case opts.store != "postgres" && opts.dsn != "":
		return opts, errors.New("-dsn is used only with -store postgres")
	case hclog.LevelFromString(opts.logLevel) == hclog.NoLevel:
		return opts, fmt.Errorf("-log-level must be trace, debug, info, warn or error, got %q", opts.logLevel)
	}
	return opts, nil
}

// runBench runs the baseline, then payhost, and returns what they
// measured. It returns a result (with what was measured) when ctx ends
// early; it returns an error, and what was measured before, when a run
// cannot start.
func runBench(ctx context.Context, opts benchOptions, progress io.Writer, hooks benchHooks) (*bench.Result, error) {
	g := opts.gateway
	plug, err := pluginhost.Find(g.name, pluginhost.SearchDirs(opts.pluginDir))
	if err != nil {
		return nil, fmt.Errorf("%w\nBuild it with: make build (or go build -o %s ./plugins/%s/cmd/%s)",
			err, filepath.Join(opts.pluginDir, pluginhost.BinaryName(g.name)), g.name, pluginhost.BinaryName(g.name))
	}
	dir, err := os.MkdirTemp("", "payhost-bench-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)

	res := &bench.Result{
		FormatVersion: bench.FormatVersion,
		Command:       strings.TrimSpace("go run ./bench " + strings.Join(redactDSN(opts.args), " ")),
		StartedAt:     time.Now().UTC().Truncate(time.Second),
		Machine:       bench.ThisMachine(),
		Config: bench.Config{
			Provider: g.name, Store: opts.store, Mix: opts.mix.String(), Concurrency: opts.concurrency,
			DurationS: opts.duration.Seconds(), WarmupS: opts.warmup.Seconds(),
		},
	}
	res.Notes = benchNotes(opts)
	b := &benchRunner{opts: opts, g: g, plugin: plug, dir: dir, progress: progress, hooks: hooks, token: randomHex(4)}
	b.logger = hclog.New(&hclog.LoggerOptions{Name: "payhost", Level: hclog.LevelFromString(opts.logLevel), Output: progress})

	direct, err := b.direct(ctx)
	if direct == nil && ctx.Err() != nil {
		// Whatever failed, failed because of the interruption.
		direct, err = interrupted("direct"), nil
	}
	if direct != nil {
		res.Runs = append(res.Runs, direct)
	}
	if err == nil && ctx.Err() == nil {
		// The payhost run starts from a collected heap, its memory
		// returned to the system where the runtime can.
		runtime.GC()
		debug.FreeOSMemory()
		var subject *bench.RunResult
		subject, err = b.payhost(ctx)
		if subject == nil && ctx.Err() != nil {
			subject, err = interrupted("payhost"), nil
		}
		if subject != nil {
			res.Runs = append(res.Runs, subject)
			res.Comparison = bench.Compare(direct, subject)
		}
	}
	for _, r := range res.Runs {
		res.Interrupted = res.Interrupted || r.Interrupted
	}
	res.Interrupted = res.Interrupted || ctx.Err() != nil
	if len(res.Runs) == 0 {
		return nil, err
	}
	return res, err
}

// benchNotes say how to read the figures of a benchmark with opts.
func benchNotes(opts benchOptions) []string {
	var notes []string
	if opts.mix.Has(bench.OpStatus) {
		notes = append(notes, "status: payhost answers GET /v1/payments/{id} from its store; direct asks the gateway (GetPayment), "+
			"as a merchant without payhost would. sync compares the same gateway call.")
	}
	if opts.mix.Has(bench.OpRefund) {
		notes = append(notes, fmt.Sprintf("refund: partial refunds spread over %d payments per client, paid before the run.", paidPerClient))
	}
	notes = append(notes, "payhost's merchant webhooks go to a receiver in this process; memory of this process includes the emulator's log of every request.")
	if opts.store == "postgres" {
		notes = append(notes, "The PostgreSQL server's own CPU is not counted.")
	}
	return notes
}

// benchRunner runs the two runs of one benchmark.
type benchRunner struct {
	opts     benchOptions
	g        *benchGateway
	plugin   pluginhost.Plugin
	dir      string
	progress io.Writer
	logger   hclog.Logger
	hooks    benchHooks
	// token makes the run's ids and idempotency keys unique.
	token string
}

func (b *benchRunner) say(format string, args ...any) {
	fmt.Fprintf(b.progress, "bench: "+format+"\n", args...)
}

// options are the bench.Options of the run called name.
func (b *benchRunner) options(name, description string, newClient func(context.Context, int) (bench.Client, error)) bench.Options {
	return bench.Options{
		Name: name, Description: description, Mix: b.opts.mix, Concurrency: b.opts.concurrency,
		Warmup: b.opts.warmup, Duration: b.opts.duration, NewClient: newClient,
	}
}

// measure runs one run, saying so.
func (b *benchRunner) measure(ctx context.Context, o bench.Options) (*bench.RunResult, error) {
	o.OnMeasure = func() { b.say("%s run: measuring for %s", o.Name, o.Duration) }
	if b.hooks.options != nil {
		b.hooks.options(&o)
	}
	b.say("%s run: preparing %d clients, then %s of warm-up and %s measured", o.Name, o.Concurrency, o.Warmup, o.Duration)
	r, err := bench.Run(ctx, o)
	if err != nil {
		return nil, err
	}
	b.say("%s run: %d operations, %d failed, in %.1fs", o.Name, r.Operations, r.Errors, r.ElapsedS)
	return r, nil
}

// direct is the baseline: the provider in this process against a fresh
// emulator.
func (b *benchRunner) direct(ctx context.Context) (*bench.RunResult, error) {
	emu, stopEmu, err := startBenchServer(b.g.emulator)
	if err != nil {
		return nil, err
	}
	defer stopEmu()
	// The emulator's callbacks (of payments paid to be refunded) are
	// acknowledged and dropped: the baseline has no host to apply them.
	sink, stopSink, err := startBenchServer(func(string) http.Handler { return callbackSink{} })
	if err != nil {
		return nil, err
	}
	defer stopSink()

	p := b.g.provider()
	cfg, err := b.g.pluginConfig(emu)
	if err != nil {
		return nil, err
	}
	if ctx.Err() != nil {
		return interrupted("direct"), nil
	}
	if _, err := p.Configure(ctx, &plugin.ConfigureRequest{
		Instance: b.g.name + "." + benchInstance, Config: cfg,
		CallbackURL: sink + "/v1/callbacks/" + b.g.name + "/" + benchInstance,
	}); err != nil {
		return nil, fmt.Errorf("configuring the %s provider in process: %w", b.g.name, err)
	}
	t := &directTarget{g: b.g, mix: b.opts.mix, p: p, emu: emu, client: &http.Client{Timeout: bench.DefaultOpTimeout}, run: b.token + "d"}
	desc := fmt.Sprintf("the %s provider's code in this process → the emulator over loopback HTTP (no host, no store, no gRPC)", b.g.title)
	return b.measure(ctx, b.options("direct", desc, t.newClient))
}

// payhost is the subject: payhost's HTTP API, the host with its store,
// the plugin binary, against a fresh emulator.
func (b *benchRunner) payhost(ctx context.Context) (res *bench.RunResult, err error) {
	emu, stopEmu, err := startBenchServer(b.g.emulator)
	if err != nil {
		return nil, err
	}
	defer stopEmu()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	defer ln.Close()
	base := "http://" + ln.Addr().String()

	// The merchant's webhook endpoint acknowledges every event, so that
	// the host delivers each once, as it would to a merchant.
	hooks, stopHooks, err := startBenchServer(func(string) http.Handler { return callbackSink{} })
	if err != nil {
		return nil, err
	}
	defer stopHooks()

	store, dropStore, err := b.storeBlock(ctx)
	if err != nil {
		return nil, err
	}
	defer func() { err = errors.Join(err, dropStore()) }()
	cfgDir := filepath.Join(b.dir, "payhost")
	if err := b.writeConfig(cfgDir, ln.Addr().String(), emu, hooks+"/payhost/events", store); err != nil {
		return nil, err
	}
	b.say("payhost run: starting the host (store %s, plugin %s)", b.opts.store, b.plugin.Path)
	if ctx.Err() != nil {
		return interrupted("payhost"), nil
	}
	var initOut bytes.Buffer
	out := command.Meta{Stdout: &initOut, Stderr: &initOut}
	if code := command.RunWith([]string{"init", "-config", cfgDir, "-plugin-dir", b.opts.pluginDir}, out); code != 0 {
		return nil, fmt.Errorf("payhost init of the benchmark's configuration failed:\n%s", initOut.String())
	}
	cfg, err := out.LoadConfig(cfgDir, b.opts.pluginDir)
	if err != nil {
		return nil, fmt.Errorf("the benchmark's configuration is not valid:\n%w", err)
	}
	h, err := host.New(ctx, host.Options{Config: cfg, PluginDir: b.opts.pluginDir, Logger: b.logger})
	if err != nil {
		if ctx.Err() != nil {
			return interrupted("payhost"), nil
		}
		return nil, fmt.Errorf("starting the host: %w", err)
	}
	defer func() { err = errors.Join(err, h.Close()) }()
	srv := &http.Server{Handler: h.Handler(), ReadHeaderTimeout: 10 * time.Second}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	defer func() {
		shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if serr := srv.Shutdown(shutdownCtx); serr != nil {
			_ = srv.Close()
		}
		if serr := <-served; !errors.Is(serr, http.ErrServerClosed) {
			err = errors.Join(err, serr)
		}
	}()

	client := &http.Client{
		Transport: &http.Transport{
			MaxIdleConns: b.opts.concurrency, MaxIdleConnsPerHost: b.opts.concurrency,
			IdleConnTimeout: time.Minute, DisableCompression: true,
		},
		Timeout: bench.DefaultOpTimeout,
	}
	defer client.CloseIdleConnections()
	t := &hostTarget{g: b.g, mix: b.opts.mix, base: base, emu: emu, client: client, run: b.token + "h"}
	desc := fmt.Sprintf("payhost's HTTP API on loopback → the host (store %s) → %s over go-plugin gRPC → the emulator over loopback HTTP",
		b.opts.store, pluginhost.BinaryName(b.g.name))
	o := b.options("payhost", desc, t.newClient)
	o.PluginPrefix = pluginhost.BinaryPrefix
	return b.measure(ctx, o)
}

// interrupted is the result of a run interrupted before it started.
func interrupted(name string) *bench.RunResult {
	return &bench.RunResult{Name: name, Interrupted: true}
}

// writeConfig writes the payhost run's configuration into dir: the host
// on listen, the store, the provider against the emulator at emu, and a
// merchant whose events go to webhook, routing every payment to it.
func (b *benchRunner) writeConfig(dir, listen, emu, webhook string, store func(*hclwrite.Body)) error {
	pluginDir, err := filepath.Abs(b.opts.pluginDir)
	if err != nil {
		return err
	}
	f := hclwrite.NewEmptyFile()
	root := f.Body()
	ph := root.AppendNewBlock("payhost", nil).Body()
	ph.SetAttributeValue("listen", cty.StringVal(listen))
	ph.SetAttributeValue("public_url", cty.StringVal("http://"+listen))
	ph.SetAttributeValue("plugin_dir", cty.StringVal(pluginDir))
	ph.SetAttributeValue("log_level", cty.StringVal(b.opts.logLevel))
	root.AppendNewline()
	store(root)
	root.AppendNewline()
	pb := root.AppendNewBlock("provider", []string{b.g.name, benchInstance}).Body()
	for _, a := range b.g.config(emu) {
		switch v := a.value.(type) {
		case string:
			pb.SetAttributeValue(a.name, cty.StringVal(v))
		case bool:
			pb.SetAttributeValue(a.name, cty.BoolVal(v))
		default:
			return fmt.Errorf("provider attribute %s: unexpected %T", a.name, a.value)
		}
	}
	root.AppendNewline()
	mb := root.AppendNewBlock("merchant", []string{benchInstance}).Body()
	mb.SetAttributeValue("api_key", cty.StringVal(benchMerchantKey))
	wb := mb.AppendNewBlock("webhook", nil).Body()
	wb.SetAttributeValue("url", cty.StringVal(webhook))
	wb.SetAttributeValue("secret", cty.StringVal(benchWebhookSecret))
	rb := mb.AppendNewBlock("route", []string{"all"}).Body()
	rb.SetAttributeRaw("providers", hclwrite.TokensForTuple([]hclwrite.Tokens{
		hclwrite.TokensForTraversal(hcl.Traversal{
			hcl.TraverseRoot{Name: "provider"}, hcl.TraverseAttr{Name: b.g.name}, hcl.TraverseAttr{Name: benchInstance},
		}),
	}))
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "payhost.hcl"), f.Bytes(), 0o600)
}

// storeBlock returns what writes the payhost run's store block, and what
// removes the store: a SQLite file in the temporary directory, or a
// schema of its own in PostgreSQL.
func (b *benchRunner) storeBlock(ctx context.Context) (func(*hclwrite.Body), func() error, error) {
	if b.opts.store == "sqlite" {
		path := filepath.Join(b.dir, "payhost.db")
		return func(root *hclwrite.Body) {
			root.AppendNewBlock("store", []string{"sqlite"}).Body().SetAttributeValue("path", cty.StringVal(path))
		}, func() error { return nil }, nil
	}
	admin, err := sql.Open("pgx", b.opts.dsn)
	if err != nil {
		return nil, nil, fmt.Errorf("-dsn: %w", err)
	}
	schema := "payhost_bench_" + b.token
	if _, err := admin.ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
		_ = admin.Close()
		return nil, nil, fmt.Errorf("creating schema %s in the -dsn database: %w", schema, err)
	}
	drop := func() error {
		defer admin.Close()
		if _, err := admin.ExecContext(context.Background(), "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			return fmt.Errorf("dropping the benchmark's schema %s: %w", schema, err)
		}
		return nil
	}
	dsn := withSearchPath(b.opts.dsn, schema)
	return func(root *hclwrite.Body) {
		root.AppendNewBlock("store", []string{"postgres"}).Body().SetAttributeValue("dsn", cty.StringVal(dsn))
	}, drop, nil
}

// withSearchPath returns dsn (a URL or key=value pairs) with search_path
// set to schema.
func withSearchPath(dsn, schema string) string {
	u, err := url.Parse(dsn)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		return dsn + " search_path=" + schema
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// startBenchServer serves the handler built by build on a loopback port;
// it returns the base URL and what stops the server (and the handler,
// when it is an emulator).
func startBenchServer(build func(base string) http.Handler) (string, func(), error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	base := "http://" + ln.Addr().String()
	h := build(base)
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = srv.Serve(ln)
	}()
	return base, func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := srv.Shutdown(ctx); err != nil {
			_ = srv.Close()
		}
		<-done
		if e, ok := h.(interface{ Close() }); ok {
			e.Close()
		}
	}, nil
}

// benchWebhookSecret signs the benchmark merchant's webhooks.
const benchWebhookSecret = "whsec_bench_3a7e91c0d5b24f68"

// callbackSink acknowledges every callback the way each shipped gateway
// wants it acknowledged, and every merchant webhook.
type callbackSink struct{}

func (callbackSink) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	_, _ = io.Copy(io.Discard, r.Body)
	w.Header().Set("Content-Type", "application/json")
	_, _ = io.WriteString(w, `{"status":"ok","code":"SUCCESS","errorCode":0}`)
}

// writeFile writes path with write, reporting which file failed.
func writeFile(path string, write func(io.Writer) error) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := write(f); err != nil {
		_ = f.Close()
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return f.Close()
}

// redactDSN returns args with the value of -dsn, which may hold a
// password, replaced.
func redactDSN(args []string) []string {
	out := slices.Clone(args)
	for i := 0; i < len(out); i++ {
		name, _, hasValue := strings.Cut(strings.TrimLeft(out[i], "-"), "=")
		switch {
		case !strings.HasPrefix(out[i], "-") || name != "dsn":
		case hasValue:
			out[i] = out[i][:strings.IndexByte(out[i], '=')+1] + "REDACTED"
		case i+1 < len(out):
			out[i+1] = "REDACTED"
			i++
		}
	}
	return out
}

// randomHex returns n random bytes in hex.
func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
