package plugin_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashicorp/go-hclog"
	goplugin "github.com/hashicorp/go-plugin"
	"github.com/payhost/payhost/plugin"
)

// servedProvider is what TestServeInAProcess runs as a real plugin: it
// reports its GOMAXPROCS and logs through plugin.Logger.
type servedProvider struct{ plugin.UnimplementedProvider }

func (servedProvider) GetInfo(context.Context, *plugin.GetInfoRequest) (*plugin.GetInfoResponse, error) {
	return &plugin.GetInfoResponse{
		Type: "served", Version: "0.1.0",
		Capabilities: plugin.Capabilities{Operations: []plugin.Operation{plugin.OpGetPayment}},
	}, nil
}

func (servedProvider) GetPayment(ctx context.Context, req *plugin.GetPaymentRequest) (*plugin.GetPaymentResponse, error) {
	plugin.Logger(ctx).Debug("looking up payment", "attempt", req.AttemptID, "key", plugin.NewSecret(testSecret))
	return &plugin.GetPaymentResponse{PaymentResult: plugin.PaymentResult{
		Status:         plugin.StatusProcessing,
		ProviderStatus: fmt.Sprintf("gomaxprocs=%d", runtime.GOMAXPROCS(0)),
	}}, nil
}

const servePluginEnv = "PAYHOST_TEST_RUN_AS_PLUGIN"

// TestServeInAProcess launches this test binary as a plugin (it calls
// plugin.Serve when servePluginEnv is set) through go-plugin's client,
// exactly as the host does, and talks to it.
func TestServeInAProcess(t *testing.T) {
	if os.Getenv(servePluginEnv) == "1" {
		plugin.Serve(servedProvider{})
		return
	}
	if testing.Short() {
		t.Skip("launches a process")
	}
	var hostLog syncBuffer
	cmd := exec.Command(os.Args[0], "-test.run=^TestServeInAProcess$")
	cmd.Env = append(os.Environ(), servePluginEnv+"=1", plugin.EnvGOMAXPROCS+"=1", plugin.EnvLogLevel+"=debug")
	client := goplugin.NewClient(&goplugin.ClientConfig{
		HandshakeConfig:  plugin.Handshake,
		VersionedPlugins: plugin.HostPluginSets(),
		Cmd:              cmd,
		AllowedProtocols: []goplugin.Protocol{goplugin.ProtocolGRPC},
		AutoMTLS:         true,
		Logger:           hclog.New(&hclog.LoggerOptions{Name: "host", Output: &hostLog, Level: hclog.Debug}),
	})
	defer client.Kill()
	rpc, err := client.Client()
	if err != nil {
		t.Fatal(err)
	}
	if v := client.NegotiatedVersion(); v != plugin.ProtocolVersion {
		t.Errorf("negotiated protocol %d, want %d", v, plugin.ProtocolVersion)
	}
	raw, err := rpc.Dispense(plugin.PluginName)
	if err != nil {
		t.Fatal(err)
	}
	p := raw.(plugin.Provider)

	resp, err := p.GetPayment(context.Background(), &plugin.GetPaymentRequest{PaymentRef: plugin.PaymentRef{AttemptID: "att_7"}})
	if err != nil {
		t.Fatal(err)
	}
	if resp.ProviderStatus != "gomaxprocs=1" {
		t.Errorf("plugin ran with %s, want %s=1 honoured", resp.ProviderStatus, plugin.EnvGOMAXPROCS)
	}
	if _, err := p.Void(context.Background(), &plugin.VoidRequest{}); plugin.KindOf(err) != plugin.KindUnsupported {
		t.Errorf("Void: got %v, want unsupported", err)
	}
	client.Kill()

	// The plugin's JSON log line arrives in the host's log as fields.
	logged := hostLog.String()
	if !strings.Contains(logged, "looking up payment:") || !strings.Contains(logged, "rpc=GetPayment") || !strings.Contains(logged, "attempt=att_7") {
		t.Errorf("host log lacks the plugin's structured line:\n%s", logged)
	}
	if strings.Contains(logged, testSecret) {
		t.Errorf("host log has the secret:\n%s", logged)
	}
}

func TestServeRefusesToRunByHand(t *testing.T) {
	if os.Getenv(servePluginEnv) == "bare" {
		os.Unsetenv(plugin.Handshake.MagicCookieKey)
		plugin.Serve(servedProvider{})
		return
	}
	if testing.Short() {
		t.Skip("launches a process")
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestServeRefusesToRunByHand$")
	cmd.Env = append(os.Environ(), servePluginEnv+"=bare")
	out, err := cmd.CombinedOutput()
	if code := cmd.ProcessState.ExitCode(); err == nil || code != 1 {
		t.Errorf("exit code %d (%v), want 1", code, err)
	}
	if !strings.Contains(string(out), "This binary is a plugin") {
		t.Errorf("output does not explain itself:\n%s", out)
	}
}

func TestPluginLoggerLevelAndFormat(t *testing.T) {
	tests := []struct {
		level     string
		wantDebug bool
		wantWarn  bool // about the level itself
	}{
		{"", false, false},
		{"info", false, false},
		{"debug", true, false},
		{"TRACE", true, false},
		{"loud", false, true},
	}
	for _, tt := range tests {
		t.Run(tt.level, func(t *testing.T) {
			var buf bytes.Buffer
			logger := plugin.NewPluginLogger(&buf, tt.level)
			logger.Debug("debug line")
			logger.Info("info line", "attempt", "att_1")

			var lines []map[string]any
			for _, l := range strings.Split(strings.TrimSpace(buf.String()), "\n") {
				var m map[string]any
				if err := json.Unmarshal([]byte(l), &m); err != nil {
					t.Fatalf("not a JSON line: %q", l)
				}
				lines = append(lines, m)
			}
			has := func(msg string) bool {
				for _, l := range lines {
					if l["@message"] == msg {
						return true
					}
				}
				return false
			}
			if has("debug line") != tt.wantDebug {
				t.Errorf("debug line logged = %v, want %v", !tt.wantDebug, tt.wantDebug)
			}
			if has("unknown log level; using info") != tt.wantWarn {
				t.Errorf("warning about the level = %v, want %v", !tt.wantWarn, tt.wantWarn)
			}
			if !has("info line") {
				t.Error("info line missing")
			}
		})
	}
}

func TestSetGOMAXPROCS(t *testing.T) {
	before := runtime.GOMAXPROCS(0)
	t.Cleanup(func() { runtime.GOMAXPROCS(before) })
	tests := []struct {
		value    string
		want     int
		wantWarn bool
	}{
		{"", before, false},
		{"1", 1, false},
		{" 2 ", 2, false},
		{"0", 2, true}, // unchanged from the row above
		{"-1", 2, true},
		{"many", 2, true},
	}
	for _, tt := range tests {
		var buf bytes.Buffer
		plugin.SetGOMAXPROCS(tt.value, hclog.New(&hclog.LoggerOptions{Output: &buf}))
		if got := runtime.GOMAXPROCS(0); got != tt.want {
			t.Errorf("%q: GOMAXPROCS = %d, want %d", tt.value, got, tt.want)
		}
		if warned := strings.Contains(buf.String(), "not a positive number"); warned != tt.wantWarn {
			t.Errorf("%q: warned = %v, want %v", tt.value, warned, tt.wantWarn)
		}
	}
}

func TestWatchParentExitsWhenTheHostIsGone(t *testing.T) {
	const host = 4242
	var polls, exits atomic.Int32
	getppid := func() int {
		if polls.Add(1) <= 3 {
			return host
		}
		return 1 // re-parented to init
	}
	done := make(chan struct{})
	go func() {
		plugin.WatchParent(host, getppid, time.Millisecond, func() { exits.Add(1) })
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("watchdog did not notice the host was gone")
	}
	if polls.Load() != 4 || exits.Load() != 1 {
		t.Errorf("polls=%d exits=%d; want exit exactly once, on the first poll that saw another parent", polls.Load(), exits.Load())
	}
}

func TestHandshakeAndPluginSets(t *testing.T) {
	if plugin.Handshake.ProtocolVersion != plugin.ProtocolVersion || plugin.Handshake.MagicCookieKey != "PAYHOST_PLUGIN_MAGIC_COOKIE" || len(plugin.Handshake.MagicCookieValue) < 32 {
		t.Errorf("handshake %+v", plugin.Handshake)
	}
	sets := plugin.HostPluginSets()
	if _, ok := sets[plugin.ProtocolVersion][plugin.PluginName].(goplugin.GRPCPlugin); !ok {
		t.Errorf("host plugin sets %v lack a gRPC %q at version %d", sets, plugin.PluginName, plugin.ProtocolVersion)
	}
	cfg := plugin.ServeConfig(servedProvider{}, hclog.NewNullLogger())
	glue, ok := cfg.VersionedPlugins[plugin.ProtocolVersion][plugin.PluginName].(*plugin.GRPCProviderPlugin)
	if !ok || glue.Impl == nil || cfg.GRPCServer == nil || cfg.HandshakeConfig != plugin.Handshake {
		t.Errorf("serve config %+v does not serve the provider over gRPC with the handshake", cfg)
	}
}
