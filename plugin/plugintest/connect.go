package plugintest

import (
	"io"
	"strings"
	"sync"
	"testing"

	"github.com/hashicorp/go-hclog"
	goplugin "github.com/hashicorp/go-plugin"
	"github.com/payhost/payhost/plugin"
)

// Connect serves p in memory through the same gRPC glue as a real plugin
// and returns the host's side of it: every call crosses a real gRPC client
// and server (go-plugin's TestPluginGRPCConn), with the SDK's capability
// checks, panic recovery, redaction and error transport on the way. Only
// the process boundary is missing. Provider logs (plugin.Logger) go to the
// test log. The connection closes when the test ends.
func Connect(t testing.TB, p plugin.Provider) plugin.Provider {
	t.Helper()
	glue := &plugin.GRPCProviderPlugin{Impl: p, Logger: testLogger(t)}
	client, _ := goplugin.TestPluginGRPCConn(t, false, map[string]goplugin.Plugin{plugin.PluginName: glue})
	// Closing the client shuts the server down, as with a real plugin.
	t.Cleanup(func() { _ = client.Close() })
	raw, err := client.Dispense(plugin.PluginName)
	if err != nil {
		t.Fatalf("dispensing %q: %v", plugin.PluginName, err)
	}
	provider, ok := raw.(plugin.Provider)
	if !ok {
		t.Fatalf("dispensed %T, which is not a plugin.Provider", raw)
	}
	return provider
}

// testLogger returns an hclog logger writing to t's log until the test
// ends; later lines (from calls still unwinding) are dropped rather than
// failing the test.
func testLogger(t testing.TB) hclog.Logger {
	w := &testWriter{t: t}
	t.Cleanup(w.close)
	return hclog.New(&hclog.LoggerOptions{Name: "provider", Level: hclog.Trace, Output: w})
}

type testWriter struct {
	mu   sync.Mutex
	t    testing.TB
	done bool
}

var _ io.Writer = (*testWriter)(nil)

func (w *testWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if !w.done {
		w.t.Log(strings.TrimSuffix(string(p), "\n"))
	}
	return len(p), nil
}

func (w *testWriter) close() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.done = true
}
