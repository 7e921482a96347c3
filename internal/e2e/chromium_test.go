package e2e

import (
	"errors"
	"strings"
	"testing"
)

// Without a browser the browser test skips and says why, unless CI
// requires one; a PAYHOST_CHROMIUM that does not exist is always a
// mistake.
func TestFindChromium(t *testing.T) {
	notFound := func(string) (string, error) { return "", errors.New("not found") }
	for _, tc := range []struct {
		name     string
		env      map[string]string
		files    []string
		path     map[string]string // lookPath answers
		want     string
		required bool
		why      string
	}{
		{"Debian's package", nil, []string{"/usr/bin/chromium"}, nil, "/usr/bin/chromium", false, ""},
		{"PAYHOST_CHROMIUM first", map[string]string{"PAYHOST_CHROMIUM": "/opt/chrome"}, []string{"/opt/chrome", "/usr/bin/chromium"}, nil, "/opt/chrome", false, ""},
		{"PAYHOST_CHROMIUM missing", map[string]string{"PAYHOST_CHROMIUM": "/opt/none"}, []string{"/usr/bin/chromium"}, nil, "", true, "PAYHOST_CHROMIUM=/opt/none does not exist"},
		{"on PATH", nil, nil, map[string]string{"google-chrome": "/usr/local/bin/google-chrome"}, "/usr/local/bin/google-chrome", false, ""},
		{"none: skip", nil, nil, nil, "", false, "no Chromium found"},
		{"none, required: fail", map[string]string{"PAYHOST_REQUIRE_BROWSER": "1"}, nil, nil, "", true, "PAYHOST_REQUIRE_BROWSER=1 makes this a failure"},
		{"found, required", map[string]string{"PAYHOST_REQUIRE_BROWSER": "1"}, []string{"/usr/bin/chromium"}, nil, "/usr/bin/chromium", true, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			exists := func(p string) bool {
				for _, f := range tc.files {
					if f == p {
						return true
					}
				}
				return false
			}
			lookPath := notFound
			if tc.path != nil {
				lookPath = func(name string) (string, error) {
					if p, ok := tc.path[name]; ok {
						return p, nil
					}
					return notFound(name)
				}
			}
			path, required, why := findChromium(func(k string) string { return tc.env[k] }, exists, lookPath)
			if path != tc.want || required != tc.required || !strings.Contains(why, tc.why) || (tc.why == "") != (why == "") {
				t.Errorf("findChromium = %q, %v, %q; want %q, %v, a reason with %q", path, required, why, tc.want, tc.required, tc.why)
			}
		})
	}
}
