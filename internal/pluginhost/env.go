package pluginhost

import (
	"os"
	"strings"
)

// PassEnvEnv names the host's environment variable that lists, comma
// separated, further variables to hand to plugins (a proxy setting a
// gateway needs, say).
const PassEnvEnv = "PAYHOST_PLUGIN_ENV"

// PluginEnvPrefix marks variables that are meant for plugins: every
// variable whose name starts with it reaches them.
const PluginEnvPrefix = "PAYHOST_PLUGIN_"

// systemEnv are the variables a plugin process needs to run and to reach
// its gateway: the search path and home, temporary files, time zone and
// locale, TLS roots, proxies, and the Go runtime's own settings.
var systemEnv = map[string]bool{
	"PATH": true, "HOME": true, "USER": true, "TMPDIR": true, "TZ": true,
	"LANG": true, "LC_ALL": true,
	"SSL_CERT_FILE": true, "SSL_CERT_DIR": true,
	"HTTP_PROXY": true, "HTTPS_PROXY": true, "NO_PROXY": true,
	"http_proxy": true, "https_proxy": true, "no_proxy": true,
	"GODEBUG": true, "GOTRACEBACK": true, "GOMEMLIMIT": true, "GOCOVERDIR": true,
}

// filterEnv keeps, of environ (KEY=VALUE entries), what a plugin may see.
// Everything else stays with the host: a provider's credentials reach its
// plugin through Configure only, so one plugin never sees another's
// secrets, a merchant's API keys or the store's DSN, even when they were
// given to payhost as environment variables for env().
func filterEnv(environ []string) []string {
	pass := map[string]bool{}
	for _, kv := range environ {
		if name, value, _ := strings.Cut(kv, "="); name == PassEnvEnv {
			for _, n := range strings.Split(value, ",") {
				if n = strings.TrimSpace(n); n != "" {
					pass[n] = true
				}
			}
		}
	}
	var out []string
	for _, kv := range environ {
		name, _, _ := strings.Cut(kv, "=")
		if systemEnv[name] || pass[name] || strings.HasPrefix(name, PluginEnvPrefix) {
			out = append(out, kv)
		}
	}
	return out
}

// hostEnv is the host's environment; a variable so that tests can see
// what filterEnv makes of a given one.
var hostEnv = os.Environ
