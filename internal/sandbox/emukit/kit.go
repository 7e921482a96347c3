package emukit

import (
	"net/http"
	"strings"
	"time"

	"github.com/hashicorp/go-hclog"
)

// Options configure a Kit. The zero value is usable: system clock, random
// ids, no logging, no retries beyond the first attempt.
type Options struct {
	// Clock defaults to SystemClock.
	Clock Clock
	// Deterministic makes ids count up instead of being random.
	Deterministic bool
	// Logger defaults to a null logger.
	Logger hclog.Logger
	// Retry is the callback retry policy; each emulator passes its
	// gateway's policy as the default.
	Retry RetryPolicy
	// HTTPClient sends callbacks; it defaults to a client with a 10-second
	// timeout.
	HTTPClient *http.Client
}

// Kit is the shared machinery of one emulator instance.
type Kit struct {
	Name      string
	Clock     Clock
	IDs       *IDs
	Logger    hclog.Logger
	Faults    *Faults
	Recorder  *Recorder
	Callbacks *Dispatcher

	extra *http.ServeMux
}

// NewKit returns the kit for the emulator called name.
func NewKit(name string, opts Options) *Kit {
	if opts.Clock == nil {
		opts.Clock = SystemClock{}
	}
	if opts.Logger == nil {
		opts.Logger = hclog.NewNullLogger()
	}
	if opts.HTTPClient == nil {
		opts.HTTPClient = &http.Client{Timeout: 10 * time.Second}
	}
	logger := opts.Logger.Named(name)
	ids := NewIDs(opts.Deterministic)
	faults := &Faults{}
	return &Kit{
		Name:      name,
		Clock:     opts.Clock,
		IDs:       ids,
		Logger:    logger,
		Faults:    faults,
		Recorder:  NewRecorder(opts.Clock, logger),
		Callbacks: newDispatcher(opts.HTTPClient, opts.Retry, opts.Clock, ids, faults, logger),
		extra:     http.NewServeMux(),
	}
}

// HandleControl adds a gateway-specific route to the control API. pattern
// must be a ServeMux pattern under ControlPrefix, such as
// "POST /__emulator/orders/{id}/refund".
func (k *Kit) HandleControl(pattern string, h http.HandlerFunc) {
	k.extra.HandleFunc(pattern, h)
}

// Handler wraps a gateway's handler: requests are recorded and logged,
// the control API answers under ControlPrefix, and injected faults strike
// the gateway's own routes. orders may be nil for an emulator without
// order controls. Routes added with HandleControl take precedence over the
// kit's own.
func (k *Kit) Handler(gateway http.Handler, orders OrderController) http.Handler {
	control := k.control(orders)
	faulty := k.Faults.Middleware(gateway)
	recorded := k.Recorder.Middleware(faulty)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasPrefix(r.URL.Path, ControlPrefix) {
			recorded.ServeHTTP(w, r)
			return
		}
		if _, pattern := k.extra.Handler(r); pattern != "" {
			k.extra.ServeHTTP(w, r) // ServeHTTP, not the handler: it sets PathValue
			return
		}
		control.ServeHTTP(w, r)
	})
}

// Close stops callback retries that are waiting.
func (k *Kit) Close() {
	k.Callbacks.Close()
}
