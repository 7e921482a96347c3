package plugin

import (
	"io"
	"os"
	"runtime"
	"strconv"
	"strings"

	"github.com/hashicorp/go-hclog"
	goplugin "github.com/hashicorp/go-plugin"
)

// The environment a plugin reads, set by the host when it launches it.
const (
	// EnvLogLevel is the plugin's log level: trace, debug, info (the
	// default), warn or error.
	EnvLogLevel = "PAYHOST_LOG_LEVEL"
	// EnvGOMAXPROCS, when set to a positive number, is the plugin's
	// GOMAXPROCS, so that the host can share the machine's cores among its
	// plugins.
	EnvGOMAXPROCS = "PAYHOST_PLUGIN_GOMAXPROCS"
)

// Serve runs p as a payhost provider plugin until the host is done with it.
// It is the only call a provider's main makes:
//
//	func main() {
//		plugin.Serve(myprovider.New())
//	}
//
// Serve speaks the go-plugin handshake and the payhost.provider.v1 gRPC
// protocol, logs in hclog's JSON format to stderr (which the host shows as
// structured fields, level from PAYHOST_LOG_LEVEL), honours
// PAYHOST_PLUGIN_GOMAXPROCS, and exits on its own when the host process
// dies. Started by hand rather than by payhost, it says so and exits with
// status 1.
func Serve(p Provider) {
	logger := newPluginLogger(os.Stderr, os.Getenv(EnvLogLevel))
	setGOMAXPROCS(os.Getenv(EnvGOMAXPROCS), logger)
	go watchParent(os.Getppid(), os.Getppid, parentPollInterval, func() {
		logger.Warn("host process is gone; plugin exiting")
		os.Exit(0)
	})
	goplugin.Serve(serveConfig(p, logger))
}

// serveConfig is the go-plugin configuration Serve runs with.
func serveConfig(p Provider, logger hclog.Logger) *goplugin.ServeConfig {
	return &goplugin.ServeConfig{
		HandshakeConfig:  Handshake,
		VersionedPlugins: pluginSets(&GRPCProviderPlugin{Impl: p, Logger: logger}),
		GRPCServer:       newTransportServer,
		Logger:           logger,
	}
}

// newPluginLogger returns the JSON logger a plugin writes to w, at the
// named level (info when empty; an unknown name is reported and ignored).
func newPluginLogger(w io.Writer, level string) hclog.Logger {
	lvl := hclog.Info
	unknown := false
	if level != "" {
		if lvl = hclog.LevelFromString(level); lvl == hclog.NoLevel {
			lvl, unknown = hclog.Info, true
		}
	}
	logger := hclog.New(&hclog.LoggerOptions{
		Level:      lvl,
		Output:     w,
		JSONFormat: true,
	})
	if unknown {
		logger.Warn("unknown log level; using info", "env", EnvLogLevel, "value", level)
	}
	return logger
}

// setGOMAXPROCS applies the value of PAYHOST_PLUGIN_GOMAXPROCS when it is
// a positive number and reports any other non-empty value.
func setGOMAXPROCS(value string, logger hclog.Logger) {
	if value == "" {
		return
	}
	n, err := strconv.Atoi(strings.TrimSpace(value))
	if err != nil || n < 1 {
		logger.Warn("ignoring GOMAXPROCS setting: not a positive number", "env", EnvGOMAXPROCS, "value", value)
		return
	}
	runtime.GOMAXPROCS(n)
}
