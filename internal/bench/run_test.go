package bench

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"slices"
	"sync"
	"testing"
	"time"
)

// fakeClient answers at once; every second refund fails. It records the
// operations it was sent.
type fakeClient struct {
	sent    []Op
	refunds int
	after   func(n int) // called after each operation, with their number
}

func (c *fakeClient) Do(_ context.Context, op Op) error {
	time.Sleep(20 * time.Microsecond) // keeps the number of operations modest
	c.sent = append(c.sent, op)
	if c.after != nil {
		c.after(len(c.sent))
	}
	if op == OpRefund {
		c.refunds++
		if c.refunds%2 == 0 {
			return errors.New("declined")
		}
	}
	return nil
}

// fakes makes fake clients and keeps them by number.
type fakes struct {
	mu      sync.Mutex
	clients map[int]*fakeClient
	after   func(n int)
}

func (f *fakes) newClient(_ context.Context, i int) (Client, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.clients == nil {
		f.clients = map[int]*fakeClient{}
	}
	c := &fakeClient{after: f.after}
	f.clients[i] = c
	return c, nil
}

func shortOptions(f *fakes) Options {
	return Options{
		Name: "fake", Description: "fake clients", Mix: MustParseMix("create=60,status=30,refund=10"),
		Concurrency: 3, Warmup: 20 * time.Millisecond, Duration: 300 * time.Millisecond,
		NewClient: f.newClient,
	}
}

func TestRun(t *testing.T) {
	f := &fakes{}
	measuring := 0
	o := shortOptions(f)
	o.OnMeasure = func() { measuring++ }
	r, err := Run(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	if len(f.clients) != 3 || f.clients[0] == nil || f.clients[2] == nil {
		t.Fatalf("clients prepared: %v", f.clients)
	}
	if measuring != 1 {
		t.Errorf("OnMeasure called %d times", measuring)
	}
	if r.Interrupted || r.ElapsedS <= 0 || r.Operations == 0 || r.OpsPerSecond <= 0 {
		t.Fatalf("run: %+v", r)
	}
	var names []Op
	var sum int64
	for _, o := range r.Ops {
		names = append(names, o.Op)
		sum += o.Count
		checkOrdered(t, string(o.Op), o.Latency)
	}
	if !slices.Equal(names, []Op{OpCreate, OpStatus, OpRefund}) {
		t.Errorf("ops %v, want create, status, refund", names)
	}
	if sum != r.Operations {
		t.Errorf("operations %d, per operation %d", r.Operations, sum)
	}
	refund := r.Op(OpRefund)
	if refund.Errors == 0 || refund.FirstError != "declined" || r.Errors != refund.Errors {
		t.Errorf("refund failures: %+v (run errors %d)", refund, r.Errors)
	}
	if r.PaymentsPerSecond != r.Op(OpCreate).OpsPerSecond {
		t.Errorf("payments/s %g, creates/s %g", r.PaymentsPerSecond, r.Op(OpCreate).OpsPerSecond)
	}
	checkOrdered(t, "all", r.Latency)
	var inHistogram int64
	for _, b := range r.Histogram {
		inHistogram += b.Count
		if b.Count == 0 || b.FromMs >= b.ToMs {
			t.Errorf("bucket %+v", b)
		}
	}
	if inHistogram != r.Operations {
		t.Errorf("histogram holds %d operations of %d", inHistogram, r.Operations)
	}
	if runtime.GOOS == "linux" {
		if r.CPU.Process == nil || r.CPU.Plugins != nil || r.CPU.MsPerOp <= 0 {
			t.Errorf("cpu: %+v", r.CPU)
		}
		if r.Memory.RSSPeakMiB <= 0 || r.Memory.RSSPeakMiB < r.Memory.RSSEndMiB || r.Memory.HeapPeakMiB <= 0 {
			t.Errorf("memory: %+v", r.Memory)
		}
		if len(r.LoadAverageBefore) != 3 || len(r.LoadAverageAfter) != 3 {
			t.Errorf("load averages %v %v", r.LoadAverageBefore, r.LoadAverageAfter)
		}
	}
}

func checkOrdered(t *testing.T, what string, l Latency) {
	t.Helper()
	if !(l.Min <= l.P50 && l.P50 <= l.P95 && l.P95 <= l.P99 && l.P99 <= l.Max) || l.Min < 0 {
		t.Errorf("%s latencies out of order: %+v", what, l)
	}
}

// Client i sends the same operations in every run. Each run lasts until
// every client has sent 200 operations.
func TestRunSendsTheSameOperations(t *testing.T) {
	const enough = 200
	var runs [2]*fakes
	for i := range runs {
		ctx, cancel := context.WithCancel(context.Background())
		var mu sync.Mutex
		done := map[int]bool{}
		f := &fakes{clients: map[int]*fakeClient{}}
		runs[i] = f
		o := shortOptions(f)
		o.Warmup, o.Duration = 0, time.Hour
		o.NewClient = func(ctx context.Context, i int) (Client, error) {
			c, _ := f.newClient(ctx, i)
			c.(*fakeClient).after = func(n int) {
				if n == enough {
					mu.Lock()
					defer mu.Unlock()
					if done[i] = true; len(done) == 3 {
						cancel()
					}
				}
			}
			return c, nil
		}
		if _, err := Run(ctx, o); err != nil {
			t.Fatal(err)
		}
		cancel()
	}
	for i := range 3 {
		a, b := runs[0].clients[i].sent, runs[1].clients[i].sent
		if len(a) < enough || len(b) < enough || !slices.Equal(a[:enough], b[:enough]) {
			t.Errorf("client %d sent different operations in the two runs (%d and %d operations)", i, len(a), len(b))
		}
	}
	if slices.Equal(runs[0].clients[0].sent[:enough], runs[0].clients[1].sent[:enough]) {
		t.Error("clients 0 and 1 sent the same operations")
	}
}

// Ending the context stops the clients; the run reports what it measured.
func TestRunInterrupted(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	f := &fakes{after: func(n int) {
		if n == 200 {
			cancel()
		}
	}}
	o := shortOptions(f)
	o.Warmup, o.Duration = 0, time.Hour // only the interruption ends it
	r, err := Run(ctx, o)
	if err != nil {
		t.Fatal(err)
	}
	if !r.Interrupted || r.Operations == 0 {
		t.Errorf("interrupted %v with %d operations", r.Interrupted, r.Operations)
	}
}

func TestRunInterruptedBeforeStart(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	r, err := Run(ctx, shortOptions(&fakes{}))
	if err != nil {
		t.Fatal(err)
	}
	if !r.Interrupted || r.Operations != 0 || len(r.Ops) != 0 {
		t.Errorf("run: %+v", r)
	}
}

func TestRunPrepareFailure(t *testing.T) {
	o := shortOptions(&fakes{})
	o.NewClient = func(_ context.Context, i int) (Client, error) {
		if i == 1 {
			return nil, errors.New("no payment")
		}
		return &fakeClient{}, nil
	}
	_, err := Run(context.Background(), o)
	if err == nil || err.Error() != "preparing client 1 of the fake run: no payment" {
		t.Errorf("err = %v", err)
	}
}

// A child process whose program name has the plugin prefix counts as a
// plugin: its CPU and memory are reported.
func TestRunPluginUsage(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("plugin usage is read from /proc")
	}
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Skip("no sh")
	}
	cmd := exec.Command(sh, "-c", "read x") // waits on stdin until the test ends
	cmd.Args[0] = "payhost-provider-fake"
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		_ = stdin.Close()
		_ = cmd.Wait()
	}()
	o := shortOptions(&fakes{})
	o.PluginPrefix = "payhost-provider-"
	r, err := Run(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	want := Process{PID: cmd.Process.Pid, Name: "payhost-provider-fake"}
	if !slices.Contains(r.CPU.PluginProcesses, want) {
		t.Fatalf("plugin processes %v, want %v among them", r.CPU.PluginProcesses, want)
	}
	if r.CPU.Plugins == nil || r.Memory.PluginRSSPeakMiB <= 0 {
		t.Errorf("plugin cpu %+v, memory %+v", r.CPU.Plugins, r.Memory)
	}
	if r.CPU.TotalS < r.CPU.Process.UserS+r.CPU.Process.SysS {
		t.Errorf("total %g below the process's own", r.CPU.TotalS)
	}
}

func TestProcReaders(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("/proc")
	}
	if c, ok := procCPU(os.Getpid()); !ok || c.User < 0 || c.Sys < 0 {
		t.Errorf("procCPU(self) = %+v, %v", c, ok)
	}
	if n, ok := rssBytes(os.Getpid()); !ok || n <= 0 {
		t.Errorf("rssBytes(self) = %d, %v", n, ok)
	}
	if _, ok := procCPU(-1); ok {
		t.Error("procCPU of no process succeeded")
	}
	if tick := clockTicks(); tick <= 0 {
		t.Errorf("clock ticks %d", tick)
	}
}

func TestCompare(t *testing.T) {
	base := &RunResult{Name: "direct", Operations: 100, OpsPerSecond: 1000, CPU: CPUReport{MsPerOp: 0.1},
		Ops: []OpResult{
			{Op: OpCreate, Count: 80, Latency: Latency{P50: 1, P95: 2, P99: 4}},
			{Op: OpStatus, Count: 20, Latency: Latency{P50: 0.5, P95: 1, P99: 2}},
		}}
	subject := &RunResult{Name: "payhost", Operations: 50, OpsPerSecond: 250, CPU: CPUReport{MsPerOp: 0.5},
		Ops: []OpResult{
			{Op: OpCreate, Count: 40, Latency: Latency{P50: 3, P95: 5, P99: 8}},
			{Op: OpStatus, Count: 10, Latency: Latency{P50: 0.25, P95: 1, P99: 3}},
		}}
	c := Compare(base, subject)
	if c.Baseline != "direct" || c.Subject != "payhost" || c.ThroughputRatio != 0.25 {
		t.Errorf("comparison %+v", c)
	}
	if fmt.Sprintf("%.3f %.3f", c.CPUPerOpRatio, c.AddedCPUMsPerOp) != "5.000 0.400" {
		t.Errorf("cpu: %g×, +%g ms", c.CPUPerOpRatio, c.AddedCPUMsPerOp)
	}
	want := []OpComparison{
		{Op: OpCreate, AddedP50Ms: 2, AddedP95Ms: 3, AddedP99Ms: 4, P50Ratio: 3, P99Ratio: 2},
		{Op: OpStatus, AddedP50Ms: -0.25, AddedP95Ms: 0, AddedP99Ms: 1, P50Ratio: 0.5, P99Ratio: 1.5},
	}
	if !slices.Equal(c.Ops, want) {
		t.Errorf("ops %+v, want %+v", c.Ops, want)
	}
	if Compare(base, &RunResult{Name: "payhost"}) != nil {
		t.Error("compared a run without operations")
	}
}
