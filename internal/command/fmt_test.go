package command

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const (
	unformatted = "merchant \"acme\" {\napi_key = env(\"ACME_API_KEY\")\n  route \"all\" {\n      providers=[provider.redotpay.cards]\n  when = true\n  }\n}\n"
	formatted   = "merchant \"acme\" {\n  api_key = env(\"ACME_API_KEY\")\n  route \"all\" {\n    providers = [provider.redotpay.cards]\n    when      = true\n  }\n}\n"
)

// writeFiles writes files (name to content) into a new directory.
func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, src := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o640); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestFmtRewrites(t *testing.T) {
	json := `{"merchant":{"acme":{}}}`
	dir := writeFiles(t, map[string]string{"a.hcl": unformatted, "b.hcl": formatted, "c.hcl.json": json})
	code, stdout, stderr := run(t, "fmt", dir)
	if code != 0 || stdout != filepath.Join(dir, "a.hcl")+"\n" || stderr != "" {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	if got := readFile(t, filepath.Join(dir, "a.hcl")); got != formatted {
		t.Errorf("a.hcl:\n%s\nwant:\n%s", got, formatted)
	}
	if st, _ := os.Stat(filepath.Join(dir, "a.hcl")); st.Mode().Perm() != 0o640 {
		t.Errorf("mode changed to %v", st.Mode())
	}
	if got := readFile(t, filepath.Join(dir, "c.hcl.json")); got != json {
		t.Errorf("a JSON file was changed: %s", got)
	}
	// Formatting is idempotent.
	if code, stdout, _ := run(t, "fmt", dir); code != 0 || stdout != "" {
		t.Errorf("second run: exit %d, stdout %q", code, stdout)
	}
}

func TestFmtCheck(t *testing.T) {
	dir := writeFiles(t, map[string]string{"a.hcl": unformatted, "b.hcl": formatted})
	code, stdout, _ := run(t, "fmt", "-check", dir)
	if code != fmtCheckFailed || stdout != filepath.Join(dir, "a.hcl")+"\n" {
		t.Errorf("exit %d, stdout %q", code, stdout)
	}
	if got := readFile(t, filepath.Join(dir, "a.hcl")); got != unformatted {
		t.Error("-check changed the file")
	}
	if code, stdout, _ := run(t, "fmt", "-check", filepath.Join(dir, "b.hcl")); code != 0 || stdout != "" {
		t.Errorf("formatted file: exit %d, stdout %q", code, stdout)
	}
}

// TestFmtSyntaxError leaves a file that does not parse alone, and prints
// its errors with the credential in it masked.
func TestFmtSyntaxError(t *testing.T) {
	broken := "merchant \"acme\" {\n  api_key = \"LEAK-key\n}\n"
	dir := writeFiles(t, map[string]string{"a.hcl": broken})
	code, stdout, stderr := run(t, "fmt", dir)
	if code != 1 || stdout != "" || !strings.Contains(stderr, "Error: ") || !strings.Contains(stderr, "a.hcl:2:") {
		t.Errorf("exit %d, stdout %q, stderr:\n%s", code, stdout, stderr)
	}
	if strings.Contains(stderr, "LEAK") {
		t.Errorf("a credential was printed:\n%s", stderr)
	}
	if got := readFile(t, filepath.Join(dir, "a.hcl")); got != broken {
		t.Error("a file with syntax errors was changed")
	}
}

func TestFmtStdin(t *testing.T) {
	saved := fmtInput
	t.Cleanup(func() { fmtInput = saved })
	for _, tt := range []struct {
		args   []string
		code   int
		stdout string
	}{
		{[]string{"fmt", "-"}, 0, formatted},
		{[]string{"fmt", "-check", "-"}, fmtCheckFailed, ""},
	} {
		fmtInput = strings.NewReader(unformatted)
		if code, stdout, stderr := run(t, tt.args...); code != tt.code || stdout != tt.stdout {
			t.Errorf("%v: exit %d, stdout %q, stderr %q", tt.args, code, stdout, stderr)
		}
	}
}

func TestFmtMissingPath(t *testing.T) {
	code, _, stderr := run(t, "fmt", filepath.Join(t.TempDir(), "nope"))
	if code != 1 || !strings.Contains(stderr, "no such file") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
}
