package httpapi

import (
	"context"

	"github.com/hashicorp/go-hclog"

	"github.com/payhost/payhost/internal/metrics"
)

// Default body limits.
const (
	// DefaultMaxBodyBytes bounds a merchant request's body.
	DefaultMaxBodyBytes = 64 << 10
	// DefaultMaxCallbackBytes bounds a gateway callback's body.
	DefaultMaxCallbackBytes = 1 << 20
)

// Readiness is implemented by a service that can tell whether it can take
// traffic: its store reachable and its plugins up. Ready returns nil when
// it can, or why not; it must return by ctx's deadline.
type Readiness interface {
	Ready(ctx context.Context) error
}

// Options configure the handler New returns. The zero value is usable.
type Options struct {
	// Logger gets the access log and the errors; nil logs nothing.
	Logger hclog.Logger
	// Metrics records the HTTP series and serves GET /metrics; nil uses a
	// registry of the handler's own.
	Metrics *metrics.Metrics
	// Readiness answers GET /readyz; nil is ready whenever the handler
	// serves.
	Readiness Readiness
	// MaxBodyBytes bounds merchant request bodies (default
	// DefaultMaxBodyBytes); MaxCallbackBytes bounds callback bodies
	// (default DefaultMaxCallbackBytes). Larger bodies are 413.
	MaxBodyBytes     int64
	MaxCallbackBytes int64
}

// withDefaults fills in what opts leaves unset.
func (o Options) withDefaults() Options {
	if o.Logger == nil {
		o.Logger = hclog.NewNullLogger()
	}
	if o.Metrics == nil {
		o.Metrics = metrics.New()
	}
	if o.MaxBodyBytes <= 0 {
		o.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if o.MaxCallbackBytes <= 0 {
		o.MaxCallbackBytes = DefaultMaxCallbackBytes
	}
	return o
}
