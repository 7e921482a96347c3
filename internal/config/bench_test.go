package config_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/payhost/payhost/internal/config/configtest"
)

// BenchmarkLoad loads and checks, from disk and against the plugins'
// schemas, a configuration of 1,000 merchants with 10 routes each (target:
// under 1 s).
//
//	go test ./internal/config -run '^$' -bench Load -benchmem
func BenchmarkLoad(b *testing.B) {
	path := filepath.Join(b.TempDir(), "payhost.hcl")
	if err := os.WriteFile(path, configtest.Generate(1000, 10), 0o600); err != nil {
		b.Fatal(err)
	}
	loader := configtest.Loader()
	for b.Loop() {
		cfg, diags := loader.Load(path)
		if diags.HasErrors() || len(diags) > 0 || len(cfg.Merchants) != 1000 {
			b.Fatalf("%d merchants, diagnostics: %v", len(cfg.Merchants), diags)
		}
	}
}
