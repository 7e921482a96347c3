package pluginhost_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/payhost/payhost/internal/config"
	"github.com/payhost/payhost/internal/faultprovider"
	"github.com/payhost/payhost/internal/pluginhost"
)

var _ config.SchemaSource = (*pluginhost.Catalog)(nil)

// installCat installs the fault plugin as provider type "cat" in a
// directory of its own, and returns the directory, the binary and its
// checksum.
func installCat(t *testing.T) (dir, path string, sum []byte) {
	t.Helper()
	dir = t.TempDir()
	path = faultprovider.Install(t, dir, "cat")
	sum, err := pluginhost.Checksum(path)
	if err != nil {
		t.Fatal(err)
	}
	return dir, path, sum
}

// TestCatalog reads a plugin's info once, with the checksum of the binary
// that answered, and reports types it cannot find.
func TestCatalog(t *testing.T) {
	dir, path, sum := installCat(t)
	h, _ := newHost(t, pluginhost.Options{})
	c := pluginhost.NewCatalog(h, []string{dir}, nil)

	info, err := c.Info(context.Background(), "cat")
	if err != nil {
		t.Fatal(err)
	}
	if info.Type != "cat" || info.Version != faultprovider.Version || info.Protocol != 1 || info.Plugin.Path != path || !bytes.Equal(info.Plugin.Checksum, sum) {
		t.Errorf("Info = %+v", info)
	}
	// The answer is cached: the plugin is not started again.
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	if got, err := c.ProviderInfo("cat"); err != nil || got.Version != faultprovider.Version {
		t.Errorf("ProviderInfo after the binary is gone = %+v, %v; want the cached info", got, err)
	}
	var nf *pluginhost.NotFoundError
	if _, err := c.ProviderInfo("absent"); !errors.As(err, &nf) {
		t.Errorf("ProviderInfo(absent) = %v, want a NotFoundError", err)
	}
}

// TestCatalogLocked: with a lock file, the catalog starts only the
// binaries it locks; any other is refused before it runs.
func TestCatalogLocked(t *testing.T) {
	dir, path, sum := installCat(t)
	h, _ := newHost(t, pluginhost.Options{})
	locked := &pluginhost.LockFile{}
	locked.Set(pluginhost.LockedProvider{Type: "cat", Version: faultprovider.Version, Protocol: 1, SHA256: sum})
	if info, err := pluginhost.NewCatalog(h, []string{dir}, locked).Info(t.Context(), "cat"); err != nil || info.Version != faultprovider.Version {
		t.Fatalf("Info of the locked binary = %+v, %v", info, err)
	}

	// Another binary in its place: a script that leaves a mark when run.
	mark := filepath.Join(t.TempDir(), "ran")
	if err := os.WriteFile(path, []byte("#!/bin/sh\ntouch "+mark+"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	var ce *pluginhost.ChecksumError
	if _, err := pluginhost.NewCatalog(h, []string{dir}, locked).Info(t.Context(), "cat"); !errors.As(err, &ce) || !bytes.Equal(ce.Want, sum) {
		t.Errorf("Info of a changed binary = %v, want a *ChecksumError expecting the locked checksum", err)
	}
	var ne *pluginhost.NotLockedError
	if _, err := pluginhost.NewCatalog(h, []string{dir}, &pluginhost.LockFile{}).Info(t.Context(), "cat"); !errors.As(err, &ne) || ne.Path != path {
		t.Errorf("Info of an unlocked type = %v, want a *NotLockedError naming %s", err, path)
	}
	if _, err := os.Stat(mark); err == nil {
		t.Errorf("the catalog ran a binary the lock file does not allow")
	}
}

// TestLaunchTwiceIsRefused checks that an instance address runs once at a
// time.
func TestLaunchTwiceIsRefused(t *testing.T) {
	h, _ := newHost(t, pluginhost.Options{})
	first := launch(t, h, faultPlugin(t))
	if _, err := h.Launch(context.Background(), faultPlugin(t), "test"); err == nil {
		t.Fatalf("a second fault.test was launched")
	}
	if got := h.Instances(); len(got) != 1 || got[0] != first {
		t.Errorf("Instances = %v, want the first instance only", got)
	}
	// Once closed, the address can be launched again.
	first.Close()
	if got := h.Instances(); len(got) != 0 {
		t.Errorf("Instances after Close = %v", got)
	}
	again := launch(t, h, faultPlugin(t))
	if again == first || !again.Ready() {
		t.Errorf("relaunch = %+v", again.Status())
	}
}
