package bench

import (
	"context"
	"errors"
	"fmt"
	"runtime/metrics"
	"sync"
	"time"
)

// Client sends one client's operations. A run calls Do from one goroutine
// per client, one operation after the other.
type Client interface {
	// Do sends one operation and reports whether it did what it should.
	Do(ctx context.Context, op Op) error
}

// Options configure one run.
type Options struct {
	// Name ("direct", "payhost") and Description say what the run sends
	// its operations through.
	Name, Description string
	// Mix is what the clients send.
	Mix Mix
	// Concurrency is the number of clients, each sending one operation
	// after the other.
	Concurrency int
	// Warmup is how long the clients send before the measurement starts;
	// Duration how long the measurement lasts. No operation starts after
	// it, and the run ends when the operations in flight have finished.
	Warmup, Duration time.Duration
	// OpTimeout bounds each operation. Default DefaultOpTimeout.
	OpTimeout time.Duration
	// NewClient prepares client i, before the clock starts: whatever its
	// operations need (payments to read or refund). It is called from
	// several goroutines.
	NewClient func(ctx context.Context, i int) (Client, error)
	// OnMeasure, when set, is called when the measurement starts.
	OnMeasure func()
	// PluginPrefix, when set, names the child processes whose CPU and
	// memory count with the run: the children of this process whose
	// program's file name starts with it (the provider plugins).
	PluginPrefix string
}

// DefaultOpTimeout bounds one operation.
const DefaultOpTimeout = 30 * time.Second

// prepareParallelism bounds how many clients are prepared at once.
const prepareParallelism = 4

// sampleEvery is how often memory is sampled during a run.
const sampleEvery = 100 * time.Millisecond

// Run prepares opts.Concurrency clients and has them send opts.Mix for
// opts.Warmup, then for opts.Duration measured: the operations that
// succeed (count, latency, per operation and together), those that fail,
// the CPU time of this process and of the plugin processes, and memory.
//
// Each client sends the same sequence of operations in every run (drawn
// from the mix with the client's number as the seed), so runs with the
// same options compare the same load.
//
// When ctx ends, no new operation starts; those in flight finish (within
// OpTimeout) and the run returns what it measured, marked interrupted
// (with nothing measured when ctx ends before the clients are ready). An
// error is returned only when a client cannot be prepared.
func Run(ctx context.Context, opts Options) (*RunResult, error) {
	if opts.OpTimeout <= 0 {
		opts.OpTimeout = DefaultOpTimeout
	}
	res := &RunResult{Name: opts.Name, Description: opts.Description}
	res.LoadAverageBefore, _ = LoadAverage()
	clients, err := prepare(ctx, opts)
	if ctx.Err() != nil {
		res.Interrupted = true
		res.LoadAverageAfter, _ = LoadAverage()
		return res, nil
	}
	if err != nil {
		return nil, err
	}

	warmEnd := time.Now().Add(opts.Warmup)
	end := warmEnd.Add(opts.Duration)
	records := make([]*record, len(clients))
	var wg sync.WaitGroup
	for i, c := range clients {
		wg.Go(func() { records[i] = drive(ctx, c, opts.Mix.picker(uint64(i)), opts.OpTimeout, warmEnd, end) })
	}
	select {
	case <-time.After(time.Until(warmEnd)):
	case <-ctx.Done():
	}
	var plugins []Process
	if opts.PluginPrefix != "" {
		plugins = childProcesses(opts.PluginPrefix)
	}
	before := takeUsage(plugins)
	stopSampling, peaks := sample(plugins)
	if opts.OnMeasure != nil && ctx.Err() == nil {
		opts.OnMeasure()
	}
	wg.Wait()
	stopSampling()
	after := takeUsage(plugins)

	res.Interrupted = ctx.Err() != nil
	res.LoadAverageAfter, _ = LoadAverage()
	res.fill(records, after.at.Sub(before.at))
	res.CPU = cpuReport(before, after, plugins, res.Operations)
	res.Memory = memoryReport(before, after, *peaks, plugins)
	return res, nil
}

// prepare builds the clients, a few at a time.
func prepare(ctx context.Context, opts Options) ([]Client, error) {
	clients := make([]Client, opts.Concurrency)
	errs := make([]error, opts.Concurrency)
	sem := make(chan struct{}, prepareParallelism)
	var wg sync.WaitGroup
	for i := range clients {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			if ctx.Err() != nil {
				return
			}
			c, err := opts.NewClient(ctx, i)
			if err != nil {
				errs[i] = fmt.Errorf("preparing client %d of the %s run: %w", i, opts.Name, err)
			}
			clients[i] = c
		})
	}
	wg.Wait()
	return clients, errors.Join(errs...)
}

// record is what one client measured: per operation (Ops order) the
// latencies of those that succeeded, the number that failed and the first
// failure.
type record struct {
	lat      [len(opIndex)][]time.Duration
	errs     [len(opIndex)]int64
	firstErr [len(opIndex)]error
}

// opIndex numbers the operations as Ops lists them.
var opIndex = [...]Op{OpCreate, OpStatus, OpSync, OpRefund}

func indexOf(op Op) int {
	for i, o := range opIndex {
		if o == op {
			return i
		}
	}
	panic("bench: unknown operation " + string(op))
}

// drive sends c's operations until end (or ctx's end), recording those
// that start at or after warmEnd. Operations run under a context of their
// own, so that an interruption lets the one in flight finish.
func drive(ctx context.Context, c Client, pick func() Op, timeout time.Duration, warmEnd, end time.Time) *record {
	rec := &record{}
	base := context.WithoutCancel(ctx)
	for ctx.Err() == nil {
		start := time.Now()
		if !start.Before(end) {
			break
		}
		op := pick()
		opCtx, cancel := context.WithTimeout(base, timeout)
		err := c.Do(opCtx, op)
		cancel()
		took := time.Since(start)
		if start.Before(warmEnd) {
			continue
		}
		i := indexOf(op)
		if err != nil {
			rec.errs[i]++
			if rec.firstErr[i] == nil {
				rec.firstErr[i] = err
			}
			continue
		}
		rec.lat[i] = append(rec.lat[i], took)
	}
	return rec
}

// usage is a snapshot of the CPU time of this process and of the plugins.
type usage struct {
	at            time.Time
	self          cpuTimes
	selfOK        bool
	plugins       cpuTimes
	pluginsOK     bool
	rss, heap     int64
	pluginRSS     int64
	pluginRSSOK   bool
	rssOK, heapOK bool
}

// cpuTimes is CPU time in user and kernel mode.
type cpuTimes struct{ User, Sys time.Duration }

func (c cpuTimes) minus(o cpuTimes) cpuTimes { return cpuTimes{c.User - o.User, c.Sys - o.Sys} }

// Process is a child process whose CPU and memory count with a run.
type Process struct {
	PID  int    `json:"pid"`
	Name string `json:"name"`
}

func takeUsage(plugins []Process) usage {
	u := usage{at: time.Now()}
	u.self, u.selfOK = selfCPU()
	u.rss, u.rssOK = rssBytes(0)
	u.heap, u.heapOK = heapBytes()
	u.pluginsOK = len(plugins) > 0
	u.pluginRSSOK = len(plugins) > 0
	for _, p := range plugins {
		c, ok := procCPU(p.PID)
		u.plugins.User += c.User
		u.plugins.Sys += c.Sys
		u.pluginsOK = u.pluginsOK && ok
		r, ok := rssBytes(p.PID)
		u.pluginRSS += r
		u.pluginRSSOK = u.pluginRSSOK && ok
	}
	return u
}

// peaks are the highest memory figures sampled during a run.
type peaks struct{ rss, heap, pluginRSS int64 }

// sample samples memory every sampleEvery until stop is called; the
// peaks are final once it returns.
func sample(plugins []Process) (stop func(), p *peaks) {
	p = &peaks{}
	take := func() {
		u := takeUsage(plugins)
		p.rss = max(p.rss, u.rss)
		p.heap = max(p.heap, u.heap)
		p.pluginRSS = max(p.pluginRSS, u.pluginRSS)
	}
	take()
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		t := time.NewTicker(sampleEvery)
		defer t.Stop()
		for {
			select {
			case <-t.C:
				take()
			case <-done:
				take()
				return
			}
		}
	}()
	return func() { close(done); <-finished }, p
}

// heapMetric is the Go heap's live and not yet swept objects (what
// runtime.MemStats calls HeapAlloc), read without stopping the world.
const heapMetric = "/memory/classes/heap/objects:bytes"

func heapBytes() (int64, bool) {
	s := []metrics.Sample{{Name: heapMetric}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindUint64 {
		return 0, false
	}
	return int64(s[0].Value.Uint64()), true
}
