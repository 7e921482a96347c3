package command

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/payhost/payhost/internal/config"
	"github.com/payhost/payhost/internal/config/configtest"
	"github.com/payhost/payhost/internal/pluginhost"
)

// configFixture is a fixture of the config package.
func configFixture(path string) string {
	return filepath.Join("..", "config", "testdata", path)
}

// withStaticSchemas makes the commands read the fixtures' provider schemas
// instead of starting plugins, and sets the fixtures' environment.
func withStaticSchemas(t *testing.T) {
	t.Helper()
	for name, v := range configtest.Env {
		t.Setenv(name, v)
	}
	saved := openSchemaSource
	openSchemaSource = func(Meta, *config.Config, string, *pluginhost.LockFile) (config.SchemaSource, func()) {
		return configtest.Schemas(), func() {}
	}
	t.Cleanup(func() { openSchemaSource = saved })
}

func TestValidate(t *testing.T) {
	withStaticSchemas(t)
	tests := []struct {
		name   string
		path   string
		code   int
		stdout string
		stderr []string
	}{
		{"valid", "valid/quickstart", 0, "Success! The configuration is valid.\n", nil},
		{"json", "valid/json", 0, "Success! The configuration is valid.\n", nil},
		{"warnings only", "invalid/route_order.hcl", 0, "Success! The configuration is valid, but there were some warnings.\n", []string{
			"Warning: No route matches every payment",
			"on " + configFixture("invalid/route_order.hcl") + ":6:1, in merchant \"acme\":",
			"   6: merchant \"acme\" {",
		}},
		{"errors", "invalid/provider_schema.hcl", 1, "", []string{
			"Error: Invalid duration",
			"on " + configFixture("invalid/provider_schema.hcl") + ":27:18, in provider \"appotapay\" \"vn\":",
			`  27:   timeout      = "soon" # ERROR: Invalid duration`,
			`                       ^^^^^^`,
			`The argument "timeout" must be a duration such as "30s"`,
			"Error: Missing required argument",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := run(t, "validate", "-config", configFixture(tt.path))
			if code != tt.code || stdout != tt.stdout {
				t.Errorf("exit %d, stdout %q; want %d, %q\nstderr:\n%s", code, stdout, tt.code, tt.stdout, stderr)
			}
			for _, want := range tt.stderr {
				if !strings.Contains(stderr, want) {
					t.Errorf("stderr does not contain %q:\n%s", want, stderr)
				}
			}
			if len(tt.stderr) == 0 && stderr != "" {
				t.Errorf("stderr:\n%s", stderr)
			}
		})
	}
}

// TestValidateJSON: with -json, validate prints only the JSON result, and
// exits as without it.
func TestValidateJSON(t *testing.T) {
	withStaticSchemas(t)
	tests := []struct {
		path          string
		code          int
		valid         bool
		errors, warns int
		firstSummary  string
	}{
		{"valid/quickstart", 0, true, 0, 0, ""},
		{"invalid/route_order.hcl", 0, true, 0, 3, "No route matches every payment"},
		{"invalid/provider_schema.hcl", 1, false, 7, 0, "Incorrect attribute value type"},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			code, stdout, stderr := run(t, "validate", "-json", "-config", configFixture(tt.path))
			if code != tt.code || stderr != "" {
				t.Fatalf("exit %d, stderr %q; want exit %d and nothing on stderr", code, stderr, tt.code)
			}
			var got config.Validation
			if err := json.Unmarshal([]byte(stdout), &got); err != nil {
				t.Fatalf("stdout is not JSON: %v\n%s", err, stdout)
			}
			if got.Valid != tt.valid || got.ErrorCount != tt.errors || got.WarningCount != tt.warns || len(got.Diagnostics) != tt.errors+tt.warns {
				t.Errorf("valid %v, %d errors, %d warnings, %d diagnostics; want %v, %d, %d\n%s",
					got.Valid, got.ErrorCount, got.WarningCount, len(got.Diagnostics), tt.valid, tt.errors, tt.warns, stdout)
			}
			if tt.firstSummary != "" && (len(got.Diagnostics) == 0 || got.Diagnostics[0].Summary != tt.firstSummary) {
				t.Errorf("first diagnostic is not %q:\n%s", tt.firstSummary, stdout)
			}
		})
	}
}

// TestValidateMasksSecrets validates the fixtures that hold literal
// credentials: none may be printed.
func TestValidateMasksSecrets(t *testing.T) {
	withStaticSchemas(t)
	for _, path := range []string{"invalid/secrets.hcl", "invalid/secrets_syntax.hcl"} {
		code, _, stderr := run(t, "validate", "-config", configFixture(path))
		if code != 1 || !strings.Contains(stderr, "Error: ") {
			t.Errorf("%s: exit %d\n%s", path, code, stderr)
		}
		if strings.Contains(stderr, "LEAK") {
			t.Errorf("%s: a credential was printed:\n%s", path, stderr)
		}
	}
}

// TestValidateWithPlugin validates against a real plugin binary, found
// through plugin_dir.
func TestValidateWithPlugin(t *testing.T) {
	const bad = `
payhost {
  plugin_dir = "./bin"
}

provider "fault" "primary" {
  api_key  = "fault_literal_key_LEAK"
  endpont  = "https://fault.invalid"
}

merchant "acme" {
  api_key = "acme_key_0123456789abcdef"
  route "all" {
    providers = [provider.fault.primary]
  }
}
`
	dir := pluginWorkspace(t, bad, "fault")
	code, stdout, stderr := run(t, "validate", "-config", dir)
	if code != 1 || stdout != "" {
		t.Fatalf("exit %d, stdout %q, stderr:\n%s", code, stdout, stderr)
	}
	for _, want := range []string{"Error: Unsupported argument", `Did you mean "endpoint"?`, "main.hcl:8:3"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr does not contain %q:\n%s", want, stderr)
		}
	}
	if strings.Contains(stderr, "LEAK") {
		t.Errorf("a credential was printed:\n%s", stderr)
	}

	good := strings.Replace(bad, "endpont ", "endpoint", 1)
	if err := os.WriteFile(filepath.Join(dir, "main.hcl"), []byte(good), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, stdout, stderr := run(t, "validate", "-config", dir); code != 0 || stdout != "Success! The configuration is valid.\n" {
		t.Errorf("exit %d, stdout %q, stderr:\n%s", code, stdout, stderr)
	}
}

func TestValidateMissingPlugin(t *testing.T) {
	dir := pluginWorkspace(t, `
payhost {
  plugin_dir = "./bin"
}
provider "nowhere" "x" {
  api_key = "k"
}
`)
	code, _, stderr := run(t, "validate", "-config", dir)
	if code != 1 || !strings.Contains(stderr, "Error: Provider plugin unavailable") || !strings.Contains(stderr, "main.hcl:5:10") {
		t.Errorf("exit %d, stderr:\n%s", code, stderr)
	}
}

// TestValidateLockFile: once payhost init has locked the plugins, validate
// uses only the locked binaries, as serve would, and starts no other.
func TestValidateLockFile(t *testing.T) {
	const cfg = `
payhost {
  plugin_dir = "./bin"
}

provider "fault" "primary" {
  api_key  = "fault_literal_key"
  endpoint = "https://fault.invalid"
}
`
	dir := pluginWorkspace(t, cfg, "fault")
	valid := func(when string) {
		t.Helper()
		if code, stdout, stderr := run(t, "validate", "-config", dir); code != 0 || stdout != "Success! The configuration is valid.\n" {
			t.Fatalf("%s: exit %d, stdout %q, stderr:\n%s", when, code, stdout, stderr)
		}
	}
	invalid := func(when string, want ...string) {
		t.Helper()
		code, stdout, stderr := run(t, "validate", "-config", dir)
		if code != 1 || stdout != "" {
			t.Errorf("%s: exit %d, stdout %q, stderr:\n%s", when, code, stdout, stderr)
		}
		unwrapped := strings.Join(strings.Fields(stderr), " ")
		for _, w := range want {
			if !strings.Contains(unwrapped, w) {
				t.Errorf("%s: stderr does not say %q:\n%s", when, w, stderr)
			}
		}
	}
	valid("before payhost init")
	if code, _, stderr := run(t, "init", "-config", dir); code != 0 {
		t.Fatalf("payhost init: exit %d:\n%s", code, stderr)
	}
	valid("with the binary payhost init locked")

	// Another binary in the locked one's place: a script that leaves a
	// mark when run.
	bin := filepath.Join(dir, "bin", "payhost-provider-fault")
	mark := filepath.Join(t.TempDir(), "ran")
	if err := os.WriteFile(bin, []byte("#!/bin/sh\ntouch "+mark+"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	invalid("with a changed binary", "Error: Provider plugin unavailable", "main.hcl:6:10",
		bin+" has checksum sha256:", "but payhost.lock.hcl expects sha256:", `run "payhost init"`)

	lockPath := filepath.Join(dir, pluginhost.LockFileName)
	if _, err := pluginhost.WriteLockFile(lockPath, &pluginhost.LockFile{}); err != nil {
		t.Fatal(err)
	}
	invalid("with a lock file that does not name the type", "Error: Provider plugin unavailable", "main.hcl:6:10",
		bin+` is not locked: payhost.lock.hcl has no provider "fault" block`)
	if _, err := os.Stat(mark); err == nil {
		t.Errorf("validate ran a plugin binary the lock file does not allow")
	}

	if err := os.WriteFile(lockPath, []byte("provider \"fault\" {\n  version = 1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	invalid("with a broken lock file", "Error: Unclosed configuration block", "payhost.lock.hcl:1:18",
		`1: provider "fault" {`) // the lock file's line, as for the configuration's
	code, stdout, _ := run(t, "validate", "-json", "-config", dir)
	if code != 1 || !strings.Contains(stdout, `"code": "provider \"fault\" {"`) {
		t.Errorf("validate -json with a broken lock file: exit %d, no snippet of its line:\n%s", code, stdout)
	}
}

// TestLockFileIgnored: the configuration loader skips exactly the file
// payhost init writes.
func TestLockFileIgnored(t *testing.T) {
	if config.LockFileName != pluginhost.LockFileName {
		t.Errorf("config ignores %q, but init writes %q", config.LockFileName, pluginhost.LockFileName)
	}
}
