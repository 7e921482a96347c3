package config_test

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/payhost/payhost/internal/config/configtest"
)

// FuzzLoad feeds the loader arbitrary sources in both syntaxes, seeded with
// every fixture: it must never panic, must always return a Config whose
// diagnostics print (as text and as JSON), and must never print a value it
// read with env().
//
//	go test ./internal/config -run '^$' -fuzz FuzzLoad -fuzztime 60s
func FuzzLoad(f *testing.F) {
	err := filepath.WalkDir("testdata", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		isJSON := strings.HasSuffix(path, ".hcl.json")
		if !isJSON && !strings.HasSuffix(path, ".hcl") {
			return nil
		}
		src, err := os.ReadFile(path)
		f.Add(isJSON, src)
		return err
	})
	if err != nil {
		f.Fatal(err)
	}
	dir := filepath.Join("testdata", "valid", "functions") // for file()
	f.Fuzz(func(t *testing.T, isJSON bool, src []byte) {
		name := "fuzz.hcl"
		if isJSON {
			name += ".json"
		}
		cfg, diags := configtest.Loader().LoadSources(dir, map[string][]byte{name: src})
		if cfg == nil || cfg.Host == nil || cfg.Store == nil {
			t.Fatal("Load returned no Config or no defaults")
		}
		var out bytes.Buffer
		if err := cfg.WriteDiagnostics(&out, diags, 80); err != nil {
			t.Fatal(err)
		}
		if err := cfg.WriteValidation(&out, diags); err != nil {
			t.Fatal(err)
		}
		for name, v := range configtest.Env {
			if v != "" && !bytes.Contains(src, []byte(v)) && bytes.Contains(out.Bytes(), []byte(v)) {
				t.Fatalf("the value of %s was printed:\n%s", name, out.String())
			}
		}
	})
}
