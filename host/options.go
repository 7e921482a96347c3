package host

import (
	"time"

	"github.com/hashicorp/go-hclog"

	"github.com/payhost/payhost/internal/config"
	"github.com/payhost/payhost/internal/pluginhost"
	"github.com/payhost/payhost/plugin"
)

// Defaults of Options.
const (
	// DefaultCallTimeout bounds every call to a provider plugin.
	DefaultCallTimeout = pluginhost.DefaultCallTimeout
	// DefaultReconcileInterval is how often the reconciler looks for
	// payments due for a status query.
	DefaultReconcileInterval = 10 * time.Second
	// DefaultActionAge is how long a payment waits for its customer
	// (requires_action) before the reconciler asks the provider, when its
	// next action does not say when it expires.
	DefaultActionAge = 24 * time.Hour
	// DefaultIdempotencyWait is how long a request waits for the request
	// that holds its idempotency key in this process before it is answered
	// 409 (idempotency_in_progress).
	DefaultIdempotencyWait = 5 * time.Second
	// DefaultNotFoundAfter is how long after an unknown-outcome call the
	// gateway must still say it has no such payment (or refund) for the
	// reconciler to resolve it as never received.
	DefaultNotFoundAfter = time.Hour
)

// DefaultReconcileSchedule is when the reconciler asks a provider about a
// payment left processing or unknown: a minute after, then 5 minutes, 30
// minutes and 2 hours after each query, then daily.
var DefaultReconcileSchedule = []time.Duration{
	time.Minute, 5 * time.Minute, 30 * time.Minute, 2 * time.Hour, 24 * time.Hour,
}

// Options configure a Host. Exactly one of ConfigPath and Config is set.
// CallTimeout, IdempotencyWait and the reconciler's fields (ReconcileSchedule,
// ReconcileInterval, ActionAge, NotFoundAfter), left zero, take the
// configuration's payhost block (call_timeout, idempotency_wait,
// reconciler), and then, like every other zero field, the default its
// comment names: Options set here win over the file.
type Options struct {
	// ConfigPath is a configuration file, or a directory of *.hcl files;
	// the lock file payhost.lock.hcl is read beside it.
	ConfigPath string
	// Config is a configuration loaded already (config.Load). Its lock file
	// is read from Config.Dir.
	Config *config.Config

	// Logger receives the host's log and, named "plugin.<type>.<name>",
	// each plugin's. Default: no logging.
	Logger hclog.Logger
	// Clock returns the current time, for the store's timestamps and the
	// reconciler's schedule. Default time.Now.
	Clock func() time.Time
	// CallTimeout bounds every call to a provider plugin. A call that
	// times out has an unknown outcome. Default DefaultCallTimeout.
	CallTimeout time.Duration
	// PluginDir, when set, is searched for plugins instead of the
	// configuration's plugin_dir (then $PAYHOST_PLUGIN_PATH and the
	// executable's directory, as always).
	PluginDir string

	// ReconcileSchedule is the delay before each status query of a payment
	// left processing or unknown: the first entry after the call that left
	// it so, the next after each query; the last entry repeats. Default
	// DefaultReconcileSchedule.
	ReconcileSchedule []time.Duration
	// ActionAge is how long a payment waits for its customer
	// (requires_action) before the reconciler asks its provider where it
	// stands (expired, failed, succeeded...), when its next action does not
	// say when it expires; one that does is asked about once it has.
	// After that first query, the payment is asked about on
	// ReconcileSchedule until it ends. Default DefaultActionAge.
	ActionAge time.Duration
	// NotFoundAfter is how long after a call whose outcome is unknown a
	// status query that the gateway answers "no such payment" (or refund;
	// plugin.KindNotFound) resolves it as never received: the payment
	// fails with provider_unavailable, the refund fails and its amount is
	// released. Earlier answers leave it as it was, for the next query:
	// a request still on its way must not be declared lost. Only a call
	// the gateway never acknowledged (no provider reference) is resolved
	// so. Default DefaultNotFoundAfter.
	NotFoundAfter time.Duration
	// ReconcileInterval is how often the reconciler looks for payments
	// due. Negative: never in the background (call Reconcile). Default
	// DefaultReconcileInterval.
	ReconcileInterval time.Duration
	// IdempotencyWait bounds how long a request waits for another request
	// of this process holding the same idempotency key to finish (then it
	// gets that request's answer) before it fails with
	// idempotency_in_progress. Default DefaultIdempotencyWait.
	IdempotencyWait time.Duration

	// Observer receives every provider call and payment status change,
	// for metrics. Default: none.
	Observer Observer
	// Hooks are for tests.
	Hooks Hooks
}

// Hooks let tests see inside the engine. Each is optional and must be
// safe for concurrent use.
type Hooks struct {
	// BeforeProviderCall runs after an attempt is stored and just before
	// the plugin of provider ("type.name") is called with operation op.
	BeforeProviderCall func(provider string, op plugin.Operation)
}

// withDefaults returns o with every zero field set to its default.
func (o Options) withDefaults() Options {
	if o.Logger == nil {
		o.Logger = hclog.NewNullLogger()
	}
	if o.Clock == nil {
		o.Clock = time.Now
	}
	if o.CallTimeout <= 0 {
		o.CallTimeout = DefaultCallTimeout
	}
	if len(o.ReconcileSchedule) == 0 {
		o.ReconcileSchedule = DefaultReconcileSchedule
	}
	if o.ActionAge <= 0 {
		o.ActionAge = DefaultActionAge
	}
	if o.NotFoundAfter <= 0 {
		o.NotFoundAfter = DefaultNotFoundAfter
	}
	if o.ReconcileInterval == 0 {
		o.ReconcileInterval = DefaultReconcileInterval
	}
	if o.IdempotencyWait <= 0 {
		o.IdempotencyWait = DefaultIdempotencyWait
	}
	if o.Observer == nil {
		o.Observer = nopObserver{}
	}
	return o
}

// beforeCall runs the BeforeProviderCall hook, if any.
func (h Hooks) beforeCall(provider string, op plugin.Operation) {
	if h.BeforeProviderCall != nil {
		h.BeforeProviderCall(provider, op)
	}
}
