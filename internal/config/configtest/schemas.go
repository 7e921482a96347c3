package configtest

import (
	"github.com/payhost/payhost/internal/config"
	"github.com/payhost/payhost/plugin"
)

// Env is the environment the fixtures read with env().
var Env = map[string]string{
	"ACME_API_KEY":        "acme_live_7f3a9c2e4b1d8f60",
	"ACME_WEBHOOK_SECRET": "whsec_acme_5d2c8e1f9a7b",
	"SHOP_API_KEY":        "shop_live_0a1b2c3d4e5f6789",
	"APPOTA_API_KEY":      "appota_key_c0ffee00c0ffee",
	"APPOTA_SECRET_KEY":   "appota_secret_deadbeefdead",
	"REDDOT_SECRET":       "reddot_secret_1234567890ab",
	"PAYHOST_PG_DSN":      "postgres://payhost:pg-s3cret@db/payhost",
	"EMPTY":               "",
}

// LookupEnv reads Env, for config.Loader.LookupEnv.
func LookupEnv(name string) (string, bool) {
	v, ok := Env[name]
	return v, ok
}

// Loader is a config.Loader over Schemas and Env.
func Loader() config.Loader {
	return config.Loader{Schemas: Schemas(), LookupEnv: LookupEnv}
}

// Schemas returns the infos of the provider types appotapay (bank, wallet
// and QR payments in VND), reddot (cards and tokens in SGD, USD and MYR,
// with manual capture) and redotpay (cards and wallets in any currency,
// automatic capture only).
func Schemas() config.StaticSchemas {
	return config.StaticSchemas{
		"appotapay": {
			Type:    "appotapay",
			Version: "1.0.0",
			Capabilities: plugin.Capabilities{
				Operations: []plugin.Operation{plugin.OpCreatePayment, plugin.OpGetPayment, plugin.OpRefund, plugin.OpCallbacks},
				Methods:    []plugin.PaymentMethod{plugin.MethodBank, plugin.MethodWallet, plugin.MethodQR},
				Currencies: []string{"VND"},
			},
			Schema: plugin.Schema{Attributes: []plugin.Attribute{
				{Name: "endpoint", Type: plugin.TypeString, Required: true, Description: "Gateway base URL."},
				{Name: "partner_code", Type: plugin.TypeString, Required: true, Description: "Partner code."},
				{Name: "api_key", Type: plugin.TypeString, Required: true, Sensitive: true, Description: "API key."},
				{Name: "secret_key", Type: plugin.TypeString, Required: true, Sensitive: true, Description: "Signing secret."},
				{Name: "timeout", Type: plugin.TypeDuration, Default: "30s", Description: "Request timeout."},
			}},
		},
		"reddot": {
			Type:    "reddot",
			Version: "1.0.0",
			Capabilities: plugin.Capabilities{
				Operations: []plugin.Operation{
					plugin.OpCreatePayment, plugin.OpAuthorize, plugin.OpCapture, plugin.OpVoid,
					plugin.OpRefund, plugin.OpGetPayment, plugin.OpTokenize, plugin.OpCallbacks,
				},
				Methods:    []plugin.PaymentMethod{plugin.MethodCard, plugin.MethodToken},
				Currencies: []string{"SGD", "USD", "MYR"},
			},
			Schema: plugin.Schema{Attributes: []plugin.Attribute{
				{Name: "endpoint", Type: plugin.TypeString, Required: true},
				{Name: "merchant_id", Type: plugin.TypeString, Required: true},
				{Name: "secret_key", Type: plugin.TypeString, Required: true, Sensitive: true},
				{Name: "max_retries", Type: plugin.TypeNumber, Default: int64(2)},
				{Name: "test_mode", Type: plugin.TypeBool, Default: false},
			}},
		},
		"redotpay": {
			Type:    "redotpay",
			Version: "1.0.0",
			Capabilities: plugin.Capabilities{
				Operations: []plugin.Operation{plugin.OpCreatePayment, plugin.OpRefund, plugin.OpGetPayment},
				Methods:    []plugin.PaymentMethod{plugin.MethodCard, plugin.MethodWallet},
			},
			Schema: plugin.Schema{Attributes: []plugin.Attribute{
				{Name: "endpoint", Type: plugin.TypeString, Required: true},
				{Name: "client_id", Type: plugin.TypeString, Required: true},
				{Name: "signing_material", Type: plugin.TypeString, Sensitive: true},
				{Name: "tags", Type: plugin.TypeListString},
				{Name: "headers", Type: plugin.TypeMapOfString},
			}},
		},
	}
}
