package host

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/payhost/payhost/internal/metrics"
	"github.com/payhost/payhost/internal/pluginhost"
	"github.com/payhost/payhost/internal/store"
	"github.com/payhost/payhost/internal/webhook"
	"github.com/payhost/payhost/plugin"
)

// Observer receives what the host does, for metrics. The host's own
// Prometheus registry (internal/metrics, served at /metrics) is one; set
// Options.Observer for another. Its methods are called synchronously
// from the requests and the reconciler: they must be quick and safe for
// concurrent use. Plugin restarts are counted in Providers.
type Observer interface {
	// ProviderCall reports one call of a provider plugin: the instance
	// ("type.name"), the operation, how it ended (ResultOK or the error
	// kind) and how long it took.
	ProviderCall(provider string, op plugin.Operation, result string, took time.Duration)
	// PaymentStatus reports that a payment of provider moved to status,
	// once the move is committed.
	PaymentStatus(provider string, status plugin.PaymentStatus)
}

// ResultOK is the result ProviderCall reports for a call that succeeded.
const ResultOK = "ok"

// WebhookObserver is an Observer that also hears of every attempt to
// deliver a merchant event: result is delivered (a 2xx), failed (to be
// retried) or abandoned (given up). The host's registry is one.
type WebhookObserver interface {
	WebhookDelivery(result string)
}

// webhookDelivery tells the observers that are WebhookObservers of a
// delivery attempt; the webhook dispatcher's Options.Observer.
func (o observers) webhookDelivery(ob webhook.Observation) {
	for _, obs := range o {
		if w, ok := obs.(WebhookObserver); ok {
			w.WebhookDelivery(ob.Result)
		}
	}
}

// observers reports to each of several observers.
type observers []Observer

func (o observers) ProviderCall(provider string, op plugin.Operation, result string, took time.Duration) {
	for _, obs := range o {
		obs.ProviderCall(provider, op, result, took)
	}
}

func (o observers) PaymentStatus(provider string, status plugin.PaymentStatus) {
	for _, obs := range o {
		obs.PaymentStatus(provider, status)
	}
}

type nopObserver struct{}

func (nopObserver) ProviderCall(string, plugin.Operation, string, time.Duration) {}
func (nopObserver) PaymentStatus(string, plugin.PaymentStatus)                   {}

// ProviderStatus is where one provider instance's plugin stands.
type ProviderStatus struct {
	// Provider is the instance, "type.name".
	Provider string
	// Ready is set when calls go straight through to a running plugin.
	Ready bool
	// State is the plugin's state: ready, checking, restarting or closed.
	State string
	// PID is the plugin's process id; 0 when none runs.
	PID int
	// Crashes counts the times the plugin was found dead, Restarts the
	// times it was started again.
	Crashes  int
	Restarts int
}

// Providers returns the status of every provider instance, sorted by
// address: readiness, and the crash and restart counters for metrics.
func (h *Host) Providers() []ProviderStatus {
	out := make([]ProviderStatus, 0, len(h.order))
	for _, addr := range h.order {
		s := h.providers[addr].inst.Status()
		out = append(out, ProviderStatus{
			Provider: addr, Ready: s.State == pluginhost.StateReady, State: string(s.State), PID: s.PID,
			Crashes: s.Crashes, Restarts: s.Restarts,
		})
	}
	return out
}

// pluginStatuses is Providers for the metrics' plugin series.
func (h *Host) pluginStatuses() []metrics.PluginStatus {
	ps := h.Providers()
	out := make([]metrics.PluginStatus, len(ps))
	for i, p := range ps {
		out[i] = metrics.PluginStatus{Provider: p.Provider, Ready: p.Ready, Crashes: p.Crashes, Restarts: p.Restarts}
	}
	return out
}

// Ready reports whether the host can serve payments (GET /readyz): the
// store answers and every provider's plugin is ready. The error says what
// is not.
func (h *Host) Ready(ctx context.Context) error {
	var errs []error
	err := h.store.View(ctx, func(r store.Reader) error {
		_, err := r.GetPayment(ctx, "pay_readiness_probe")
		return err
	})
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		errs = append(errs, fmt.Errorf("the store does not answer: %w", err))
	}
	for _, p := range h.Providers() {
		if !p.Ready {
			errs = append(errs, fmt.Errorf("provider %s is %s", p.Provider, p.State))
		}
	}
	return errors.Join(errs...)
}
