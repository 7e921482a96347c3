package redotpay

import (
	"testing"

	"github.com/payhost/payhost/plugin"
	"github.com/payhost/payhost/plugin/plugintest"
)

// pluginPackage is the provider's main package, built into a real plugin
// binary by the conformance tests.
const pluginPackage = "github.com/payhost/payhost/plugins/redotpay/cmd/payhost-provider-redotpay"

// conformanceSuites are the instances the conformance suite runs against:
// each protocol, the seed protocol's orders and cards separately (its card
// API has no status query and no callbacks, so a Driver of one kind of
// payment cannot play every scenario of an instance taking both), and the
// seed protocol with every method for the checks that need no payment.
var conformanceSuites = []struct {
	name   string
	config func(t *testing.T, e *emu) map[string]any
	method plugin.PaymentMethod // "" runs without a Driver
}{
	{"connect", func(t *testing.T, e *emu) map[string]any { return e.connect(t, nil) }, plugin.MethodWallet},
	{"connect_qr", func(t *testing.T, e *emu) map[string]any {
		return e.connect(t, map[string]any{"methods": []string{"qr"}})
	}, plugin.MethodQR},
	{"seed_orders", func(t *testing.T, e *emu) map[string]any {
		return e.seed(map[string]any{"methods": []string{"wallet", "qr"}})
	}, plugin.MethodWallet},
	{"seed_cards", func(t *testing.T, e *emu) map[string]any {
		return e.seed(map[string]any{"methods": []string{"card"}})
	}, plugin.MethodCard},
	{"seed_all_methods", func(t *testing.T, e *emu) map[string]any { return e.seed(nil) }, ""},
}

// TestConformanceInMemory runs the suite through the SDK's gRPC glue in
// memory.
func TestConformanceInMemory(t *testing.T) {
	for _, s := range conformanceSuites {
		t.Run(s.name, func(t *testing.T) {
			runConformance(t, s.config, s.method, plugintest.Connect(t, New()))
		})
	}
}

// TestConformanceBinary runs the suite against the provider as a real
// plugin binary, launched over go-plugin with AutoMTLS as the host does,
// logging at trace level.
func TestConformanceBinary(t *testing.T) {
	bin := plugintest.BuildPlugin(t, pluginPackage)
	for _, s := range conformanceSuites {
		t.Run(s.name, func(t *testing.T) {
			runConformance(t, s.config, s.method, plugintest.Launch(t, bin, plugin.EnvLogLevel+"=trace"))
		})
	}
}

func runConformance(t *testing.T, config func(*testing.T, *emu) map[string]any, method plugin.PaymentMethod, p plugin.Provider) {
	e := startEmulator(t)
	suite := plugintest.Suite{Provider: p, Config: mustConfig(t, config(t, e))}
	if method != "" {
		suite.Driver = driver{emu: e, method: method}
	}
	plugintest.RunConformance(t, suite)
}
