package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"io"
	"strings"
	"testing"
)

// sampleResult runs fake clients twice, as "direct" and "payhost".
func sampleResult(t *testing.T) *Result {
	t.Helper()
	r := &Result{
		FormatVersion: FormatVersion, Command: "payhost bench -duration 300ms", Machine: ThisMachine(),
		Config: Config{Provider: "fake", Store: "sqlite", Mix: "create=60,status=30,refund=10", Concurrency: 3, DurationS: 0.3},
	}
	for _, name := range []string{"direct", "payhost"} {
		o := shortOptions(&fakes{})
		o.Name = name
		run, err := Run(context.Background(), o)
		if err != nil {
			t.Fatal(err)
		}
		r.Runs = append(r.Runs, run)
	}
	r.Comparison = Compare(r.Runs[0], r.Runs[1])
	r.Notes = []string{"status: a note on reading it."}
	return r
}

// The JSON has every field doc.go documents.
func TestWriteJSON(t *testing.T) {
	r := sampleResult(t)
	var b bytes.Buffer
	if err := WriteJSON(&b, r); err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{
		"format_version", "command", "started_at", "interrupted",
		"machine.os", "machine.arch", "machine.cpus", "machine.gomaxprocs", "machine.go_version", "machine.usage_source",
		"config.provider", "config.store", "config.mix", "config.concurrency", "config.duration_s", "config.warmup_s",
		"runs.0.name", "runs.0.description", "runs.0.interrupted", "runs.0.elapsed_s", "runs.0.operations", "runs.0.errors",
		"runs.0.ops_per_s", "runs.0.payments_per_s",
		"runs.0.latency_ms.p50", "runs.0.latency_ms.p95", "runs.0.latency_ms.p99", "runs.0.latency_ms.mean",
		"runs.0.latency_ms.min", "runs.0.latency_ms.max",
		"runs.0.ops.0.op", "runs.0.ops.0.count", "runs.0.ops.0.errors", "runs.0.ops.0.ops_per_s", "runs.0.ops.0.latency_ms.p99",
		"runs.0.ops.2.first_error",
		"runs.0.cpu.total_s", "runs.0.cpu.ms_per_op",
		"runs.0.memory.rss_start_mib", "runs.0.memory.rss_peak_mib", "runs.0.memory.rss_end_mib",
		"runs.0.memory.heap_start_mib", "runs.0.memory.heap_peak_mib", "runs.0.memory.heap_end_mib",
		"runs.0.histogram.0.from_ms", "runs.0.histogram.0.to_ms", "runs.0.histogram.0.count",
		"runs.0.load_average_before", "runs.0.load_average_after",
		"runs.1.name",
		"comparison.baseline", "comparison.subject", "comparison.throughput_ratio",
		"comparison.ops.0.op", "comparison.ops.0.added_p50_ms", "comparison.ops.0.added_p95_ms",
		"comparison.ops.0.added_p99_ms", "comparison.ops.0.p50_ratio", "comparison.ops.0.p99_ratio",
		"notes.0",
	} {
		if _, ok := lookup(doc, path); !ok {
			t.Errorf("the JSON lacks %s", path)
		}
	}
	if v, _ := lookup(doc, "format_version"); v != 1.0 {
		t.Errorf("format_version %v", v)
	}
	if v, _ := lookup(doc, "runs.0.ops.2.op"); v != "refund" {
		t.Errorf("runs.0.ops.2.op = %v", v)
	}
}

// lookup follows a dotted path of keys and indices.
func lookup(v any, path string) (any, bool) {
	for _, k := range strings.Split(path, ".") {
		switch x := v.(type) {
		case map[string]any:
			var ok bool
			if v, ok = x[k]; !ok {
				return nil, false
			}
		case []any:
			i := 0
			for _, c := range k {
				i = i*10 + int(c-'0')
			}
			if i >= len(x) {
				return nil, false
			}
			v = x[i]
		default:
			return nil, false
		}
	}
	return v, true
}

func TestWriteText(t *testing.T) {
	r := sampleResult(t)
	var b bytes.Buffer
	if err := WriteText(&b, r); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{
		"payhost bench: provider fake, mix create=60,status=30,refund=10, 3 clients",
		"payhost vs direct", "operations/s", "payments/s", "create p50/p95/p99 ms", "status p50/p95/p99 ms",
		"refund p50/p95/p99 ms", "CPU per operation", "RSS start/peak MiB", "Go heap start/peak MiB",
		"direct: fake clients", "refund operations failed; the first: declined", "status: a note on reading it.",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the report lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "sync p50") || strings.Contains(out, "INTERRUPTED") {
		t.Errorf("the report shows sync or an interruption:\n%s", out)
	}
	r.Interrupted = true
	b.Reset()
	_ = WriteText(&b, r)
	if !strings.Contains(b.String(), "INTERRUPTED") {
		t.Error("an interrupted benchmark is not said to be")
	}
}

// The SVG is well-formed XML with both runs, axes and a legend; drawn
// again from the JSON result, it is the same.
func TestWriteHistogramSVG(t *testing.T) {
	r := sampleResult(t)
	var b bytes.Buffer
	if err := WriteHistogramSVG(&b, r); err != nil {
		t.Fatal(err)
	}
	checkSVG(t, b.Bytes(), "direct", "payhost")

	var j bytes.Buffer
	_ = WriteJSON(&j, r)
	var back Result
	if err := json.Unmarshal(j.Bytes(), &back); err != nil {
		t.Fatal(err)
	}
	var again bytes.Buffer
	if err := WriteHistogramSVG(&again, &back); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(b.Bytes(), again.Bytes()) {
		t.Error("the SVG drawn from the JSON result differs")
	}
}

// An empty run still draws.
func TestWriteHistogramSVGEmpty(t *testing.T) {
	r := &Result{Runs: []*RunResult{{Name: "direct", Interrupted: true}}}
	var b bytes.Buffer
	if err := WriteHistogramSVG(&b, r); err != nil {
		t.Fatal(err)
	}
	if err := xml.Unmarshal(b.Bytes(), new(struct{})); err != nil {
		t.Fatalf("not XML: %v", err)
	}
}

// checkSVG checks that svg is well-formed XML and has what the chart
// needs for runs.
func checkSVG(t *testing.T, svg []byte, runs ...string) {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(svg))
	ids := map[string]bool{}
	var stack []string // ids of the open groups
	bars := map[string]int{}
	marks := map[string]int{}
	var texts []string
	root := ""
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("the SVG is not well-formed XML: %v", err)
		}
		switch e := tok.(type) {
		case xml.StartElement:
			if root == "" {
				root = e.Name.Local
				if e.Name.Space != "http://www.w3.org/2000/svg" {
					t.Errorf("root namespace %q", e.Name.Space)
				}
			}
			id, class := attr(e, "id"), attr(e, "class")
			if id != "" {
				ids[id] = true
			}
			if e.Name.Local == "g" {
				stack = append(stack, id)
			}
			group := ""
			if len(stack) > 0 {
				group = stack[len(stack)-1]
			}
			if e.Name.Local == "path" && class == "bars" {
				bars[group]++
			}
			if e.Name.Local == "line" && class == "percentile" {
				marks[group]++
			}
		case xml.EndElement:
			if e.Name.Local == "g" {
				stack = stack[:len(stack)-1]
			}
		case xml.CharData:
			if s := strings.TrimSpace(string(e)); s != "" {
				texts = append(texts, s)
			}
		}
	}
	if root != "svg" {
		t.Fatalf("root element %q, want svg", root)
	}
	for _, id := range []string{"title", "x-axis", "y-axis", "legend"} {
		if !ids[id] {
			t.Errorf("no element %q", id)
		}
	}
	all := strings.Join(texts, "\n")
	for _, want := range []string{"latency (ms, log scale)", "share of the run's operations (%)", " ms"} {
		if !strings.Contains(all, want) {
			t.Errorf("no text %q", want)
		}
	}
	for _, run := range runs {
		if bars["run-"+run] != 1 || marks["run-"+run] != 2 {
			t.Errorf("run %s: %d bar paths and %d percentile marks, want 1 and 2", run, bars["run-"+run], marks["run-"+run])
		}
		if !strings.Contains(all, run+": ") {
			t.Errorf("the legend does not name %s", run)
		}
	}
}

func attr(e xml.StartElement, name string) string {
	for _, a := range e.Attr {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}
