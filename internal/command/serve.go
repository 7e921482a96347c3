package command

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/hashicorp/go-hclog"

	"github.com/payhost/payhost/internal/config"
)

// defaultShutdownTimeout bounds how long requests in flight may take to
// finish once serve is asked to stop.
const defaultShutdownTimeout = 30 * time.Second

// engine is what serve runs: the payment host, its HTTP API (with
// /healthz, /readyz and /metrics) and its shutdown.
type engine interface {
	Handler() http.Handler
	Close() error
}

// serveOptions are serve's flags.
type serveOptions struct {
	configPath      string
	pluginDir       string
	shutdownTimeout time.Duration
}

// startFunc starts the engine of cfg.
type startFunc func(ctx context.Context, cfg *config.Config, opts serveOptions, logger hclog.Logger) (engine, error)

// serveCommand is payhost serve; serve_host.go registers it with the
// payment host as its engine.
type serveCommand struct {
	Meta
	start startFunc
}

func (c *serveCommand) Synopsis() string {
	return "Run the payment host: HTTP API, callbacks, outbox, reconciler"
}

func (c *serveCommand) Help() string {
	return strings.TrimSpace(`
Usage: payhost serve [-config PATH] [-plugin-dir DIR] [-shutdown-timeout DURATION]

  Runs the payment host: loads the configuration, opens the store,
  launches every provider's plugin (refusing a binary whose checksum
  differs from payhost.lock.hcl), and serves the HTTP API on the payhost
  block's listen address: the merchant API, gateway callbacks, /healthz,
  /readyz and /metrics. It also delivers merchant webhooks and reconciles
  payments left processing or unknown.

  Logs go to stderr, at the payhost block's log_level, as text or JSON
  (log_format). On SIGINT or SIGTERM it stops accepting connections, lets
  the requests in flight finish (up to -shutdown-timeout), then stops the
  plugins, the background work and the store.

  The configuration is checked as payhost validate checks it, provider
  blocks against their plugins' schemas; with errors, they are printed
  the same way and serve exits 1.

Options:

  -config=PATH                Configuration file or directory (default: the current directory).
  -plugin-dir=DIR             Look for plugins here first, instead of the configured plugin_dir.
  -shutdown-timeout=DURATION  How long requests in flight may take to finish on shutdown (default 30s).
`) + "\n"
}

func (c *serveCommand) Run(args []string) int {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(c.Stderr)
	var opts serveOptions
	fs.StringVar(&opts.configPath, "config", ".", "configuration file or directory")
	fs.StringVar(&opts.pluginDir, "plugin-dir", "", "directory searched for plugins first")
	fs.DurationVar(&opts.shutdownTimeout, "shutdown-timeout", defaultShutdownTimeout, "how long requests in flight may take on shutdown")
	if err := fs.Parse(args); err != nil {
		return 1
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(c.Stderr, "payhost serve takes no arguments, got %q\n", fs.Args())
		return 1
	}
	if opts.shutdownTimeout <= 0 {
		fmt.Fprintf(c.Stderr, "-shutdown-timeout must be positive, got %s\n", opts.shutdownTimeout)
		return 1
	}
	cfg, diags := c.loadWithPlugins(opts.configPath, opts.pluginDir)
	if len(diags) > 0 {
		if err := cfg.WriteDiagnostics(c.Stderr, diags, diagnosticsWidth); err != nil {
			fmt.Fprintf(c.Stderr, "Error: %s\n", err)
			return 1
		}
	}
	if diags.HasErrors() {
		return 1
	}
	logger := hclog.New(&hclog.LoggerOptions{
		Name:       "payhost",
		Level:      hclog.LevelFromString(cfg.Host.LogLevel),
		JSONFormat: cfg.Host.LogFormat == "json",
		Output:     c.Stderr,
	})
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := runServe(ctx, cfg, opts, c.start, logger, c.Stdout); err != nil {
		logger.Error("payhost serve failed", "error", err)
		fmt.Fprintf(c.Stderr, "Error: %s\n", err)
		return 1
	}
	return 0
}

// runServe starts the engine, serves its HTTP API until ctx ends, then
// shuts down: no new connections, requests in flight finished (for up to
// opts.shutdownTimeout, then cut), then the engine closed.
func runServe(ctx context.Context, cfg *config.Config, opts serveOptions, start startFunc, logger hclog.Logger, stdout io.Writer) (err error) {
	eng, err := start(ctx, cfg, opts, logger)
	if err != nil {
		return fmt.Errorf("starting the host: %w", err)
	}
	defer func() {
		if cerr := eng.Close(); cerr != nil {
			err = errors.Join(err, fmt.Errorf("stopping the host: %w", cerr))
		}
		logger.Info("stopped")
	}()
	ln, err := net.Listen("tcp", cfg.Host.Listen)
	if err != nil {
		return err
	}
	srv := &http.Server{
		Handler:           eng.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          logger.Named("http").StandardLogger(&hclog.StandardLoggerOptions{InferLevels: true}),
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	addr := ln.Addr().String()
	logger.Info("serving", "address", addr, "public_url", cfg.Host.PublicURL)
	fmt.Fprintf(stdout, "payhost is serving on http://%s (callbacks at %s/v1/callbacks/). Press Ctrl-C to stop.\n", addr, cfg.Host.PublicURL)

	select {
	case <-ctx.Done():
	case err := <-served:
		return fmt.Errorf("serving HTTP: %w", err)
	}
	logger.Info("shutting down: finishing the requests in flight", "timeout", opts.shutdownTimeout)
	shutdownCtx, cancel := context.WithTimeout(context.Background(), opts.shutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		logger.Warn("requests still in flight at the shutdown timeout were cut short", "timeout", opts.shutdownTimeout)
		_ = srv.Close()
	}
	return nil
}
