package metrics

import (
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// namespace prefixes every payhost series.
const namespace = "payhost"

// latencyBuckets are the histogram buckets, in seconds: from half a
// millisecond (an idempotent replay) to half a minute (a slow gateway).
var latencyBuckets = []float64{
	0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30,
}

// Metrics is one host's registry and collectors. Its methods are safe for
// concurrent use, and do nothing on a nil *Metrics.
type Metrics struct {
	registry *prometheus.Registry

	httpRequests      *prometheus.CounterVec
	httpDuration      *prometheus.HistogramVec
	payments          *prometheus.CounterVec
	providerCalls     *prometheus.CounterVec
	providerDuration  *prometheus.HistogramVec
	webhookDeliveries *prometheus.CounterVec
	plugins           *pluginCollector
}

// New returns a registry with every payhost series, the Go runtime and
// the process collectors.
func New() *Metrics {
	m := &Metrics{
		registry: prometheus.NewRegistry(),
		httpRequests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: namespace, Subsystem: "http", Name: "requests_total",
			Help: "HTTP requests answered, by route pattern, method and status code.",
		}, []string{"route", "method", "code"}),
		httpDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Namespace: namespace, Subsystem: "http", Name: "request_duration_seconds",
			Help:    "Time to answer an HTTP request, by route pattern.",
			Buckets: latencyBuckets,
		}, []string{"route"}),
		payments: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: namespace, Name: "payments_total",
			Help: "Payments moved to a status, by provider instance and status.",
		}, []string{"provider", "status"}),
		providerCalls: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: namespace, Subsystem: "provider", Name: "calls_total",
			Help: "Calls to provider plugins, by provider instance, operation and result (ok or the error kind).",
		}, []string{"provider", "operation", "result"}),
		providerDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Namespace: namespace, Subsystem: "provider", Name: "call_duration_seconds",
			Help:    "Time of one call to a provider plugin, by provider instance and operation.",
			Buckets: latencyBuckets,
		}, []string{"provider", "operation"}),
		webhookDeliveries: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: namespace, Subsystem: "webhook", Name: "deliveries_total",
			Help: "Merchant webhook delivery attempts, by result.",
		}, []string{"result"}),
		plugins: newPluginCollector(),
	}
	m.registry.MustRegister(
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		m.httpRequests, m.httpDuration, m.payments, m.providerCalls, m.providerDuration, m.webhookDeliveries,
		m.plugins,
	)
	return m
}

// Handler serves the registry in the Prometheus exposition formats.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{})
}

// HTTPRequest records one answered request: route is the route pattern
// ("POST /v1/payments/{id}/capture"), never the raw path.
func (m *Metrics) HTTPRequest(route, method string, status int, d time.Duration) {
	if m == nil {
		return
	}
	m.httpRequests.WithLabelValues(route, method, strconv.Itoa(status)).Inc()
	m.httpDuration.WithLabelValues(route).Observe(d.Seconds())
}
