package host

import (
	"slices"

	"github.com/payhost/payhost/internal/config"
)

// optionsFromConfig returns o with the engine's settings it leaves unset
// (the fields withDefaults would default) taken from the payhost block of
// cfg: call_timeout, idempotency_wait and the reconciler block. Options
// set in Go win over the file, and the file wins over the defaults. The
// configuration holds only positive durations and a non-decreasing
// schedule (config checks them); what it leaves out stays zero.
func optionsFromConfig(o Options, cfg *config.Config) Options {
	if cfg == nil || cfg.Host == nil {
		return o
	}
	h, r := cfg.Host, cfg.Host.Reconciler
	if o.CallTimeout <= 0 && h.CallTimeout > 0 {
		o.CallTimeout = h.CallTimeout
	}
	if o.IdempotencyWait <= 0 && h.IdempotencyWait > 0 {
		o.IdempotencyWait = h.IdempotencyWait
	}
	if len(o.ReconcileSchedule) == 0 && len(r.Schedule) > 0 {
		// A copy: the host must not share a slice with the configuration.
		o.ReconcileSchedule = slices.Clone(r.Schedule)
	}
	// A negative ReconcileInterval (no background reconciler) is set.
	if o.ReconcileInterval == 0 && r.Interval > 0 {
		o.ReconcileInterval = r.Interval
	}
	if o.ActionAge <= 0 && r.ActionAge > 0 {
		o.ActionAge = r.ActionAge
	}
	if o.NotFoundAfter <= 0 && r.NotFoundAfter > 0 {
		o.NotFoundAfter = r.NotFoundAfter
	}
	return o
}
