// Package metrics is payhost's Prometheus instrumentation: one registry
// per host with the series below, served by Handler at GET /metrics.
//
//	payhost_http_requests_total{route,method,code}              counter
//	payhost_http_request_duration_seconds{route}                histogram
//	payhost_payments_total{provider,status}                     counter
//	payhost_provider_calls_total{provider,operation,result}     counter
//	payhost_provider_call_duration_seconds{provider,operation}  histogram
//	payhost_webhook_deliveries_total{result}                    counter
//	payhost_plugin_up{provider}                                 gauge (1 ready)
//	payhost_plugin_crashes_total{provider}                      counter
//	payhost_plugin_restarts_total{provider}                     counter
//
// plus the Go runtime and process collectors (go_*, process_*).
//
// The HTTP series are recorded by internal/httpapi (HTTPRequest). *Metrics
// is the host engine's host.Observer (ProviderCall, PaymentStatus: payment
// outcomes and provider latency, recorded where only the engine knows
// them) and host.WebhookObserver (WebhookDelivery: the attempts of the
// webhook dispatcher, which the host hands it through internal/webhook's
// Options.Observer). The plugins' supervision status
// (host.Host.Providers) is handed to WatchPlugins and read at every
// scrape, so the plugin series are never stale.
//
// Every label value comes from a bounded set: route patterns (never raw
// paths), HTTP methods, provider instance addresses from the
// configuration, plugin operations, statuses and results. A *Metrics that is
// nil records nothing, so that a host without metrics needs no checks.
package metrics
