package config_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/payhost/payhost/internal/config"
	"github.com/payhost/payhost/internal/config/configtest"
)

var update = flag.Bool("update", false, "rewrite the golden files of testdata/validation")

// TestValidationFixtures renders every fixture's diagnostics as JSON:
// the same diagnostics as its annotations announce, counted, each range
// highlighted in its snippet.
func TestValidationFixtures(t *testing.T) {
	for _, kind := range []string{"valid", "invalid"} {
		for _, path := range fixturePaths(t, filepath.Join("testdata", kind)) {
			t.Run(filepath.ToSlash(path), func(t *testing.T) {
				cfg, diags := configtest.Loader().Load(path)
				var out bytes.Buffer
				if err := cfg.WriteValidation(&out, diags); err != nil {
					t.Fatal(err)
				}
				var v config.Validation
				if err := json.Unmarshal(out.Bytes(), &v); err != nil {
					t.Fatalf("not JSON: %v\n%s", err, out.String())
				}
				var got []expectation
				errs, warns := 0, 0
				for _, d := range v.Diagnostics {
					if d.Range == nil || d.Snippet == nil {
						t.Fatalf("diagnostic %q has no range or snippet", d.Summary)
					}
					if d.Severity == "error" {
						errs++
					} else {
						warns++
					}
					got = append(got, expectation{d.Range.Filename, d.Range.Start.Line, strings.ToUpper(d.Severity), d.Summary})
					wantSnippet(t, path, d)
				}
				want := expectations(t, path)
				sortExpectations(got)
				sortExpectations(want)
				if !slices.Equal(got, want) {
					t.Errorf("diagnostics differ\ngot:\n  %s\nwant:\n  %s", join(got), join(want))
				}
				if v.FormatVersion != "1.0" || v.ErrorCount != errs || v.WarningCount != warns || v.Valid != (errs == 0) {
					t.Errorf("format %q, valid %v, %d errors, %d warnings; counted %d and %d", v.FormatVersion, v.Valid, v.ErrorCount, v.WarningCount, errs, warns)
				}
			})
		}
	}
}

// wantSnippet checks that d's snippet starts on its range's line and that
// its highlight is the range's text where the source is not masked.
func wantSnippet(t *testing.T, fixture string, d config.Diagnostic) {
	t.Helper()
	s, r := d.Snippet, d.Range
	if s.StartLine != r.Start.Line || s.Values == nil {
		t.Errorf("%s: snippet starts on line %d, values %v; want line %d, no values", d.Summary, s.StartLine, s.Values, r.Start.Line)
	}
	if s.HighlightStartOffset > s.HighlightEndOffset || s.HighlightEndOffset > len(s.Code) {
		t.Fatalf("%s: highlight %d-%d out of code %q", d.Summary, s.HighlightStartOffset, s.HighlightEndOffset, s.Code)
	}
	src, err := os.ReadFile(r.Filename)
	if err != nil {
		t.Fatalf("%s: %v (fixture %s)", d.Summary, err, fixture)
	}
	highlighted := s.Code[s.HighlightStartOffset:s.HighlightEndOffset]
	if r.Start.Line == r.End.Line && !strings.Contains(highlighted, "*") && highlighted != string(src[r.Start.Byte:r.End.Byte]) {
		t.Errorf("%s: highlight %q, want the range's text %q", d.Summary, highlighted, src[r.Start.Byte:r.End.Byte])
	}
}

// TestValidationGolden pins the JSON of two fixtures: one with errors and
// a masked credential, one without a problem. go test -update rewrites
// the golden files.
func TestValidationGolden(t *testing.T) {
	for _, name := range []string{"invalid/secrets.hcl", "valid/defaults.hcl"} {
		t.Run(name, func(t *testing.T) {
			cfg, diags := configtest.Loader().Load(filepath.Join("testdata", name))
			var got bytes.Buffer
			if err := cfg.WriteValidation(&got, diags); err != nil {
				t.Fatal(err)
			}
			golden := filepath.Join("testdata", "validation", strings.ReplaceAll(strings.TrimSuffix(name, ".hcl"), "/", "_")+".json")
			if *update {
				if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(golden, got.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (go test -update writes it)", err)
			}
			if !bytes.Equal(got.Bytes(), want) {
				t.Errorf("JSON differs from %s:\n%s", golden, got.String())
			}
		})
	}
}
