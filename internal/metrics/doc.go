// Package metrics is payhost's Prometheus instrumentation: one registry
// per host with the series below, served by Handler at GET /metrics.
//
//	payhost_http_requests_total{route,method,code}          counter
//	payhost_http_request_duration_seconds{route}            histogram
//	payhost_payments_total{provider,outcome}                counter
//	payhost_provider_call_duration_seconds{provider,operation} histogram
//	payhost_webhook_deliveries_total{result}                counter
//	payhost_plugin_up{provider}                             gauge (1 ready)
//	payhost_plugin_crashes_total{provider}                  counter
//	payhost_plugin_restarts_total{provider}                 counter
//
// plus the Go runtime and process collectors (go_*, process_*).
//
// The HTTP series are recorded by internal/httpapi (HTTPRequest). The host
// engine records what only it knows through Recorder (payment outcomes,
// provider call latency, webhook deliveries), which *Metrics implements,
// and hands the plugins' supervision status to WatchPlugins; the plugin
// series are read from it at every scrape, so they are never stale.
//
// Every label value comes from a bounded set: route patterns (never raw
// paths), HTTP methods, provider instance addresses from the
// configuration, operation names, outcomes and results. A *Metrics that is
// nil records nothing, so that a host without metrics needs no checks.
package metrics
