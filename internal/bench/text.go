package bench

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// WriteJSON writes r as indented JSON.
func WriteJSON(w io.Writer, r *Result) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// WriteText writes r for people: one column per run, and the second run
// against the first.
func WriteText(w io.Writer, r *Result) error {
	var b strings.Builder
	c := r.Config
	fmt.Fprintf(&b, "payhost bench: provider %s, mix %s, %s, %s measured after %s of warm-up, store %s\n",
		c.Provider, c.Mix, clients(c.Concurrency), seconds(c.DurationS), seconds(c.WarmupS), c.Store)
	fmt.Fprintf(&b, "machine: %s/%s, %d CPUs, %s", r.Machine.OS, r.Machine.Arch, r.Machine.CPUs, r.Machine.GoVersion)
	if len(r.Runs) > 0 {
		first, last := r.Runs[0], r.Runs[len(r.Runs)-1]
		if len(first.LoadAverageBefore) == 3 && len(last.LoadAverageAfter) == 3 {
			fmt.Fprintf(&b, "; load average %s before, %s after", loadavg(first.LoadAverageBefore), loadavg(last.LoadAverageAfter))
		}
	}
	b.WriteString("\n")
	if r.Interrupted {
		b.WriteString("INTERRUPTED: the figures cover only what ran before the interruption.\n")
	}
	b.WriteString("\n")

	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	cmp := r.Comparison
	row := func(label string, cell func(*RunResult) string, vs string) {
		cells := []string{label}
		for _, run := range r.Runs {
			cells = append(cells, cell(run))
		}
		if cmp != nil {
			cells = append(cells, vs)
		}
		fmt.Fprintln(tw, strings.Join(cells, "\t")+"\t")
	}
	header := []string{""}
	for _, run := range r.Runs {
		name := run.Name
		if run.Interrupted {
			name += " (interrupted)"
		}
		header = append(header, name)
	}
	if cmp != nil {
		header = append(header, cmp.Subject+" vs "+cmp.Baseline)
	}
	fmt.Fprintln(tw, strings.Join(header, "\t")+"\t")

	vs := func(f func(*Comparison) string) string {
		if cmp == nil {
			return ""
		}
		return f(cmp)
	}
	row("operations/s", func(x *RunResult) string { return fmt.Sprintf("%.1f", x.OpsPerSecond) },
		vs(func(c *Comparison) string { return fmt.Sprintf("%.2f×", c.ThroughputRatio) }))
	row("payments/s", func(x *RunResult) string { return fmt.Sprintf("%.1f", x.PaymentsPerSecond) }, "")
	row("operations (errors)", func(x *RunResult) string { return fmt.Sprintf("%d (%d)", x.Operations, x.Errors) }, "")
	for _, op := range Ops {
		if !anySent(r.Runs, op) {
			continue
		}
		row(string(op)+" p50/p95/p99 ms", func(x *RunResult) string {
			o := x.Op(op)
			if o == nil || o.Count == 0 {
				return "-"
			}
			return fmt.Sprintf("%s / %s / %s", msf(o.Latency.P50), msf(o.Latency.P95), msf(o.Latency.P99))
		}, vs(func(c *Comparison) string {
			for _, oc := range c.Ops {
				if oc.Op == op {
					return fmt.Sprintf("%s / %s / %s ms", added(oc.AddedP50Ms), added(oc.AddedP95Ms), added(oc.AddedP99Ms))
				}
			}
			return ""
		}))
	}
	row("all p50/p95/p99 ms", func(x *RunResult) string {
		return fmt.Sprintf("%s / %s / %s", msf(x.Latency.P50), msf(x.Latency.P95), msf(x.Latency.P99))
	}, "")
	row("CPU, this process", func(x *RunResult) string { return cpuCell(x.CPU.Process) }, "")
	row("CPU, plugin processes", func(x *RunResult) string { return cpuCell(x.CPU.Plugins) }, "")
	row("CPU per operation", func(x *RunResult) string {
		if x.CPU.MsPerOp == 0 {
			return "-"
		}
		return fmt.Sprintf("%.3f ms", x.CPU.MsPerOp)
	}, vs(func(c *Comparison) string {
		if c.CPUPerOpRatio == 0 {
			return ""
		}
		return fmt.Sprintf("%.2f× (%s ms)", c.CPUPerOpRatio, added(c.AddedCPUMsPerOp))
	}))
	row("RSS start/peak MiB", func(x *RunResult) string {
		if x.Memory.RSSPeakMiB == 0 {
			return "-"
		}
		return fmt.Sprintf("%.1f / %.1f", x.Memory.RSSStartMiB, x.Memory.RSSPeakMiB)
	}, "")
	row("plugin RSS peak MiB", func(x *RunResult) string {
		if x.Memory.PluginRSSPeakMiB == 0 {
			return "-"
		}
		return fmt.Sprintf("%.1f", x.Memory.PluginRSSPeakMiB)
	}, "")
	row("Go heap start/peak MiB", func(x *RunResult) string {
		if x.Memory.HeapPeakMiB == 0 {
			return "-"
		}
		return fmt.Sprintf("%.1f / %.1f", x.Memory.HeapStartMiB, x.Memory.HeapPeakMiB)
	}, "")
	if err := tw.Flush(); err != nil {
		return err
	}

	b.WriteString("\n")
	for _, run := range r.Runs {
		fmt.Fprintf(&b, "%s: %s\n", run.Name, run.Description)
		for _, o := range run.Ops {
			if o.Errors > 0 {
				fmt.Fprintf(&b, "  %d %s operations failed; the first: %s\n", o.Errors, o.Op, o.FirstError)
			}
		}
	}
	b.WriteString("\"this process\" is the load generator, the emulator and what the run goes through, all in this process;\n")
	b.WriteString("CPU is user+system time over the measured window (100% is one core).\n")
	for _, n := range r.Notes {
		b.WriteString(n + "\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func anySent(runs []*RunResult, op Op) bool {
	for _, r := range runs {
		if r.Op(op) != nil {
			return true
		}
	}
	return false
}

func cpuCell(c *CPUTime) string {
	if c == nil {
		return "-"
	}
	return fmt.Sprintf("%.2f s (%.0f%% of a core)", c.UserS+c.SysS, c.PercentOfOneCore)
}

// msf prints milliseconds with three significant digits or more.
func msf(v float64) string {
	switch {
	case v >= 100:
		return fmt.Sprintf("%.0f", v)
	case v >= 10:
		return fmt.Sprintf("%.1f", v)
	case v >= 1:
		return fmt.Sprintf("%.2f", v)
	default:
		return fmt.Sprintf("%.3f", v)
	}
}

func added(v float64) string {
	if v >= 0 {
		return "+" + msf(v)
	}
	return "-" + msf(-v)
}

// clients says how many clients there were.
func clients(n int) string {
	if n == 1 {
		return "1 client"
	}
	return fmt.Sprintf("%d clients", n)
}

func seconds(s float64) string { return strings.TrimSuffix(fmt.Sprintf("%.3g", s), ".0") + "s" }

func loadavg(l []float64) string { return fmt.Sprintf("%.2f %.2f %.2f", l[0], l[1], l[2]) }
