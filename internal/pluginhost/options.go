package pluginhost

import (
	"os"
	"strconv"
	"time"

	"github.com/hashicorp/go-hclog"
)

// Environment variables the host sets for every plugin it launches.
const (
	// GOMAXPROCSEnv sets the plugin's GOMAXPROCS (read by plugin.Serve).
	GOMAXPROCSEnv = "PAYHOST_PLUGIN_GOMAXPROCS"
	// LogLevelEnv sets the plugin's log level (read by plugin.Serve).
	LogLevelEnv = "PAYHOST_LOG_LEVEL"
)

// Defaults of Options.
const (
	DefaultStartTimeout    = 5 * time.Second
	DefaultCallTimeout     = 30 * time.Second
	DefaultMinRestartDelay = 100 * time.Millisecond
	DefaultMaxRestartDelay = 30 * time.Second
	// DefaultPluginGOMAXPROCS is the GOMAXPROCS plugins run with unless told
	// otherwise. A plugin is a translator that mostly waits on the network:
	// one P serves it with the lowest latency and a small footprint, and
	// leaves the other cores to the host (see BenchmarkCreatePayment).
	DefaultPluginGOMAXPROCS = 1
)

const (
	// healthTimeout bounds the health check that decides whether a plugin
	// survived a failed call.
	healthTimeout = 2 * time.Second
	// stopTimeout bounds go-plugin's graceful stop of a plugin (it waits up
	// to 2s for the plugin to exit) before the process is killed outright.
	stopTimeout = 5 * time.Second
)

// Options configure how a Host launches and supervises plugins. Every zero
// field takes the default its comment names.
type Options struct {
	// Logger receives the host's messages about plugins and, as structured
	// fields, each plugin's own log, under the name "plugin.<type>.<name>".
	// Plugins log at this logger's level. Default: no logging.
	Logger hclog.Logger
	// StartTimeout bounds a launch up to the plugin's completed handshake.
	// Default DefaultStartTimeout.
	StartTimeout time.Duration
	// CallTimeout bounds every call to a plugin, including the time spent
	// waiting for a restarting plugin. Default DefaultCallTimeout.
	CallTimeout time.Duration
	// DisableAutoMTLS turns off the mutual TLS that authenticates the host
	// and each plugin to each other. Only for measuring its cost.
	DisableAutoMTLS bool
	// PluginGOMAXPROCS is the GOMAXPROCS plugins run with. Default: the
	// value of $PAYHOST_PLUGIN_GOMAXPROCS when set, else
	// DefaultPluginGOMAXPROCS.
	PluginGOMAXPROCS int
	// MinRestartDelay and MaxRestartDelay bound the exponential backoff
	// between attempts to restart a plugin that exited. The delay starts
	// at MinRestartDelay, doubles after each failed attempt up to
	// MaxRestartDelay, and starts over once a plugin has run longer than
	// MaxRestartDelay. Defaults DefaultMinRestartDelay and
	// DefaultMaxRestartDelay.
	MinRestartDelay time.Duration
	MaxRestartDelay time.Duration
}

// withDefaults returns o with every zero field set to its default.
func (o Options) withDefaults() Options {
	if o.Logger == nil {
		o.Logger = hclog.NewNullLogger()
	}
	if o.StartTimeout <= 0 {
		o.StartTimeout = DefaultStartTimeout
	}
	if o.CallTimeout <= 0 {
		o.CallTimeout = DefaultCallTimeout
	}
	if o.PluginGOMAXPROCS <= 0 {
		o.PluginGOMAXPROCS = DefaultPluginGOMAXPROCS
		if n, err := strconv.Atoi(os.Getenv(GOMAXPROCSEnv)); err == nil && n > 0 {
			o.PluginGOMAXPROCS = n
		}
	}
	if o.MinRestartDelay <= 0 {
		o.MinRestartDelay = DefaultMinRestartDelay
	}
	if o.MaxRestartDelay <= 0 {
		o.MaxRestartDelay = DefaultMaxRestartDelay
	}
	if o.MaxRestartDelay < o.MinRestartDelay {
		o.MaxRestartDelay = o.MinRestartDelay
	}
	return o
}

// pluginEnv returns the environment of a plugin process: what filterEnv
// keeps of the host's, then the settings above, which win over the host's
// own values. Plugins log at the host logger's level.
func (o Options) pluginEnv() []string {
	env := append(filterEnv(hostEnv()), GOMAXPROCSEnv+"="+strconv.Itoa(o.PluginGOMAXPROCS))
	level := o.Logger.GetLevel()
	if level == hclog.NoLevel { // a null logger: nothing would be seen
		level = hclog.Off
	}
	return append(env, LogLevelEnv+"="+level.String())
}
