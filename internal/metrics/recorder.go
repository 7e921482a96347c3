package metrics

import "time"

// Recorder is what the host engine records. *Metrics implements it; the
// engine calls it with label values from bounded sets.
type Recorder interface {
	// PaymentOutcome counts one finished payment attempt at provider
	// ("type.name"). outcome is what the plugin reported: processed,
	// pending, declined, not_sent or unknown (see plugin's outcomes), or
	// error for a call that failed otherwise.
	PaymentOutcome(provider, outcome string)
	// ProviderCall observes the duration of one plugin call; operation is
	// the plugin method in snake case (create_payment, capture, refund,
	// void, reverse, get_payment, tokenize, handle_callback, ...).
	ProviderCall(provider, operation string, d time.Duration)
	// WebhookDelivery counts one attempt to deliver a merchant event;
	// result is delivered (a 2xx), failed (to be retried) or abandoned
	// (retries exhausted).
	WebhookDelivery(result string)
}

var _ Recorder = (*Metrics)(nil)

// PaymentOutcome implements Recorder.
func (m *Metrics) PaymentOutcome(provider, outcome string) {
	if m == nil {
		return
	}
	m.payments.WithLabelValues(provider, outcome).Inc()
}

// ProviderCall implements Recorder.
func (m *Metrics) ProviderCall(provider, operation string, d time.Duration) {
	if m == nil {
		return
	}
	m.providerDuration.WithLabelValues(provider, operation).Observe(d.Seconds())
}

// WebhookDelivery implements Recorder.
func (m *Metrics) WebhookDelivery(result string) {
	if m == nil {
		return
	}
	m.webhookDeliveries.WithLabelValues(result).Inc()
}
