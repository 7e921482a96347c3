package command

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/payhost/payhost/internal/config/configtest"
)

func TestRoute(t *testing.T) {
	withStaticSchemas(t)
	quickstart := configFixture("valid/quickstart")
	tests := []struct {
		name   string
		args   []string
		code   int
		stdout []string
		stderr string
	}{
		{
			name: "first matching route",
			args: []string{"-merchant", "acme", "-amount", "50000", "-currency", "VND", "-method", "bank"},
			stdout: []string{
				"Merchant:  acme",
				"Payment:   50000 VND minor units (50000 VND), method bank, capture automatic, id pay_example",
				`Route:     "vietnam" (` + configFixture("valid/quickstart/merchants.hcl") + ":8)",
				"1. appotapay.vn  primary",
			},
		},
		{
			name: "skipped routes and left-out providers",
			args: []string{"-merchant", "acme", "-amount", "1050", "-currency", "USD", "-capture", "manual", "-country", "SG", "-metadata", "tier=gold"},
			stdout: []string{
				"10.50 USD", "country SG", "metadata tier=gold",
				`Route:     "cards"`,
				"Routes skipped:\n  \"vietnam\"  when is false\n",
				"1. reddot.sg",
				"- redotpay.cards  does not support operation authorize",
			},
		},
		{
			name:   "pinned",
			args:   []string{"-merchant", "acme", "-amount", "100", "-currency", "SGD", "-method", "token", "-provider", "reddot.sg"},
			stdout: []string{"Route:     none: the payment names its provider", "1. reddot.sg  pinned"},
		},
		{
			name:   "tokenization",
			args:   []string{"-merchant", "acme", "-tokenize"},
			stdout: []string{"Payment:   tokenization, method card", "1. reddot.sg", "- redotpay.cards  does not support operation tokenize"},
		},
		{
			name:   "no provider can take it",
			args:   []string{"-merchant", "acme", "-amount", "50000", "-currency", "VND", "-method", "card"},
			code:   1,
			stdout: []string{`Route:     "vietnam"`, `- appotapay.vn  does not support method "card"`},
			stderr: `Error: route "vietnam" of merchant "acme" matched, but no provider can take the payment`,
		},
		{
			name:   "unknown merchant",
			args:   []string{"-merchant", "nobody", "-amount", "1", "-currency", "USD"},
			code:   1,
			stderr: `Error: merchant "nobody" is not configured.`,
		},
		{name: "fractional amount", args: []string{"-merchant", "acme", "-amount", "10.50", "-currency", "USD"}, code: 1,
			stderr: `Error: -amount "10.50" is not a whole number of minor units`},
		{name: "no merchant", args: []string{"-amount", "1", "-currency", "USD"}, code: 1, stderr: "Error: -merchant is required"},
		{name: "unknown currency", args: []string{"-merchant", "acme", "-amount", "1", "-currency", "XXX"}, code: 1,
			stderr: `Error: -currency "XXX" is not an ISO 4217 code`},
		{name: "unknown method", args: []string{"-merchant", "acme", "-amount", "1", "-currency", "USD", "-method", "cash"}, code: 1,
			stderr: `Error: -method "cash" is not one of`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := run(t, append([]string{"route", "-config", quickstart}, tt.args...)...)
			if code != tt.code {
				t.Errorf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tt.code, stdout, stderr)
			}
			for _, want := range tt.stdout {
				if !strings.Contains(stdout, want) {
					t.Errorf("stdout does not contain %q:\n%s", want, stdout)
				}
			}
			if !strings.Contains(stderr, tt.stderr) || (tt.stderr == "" && stderr != "") {
				t.Errorf("stderr %q, want %q", stderr, tt.stderr)
			}
		})
	}
}

func TestRouteJSON(t *testing.T) {
	withStaticSchemas(t)
	code, stdout, stderr := run(t, "route", "-config", configFixture("valid/quickstart"), "-json",
		"-merchant", "acme", "-amount", "1000", "-currency", "USD", "-id", "pay_42")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var got struct {
		FormatVersion string `json:"format_version"`
		Payment       struct {
			ID     string
			Amount int64
		}
		Decision struct {
			Merchant   string
			Route      string
			Candidates []struct{ Provider, Reason string }
			Skipped    []struct{ Route, Reason string } `json:"skipped_routes"`
		}
		RouteDeclared string `json:"route_declared"`
	}
	if err := json.Unmarshal([]byte(stdout), &got); err != nil {
		t.Fatalf("%v:\n%s", err, stdout)
	}
	if got.FormatVersion != "1.0" || got.Payment.ID != "pay_42" || got.Payment.Amount != 1000 || got.Decision.Route != "cards" ||
		len(got.Decision.Candidates) != 2 || len(got.Decision.Skipped) != 1 || !strings.HasSuffix(got.RouteDeclared, "merchants.hcl:12") {
		t.Errorf("decoded %+v from:\n%s", got, stdout)
	}
	if !strings.HasPrefix(got.Decision.Candidates[0].Reason, "split: bucket ") {
		t.Errorf("first candidate: %+v", got.Decision.Candidates[0])
	}
	// The same payment id always gets the same providers.
	_, again, _ := run(t, "route", "-config", configFixture("valid/quickstart"), "-json",
		"-merchant", "acme", "-amount", "1000", "-currency", "USD", "-id", "pay_42")
	if again != stdout {
		t.Errorf("second run differs:\n%s\n%s", stdout, again)
	}
}

// TestRouteIgnoresMissingEnv routes with none of the configuration's
// secrets set, and refuses a configuration with errors.
func TestRouteIgnoresMissingEnv(t *testing.T) {
	withStaticSchemas(t)
	for name := range configtest.Env {
		t.Setenv(name, "") // restored after the test
		if err := os.Unsetenv(name); err != nil {
			t.Fatal(err)
		}
	}
	code, stdout, stderr := run(t, "route", "-config", configFixture("valid/quickstart"), "-merchant", "acme", "-amount", "1", "-currency", "VND", "-method", "qr")
	if code != 0 || !strings.Contains(stdout, "appotapay.vn") {
		t.Errorf("exit %d\n%s\n%s", code, stdout, stderr)
	}
	code, _, stderr = run(t, "route", "-config", configFixture("invalid/routes.hcl"), "-merchant", "acme", "-amount", "1", "-currency", "USD")
	if code != 1 || !strings.Contains(stderr, "Error: Duplicate route") || !strings.Contains(stderr, "fix them") {
		t.Errorf("exit %d\n%s", code, stderr)
	}
}
