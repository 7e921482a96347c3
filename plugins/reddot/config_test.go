package reddot

import (
	"strings"
	"testing"
	"time"

	emulator "github.com/payhost/payhost/internal/sandbox/reddot"
	"github.com/payhost/payhost/plugin"
)

func TestSchema(t *testing.T) {
	if err := schema.Validate(); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{attrSecretKey, attrSecrets} {
		if a, _ := schema.Attribute(name); !a.Sensitive {
			t.Errorf("%s is not sensitive", name)
		}
	}
}

func TestParseConfigDefaults(t *testing.T) {
	cfg, warnings, err := parseConfig(newConfig(t, map[string]any{attrMID: "1000089029", attrSecretKey: "k"}, nil))
	if err != nil || len(warnings) != 0 {
		t.Fatalf("parseConfig = %v, %v", warnings, err)
	}
	if cfg.endpoint != productionEndpoint || cfg.merchantAPI != productionMerchantAPI || cfg.timeout != 30*time.Second || cfg.uniqueOrderID {
		t.Errorf("defaults: %+v", cfg)
	}
	if got := cfg.midFor("USD"); got != "1000089029" {
		t.Errorf("midFor(USD) = %s without mids", got)
	}
}

func TestParseConfigMIDs(t *testing.T) {
	cfg, warnings, err := parseConfig(newConfig(t, configValues("http://127.0.0.1:8903/"), map[string]any{
		attrSecrets: map[string]string{usdMID: usdSecret, "1000000009": "spare"},
	}))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.endpoint != "http://127.0.0.1:8903" {
		t.Errorf("endpoint %q keeps its trailing slash", cfg.endpoint)
	}
	if cfg.midFor("USD") != usdMID || cfg.midFor("SGD") != emulator.DefaultMID {
		t.Errorf("midFor: USD %s, SGD %s", cfg.midFor("USD"), cfg.midFor("SGD"))
	}
	if s, _ := cfg.secretOf(usdMID); s.Reveal() != usdSecret {
		t.Error("the USD MID does not get its secret")
	}
	if s, _ := cfg.secretOf(emulator.DefaultMID); s.Reveal() != emulator.DefaultSecret {
		t.Error("mid does not get secret_key")
	}
	if got := strings.Join(cfg.candidateMIDs(""), ","); got != emulator.DefaultMID+",1000000009,"+usdMID {
		t.Errorf("candidateMIDs without currency = %s", got)
	}
	if got := strings.Join(cfg.candidateMIDs("USD"), ","); got != usdMID {
		t.Errorf("candidateMIDs(USD) = %s", got)
	}
	if len(warnings) != 1 || !strings.Contains(warnings[0], "1000000009") {
		t.Errorf("warnings %q; want one about the unused MID", warnings)
	}
}

// TestParseConfigErrors: each error names the attribute at fault and
// never shows a secret.
func TestParseConfigErrors(t *testing.T) {
	cases := []struct {
		name  string
		edits map[string]any
		param string
	}{
		{"no mid", map[string]any{attrMID: nil}, attrMID},
		{"long mid", map[string]any{attrMID: strings.Repeat("1", 21)}, attrMID},
		{"no secret", map[string]any{attrSecretKey: nil}, attrSecretKey},
		{"relative endpoint", map[string]any{attrEndpoint: "secure.reddotpayment.com"}, attrEndpoint},
		{"ftp endpoint", map[string]any{attrEndpoint: "ftp://secure.reddotpayment.com"}, attrEndpoint},
		{"merchant API with a query", map[string]any{attrMerchantAPI: "https://connect.reddotpayment.com/instanpanel/api/payment?x=1"}, attrMerchantAPI},
		{"zero timeout", map[string]any{attrTimeout: "0s"}, attrTimeout},
		{"unknown currency", map[string]any{attrMIDs: map[string]string{"XXX": usdMID}}, attrMIDs},
		{"MID without a secret", map[string]any{attrMIDs: map[string]string{"USD": "1000000007"}}, attrSecrets},
		{"empty secret", map[string]any{attrSecrets: map[string]string{usdMID: ""}}, attrSecrets},
		{"mid with another secret", map[string]any{attrSecrets: map[string]string{emulator.DefaultMID: usdSecret, usdMID: usdSecret}}, attrSecrets},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := parseConfig(newConfig(t, configValues("http://127.0.0.1:8903"), tc.edits))
			pe, ok := err.(*plugin.Error)
			if !ok || pe.Kind != plugin.KindInvalidRequest || pe.Param != tc.param {
				t.Fatalf("parseConfig = %v; want invalid_request on %s", err, tc.param)
			}
			for _, s := range []string{emulator.DefaultSecret, usdSecret} {
				if strings.Contains(pe.Error(), s) {
					t.Errorf("the error shows a secret: %v", pe)
				}
			}
		})
	}
}
