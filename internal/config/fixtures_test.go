package config_test

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"

	"github.com/payhost/payhost/internal/config/configtest"
)

// expectation is one diagnostic a fixture line announces with a comment
// "# ERROR: <summary>" or "# WARNING: <summary>" (in JSON, a "//" property
// whose value starts with ERROR: or WARNING:).
type expectation struct {
	file     string
	line     int
	severity string
	summary  string
}

func (e expectation) String() string {
	return fmt.Sprintf("%s:%d: %s: %s", e.file, e.line, e.severity, e.summary)
}

// annotation matches one annotation; a line may hold several.
var annotation = regexp.MustCompile(`(?:#|"//":\s*")\s*(ERROR|WARNING): ([^#"]*[^#"\s])`)

// fixturePaths lists the fixtures of a testdata folder: each config file,
// and each directory (one configuration of several files).
func fixturePaths(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var paths []string
	for _, e := range entries {
		if e.IsDir() || strings.HasSuffix(e.Name(), ".hcl") || strings.HasSuffix(e.Name(), ".hcl.json") {
			paths = append(paths, filepath.Join(dir, e.Name()))
		}
	}
	return paths
}

// expectations reads the annotations of the configuration files at path.
func expectations(t *testing.T, path string) []expectation {
	t.Helper()
	files := []string{path}
	if st, err := os.Stat(path); err == nil && st.IsDir() {
		files, _ = filepath.Glob(filepath.Join(path, "*.hcl*"))
	}
	var out []expectation
	for _, name := range files {
		f, err := os.Open(name)
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(f)
		for line := 1; sc.Scan(); line++ {
			for _, m := range annotation.FindAllStringSubmatch(sc.Text(), -1) {
				out = append(out, expectation{name, line, m[1], m[2]})
			}
		}
		f.Close()
	}
	return out
}

// gotExpectations turns diagnostics into expectations, failing for a
// diagnostic without a subject or without a detail.
func gotExpectations(t *testing.T, diags hcl.Diagnostics) []expectation {
	t.Helper()
	var out []expectation
	for _, d := range diags {
		if d.Subject == nil {
			t.Errorf("diagnostic %q has no subject (file, line and column)", d.Summary)
			continue
		}
		if d.Detail == "" {
			t.Errorf("diagnostic %q at %s has no detail saying how to fix it", d.Summary, d.Subject)
		}
		sev := "ERROR"
		if d.Severity == hcl.DiagWarning {
			sev = "WARNING"
		}
		out = append(out, expectation{d.Subject.Filename, d.Subject.Start.Line, sev, d.Summary})
	}
	return out
}

func sortExpectations(es []expectation) {
	slices.SortFunc(es, func(a, b expectation) int { return strings.Compare(a.String(), b.String()) })
}

// TestFixtures loads every fixture of testdata/valid and testdata/invalid
// and requires exactly the diagnostics its annotations announce, on the
// lines they are on: valid fixtures announce none.
func TestFixtures(t *testing.T) {
	total := 0
	for _, kind := range []string{"valid", "invalid"} {
		for _, path := range fixturePaths(t, filepath.Join("testdata", kind)) {
			want := expectations(t, path)
			total += len(want)
			t.Run(filepath.ToSlash(path), func(t *testing.T) {
				if kind == "valid" && len(want) > 0 {
					t.Fatalf("valid fixture announces diagnostics: %v", want)
				}
				if kind == "invalid" && len(want) == 0 {
					t.Fatal("invalid fixture announces no diagnostic")
				}
				cfg, diags := configtest.Loader().Load(path)
				got := gotExpectations(t, diags)
				sortExpectations(want)
				sortExpectations(got)
				if !slices.Equal(got, want) {
					var out strings.Builder
					if err := cfg.WriteDiagnostics(&out, diags, 0); err != nil {
						t.Fatal(err)
					}
					t.Errorf("diagnostics differ\ngot:\n  %s\nwant:\n  %s\n\n%s", join(got), join(want), out.String())
				}
			})
		}
	}
	if total < 30 {
		t.Errorf("the invalid fixtures announce %d diagnostics; want at least 30", total)
	}
}

func join(es []expectation) string {
	s := make([]string, len(es))
	for i, e := range es {
		s[i] = e.String()
	}
	return strings.Join(s, "\n  ")
}
