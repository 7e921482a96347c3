package command

import (
	"context"

	"github.com/hashicorp/cli"
	"github.com/hashicorp/go-hclog"

	"github.com/payhost/payhost/host"
	"github.com/payhost/payhost/internal/config"
	"github.com/payhost/payhost/internal/metrics"
)

func init() {
	register("serve", func(m Meta) cli.Command { return &serveCommand{Meta: m, start: startHost} })
}

// startHost starts the payment host of cfg (host.New), with m as its
// Observer and its plugins' status on /metrics.
func startHost(ctx context.Context, cfg *config.Config, opts serveOptions, logger hclog.Logger, m *metrics.Metrics) (engine, error) {
	h, err := host.New(ctx, host.Options{Config: cfg, PluginDir: opts.pluginDir, Logger: logger, Observer: m})
	if err != nil {
		return nil, err
	}
	m.WatchPlugins(func() []metrics.PluginStatus {
		providers := h.Providers()
		out := make([]metrics.PluginStatus, len(providers))
		for i, p := range providers {
			out[i] = metrics.PluginStatus{Provider: p.Provider, Ready: p.Ready, Crashes: p.Crashes, Restarts: p.Restarts}
		}
		return out
	})
	return h, nil
}
