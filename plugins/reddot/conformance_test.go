package reddot

import (
	"strings"
	"testing"

	"github.com/payhost/payhost/plugin"
	"github.com/payhost/payhost/plugin/plugintest"
)

// The conformance suite, with its token scenarios, against the emulator:
// in memory (plugintest.Connect) and as a real plugin binary over
// go-plugin, each with the customer on RDP's hosted pages and with card
// data. Everything the plugin, the host side and the emulator log is
// scanned for secrets, card numbers and CVVs.

// pluginPackage is the provider's plugin main package.
const pluginPackage = "github.com/payhost/payhost/plugins/reddot/cmd/payhost-provider-reddot"

// driverModes are the two ways the Driver plays the customer.
var driverModes = []struct {
	name   string
	direct bool
}{{"hosted", false}, {"direct", true}}

func TestConformanceInMemory(t *testing.T) {
	for _, mode := range driverModes {
		t.Run(mode.name, func(t *testing.T) {
			runConformance(t, mode.direct, func(c *capture) plugin.Provider { return plugintest.Connect(c, New()) })
		})
	}
}

func TestConformanceRealPlugin(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and launches the plugin binary")
	}
	bin := plugintest.BuildPlugin(t, pluginPackage)
	for _, mode := range driverModes {
		t.Run(mode.name, func(t *testing.T) {
			runConformance(t, mode.direct, func(c *capture) plugin.Provider {
				return plugintest.Launch(c, bin, plugin.EnvLogLevel+"=trace")
			})
		})
	}
}

// runConformance runs the suite against the provider start returns, then
// scans what was logged.
func runConformance(t *testing.T, direct bool, start func(*capture) plugin.Provider) {
	c := newCapture(t)
	emu := startEmulator(t, c)
	d := newDriver(emu, direct)
	plugintest.RunConformance(t, plugintest.Suite{
		Provider: start(c),
		Config:   newConfig(t, configValues(emu.url), nil),
		Driver:   d,
	})
	if !strings.Contains(c.text(), "RDP answered") {
		t.Error("the provider's log was not captured; the leak scan did not see it")
	}
	checkNoLeaks(t, c, d.cards())
}
