package command

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/payhost/payhost/internal/faultprovider"
	"github.com/payhost/payhost/internal/pluginhost"
)

func TestMain(m *testing.M) {
	if os.Getenv(sandboxEnv) == "1" {
		os.Exit(runBenchSandbox()) // BenchmarkServe's emulator process
	}
	code := m.Run()
	faultprovider.RemoveBuilds()
	os.Exit(code)
}

// testConfig declares two provider types; its merchant reads an
// environment variable that is not set, which init and providers ignore.
const testConfig = `
payhost {
  plugin_dir = "./bin"
}

provider "fault" "primary" {
  api_key = env("PAYHOST_TEST_UNSET_FAULT_KEY")
}

provider "fault" "secondary" {
  api_key = "literal"
}

provider "spare" "one" {
  api_key = "literal"
}

merchant "acme" {
  api_key = env("PAYHOST_TEST_UNSET_MERCHANT_KEY")
  route "all" {
    providers = [provider.fault.primary]
  }
}
`

// pluginWorkspace writes a configuration and installs the fault plugin in
// its bin directory as the given provider types. It returns the directory.
func pluginWorkspace(t *testing.T, config string, types ...string) string {
	t.Helper()
	t.Setenv(pluginhost.PathEnv, "")
	t.Setenv(pluginhost.LogLevelEnv, "")
	dir := t.TempDir()
	if config != "" {
		if err := os.WriteFile(filepath.Join(dir, "main.hcl"), []byte(config), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Mkdir(filepath.Join(dir, "bin"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, typ := range types {
		faultprovider.Install(t, filepath.Join(dir, "bin"), typ)
	}
	return dir
}

// run runs the payhost CLI and returns its exit code and output.
func run(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut syncBuffer
	code = RunWith(args, Meta{Stdout: &out, Stderr: &errOut})
	return code, out.String(), errOut.String()
}

func TestProvidersListsDeclaredTypes(t *testing.T) {
	dir := pluginWorkspace(t, testConfig, "fault", "spare", "unused")
	code, out, errOut := run(t, "providers", "-config", dir)
	if code != 0 || errOut != "" {
		t.Fatalf("exit %d, stderr:\n%s", code, errOut)
	}
	for _, want := range []string{
		"fault v0.1.0 (plugin protocol 1)",
		"spare v0.1.0 (plugin protocol 1)",
		filepath.Join(dir, "bin", "payhost-provider-spare"),
		"operations:  create_payment, authorize, capture",
		"currencies:  any",
		"required, sensitive",
		`optional, default "https://fault.invalid"`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output does not contain %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "unused") {
		t.Errorf("output lists a plugin the configuration does not declare:\n%s", out)
	}
	if strings.Contains(out, "lock:") {
		t.Errorf("output shows a lock status without a lock file:\n%s", out)
	}
}

// TestProvidersLockStatus: with a lock file, each plugin says whether
// payhost serve would launch it.
func TestProvidersLockStatus(t *testing.T) {
	dir := pluginWorkspace(t, testConfig, "fault", "spare")
	bin := filepath.Join(dir, "bin", "payhost-provider-fault")
	sum, err := pluginhost.Checksum(bin)
	if err != nil {
		t.Fatal(err)
	}
	lock := &pluginhost.LockFile{}
	lock.Set(pluginhost.LockedProvider{Type: "fault", Version: faultprovider.Version, Protocol: 1, SHA256: sum})
	if _, err := pluginhost.WriteLockFile(filepath.Join(dir, pluginhost.LockFileName), lock); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := run(t, "providers", "-config", dir)
	if code != 0 {
		t.Fatalf("exit %d, stderr:\n%s", code, errOut)
	}
	for _, want := range []string{
		"lock:        locked in payhost.lock.hcl\n",
		`lock:        not locked; run "payhost init" before payhost serve`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output does not contain %q:\n%s", want, out)
		}
	}

	// The locked binary changes (a byte more at its end: it still runs).
	f, err := os.OpenFile(bin, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Write([]byte{0}); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	code, out, errOut = run(t, "providers", "-config", dir, "-json")
	if code != 0 {
		t.Fatalf("exit %d, stderr:\n%s", code, errOut)
	}
	var got struct {
		Providers []struct{ Type, Lock string }
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, out)
	}
	want := []struct{ Type, Lock string }{{"fault", "changed"}, {"spare", "not_locked"}}
	if !slices.Equal(got.Providers, want) {
		t.Errorf("lock statuses = %+v, want %+v", got.Providers, want)
	}
}

func TestProvidersJSON(t *testing.T) {
	dir := pluginWorkspace(t, testConfig, "fault", "spare")
	code, out, errOut := run(t, "providers", "-config", filepath.Join(dir, "main.hcl"), "-json")
	if code != 0 {
		t.Fatalf("exit %d, stderr:\n%s", code, errOut)
	}
	var got struct {
		FormatVersion string `json:"format_version"`
		Providers     []struct {
			Type, Version, Path, SHA256 string
			Protocol                    int
			Capabilities                struct{ Operations, Methods, Currencies []string }
			Attributes                  []struct {
				Name, Type          string
				Required, Sensitive bool
				Default             any
			}
		}
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, out)
	}
	if got.FormatVersion != "1.0" || len(got.Providers) != 2 || got.Providers[0].Type != "fault" || got.Providers[1].Type != "spare" {
		t.Fatalf("providers = %+v", got)
	}
	p := got.Providers[1]
	sum, err := pluginhost.Checksum(p.Path)
	if err != nil {
		t.Fatal(err)
	}
	if p.Version != faultprovider.Version || p.Protocol != 1 || p.SHA256 != hexString(sum) || len(p.Capabilities.Operations) == 0 || p.Capabilities.Currencies == nil {
		t.Errorf("spare = %+v", p)
	}
	if len(p.Attributes) != 2 || p.Attributes[0].Name != "api_key" || !p.Attributes[0].Sensitive || !p.Attributes[0].Required ||
		p.Attributes[1].Default != "https://fault.invalid" {
		t.Errorf("attributes = %+v", p.Attributes)
	}
}

func TestProvidersWithoutConfigListsAll(t *testing.T) {
	dir := pluginWorkspace(t, "", "fault", "other")
	t.Chdir(dir)
	code, out, errOut := run(t, "providers", "-plugin-dir", "bin")
	if code != 0 {
		t.Fatalf("exit %d, stderr:\n%s", code, errOut)
	}
	if !strings.Contains(out, "fault v0.1.0") || !strings.Contains(out, "other v0.1.0") {
		t.Errorf("output does not list every plugin found:\n%s", out)
	}
}

func TestProvidersFailures(t *testing.T) {
	tests := []struct {
		name, config string
		wants        []string
	}{
		{"missing plugin", "payhost {\n  plugin_dir = \"./bin\"\n}\nprovider \"ghost\" \"x\" {}\n", []string{"payhost-provider-ghost", "bin", pluginhost.PathEnv}},
		{"invalid configuration", `provider "fault" {}`, []string{"main.hcl:1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := pluginWorkspace(t, tt.config, "fault")
			code, _, errOut := run(t, "providers", "-config", dir)
			if code != 1 {
				t.Errorf("exit %d, want 1", code)
			}
			for _, want := range tt.wants {
				if !strings.Contains(errOut, want) {
					t.Errorf("stderr does not mention %q:\n%s", want, errOut)
				}
			}
		})
	}
}
