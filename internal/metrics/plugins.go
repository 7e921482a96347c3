package metrics

import (
	"sync"

	"github.com/prometheus/client_golang/prometheus"
)

// PluginStatus is one provider instance's supervision status, as the host
// reads it from its plugin host (pluginhost.Instance.Status).
type PluginStatus struct {
	// Provider is the instance address, "type.name".
	Provider string
	// Ready reports whether calls go straight through to a running plugin.
	Ready bool
	// Crashes counts the times the plugin was found dead.
	Crashes int
	// Restarts counts the plugins started again after a crash.
	Restarts int
}

// WatchPlugins makes every scrape read the plugins' status from source.
// A later call replaces the source; a nil source reports no plugins.
func (m *Metrics) WatchPlugins(source func() []PluginStatus) {
	if m == nil {
		return
	}
	m.plugins.setSource(source)
}

// pluginCollector reports the plugin series from the status source at
// scrape time.
type pluginCollector struct {
	up, crashes, restarts *prometheus.Desc

	mu     sync.Mutex
	source func() []PluginStatus
}

func newPluginCollector() *pluginCollector {
	labels := []string{"provider"}
	return &pluginCollector{
		up: prometheus.NewDesc(namespace+"_plugin_up",
			"Whether the provider instance's plugin is running and taking calls (1) or not (0).", labels, nil),
		crashes: prometheus.NewDesc(namespace+"_plugin_crashes_total",
			"Times the provider instance's plugin was found dead.", labels, nil),
		restarts: prometheus.NewDesc(namespace+"_plugin_restarts_total",
			"Times the provider instance's plugin was started again after a crash.", labels, nil),
	}
}

func (c *pluginCollector) setSource(source func() []PluginStatus) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.source = source
}

// Describe implements prometheus.Collector.
func (c *pluginCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- c.up
	ch <- c.crashes
	ch <- c.restarts
}

// Collect implements prometheus.Collector.
func (c *pluginCollector) Collect(ch chan<- prometheus.Metric) {
	c.mu.Lock()
	source := c.source
	c.mu.Unlock()
	if source == nil {
		return
	}
	for _, s := range source() {
		up := 0.0
		if s.Ready {
			up = 1
		}
		ch <- prometheus.MustNewConstMetric(c.up, prometheus.GaugeValue, up, s.Provider)
		ch <- prometheus.MustNewConstMetric(c.crashes, prometheus.CounterValue, float64(s.Crashes), s.Provider)
		ch <- prometheus.MustNewConstMetric(c.restarts, prometheus.CounterValue, float64(s.Restarts), s.Provider)
	}
}

var _ prometheus.Collector = (*pluginCollector)(nil)
