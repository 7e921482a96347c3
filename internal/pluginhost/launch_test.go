package pluginhost_test

import (
	"context"
	"encoding/hex"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/payhost/payhost/internal/faultprovider"
	"github.com/payhost/payhost/internal/pluginhost"
)

// TestLaunchRefuses checks that every way a plugin can fail to start gives
// an error that says what happened. The start timeout is a minute, so an
// error that came from waiting for it (a hang) shows as the wrong message.
func TestLaunchRefuses(t *testing.T) {
	tests := []struct {
		name  string
		env   map[string]string
		typ   string // installed under this type; "" launches the built binary
		opts  pluginhost.Options
		wants []string
	}{
		{
			name:  "wrong protocol version",
			env:   map[string]string{faultprovider.EnvProtocol: "7"},
			wants: []string{"payhost-provider-fault", "protocol version 7", "protocol version 1"},
		},
		{
			name:  "stdout before handshake",
			env:   map[string]string{faultprovider.EnvStdout: "hello from a chatty plugin"},
			wants: []string{"payhost-provider-fault", `"hello from a chatty plugin"`, "stdout"},
		},
		{
			name:  "silent",
			env:   map[string]string{faultprovider.EnvSilent: "1"},
			opts:  pluginhost.Options{StartTimeout: 300 * time.Millisecond},
			wants: []string{"payhost-provider-fault", "did not complete its handshake within 300ms"},
		},
		{
			name:  "type differs from file name",
			env:   map[string]string{faultprovider.EnvEcho: "1"}, // says it is "fault"
			typ:   "other",
			wants: []string{"payhost-provider-other", `says it is a "fault" provider`, `file name says "other"`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			if tt.opts.StartTimeout == 0 {
				tt.opts.StartTimeout = time.Minute
			}
			h, _ := newHost(t, tt.opts)
			p := faultPlugin(t)
			if tt.typ != "" {
				p = pluginhost.Plugin{Type: tt.typ, Path: faultprovider.Install(t, t.TempDir(), tt.typ)}
			}
			inst, err := h.Launch(context.Background(), p, "test")
			if err == nil {
				t.Fatalf("Launch succeeded: %+v", inst.Status())
			}
			for _, want := range tt.wants {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q does not say %q", err, want)
				}
			}
		})
	}
}

// TestChecksumMismatchIsRefused locks a plugin binary, changes it, and
// checks that launching it is refused, naming the file and both checksums.
func TestChecksumMismatchIsRefused(t *testing.T) {
	dir := t.TempDir()
	path := faultprovider.Install(t, dir, "fault")
	locked, err := pluginhost.Checksum(path)
	if err != nil {
		t.Fatal(err)
	}
	lock := &pluginhost.LockFile{}
	lock.Set(pluginhost.LockedProvider{Type: "fault", Version: faultprovider.Version, Protocol: 1, SHA256: locked})
	p, err := lock.Pin(pluginhost.Plugin{Type: "fault", Path: path})
	if err != nil {
		t.Fatal(err)
	}
	h, _ := newHost(t, pluginhost.Options{})

	// The locked binary launches.
	inst, err := h.Launch(context.Background(), p, "locked")
	if err != nil {
		t.Fatalf("Launch of the locked binary: %v", err)
	}
	inst.Close()

	// A changed binary does not.
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteString("tampered"); err != nil {
		t.Fatal(err)
	}
	f.Close()
	changed, err := pluginhost.Checksum(path)
	if err != nil {
		t.Fatal(err)
	}
	_, err = h.Launch(context.Background(), p, "changed")
	var cerr *pluginhost.ChecksumError
	if !errors.As(err, &cerr) {
		t.Fatalf("Launch of a changed binary = %v, want a ChecksumError", err)
	}
	for _, want := range []string{path, hex.EncodeToString(locked), hex.EncodeToString(changed), pluginhost.LockFileName, "payhost init"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %q", err, want)
		}
	}
}
