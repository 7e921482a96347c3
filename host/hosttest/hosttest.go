// Package hosttest helps tests run a host (package host) over real
// provider plugins: it installs the test plugins and locks them as
// `payhost init` does, so that host.New launches them as it launches any
// plugin, checksums enforced.
//
// The plugins are test providers that fail on demand (see
// internal/faultprovider): "fault", the fault gateway, and "callback", the
// fault gateway with gateway callbacks and card tokens
// (host/internal/callbackprovider). Each binary is built once per test
// process; call faultprovider.RemoveBuilds from TestMain.
package hosttest

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/payhost/payhost/host/internal/callbackprovider"
	"github.com/payhost/payhost/internal/faultprovider"
	"github.com/payhost/payhost/internal/pluginhost"
	"github.com/payhost/payhost/plugin"
	"github.com/payhost/payhost/plugin/plugintest"
)

// Provider types of the test plugins.
const (
	Fault    = "fault"
	Callback = "callback"
)

// Plugins returns a new directory, removed when the test ends, holding
// the test plugins of the given types (Fault, Callback).
func Plugins(t testing.TB, types ...string) string {
	t.Helper()
	dir := t.TempDir()
	for _, typ := range types {
		var bin string
		switch typ {
		case Fault:
			bin = filepath.Join(faultprovider.Build(t), faultprovider.BinaryName)
		case Callback:
			bin = plugintest.BuildPlugin(t, callbackprovider.MainPackage)
		default:
			t.Fatalf("hosttest: no test plugin of type %q", typ)
		}
		link := filepath.Join(dir, pluginhost.BinaryName(typ))
		if _, err := os.Lstat(link); err == nil {
			continue
		}
		if err := os.Symlink(bin, link); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// Lock writes configDir's lock file (payhost.lock.hcl) with the checksum
// of every plugin in pluginDir, as payhost init does.
func Lock(t testing.TB, configDir, pluginDir string) {
	t.Helper()
	plugins, err := pluginhost.FindAll([]string{pluginDir})
	if err != nil {
		t.Fatal(err)
	}
	lock := &pluginhost.LockFile{}
	for _, p := range plugins {
		sum, err := pluginhost.Checksum(p.Path)
		if err != nil {
			t.Fatal(err)
		}
		lock.Set(pluginhost.LockedProvider{Type: p.Type, Version: faultprovider.Version, Protocol: plugin.ProtocolVersion, SHA256: sum})
	}
	if _, err := pluginhost.WriteLockFile(filepath.Join(configDir, pluginhost.LockFileName), lock); err != nil {
		t.Fatal(err)
	}
}
