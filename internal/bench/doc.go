// Package bench is the load generator and the report of the benchmark
// program (bench/ at the repository root, `go run ./bench`), which knows
// the gateways, the emulators and the host; this package knows none of
// them.
//
// Run has Options.Concurrency clients send a Mix of operations (create,
// status, sync, refund) one after the other for a warm-up and then a
// measured duration, and returns a RunResult: per operation the count,
// the failures and the latency percentiles (nearest rank), the CPU time of
// this process (getrusage) and of the plugin processes (/proc/<pid>/stat),
// resident memory (/proc/<pid>/statm, sampled every 100 ms) and the Go
// heap (runtime/metrics). Each client draws its operations from the mix
// with its own number as the seed, so two runs with the same options send
// the same operations: that is what makes a baseline run and a payhost run
// comparable side by side. Compare puts a run against its baseline, as
// ratios and added milliseconds.
//
// WriteText prints a Result for people, WriteJSON as JSON, and
// WriteHistogramSVG draws the runs' latency histograms overlaid, by hand
// (no dependency): log-scale buckets, axes, percentile marks and a legend.
//
// # The JSON result (format_version 1)
//
// Every duration is in seconds (_s), every latency in milliseconds (_ms),
// every memory size in MiB (_mib, 2^20 bytes).
//
//	format_version            1; changes only when a field changes meaning or goes away
//	command                   the command line
//	started_at                RFC 3339, UTC
//	machine                   os, arch, cpus, gomaxprocs, go_version, usage_source (how CPU and memory were read)
//	config                    provider, store, mix ("create=80,status=15,refund=5"), concurrency, duration_s, warmup_s
//	interrupted               true when Ctrl-C (or a failure) cut the benchmark short
//	runs[]                    the baseline ("direct") first, then "payhost"; each:
//	  name, description       what the run sends its operations through
//	  interrupted             this run stopped before its duration
//	  elapsed_s               the measured window (from the end of the warm-up to the last operation's end)
//	  operations, errors      operations that succeeded, and that failed (failures are left out of latencies)
//	  ops_per_s               operations that succeeded per second
//	  payments_per_s          creates that succeeded per second
//	  latency_ms              p50, p95, p99, mean, min, max over every operation
//	  ops[]                   per operation sent: op, count, errors, first_error, ops_per_s, latency_ms
//	  cpu                     process and plugins: user_s, sys_s, percent_of_one_core (100 = one core busy);
//	                          plugin_processes[] (pid, name); total_s; ms_per_op (total CPU per operation)
//	  memory                  rss_start_mib, rss_peak_mib, rss_end_mib, heap_start_mib, heap_peak_mib,
//	                          heap_end_mib of this process; plugin_rss_peak_mib, plugin_rss_end_mib
//	  histogram[]             non-empty latency buckets (ten per power of ten): from_ms, to_ms, count
//	  load_average_before     the machine's 1, 5, 15-minute load averages before the run
//	  load_average_after      and after it
//	comparison                "payhost" against "direct", when both measured operations:
//	  baseline, subject       the runs' names
//	  throughput_ratio        subject ops_per_s / baseline ops_per_s
//	  cpu_per_op_ratio        subject cpu.ms_per_op / baseline cpu.ms_per_op
//	  added_cpu_ms_per_op     their difference
//	  ops[]                   per operation both sent: op, added_p50_ms, added_p95_ms, added_p99_ms,
//	                          p50_ratio, p99_ratio
//	notes[]                   how to read the figures (what an operation is in each run, what CPU leaves out)
//
// "This process" holds the load generator and the emulator in both runs,
// so the difference between the runs is what the path they measure costs.
package bench
