package webhook

import (
	"testing"

	"github.com/payhost/payhost/internal/config"
	"github.com/payhost/payhost/plugin"
)

func TestConfigEndpoints(t *testing.T) {
	endpoints := ConfigEndpoints(map[string]*config.Merchant{
		"acme": {ID: "acme", Webhook: &config.Webhook{URL: "https://acme.example/events", Secret: plugin.NewSecret("whsec_acme")}},
		"solo": {ID: "solo"},
	})
	tests := []struct {
		merchant   string
		url        string
		secret     string
		registered bool
	}{
		{"acme", "https://acme.example/events", "whsec_acme", true},
		{"solo", "", "", false},
		{"nobody", "", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.merchant, func(t *testing.T) {
			e, ok := endpoints.Endpoint(tt.merchant)
			if ok != tt.registered || e.URL != tt.url || e.Secret.Reveal() != tt.secret {
				t.Errorf("Endpoint(%q) = %q, %t; want %q, %t", tt.merchant, e.URL, ok, tt.url, tt.registered)
			}
		})
	}
}
