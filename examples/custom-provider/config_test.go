package tinypay

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/payhost/payhost/plugin"
)

func TestConfigure(t *testing.T) {
	valid := func() map[string]any {
		return map[string]any{attrEndpoint: "http://127.0.0.1:8904/", attrAPIKey: "tp_key_123", attrSecret: "tp_secret_456"}
	}
	cases := []struct {
		name   string
		change func(map[string]any)
		param  string // "" when Configure accepts
	}{
		{"valid", func(map[string]any) {}, ""},
		{"timeout", func(m map[string]any) { m[attrTimeout] = "5s" }, ""},
		{"endpoint not a URL", func(m map[string]any) { m[attrEndpoint] = "127.0.0.1:8904" }, attrEndpoint},
		{"endpoint with a query", func(m map[string]any) { m[attrEndpoint] = "https://api.tinypay.example?x=1" }, attrEndpoint},
		{"endpoint ftp", func(m map[string]any) { m[attrEndpoint] = "ftp://api.tinypay.example" }, attrEndpoint},
		{"no api key", func(m map[string]any) { delete(m, attrAPIKey) }, attrAPIKey},
		{"empty secret", func(m map[string]any) { m[attrSecret] = "" }, attrSecret},
		{"zero timeout", func(m map[string]any) { m[attrTimeout] = "0s" }, attrTimeout},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			values := valid()
			tc.change(values)
			c, err := plugin.NewConfig(values)
			if err != nil {
				t.Fatal(err)
			}
			_, err = New().Configure(context.Background(), &plugin.ConfigureRequest{Instance: "tinypay.t", Config: c, CallbackURL: "http://h/cb"})
			if tc.param == "" {
				if err != nil {
					t.Fatalf("Configure: %v", err)
				}
				return
			}
			var pe *plugin.Error
			if !asError(err, &pe) || pe.Kind != plugin.KindInvalidRequest || pe.Param != tc.param {
				t.Fatalf("Configure = %v; want invalid_request naming %s", err, tc.param)
			}
			if msg := fmt.Sprint(err); strings.Contains(msg, "tp_key_123") || strings.Contains(msg, "tp_secret_456") {
				t.Errorf("the error shows a credential: %s", msg)
			}
		})
	}
}

func TestConfigureWarnsWithoutCallbackURL(t *testing.T) {
	c, _ := plugin.NewConfig(map[string]any{attrEndpoint: "http://127.0.0.1:8904", attrAPIKey: "k", attrSecret: "s"})
	resp, err := New().Configure(context.Background(), &plugin.ConfigureRequest{Instance: "tinypay.t", Config: c})
	if err != nil || len(resp.Warnings) != 1 {
		t.Fatalf("Configure without a callback URL = %+v, %v; want one warning", resp, err)
	}
}

func TestSchemaIsValid(t *testing.T) {
	if err := schema.Validate(); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{attrAPIKey, attrSecret} {
		if a, _ := schema.Attribute(name); !a.Sensitive || !a.Required {
			t.Errorf("%s must be required and sensitive", name)
		}
	}
}
