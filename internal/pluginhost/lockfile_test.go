package pluginhost_test

import (
	"bytes"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/payhost/payhost/internal/pluginhost"
)

const goldenLockFile = "testdata/payhost.lock.hcl"

func mustHex(t *testing.T, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// goldenLocks are the providers of testdata/payhost.lock.hcl, set in
// reverse order to show that the output is sorted.
func goldenLocks(t *testing.T) *pluginhost.LockFile {
	t.Helper()
	l := &pluginhost.LockFile{}
	l.Set(pluginhost.LockedProvider{Type: "reddot", Version: "1.2.3-beta.1", Protocol: 1,
		SHA256: mustHex(t, "60303ae22b998861bce3b28f33eec1be758a213c86c93c076dbe9f558c11c752")})
	l.Set(pluginhost.LockedProvider{Type: "appotapay", Version: "0.1.0", Protocol: 1,
		SHA256: mustHex(t, "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08")})
	return l
}

func TestLockFileBytesGolden(t *testing.T) {
	want, err := os.ReadFile(goldenLockFile)
	if err != nil {
		t.Fatal(err)
	}
	if got := goldenLocks(t).Bytes(); !bytes.Equal(got, want) {
		t.Errorf("Bytes:\n%s\nwant (%s):\n%s", got, goldenLockFile, want)
	}
}

func TestReadLockFileRoundTrip(t *testing.T) {
	l, err := pluginhost.ReadLockFile(goldenLockFile)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := l.Bytes(), goldenLocks(t).Bytes(); !bytes.Equal(got, want) {
		t.Errorf("read back:\n%s\nwant:\n%s", got, want)
	}
	p, ok := l.Provider("reddot")
	if !ok || p.Version != "1.2.3-beta.1" || p.Protocol != 1 || hex.EncodeToString(p.SHA256) != "60303ae22b998861bce3b28f33eec1be758a213c86c93c076dbe9f558c11c752" {
		t.Errorf("Provider(reddot) = %+v, %v", p, ok)
	}
}

func TestReadLockFileMissingIsEmpty(t *testing.T) {
	l, err := pluginhost.ReadLockFile(filepath.Join(t.TempDir(), pluginhost.LockFileName))
	if err != nil || len(l.Providers()) != 0 {
		t.Fatalf("ReadLockFile(missing) = %+v, %v; want an empty lock file", l, err)
	}
}

func TestWriteLockFileOnlyWhenChanged(t *testing.T) {
	path := filepath.Join(t.TempDir(), pluginhost.LockFileName)
	l := goldenLocks(t)
	if changed, err := pluginhost.WriteLockFile(path, l); err != nil || !changed {
		t.Fatalf("first write: changed=%v, err=%v; want a write", changed, err)
	}
	first, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	// A rewrite replaces the file with a new one, which os.SameFile sees.
	before, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	reread, err := pluginhost.ReadLockFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if changed, err := pluginhost.WriteLockFile(path, reread); err != nil || changed {
		t.Fatalf("second write: changed=%v, err=%v; want no write", changed, err)
	}
	after, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	second, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(first, second) || !os.SameFile(before, after) {
		t.Errorf("the unchanged lock file was rewritten")
	}

	l.Set(pluginhost.LockedProvider{Type: "appotapay", Version: "0.2.0", Protocol: 1, SHA256: make([]byte, 32)})
	if changed, err := pluginhost.WriteLockFile(path, l); err != nil || !changed {
		t.Fatalf("write after a change: changed=%v, err=%v; want a write", changed, err)
	}
	if got, _ := os.ReadFile(path); !strings.Contains(string(got), `version  = "0.2.0"`) {
		t.Errorf("lock file after the change:\n%s", got)
	}
}

func TestReadLockFileErrors(t *testing.T) {
	const sum = `"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"`
	tests := []struct {
		name, src, want string
	}{
		{"duplicate", `provider "a" {
  version = "1"
  protocol = 1
  sha256 = ` + sum + `
}
provider "a" {
  version = "2"
  protocol = 1
  sha256 = ` + sum + `
}`, "Duplicate provider lock"},
		{"short checksum", `provider "a" {
  version = "1"
  protocol = 1
  sha256 = "9f86"
}`, "Invalid checksum"},
		{"missing version", `provider "a" {
  protocol = 1
  sha256 = ` + sum + `
}`, `Missing required argument`},
		{"protocol not a number", `provider "a" {
  version = "1"
  protocol = "one"
  sha256 = ` + sum + `
}`, "Invalid lock file value"},
		{"unknown block", `module "x" {}`, "Unsupported block type"},
		{"syntax", `provider "a" {`, "Unclosed configuration block"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), pluginhost.LockFileName)
			if err := os.WriteFile(path, []byte(tt.src), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := pluginhost.ReadLockFile(path)
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), path) {
				t.Errorf("ReadLockFile = %v; want an error naming %s and saying %q", err, path, tt.want)
			}
		})
	}
}

func TestPin(t *testing.T) {
	l := goldenLocks(t)
	p, err := l.Pin(pluginhost.Plugin{Type: "appotapay", Path: "/x/payhost-provider-appotapay"})
	if err != nil || hex.EncodeToString(p.Checksum) != "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08" {
		t.Errorf("Pin(appotapay) = %+v, %v", p, err)
	}
	if _, err := l.Pin(pluginhost.Plugin{Type: "unlocked"}); err == nil || !strings.Contains(err.Error(), "payhost init") {
		t.Errorf("Pin(unlocked) = %v; want an error that says to run payhost init", err)
	}
}

func TestCheck(t *testing.T) {
	l := goldenLocks(t)
	appota := mustHex(t, "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08")
	other := mustHex(t, "60303ae22b998861bce3b28f33eec1be758a213c86c93c076dbe9f558c11c752")
	const path = "/x/payhost-provider-appotapay"
	tests := []struct {
		name string
		p    pluginhost.Plugin
		// want is what the error says: the binary, the fix; empty for none.
		want []string
	}{
		{"locked", pluginhost.Plugin{Type: "appotapay", Path: path, Checksum: appota}, nil},
		{"another binary", pluginhost.Plugin{Type: "appotapay", Path: path, Checksum: other},
			[]string{path, "sha256:60303ae2", "expects sha256:9f86d081", `run "payhost init"`}},
		{"not locked", pluginhost.Plugin{Type: "tinypay", Path: "/x/payhost-provider-tinypay", Checksum: other},
			[]string{`"tinypay"`, "/x/payhost-provider-tinypay is not locked", pluginhost.LockFileName, `run "payhost init"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := l.Check(tt.p)
			if tt.want == nil {
				if err != nil {
					t.Errorf("Check = %v, want nil", err)
				}
				return
			}
			var (
				ce *pluginhost.ChecksumError
				ne *pluginhost.NotLockedError
			)
			if !errors.As(err, &ce) && !errors.As(err, &ne) {
				t.Fatalf("Check = %v (%T), want a *ChecksumError or a *NotLockedError", err, err)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("Check = %q; it does not say %q", err, w)
				}
			}
		})
	}
}

func TestLockFilePath(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "main.hcl")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, config := range []string{dir, file} {
		if got, want := pluginhost.LockFilePath(config), filepath.Join(dir, pluginhost.LockFileName); got != want {
			t.Errorf("LockFilePath(%s) = %s, want %s", config, got, want)
		}
	}
}
