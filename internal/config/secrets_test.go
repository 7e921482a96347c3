package config_test

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"

	"github.com/payhost/payhost/internal/config"
	"github.com/payhost/payhost/internal/config/configtest"
)

// fixtureSecrets are credentials written literally in fixtures; LEAK marks
// the others.
var fixtureSecrets = []string{
	"LEAK",
	"acme_literal_key_not_from_env_0001",
	"acme_previous_key_0000000001",
	"shop_previous_key_9876543210",
	"copycat_own_key_0123456789",
	"late_merchant_key_0123456789",
	"acme_corp_key_0123456789",
	"0123456789abcdef0123",
}

// secretsIn returns the secrets found in out.
func secretsIn(out string) []string {
	var found []string
	for _, s := range fixtureSecrets {
		if strings.Contains(out, s) {
			found = append(found, s)
		}
	}
	for name, v := range configtest.Env {
		if v != "" && strings.Contains(out, v) {
			found = append(found, name)
		}
	}
	return found
}

// everyLine returns a diagnostic on every line of every file at path, so
// that printing them shows the whole configuration as snippets.
func everyLine(t *testing.T, path string) hcl.Diagnostics {
	t.Helper()
	files := []string{path}
	if st, _ := os.Stat(path); st.IsDir() {
		files, _ = filepath.Glob(filepath.Join(path, "*.hcl*"))
	}
	var diags hcl.Diagnostics
	for _, name := range files {
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		sc := hcl.NewRangeScanner(src, name, bufio.ScanLines)
		for sc.Scan() {
			diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Line", Detail: string(sc.Bytes()), Subject: sc.Range().Ptr()})
		}
	}
	return diags
}

// TestSecretsNeverPrinted prints, for every fixture, its real diagnostics,
// then every line of it as a snippet, then its decoded structures in every
// fmt form: no credential may appear.
func TestSecretsNeverPrinted(t *testing.T) {
	for _, kind := range []string{"valid", "invalid"} {
		for _, path := range fixturePaths(t, filepath.Join("testdata", kind)) {
			t.Run(filepath.ToSlash(path), func(t *testing.T) {
				cfg, diags := configtest.Loader().Load(path)
				var out bytes.Buffer
				if err := cfg.WriteDiagnostics(&out, diags, 80); err != nil {
					t.Fatal(err)
				}
				lines := everyLine(t, path)
				for _, d := range lines {
					d.Detail = "" // the detail is the raw line itself
				}
				if err := cfg.WriteDiagnostics(&out, lines, 80); err != nil {
					t.Fatal(err)
				}
				for _, d := range []hcl.Diagnostics{diags, lines} {
					if err := cfg.WriteValidation(&out, d); err != nil {
						t.Fatal(err)
					}
				}
				for _, v := range structures(cfg) {
					fmt.Fprintf(&out, "%v %+v %#v %s\n", v, v, v, v)
				}
				if found := secretsIn(out.String()); len(found) > 0 {
					t.Errorf("output shows %v:\n%s", found, out.String())
				}
			})
		}
	}
}

// structures lists every decoded structure of cfg.
func structures(cfg *config.Config) []any {
	out := []any{cfg, cfg.Host, cfg.Store, *cfg.Host, *cfg.Store}
	for _, p := range cfg.Providers {
		out = append(out, p, *p, p.Config)
	}
	for _, m := range cfg.Merchants {
		out = append(out, m, *m, m.APIKeys)
		if m.Webhook != nil {
			out = append(out, m.Webhook, *m.Webhook)
		}
		for _, r := range m.Routes {
			out = append(out, r, *r)
		}
	}
	return out
}

// TestSecretsCheckCanFail shows that the check above sees a credential
// that is printed: one in an attribute payhost does not know is sensitive.
func TestSecretsCheckCanFail(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.hcl")
	if err := os.WriteFile(path, []byte("payhost {\n  plugin_dir = \"LEAK\"\n}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, _ := config.Load(path, nil)
	var out bytes.Buffer
	if err := cfg.WriteDiagnostics(&out, everyLine(t, path), 0); err != nil {
		t.Fatal(err)
	}
	if found := secretsIn(out.String()); len(found) != 1 {
		t.Errorf("the check missed a printed credential:\n%s", out.String())
	}
}
