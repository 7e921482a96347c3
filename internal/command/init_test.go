package command

import (
	"bytes"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/payhost/payhost/internal/faultprovider"
	"github.com/payhost/payhost/internal/pluginhost"
)

func hexString(b []byte) string { return hex.EncodeToString(b) }

// readLock reads the workspace's lock file, its bytes and its file info.
func readLock(t *testing.T, dir string) (*pluginhost.LockFile, []byte, os.FileInfo) {
	t.Helper()
	path := filepath.Join(dir, pluginhost.LockFileName)
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	l, err := pluginhost.ReadLockFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return l, b, fi
}

// wantLocked fails unless the lock holds the binary of typ in dir.
func wantLocked(t *testing.T, l *pluginhost.LockFile, dir, typ string) {
	t.Helper()
	sum, err := pluginhost.Checksum(filepath.Join(dir, "bin", "payhost-provider-"+typ))
	if err != nil {
		t.Fatal(err)
	}
	p, ok := l.Provider(typ)
	if !ok || p.Version != faultprovider.Version || p.Protocol != 1 || !bytes.Equal(p.SHA256, sum) {
		t.Errorf("lock of %s = %+v, %v; want version %s, protocol 1, sha256 %x", typ, p, ok, faultprovider.Version, sum)
	}
}

func TestInit(t *testing.T) {
	dir := pluginWorkspace(t, testConfig, "fault", "spare", "unused")

	code, out, errOut := run(t, "init", "-config", dir)
	if code != 0 || errOut != "" {
		t.Fatalf("first init: exit %d, stderr:\n%s", code, errOut)
	}
	if !strings.Contains(out, "fault v0.1.0 (plugin protocol 1)") || !strings.Contains(out, "Wrote ") {
		t.Errorf("first init output:\n%s", out)
	}
	lock, first, firstInfo := readLock(t, dir)
	wantLocked(t, lock, dir, "fault")
	wantLocked(t, lock, dir, "spare")
	if len(lock.Providers()) != 2 {
		t.Errorf("lock holds %d providers, want the 2 declared", len(lock.Providers()))
	}

	// Again with the same binaries: nothing changes, not even the file.
	code, out, _ = run(t, "init", "-config", dir)
	if code != 0 || !strings.Contains(out, "up to date; nothing changed") || strings.Count(out, ": unchanged") != 2 {
		t.Errorf("second init: exit %d, output:\n%s", code, out)
	}
	_, second, secondInfo := readLock(t, dir)
	if !bytes.Equal(first, second) || !os.SameFile(firstInfo, secondInfo) {
		t.Errorf("second init rewrote the lock file")
	}

	// An upgraded binary is locked anew.
	f, err := os.OpenFile(filepath.Join(dir, "bin", "payhost-provider-spare"), os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString("upgraded")
	f.Close()
	code, out, _ = run(t, "init", "-config", dir)
	if code != 0 || !strings.Contains(out, "spare v0.1.0 (plugin protocol 1) at") || !strings.Contains(out, "updated from v0.1.0") {
		t.Errorf("init after an upgrade: exit %d, output:\n%s", code, out)
	}
	lock, _, _ = readLock(t, dir)
	wantLocked(t, lock, dir, "spare")

	// A provider type no longer declared leaves the lock file.
	config := strings.Replace(testConfig, `provider "spare" "one" {`, `provider "fault" "third" {`, 1)
	if err := os.WriteFile(filepath.Join(dir, "main.hcl"), []byte(config), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, _ = run(t, "init", "-config", dir)
	if code != 0 || !strings.Contains(out, "- spare: removed") {
		t.Errorf("init after removing a provider: exit %d, output:\n%s", code, out)
	}
	if lock, _, _ = readLock(t, dir); len(lock.Providers()) != 1 {
		t.Errorf("lock after removing spare = %+v", lock.Providers())
	}
}

func TestInitWritesNothingWhenAPluginIsMissing(t *testing.T) {
	dir := pluginWorkspace(t, testConfig, "fault")
	code, _, errOut := run(t, "init", "-config", dir)
	if code != 1 || !strings.Contains(errOut, "payhost-provider-spare") || !strings.Contains(errOut, "was not written") {
		t.Errorf("exit %d, stderr:\n%s", code, errOut)
	}
	if _, err := os.Stat(filepath.Join(dir, pluginhost.LockFileName)); !os.IsNotExist(err) {
		t.Errorf("a lock file was written: %v", err)
	}
}
