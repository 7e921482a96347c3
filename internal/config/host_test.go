package config_test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/hcl/v2"

	"github.com/payhost/payhost/internal/config"
	"github.com/payhost/payhost/internal/config/configtest"
)

// TestHostTuning loads the fixtures that tune the engine and checks the
// durations decoded: what is not set stays zero, for the host's default.
func TestHostTuning(t *testing.T) {
	tests := []struct {
		fixture         string
		callTimeout     time.Duration
		idempotencyWait time.Duration
		reconciler      config.Reconciler // DeclRange: only whether it is set
		hasReconciler   bool
	}{
		{
			fixture:         "tuning.hcl",
			callTimeout:     45 * time.Second,
			idempotencyWait: 2 * time.Second,
			reconciler: config.Reconciler{
				Schedule:      []time.Duration{30 * time.Second, 5 * time.Minute, 5 * time.Minute, 90 * time.Minute, 24 * time.Hour},
				Interval:      5 * time.Second,
				ActionAge:     12 * time.Hour,
				NotFoundAfter: 2 * time.Hour,
			},
			hasReconciler: true,
		},
		{
			fixture:       "reconciler_partial.hcl",
			reconciler:    config.Reconciler{Schedule: []time.Duration{2 * time.Minute}},
			hasReconciler: true,
		},
		{
			fixture:     "json",
			callTimeout: 20 * time.Second,
			reconciler: config.Reconciler{
				Schedule:      []time.Duration{time.Minute, 10 * time.Minute},
				NotFoundAfter: 30 * time.Minute,
			},
			hasReconciler: true,
		},
		{fixture: "defaults.hcl"},
		{fixture: "quickstart"},
	}
	for _, tt := range tests {
		t.Run(tt.fixture, func(t *testing.T) {
			h := load(t, filepath.Join("testdata", "valid", tt.fixture)).Host
			if h.CallTimeout != tt.callTimeout || h.IdempotencyWait != tt.idempotencyWait {
				t.Errorf("call_timeout = %s, idempotency_wait = %s; want %s, %s", h.CallTimeout, h.IdempotencyWait, tt.callTimeout, tt.idempotencyWait)
			}
			r := h.Reconciler
			if got := r.DeclRange != (hcl.Range{}); got != tt.hasReconciler {
				t.Errorf("reconciler block declared = %v, want %v", got, tt.hasReconciler)
			}
			want := tt.reconciler
			if !slices.Equal(r.Schedule, want.Schedule) || r.Interval != want.Interval || r.ActionAge != want.ActionAge || r.NotFoundAfter != want.NotFoundAfter {
				t.Errorf("reconciler = %+v, want %+v", r, want)
			}
		})
	}
}

// TestReconcilerDiagnostics pins the subject and the detail of the
// diagnostics about durations: an element of the schedule is pointed at
// and named, and the detail says how to fix the value.
func TestReconcilerDiagnostics(t *testing.T) {
	tests := []struct {
		fixture string
		summary string
		subject string   // the source text the diagnostic points at
		line    int      // of the subject
		detail  []string // fragments of the detail
	}{
		{"reconciler_values.hcl", "Invalid duration", `"30"`, 2, []string{`"30" of call_timeout`, "missing unit", `"30s"`}},
		{"reconciler_values.hcl", "Invalid duration", `"-1s"`, 3, []string{"idempotency_wait", "not longer than zero", "remove it to use the default"}},
		{"reconciler_values.hcl", "Invalid duration", `"0s"`, 8, []string{"schedule[1]", "not longer than zero", "remove the element"}},
		{"reconciler_values.hcl", "Decreasing reconciler schedule", `"10m"`, 10, []string{`schedule[3] ("10m")`, `schedule[2] ("30m")`, "at least the previous one"}},
		{"reconciler_values.hcl", "Invalid duration", `"1d"`, 11, []string{"schedule[4]", `a day is "24h"`}},
		{"reconciler_values.hcl", "Invalid duration", `"0"`, 14, []string{"interval", "not longer than zero"}},
		{"reconciler_values.hcl", "Invalid duration", `24`, 15, []string{"action_age", "missing unit"}},
		{"reconciler_structure.hcl", "Empty reconciler schedule", `[]`, 3, []string{"never ask", `["1m", "5m", "30m", "2h", "24h"]`}},
		{"reconciler_structure.hcl", "Duplicate reconciler block", `reconciler`, 8, []string{"reconciler_structure.hcl:2,3-13", "merge them"}},
		{"reconciler_structure.hcl", "Unsupported block type", `reconciller`, 11, []string{`Did you mean "reconciler"?`}},
		{"reconciler.hcl.json", "Decreasing reconciler schedule", `"1m"`, 5, []string{`schedule[1] ("1m")`, `schedule[0] ("5m")`}},
		{"reconciler.hcl.json", "Extraneous JSON object property", `"every"`, 7, []string{"every"}},
	}
	for _, tt := range tests {
		t.Run(tt.fixture+"/"+tt.summary+"/"+tt.subject, func(t *testing.T) {
			path := filepath.Join("testdata", "invalid", tt.fixture)
			cfg, diags := configtest.Loader().Load(path)
			var d *hcl.Diagnostic
			for _, c := range diags {
				if c.Summary == tt.summary && c.Subject != nil && c.Subject.Start.Line == tt.line {
					d = c
				}
			}
			if d == nil {
				var b strings.Builder
				_ = cfg.WriteDiagnostics(&b, diags, 0)
				t.Fatalf("no %q on line %d; got:\n%s", tt.summary, tt.line, b.String())
			}
			if got := subjectText(t, d.Subject); got != tt.subject {
				t.Errorf("subject = %s, want %s", got, tt.subject)
			}
			for _, f := range tt.detail {
				if !strings.Contains(d.Detail, f) {
					t.Errorf("detail %q does not contain %q", d.Detail, f)
				}
			}
		})
	}
}

// TestInvalidReconcilerLeavesDefaults: a schedule with an error is not
// kept, so that nothing half-checked reaches the host.
func TestInvalidReconcilerLeavesDefaults(t *testing.T) {
	cfg, diags := configtest.Loader().Load(filepath.Join("testdata", "invalid", "reconciler_values.hcl"))
	if !diags.HasErrors() {
		t.Fatal("no errors")
	}
	r := cfg.Host.Reconciler
	if r.Schedule != nil || r.Interval != 0 || r.ActionAge != 0 || r.NotFoundAfter != 0 || cfg.Host.CallTimeout != 0 || cfg.Host.IdempotencyWait != 0 {
		t.Errorf("invalid values kept: host %+v", cfg.Host)
	}
}

// subjectText returns the source text a range covers.
func subjectText(t *testing.T, rng *hcl.Range) string {
	t.Helper()
	src, err := os.ReadFile(rng.Filename)
	if err != nil {
		t.Fatal(err)
	}
	return string(rng.SliceBytes(src))
}
