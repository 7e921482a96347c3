package host

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/hashicorp/go-hclog"

	"github.com/payhost/payhost/api"
	"github.com/payhost/payhost/internal/config"
	"github.com/payhost/payhost/internal/httpapi"
	"github.com/payhost/payhost/internal/metrics"
	"github.com/payhost/payhost/internal/pluginhost"
	"github.com/payhost/payhost/internal/routing"
	"github.com/payhost/payhost/internal/store"
	"github.com/payhost/payhost/internal/webhook"
)

// Host is a running payhost: the store, every configured provider plugin,
// the router, the reconciler and the outbox. It implements api.Service and
// is safe for concurrent use. Close stops it.
type Host struct {
	opts   Options
	cfg    *config.Config
	log    hclog.Logger
	store  store.Store
	router *routing.Router
	// plugins launched the providers' plugins; providers are the
	// instances by address, order their addresses sorted.
	plugins   *pluginhost.Host
	providers map[string]*provider
	order     []string
	keys      []merchantKey
	// lease is how long a request owns its idempotency key, and how long
	// an attempt may stay started before it counts as abandoned.
	lease    time.Duration
	inflight inflight
	// metrics is the host's Prometheus registry, served by the handler;
	// observer reports to it and to Options.Observer.
	metrics   *metrics.Metrics
	observer  Observer
	observers observers
	// outbox delivers the merchant events; handler is the HTTP API.
	outbox  *webhook.Dispatcher
	handler http.Handler

	cancel    context.CancelFunc
	wg        sync.WaitGroup
	closeOnce sync.Once
	closeErr  error
}

var _ api.Service = (*Host)(nil)

// New starts a host: it loads the configuration (Options.ConfigPath or
// Options.Config), opens the store and migrates it, launches every
// provider's plugin (refusing a binary whose checksum differs from
// payhost.lock.hcl), configures each with its decoded configuration and
// callback URL, routes with the capabilities each configured instance
// kept, and starts the reconciler and the delivery of merchant events
// (internal/webhook). On error nothing is left running.
func New(ctx context.Context, opts Options) (*Host, error) {
	cfg, err := loadConfig(opts)
	if err != nil {
		return nil, err
	}
	opts = optionsFromConfig(opts, cfg).withDefaults()
	h := &Host{
		opts: opts, cfg: cfg, log: opts.Logger,
		plugins: pluginhost.New(pluginhost.Options{Logger: opts.Logger, CallTimeout: opts.CallTimeout}),
		keys:    merchantKeys(cfg),
		metrics: metrics.New(),
	}
	h.observers = observers{h.metrics, opts.Observer}
	h.observer = h.observers
	h.metrics.WatchPlugins(h.pluginStatuses)
	if err := h.start(ctx); err != nil {
		return nil, errors.Join(err, h.Close())
	}
	return h, nil
}

// start opens the store, launches the providers and starts the background
// work: the reconciler and the outbox's delivery.
func (h *Host) start(ctx context.Context) error {
	var err error
	if h.store, err = openStore(ctx, h.cfg.Store, store.Options{Clock: h.opts.Clock}); err != nil {
		return err
	}
	if err := h.launchProviders(ctx); err != nil {
		return err
	}
	if h.router, err = routing.New(h.routedConfig()); err != nil {
		return fmt.Errorf("routes: %w", err)
	}
	// A request owns its key, and an attempt counts as in flight, for as
	// long as the slowest request can take: every candidate timing out.
	h.lease = time.Duration(len(h.providers)+2)*h.opts.CallTimeout + time.Minute
	if h.outbox, err = webhook.NewDispatcher(h.store, webhook.ConfigEndpoints(h.cfg.Merchants),
		webhook.Options{Logger: h.log.Named("webhook"), Observer: h.observers.webhookDelivery}); err != nil {
		return err
	}
	bg, cancel := context.WithCancel(context.Background())
	h.cancel = cancel
	h.outbox.Start(bg)
	if h.opts.ReconcileInterval > 0 {
		h.wg.Go(func() { h.reconcileLoop(bg) })
	}
	h.handler = httpapi.New(h, httpapi.Options{Logger: h.log.Named("http"), Metrics: h.metrics, Readiness: h})
	return nil
}

// loadConfig returns the configuration the options name, checked.
func loadConfig(opts Options) (*config.Config, error) {
	switch {
	case opts.Config != nil && opts.ConfigPath != "":
		return nil, errors.New("host options: set ConfigPath or Config, not both")
	case opts.Config != nil:
		return opts.Config, nil
	case opts.ConfigPath == "":
		return nil, errors.New("host options: ConfigPath or Config is required")
	}
	cfg, diags := config.Load(opts.ConfigPath, nil)
	if diags.HasErrors() {
		var b bytes.Buffer
		_ = cfg.WriteDiagnostics(&b, diags, 0)
		return nil, fmt.Errorf("the configuration at %s has errors:\n%s", opts.ConfigPath, b.String())
	}
	return cfg, nil
}

// Handler returns the HTTP API (ARCHITECTURE "Contract: HTTP API",
// internal/httpapi) over this host, with /healthz, /readyz (Ready) and
// /metrics (the host's Prometheus registry), to serve or to mount under a
// prefix with http.StripPrefix.
func (h *Host) Handler() http.Handler { return h.handler }

// Close stops the outbox (after the deliveries in flight), the reconciler
// and every plugin process, and closes the store. No goroutine or process
// of the host is left when it returns. Close is idempotent.
func (h *Host) Close() error {
	h.closeOnce.Do(func() {
		if h.outbox != nil {
			h.outbox.Close()
		}
		if h.cancel != nil {
			h.cancel()
		}
		h.wg.Wait()
		errs := []error{h.plugins.Close()}
		if h.store != nil {
			errs = append(errs, h.store.Close())
		}
		h.closeErr = errors.Join(errs...)
	})
	return h.closeErr
}

// now is the host's clock.
func (h *Host) now() time.Time { return store.Timestamp(h.opts.Clock()) }
