package pluginhost_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/payhost/payhost/internal/pluginhost"
)

// writeFile creates path with the given mode, and its directory.
func writeFile(t *testing.T, path string, mode os.FileMode) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte("#!/bin/sh\n"), mode); err != nil {
		t.Fatal(err)
	}
}

func TestSearchDirs(t *testing.T) {
	root := t.TempDir()
	a, b, c := filepath.Join(root, "a"), filepath.Join(root, "b"), filepath.Join(root, "c")
	t.Setenv(pluginhost.PathEnv, strings.Join([]string{b, "", a, c}, string(os.PathListSeparator)))
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	exe, _ = filepath.EvalSymlinks(exe)

	got := pluginhost.SearchDirs(a)
	want := []string{a, b, c, filepath.Dir(exe)}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("SearchDirs = %q, want %q (plugin_dir, then the path list without duplicates, then beside the executable)", got, want)
	}
}

func TestFind(t *testing.T) {
	root := t.TempDir()
	first, second := filepath.Join(root, "first"), filepath.Join(root, "second")
	writeFile(t, filepath.Join(first, "payhost-provider-shadowed"), 0o755)
	writeFile(t, filepath.Join(second, "payhost-provider-shadowed"), 0o755)
	writeFile(t, filepath.Join(second, "payhost-provider-second"), 0o755)
	writeFile(t, filepath.Join(first, "payhost-provider-noexec"), 0o644)
	writeFile(t, filepath.Join(second, "payhost-provider-noexec"), 0o755)
	if err := os.MkdirAll(filepath.Join(first, "payhost-provider-dir"), 0o755); err != nil {
		t.Fatal(err)
	}
	dirs := []string{first, filepath.Join(root, "missing"), second}

	tests := []struct {
		typ      string
		wantPath string // "" when not found
	}{
		{"shadowed", filepath.Join(first, "payhost-provider-shadowed")},
		{"second", filepath.Join(second, "payhost-provider-second")},
		{"noexec", filepath.Join(second, "payhost-provider-noexec")},
		{"dir", ""},
		{"absent", ""},
	}
	for _, tt := range tests {
		t.Run(tt.typ, func(t *testing.T) {
			p, err := pluginhost.Find(tt.typ, dirs)
			if tt.wantPath != "" {
				if err != nil || p.Path != tt.wantPath || p.Type != tt.typ {
					t.Fatalf("Find = %+v, %v; want %s", p, err, tt.wantPath)
				}
				return
			}
			var nf *pluginhost.NotFoundError
			if !errors.As(err, &nf) {
				t.Fatalf("Find = %+v, %v; want a NotFoundError", p, err)
			}
			msg := err.Error()
			for _, want := range append([]string{"payhost-provider-" + tt.typ, pluginhost.PathEnv}, dirs...) {
				if !strings.Contains(msg, want) {
					t.Errorf("error %q does not mention %q", msg, want)
				}
			}
		})
	}
}

func TestFindRejectsPaths(t *testing.T) {
	for _, typ := range []string{"", "../x", `a\b`} {
		if _, err := pluginhost.Find(typ, []string{t.TempDir()}); err == nil {
			t.Errorf("Find(%q) succeeded", typ)
		}
	}
}

func TestFindAll(t *testing.T) {
	root := t.TempDir()
	first, second := filepath.Join(root, "first"), filepath.Join(root, "second")
	writeFile(t, filepath.Join(first, "payhost-provider-zeta"), 0o755)
	writeFile(t, filepath.Join(first, "payhost-provider-alpha"), 0o755)
	writeFile(t, filepath.Join(second, "payhost-provider-alpha"), 0o755)
	writeFile(t, filepath.Join(second, "payhost-provider-mid"), 0o755)
	writeFile(t, filepath.Join(second, "payhost-provider-noexec"), 0o600)
	writeFile(t, filepath.Join(second, "payhost-provider-"), 0o755)
	writeFile(t, filepath.Join(second, "other-tool"), 0o755)

	got, err := pluginhost.FindAll([]string{first, filepath.Join(root, "missing"), second})
	if err != nil {
		t.Fatal(err)
	}
	want := []pluginhost.Plugin{
		{Type: "alpha", Path: filepath.Join(first, "payhost-provider-alpha")},
		{Type: "mid", Path: filepath.Join(second, "payhost-provider-mid")},
		{Type: "zeta", Path: filepath.Join(first, "payhost-provider-zeta")},
	}
	if len(got) != len(want) {
		t.Fatalf("FindAll = %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i].Type != want[i].Type || got[i].Path != want[i].Path {
			t.Errorf("FindAll[%d] = %+v, want %+v", i, got[i], want[i])
		}
	}
}
