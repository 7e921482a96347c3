package host

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/payhost/payhost/internal/config"
)

// tuned is a payhost block that sets every engine setting.
const tuned = `payhost {
  call_timeout     = "45s"
  idempotency_wait = "2s"

  reconciler {
    schedule        = ["30s", "5m", "1h", "24h"]
    interval        = "5s"
    action_age      = "12h"
    not_found_after = "2h"
  }
}
`

// TestOptionsFromConfig: the payhost block fills the Options left unset;
// Options set in Go win over it, and what neither sets takes the default.
func TestOptionsFromConfig(t *testing.T) {
	explicit := Options{
		CallTimeout:       time.Second,
		IdempotencyWait:   time.Millisecond,
		ReconcileSchedule: []time.Duration{time.Second},
		ReconcileInterval: -1,
		ActionAge:         time.Minute,
		NotFoundAfter:     3 * time.Minute,
	}
	fromFile := Options{
		CallTimeout:       45 * time.Second,
		IdempotencyWait:   2 * time.Second,
		ReconcileSchedule: []time.Duration{30 * time.Second, 5 * time.Minute, time.Hour, 24 * time.Hour},
		ReconcileInterval: 5 * time.Second,
		ActionAge:         12 * time.Hour,
		NotFoundAfter:     2 * time.Hour,
	}
	defaults := Options{
		CallTimeout:       DefaultCallTimeout,
		IdempotencyWait:   DefaultIdempotencyWait,
		ReconcileSchedule: DefaultReconcileSchedule,
		ReconcileInterval: DefaultReconcileInterval,
		ActionAge:         DefaultActionAge,
		NotFoundAfter:     DefaultNotFoundAfter,
	}
	tests := []struct {
		name string
		src  string // the configuration; "" for no Config at all
		opts Options
		want Options
	}{
		{"block fills unset options", tuned, Options{}, fromFile},
		{"explicit options win", tuned, explicit, explicit},
		{"negative interval is set", tuned, Options{ReconcileInterval: -1}, with(fromFile, func(o *Options) { o.ReconcileInterval = -1 })},
		{"some of each", tuned, Options{CallTimeout: time.Second, ReconcileSchedule: []time.Duration{time.Minute}},
			with(fromFile, func(o *Options) { o.CallTimeout, o.ReconcileSchedule = time.Second, []time.Duration{time.Minute} })},
		{"no payhost block", `store "sqlite" {}`, Options{}, defaults},
		{"payhost block without them", `payhost { listen = ":9000" }`, Options{}, defaults},
		{"reconciler block in part", `payhost {
  reconciler {
    schedule = ["2m"]
  }
}`, Options{}, with(defaults, func(o *Options) { o.ReconcileSchedule = []time.Duration{2 * time.Minute} })},
		{"no config", "", Options{ActionAge: time.Minute}, with(defaults, func(o *Options) { o.ActionAge = time.Minute })},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var cfg *config.Config
			if tt.src != "" {
				if diags := loadSource(t, tt.src, &cfg); diags != "" {
					t.Fatal(diags)
				}
			}
			got := optionsFromConfig(tt.opts, cfg).withDefaults()
			if got.CallTimeout != tt.want.CallTimeout || got.IdempotencyWait != tt.want.IdempotencyWait ||
				!slices.Equal(got.ReconcileSchedule, tt.want.ReconcileSchedule) || got.ReconcileInterval != tt.want.ReconcileInterval ||
				got.ActionAge != tt.want.ActionAge || got.NotFoundAfter != tt.want.NotFoundAfter {
				t.Errorf("got  %s\nwant %s", engineSettings(got), engineSettings(tt.want))
			}
		})
	}
}

// TestOptionsFromConfigCopiesSchedule: the host does not share the
// configuration's schedule.
func TestOptionsFromConfigCopiesSchedule(t *testing.T) {
	var cfg *config.Config
	if diags := loadSource(t, tuned, &cfg); diags != "" {
		t.Fatal(diags)
	}
	o := optionsFromConfig(Options{}, cfg)
	o.ReconcileSchedule[0] = time.Hour
	if cfg.Host.Reconciler.Schedule[0] != 30*time.Second {
		t.Error("changing the Options' schedule changed the configuration's")
	}
}

// TestNewTakesOptionsFromConfig: New applies the payhost block of the
// configuration it is given, under the Options set in Go.
func TestNewTakesOptionsFromConfig(t *testing.T) {
	var cfg *config.Config
	if diags := loadSource(t, tuned, &cfg); diags != "" {
		t.Fatal(diags)
	}
	h, err := New(t.Context(), Options{Config: cfg, ReconcileInterval: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	if h.opts.CallTimeout != 45*time.Second || h.opts.NotFoundAfter != 2*time.Hour || len(h.opts.ReconcileSchedule) != 4 {
		t.Errorf("the payhost block was not applied: %s", engineSettings(h.opts))
	}
	if h.opts.ReconcileInterval != -1 {
		t.Errorf("reconcile interval = %s, want the Options' -1", h.opts.ReconcileInterval)
	}
}

// loadSource loads one file of configuration into *cfg (a directory of the
// test's own for its store) and returns its diagnostics printed, if any.
func loadSource(t *testing.T, src string, cfg **config.Config) string {
	t.Helper()
	c, diags := config.Loader{}.LoadSources(t.TempDir(), map[string][]byte{"payhost.hcl": []byte(src)})
	*cfg = c
	if len(diags) == 0 {
		return ""
	}
	var b strings.Builder
	_ = c.WriteDiagnostics(&b, diags, 0)
	return b.String()
}

// with returns o changed by f.
func with(o Options, f func(*Options)) Options {
	f(&o)
	return o
}

// engineSettings prints the Options the payhost block can set.
func engineSettings(o Options) string {
	return fmt.Sprintf("call_timeout=%s idempotency_wait=%s schedule=%v interval=%s action_age=%s not_found_after=%s",
		o.CallTimeout, o.IdempotencyWait, o.ReconcileSchedule, o.ReconcileInterval, o.ActionAge, o.NotFoundAfter)
}
