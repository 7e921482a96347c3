package appotapay

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/payhost/payhost/plugin"
)

func TestSchemaIsValid(t *testing.T) {
	if err := schema.Validate(); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{attrAPIKey, attrSecretKey} {
		if a, _ := schema.Attribute(name); !a.Sensitive || !a.Required {
			t.Errorf("%s must be required and sensitive: %+v", name, a)
		}
	}
}

// TestSettingsDefaults: an unset attribute takes the schema's default, as
// when the host applies it.
func TestSettingsDefaults(t *testing.T) {
	cfg, err := plugin.NewConfig(map[string]any{attrPartnerCode: "P", attrAPIKey: "key", attrSecretKey: "secret"})
	if err != nil {
		t.Fatal(err)
	}
	s, warnings, err := settingsFrom(cfg, "https://payhost.example/cb")
	if err != nil {
		t.Fatal(err)
	}
	if s.endpoint != ProductionEndpoint || s.version != version11 || s.paymentMethod != "ATM" || s.bankCode != "" ||
		s.jwtTTL != 5*time.Minute || s.timeout != 30*time.Second || s.notifyURL != "https://payhost.example/cb" {
		t.Errorf("defaults: %+v", s)
	}
	if len(warnings) != 0 {
		t.Errorf("warnings %q", warnings)
	}
}

// TestSettingsRefused: each bad attribute is refused as invalid_request
// naming it.
func TestSettingsRefused(t *testing.T) {
	cases := []struct {
		name  string
		attr  string
		value any
	}{
		{"relative endpoint", attrEndpoint, "payment.appotapay.com"},
		{"ftp endpoint", attrEndpoint, "ftp://payment.appotapay.com"},
		{"endpoint with a query", attrEndpoint, "https://payment.appotapay.com/?x=1"},
		{"api version 2.0", attrAPIVersion, "2.0"},
		{"api version 1.2", attrAPIVersion, "1.2"},
		{"empty partner code", attrPartnerCode, ""},
		{"empty API key", attrAPIKey, ""},
		{"empty secret key", attrSecretKey, ""},
		{"unknown payment method", attrPaymentMethod, "CASH"},
		{"lower-case payment method", attrPaymentMethod, "atm"},
		{"bad bank code", attrBankCode, "Vietcombank!"},
		{"zero JWT lifetime", attrJWTTTL, "0s"},
		{"negative timeout", attrTimeout, "-1s"},
		{"timeout not a duration", attrTimeout, "soon"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := settingsFrom(testConfig(t, SandboxEndpoint, map[string]any{tc.attr: tc.value}), "https://payhost.example/cb")
			var pe *plugin.Error
			if !asPluginError(err, &pe) || pe.Kind != plugin.KindInvalidRequest || pe.Param != tc.attr || !strings.Contains(pe.Message, tc.attr) {
				t.Fatalf("%s = %v: %v; want invalid_request naming %s", tc.attr, tc.value, err, tc.attr)
			}
		})
	}
}

func TestSettingsWarnings(t *testing.T) {
	cases := []struct {
		name        string
		endpoint    string
		callbackURL string
		want        string
	}{
		{"plain http away from this machine", "http://payment.appotapay.com", "https://payhost.example/cb", "plain http"},
		{"no callback URL", SandboxEndpoint, "", "no callback URL"},
		{"local emulator", EmulatorEndpoint, "https://payhost.example/cb", ""},
		{"localhost", "http://localhost:8902/", "https://payhost.example/cb", ""},
	}
	for _, tc := range cases {
		s, warnings, err := settingsFrom(testConfig(t, tc.endpoint, nil), tc.callbackURL)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		got := strings.Join(warnings, "\n")
		if (tc.want == "") != (got == "") || !strings.Contains(got, tc.want) {
			t.Errorf("%s: warnings %q, want one about %q", tc.name, got, tc.want)
		}
		if strings.HasSuffix(s.endpoint, "/") {
			t.Errorf("%s: endpoint %q keeps its trailing slash", tc.name, s.endpoint)
		}
	}
}

// TestNotConfigured: calls before Configure are kind internal.
func TestNotConfigured(t *testing.T) {
	p := New()
	ctx := context.Background()
	calls := map[string]func() error{
		"CreatePayment":  func() error { _, err := p.CreatePayment(ctx, &plugin.CreatePaymentRequest{}); return err },
		"GetPayment":     func() error { _, err := p.GetPayment(ctx, &plugin.GetPaymentRequest{}); return err },
		"Refund":         func() error { _, err := p.Refund(ctx, &plugin.RefundRequest{}); return err },
		"GetRefund":      func() error { _, err := p.GetRefund(ctx, &plugin.GetRefundRequest{}); return err },
		"HandleCallback": func() error { _, err := p.HandleCallback(ctx, &plugin.HandleCallbackRequest{}); return err },
	}
	for name, call := range calls {
		if err := call(); plugin.KindOf(err) != plugin.KindInternal {
			t.Errorf("%s before Configure: %v, want kind internal", name, err)
		}
	}
}

// TestSettingsV2Endpoint: API v2 lives on other hosts; pointing it at a
// v1.x host is refused naming endpoint.
func TestSettingsV2Endpoint(t *testing.T) {
	cases := []struct {
		endpoint string
		ok       bool
	}{
		{ProductionEndpoint, false},
		{SandboxEndpoint, false},
		{ProductionEndpointV2, true},
		{SandboxEndpointV2, true},
		{EmulatorEndpoint, true},
	}
	for _, tc := range cases {
		s, _, err := settingsFrom(testConfig(t, tc.endpoint, map[string]any{attrAPIVersion: version2}), "https://payhost.example/cb")
		if tc.ok {
			if err != nil || s.version != version2 {
				t.Errorf("v2 at %s: %v", tc.endpoint, err)
			}
			continue
		}
		var pe *plugin.Error
		if !asPluginError(err, &pe) || pe.Param != attrEndpoint || !strings.Contains(pe.Message, ProductionEndpointV2) {
			t.Errorf("v2 at %s: %v; want invalid_request naming endpoint and the v2 host", tc.endpoint, err)
		}
	}
}
