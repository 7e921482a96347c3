package bench

import (
	"runtime"
	"time"
)

// FormatVersion is the version of the JSON result's format. It changes
// only when a field changes meaning or goes away.
const FormatVersion = 1

// Result is a whole benchmark: what was run, on what, and each run's
// figures. It is what `payhost bench -out` writes, as JSON; doc.go lists
// the fields.
type Result struct {
	FormatVersion int          `json:"format_version"`
	Command       string       `json:"command"`
	StartedAt     time.Time    `json:"started_at"`
	Machine       Machine      `json:"machine"`
	Config        Config       `json:"config"`
	Interrupted   bool         `json:"interrupted"`
	Runs          []*RunResult `json:"runs"`
	// Comparison is the second run against the first (the baseline); it
	// is left out when either has no measured operation.
	Comparison *Comparison `json:"comparison,omitempty"`
	// Notes say how to read the figures: what an operation is in each
	// run, what the CPU figures leave out.
	Notes []string `json:"notes,omitempty"`
}

// Machine is where the benchmark ran.
type Machine struct {
	OS         string `json:"os"`
	Arch       string `json:"arch"`
	CPUs       int    `json:"cpus"`
	GOMAXPROCS int    `json:"gomaxprocs"`
	GoVersion  string `json:"go_version"`
	// UsageSource says how CPU and memory were measured.
	UsageSource string `json:"usage_source"`
}

// ThisMachine describes the running machine.
func ThisMachine() Machine {
	return Machine{
		OS: runtime.GOOS, Arch: runtime.GOARCH, CPUs: runtime.NumCPU(),
		GOMAXPROCS: runtime.GOMAXPROCS(0), GoVersion: runtime.Version(),
		UsageSource: usageSource,
	}
}

// Config is what the benchmark was asked to do.
type Config struct {
	Provider    string  `json:"provider"`
	Store       string  `json:"store"`
	Mix         string  `json:"mix"`
	Concurrency int     `json:"concurrency"`
	DurationS   float64 `json:"duration_s"`
	WarmupS     float64 `json:"warmup_s"`
}

// RunResult is what one run measured, over its measurement window (after
// the warm-up).
type RunResult struct {
	Name        string `json:"name"`
	Description string `json:"description"`
	// Interrupted is set when the run was stopped before its duration.
	Interrupted bool    `json:"interrupted"`
	ElapsedS    float64 `json:"elapsed_s"`
	// Operations counts the operations that succeeded; Errors those that
	// failed (left out of the latencies).
	Operations   int64   `json:"operations"`
	Errors       int64   `json:"errors"`
	OpsPerSecond float64 `json:"ops_per_s"`
	// PaymentsPerSecond is the rate of payments created (create
	// operations that succeeded).
	PaymentsPerSecond float64 `json:"payments_per_s"`
	// Latency is over every operation that succeeded; Ops has each
	// operation of the mix on its own.
	Latency Latency    `json:"latency_ms"`
	Ops     []OpResult `json:"ops"`
	CPU     CPUReport  `json:"cpu"`
	Memory  MemReport  `json:"memory"`
	// Histogram counts every operation that succeeded by latency, in
	// log-scale buckets (ten per power of ten), non-empty buckets only.
	Histogram []Bucket `json:"histogram"`
	// LoadAverageBefore and After are the machine's 1, 5 and 15-minute
	// load averages when the run was about to start and when it ended.
	LoadAverageBefore []float64 `json:"load_average_before"`
	LoadAverageAfter  []float64 `json:"load_average_after"`

	// counts is the full histogram, for drawing.
	counts []int64
}

// OpResult is one operation's figures in a run.
type OpResult struct {
	Op           Op      `json:"op"`
	Count        int64   `json:"count"`
	Errors       int64   `json:"errors"`
	FirstError   string  `json:"first_error,omitempty"`
	OpsPerSecond float64 `json:"ops_per_s"`
	Latency      Latency `json:"latency_ms"`
}

// Op returns the figures of op, or nil when the run did not send it.
func (r *RunResult) Op(op Op) *OpResult {
	for i := range r.Ops {
		if r.Ops[i].Op == op {
			return &r.Ops[i]
		}
	}
	return nil
}

// CPUReport is the CPU time spent during the measurement window.
type CPUReport struct {
	// Process is this process: the load generator, the emulator and
	// whatever the run sends operations through (the host, or the
	// provider in process).
	Process *CPUTime `json:"process,omitempty"`
	// Plugins are the provider plugin processes the run went through, if
	// any.
	Plugins         *CPUTime  `json:"plugins,omitempty"`
	PluginProcesses []Process `json:"plugin_processes,omitempty"`
	// TotalS is Process and Plugins together; MsPerOp is TotalS in
	// milliseconds per operation that succeeded.
	TotalS  float64 `json:"total_s"`
	MsPerOp float64 `json:"ms_per_op"`
}

// CPUTime is the CPU time of one or more processes over a window.
type CPUTime struct {
	UserS float64 `json:"user_s"`
	SysS  float64 `json:"sys_s"`
	// PercentOfOneCore is user and system time over the window's length:
	// 100 is one core busy all along.
	PercentOfOneCore float64 `json:"percent_of_one_core"`
}

// MemReport is memory during the measurement window, in MiB (2^20 bytes).
type MemReport struct {
	// RSS and heap of this process: the resident set, and the Go heap's
	// live and unswept objects.
	RSSStartMiB  float64 `json:"rss_start_mib"`
	RSSPeakMiB   float64 `json:"rss_peak_mib"`
	RSSEndMiB    float64 `json:"rss_end_mib"`
	HeapStartMiB float64 `json:"heap_start_mib"`
	HeapPeakMiB  float64 `json:"heap_peak_mib"`
	HeapEndMiB   float64 `json:"heap_end_mib"`
	// PluginRSS is the plugin processes' resident set, when there are any.
	PluginRSSPeakMiB float64 `json:"plugin_rss_peak_mib,omitempty"`
	PluginRSSEndMiB  float64 `json:"plugin_rss_end_mib,omitempty"`
}

// fill computes the run's counts, rates, latencies and histogram from the
// clients' records over a window of elapsed.
func (r *RunResult) fill(records []*record, elapsed time.Duration) {
	r.ElapsedS = elapsed.Seconds()
	var all []time.Duration
	for i, op := range opIndex {
		var lat []time.Duration
		var res OpResult
		res.Op = op
		sent := false
		for _, rec := range records {
			lat = append(lat, rec.lat[i]...)
			res.Errors += rec.errs[i]
			if res.FirstError == "" && rec.firstErr[i] != nil {
				res.FirstError = rec.firstErr[i].Error()
			}
			sent = sent || len(rec.lat[i]) > 0 || rec.errs[i] > 0
		}
		if !sent {
			continue
		}
		res.Count = int64(len(lat))
		res.OpsPerSecond = rate(res.Count, elapsed)
		all = append(all, lat...)
		res.Latency = summarize(lat)
		r.Ops = append(r.Ops, res)
		r.Operations += res.Count
		r.Errors += res.Errors
		if op == OpCreate {
			r.PaymentsPerSecond = res.OpsPerSecond
		}
	}
	r.OpsPerSecond = rate(r.Operations, elapsed)
	r.counts = histogram(all)
	r.Histogram = nonEmpty(r.counts)
	r.Latency = summarize(all)
}

func rate(n int64, elapsed time.Duration) float64 {
	if elapsed <= 0 {
		return 0
	}
	return float64(n) / elapsed.Seconds()
}

func cpuReport(before, after usage, plugins []Process, ops int64) CPUReport {
	window := after.at.Sub(before.at)
	var rep CPUReport
	if before.selfOK && after.selfOK {
		rep.Process = cpuTime(after.self.minus(before.self), window)
		rep.TotalS = rep.Process.UserS + rep.Process.SysS
	}
	if before.pluginsOK && after.pluginsOK {
		rep.Plugins = cpuTime(after.plugins.minus(before.plugins), window)
		rep.PluginProcesses = plugins
		rep.TotalS += rep.Plugins.UserS + rep.Plugins.SysS
	}
	if ops > 0 {
		rep.MsPerOp = rep.TotalS * 1000 / float64(ops)
	}
	return rep
}

func cpuTime(c cpuTimes, window time.Duration) *CPUTime {
	t := &CPUTime{UserS: c.User.Seconds(), SysS: c.Sys.Seconds()}
	if window > 0 {
		t.PercentOfOneCore = (c.User + c.Sys).Seconds() / window.Seconds() * 100
	}
	return t
}

func memoryReport(before, after usage, p peaks, plugins []Process) MemReport {
	var m MemReport
	if before.rssOK && after.rssOK {
		m.RSSStartMiB, m.RSSPeakMiB, m.RSSEndMiB = mib(before.rss), mib(max(p.rss, after.rss)), mib(after.rss)
	}
	if before.heapOK && after.heapOK {
		m.HeapStartMiB, m.HeapPeakMiB, m.HeapEndMiB = mib(before.heap), mib(max(p.heap, after.heap)), mib(after.heap)
	}
	if len(plugins) > 0 && after.pluginRSSOK {
		m.PluginRSSPeakMiB, m.PluginRSSEndMiB = mib(max(p.pluginRSS, after.pluginRSS)), mib(after.pluginRSS)
	}
	return m
}

func mib(b int64) float64 { return round(float64(b)/(1<<20), 4) }

// Comparison is a run (the subject: payhost) against the baseline run
// that sent the same load another way (direct).
type Comparison struct {
	Baseline string `json:"baseline"`
	Subject  string `json:"subject"`
	// ThroughputRatio is the subject's operations per second over the
	// baseline's.
	ThroughputRatio float64 `json:"throughput_ratio"`
	// CPUPerOpRatio is the subject's CPU per operation (process and
	// plugins) over the baseline's; AddedCPUMsPerOp their difference.
	CPUPerOpRatio   float64 `json:"cpu_per_op_ratio,omitempty"`
	AddedCPUMsPerOp float64 `json:"added_cpu_ms_per_op,omitempty"`
	// Ops compares the latency of each operation both runs sent.
	Ops []OpComparison `json:"ops"`
}

// OpComparison is one operation's latency in the subject against the
// baseline: the milliseconds added at each percentile, and the ratios.
type OpComparison struct {
	Op         Op      `json:"op"`
	AddedP50Ms float64 `json:"added_p50_ms"`
	AddedP95Ms float64 `json:"added_p95_ms"`
	AddedP99Ms float64 `json:"added_p99_ms"`
	P50Ratio   float64 `json:"p50_ratio"`
	P99Ratio   float64 `json:"p99_ratio"`
}

// Compare compares subject with baseline; nil when either measured no
// operation.
func Compare(baseline, subject *RunResult) *Comparison {
	if baseline == nil || subject == nil || baseline.Operations == 0 || subject.Operations == 0 {
		return nil
	}
	c := &Comparison{
		Baseline:        baseline.Name,
		Subject:         subject.Name,
		ThroughputRatio: ratio(subject.OpsPerSecond, baseline.OpsPerSecond),
	}
	if baseline.CPU.MsPerOp > 0 && subject.CPU.MsPerOp > 0 {
		c.CPUPerOpRatio = ratio(subject.CPU.MsPerOp, baseline.CPU.MsPerOp)
		c.AddedCPUMsPerOp = subject.CPU.MsPerOp - baseline.CPU.MsPerOp
	}
	for _, s := range subject.Ops {
		b := baseline.Op(s.Op)
		if b == nil || b.Count == 0 || s.Count == 0 {
			continue
		}
		c.Ops = append(c.Ops, OpComparison{
			Op:         s.Op,
			AddedP50Ms: s.Latency.P50 - b.Latency.P50,
			AddedP95Ms: s.Latency.P95 - b.Latency.P95,
			AddedP99Ms: s.Latency.P99 - b.Latency.P99,
			P50Ratio:   ratio(s.Latency.P50, b.Latency.P50),
			P99Ratio:   ratio(s.Latency.P99, b.Latency.P99),
		})
	}
	return c
}

func ratio(a, b float64) float64 {
	if b == 0 {
		return 0
	}
	return a / b
}
