package metrics

import (
	"time"

	"github.com/payhost/payhost/plugin"
)

// The methods below are what the rest of payhost records. ProviderCall and
// PaymentStatus make *Metrics a host.Observer (host.Options.Observer);
// WebhookDelivery is for the webhook dispatcher's observer
// (host.WebhookObserver).

// ProviderCall records one call of a provider plugin: the instance
// ("type.name"), the operation, how it ended (host.ResultOK, "ok", or the
// plugin error's kind) and how long it took.
func (m *Metrics) ProviderCall(provider string, op plugin.Operation, result string, took time.Duration) {
	if m == nil {
		return
	}
	m.providerCalls.WithLabelValues(provider, string(op), result).Inc()
	m.providerDuration.WithLabelValues(provider, string(op)).Observe(took.Seconds())
}

// PaymentStatus counts a payment of provider moving to status, once the
// move is committed: succeeded, failed, unknown and the rest are the
// payments' outcomes by provider.
func (m *Metrics) PaymentStatus(provider string, status plugin.PaymentStatus) {
	if m == nil {
		return
	}
	m.payments.WithLabelValues(provider, string(status)).Inc()
}

// WebhookDelivery counts one attempt to deliver a merchant event; result
// is delivered (a 2xx), failed (to be retried) or abandoned (the retry
// horizon passed).
func (m *Metrics) WebhookDelivery(result string) {
	if m == nil {
		return
	}
	m.webhookDeliveries.WithLabelValues(result).Inc()
}
