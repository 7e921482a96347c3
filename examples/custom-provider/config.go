package tinypay

import (
	"net/url"
	"strings"
	"time"

	"github.com/payhost/payhost/plugin"
)

// The attributes of a provider "tinypay" block.
const (
	attrEndpoint = "endpoint"
	attrAPIKey   = "api_key"
	attrSecret   = "secret"
	attrTimeout  = "timeout"
)

// defaultTimeout bounds one call to tinypay unless timeout says otherwise.
const defaultTimeout = 30 * time.Second

// schema is the configuration a provider "tinypay" block takes.
var schema = plugin.Schema{Attributes: []plugin.Attribute{
	{
		Name: attrEndpoint, Type: plugin.TypeString, Required: true,
		Description: "Base URL of tinypay's API, such as http://127.0.0.1:8904 for the emulator (cmd/tinypay-emulator).",
	},
	{
		Name: attrAPIKey, Type: plugin.TypeString, Required: true, Sensitive: true,
		Description: "The merchant's API key, sent with every request in the Tinypay-Key header.",
	},
	{
		Name: attrSecret, Type: plugin.TypeString, Required: true, Sensitive: true,
		Description: "The merchant's signing secret: signs every request and verifies tinypay's callbacks (HMAC-SHA256).",
	},
	{
		Name: attrTimeout, Type: plugin.TypeDuration, Default: defaultTimeout.String(),
		Description: "How long one call to tinypay may take. A call that times out after it was sent has an unknown outcome, resolved by a status query.",
	},
}}

// config is one instance's validated configuration.
type config struct {
	endpoint string // without a trailing slash
	apiKey   plugin.Secret
	secret   plugin.Secret
	timeout  time.Duration
}

// parseConfig validates an instance's configuration. Errors are
// invalid_request naming the attribute, and never show a credential.
func parseConfig(c plugin.Config) (*config, error) {
	cfg := &config{apiKey: c.Secret(attrAPIKey), secret: c.Secret(attrSecret), timeout: defaultTimeout}
	raw := c.String(attrEndpoint)
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return nil, plugin.InvalidRequest(attrEndpoint, "endpoint must be an absolute http or https URL without a query, such as http://127.0.0.1:8904")
	}
	cfg.endpoint = strings.TrimRight(raw, "/")
	switch {
	case cfg.apiKey.IsEmpty():
		return nil, plugin.InvalidRequest(attrAPIKey, "api_key is required: the API key tinypay gave the merchant")
	case cfg.secret.IsEmpty():
		return nil, plugin.InvalidRequest(attrSecret, "secret is required: the signing secret tinypay gave the merchant")
	}
	if c.Has(attrTimeout) {
		if cfg.timeout = c.Duration(attrTimeout); cfg.timeout <= 0 {
			return nil, plugin.InvalidRequest(attrTimeout, "timeout must be a positive duration such as \"30s\"")
		}
	}
	return cfg, nil
}
