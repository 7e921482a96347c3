package command

import (
	"context"

	"github.com/hashicorp/cli"
	"github.com/hashicorp/go-hclog"

	"github.com/payhost/payhost/host"
	"github.com/payhost/payhost/internal/config"
)

func init() {
	register("serve", func(m Meta) cli.Command { return &serveCommand{Meta: m, start: startHost} })
}

// startHost starts the payment host of cfg (host.New), whose handler is
// the HTTP API with its metrics.
func startHost(ctx context.Context, cfg *config.Config, opts serveOptions, logger hclog.Logger) (engine, error) {
	h, err := host.New(ctx, host.Options{Config: cfg, PluginDir: opts.pluginDir, Logger: logger})
	if err != nil {
		return nil, err // not a nil *host.Host in a non-nil engine
	}
	return h, nil
}
