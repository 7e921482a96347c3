package reddot

import (
	"fmt"
	"net/url"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/payhost/payhost/plugin"
)

// The attributes of a provider "reddot" block.
const (
	attrEndpoint      = "endpoint"
	attrMerchantAPI   = "merchant_api_endpoint"
	attrMID           = "mid"
	attrSecretKey     = "secret_key"
	attrMIDs          = "mids"
	attrSecrets       = "secrets"
	attrUniqueOrderID = "unique_order_id"
	attrTimeout       = "timeout"
)

// RDP's hosts (GATEWAYS.md §3.1). The development host is
// https://secure-dev.reddotpayment.com and the test Merchant API
// https://test.reddotpayment.com/instanpanel/api/payment; `payhost
// sandbox` serves both APIs at http://127.0.0.1:8903.
const (
	productionEndpoint    = "https://secure.reddotpayment.com"
	productionMerchantAPI = "https://connect.reddotpayment.com/instanpanel/api/payment"
	defaultTimeout        = 30 * time.Second
)

// maxMIDLength is RDP's mid column, VARCHAR(20).
const maxMIDLength = 20

// schema is the configuration a provider "reddot" block takes.
var schema = plugin.Schema{Attributes: []plugin.Attribute{
	{
		Name: attrEndpoint, Type: plugin.TypeString, Default: productionEndpoint,
		Description: "Base URL of RDP's token, payment and query APIs: production " + productionEndpoint +
			" (the default), development https://secure-dev.reddotpayment.com, or the local emulator of `payhost sandbox`, http://127.0.0.1:8903.",
	},
	{
		Name: attrMerchantAPI, Type: plugin.TypeString, Default: productionMerchantAPI,
		Description: "URL of RDP's Merchant API (capture, void, refund): production " + productionMerchantAPI +
			" (the default), test https://test.reddotpayment.com/instanpanel/api/payment, or http://127.0.0.1:8903/instanpanel/api/payment with `payhost sandbox`.",
	},
	{
		Name: attrMID, Type: plugin.TypeString, Required: true,
		Description: "Your RDP merchant id (MID). It takes every currency that mids does not name, and the tokens of tokenizations without a currency.",
	},
	{
		Name: attrSecretKey, Type: plugin.TypeString, Required: true, Sensitive: true,
		Description: "The secret key of mid (128 characters): it signs requests and verifies RDP's answers and notifications.",
	},
	{
		Name: attrMIDs, Type: plugin.TypeMapOfString,
		Description: "For merchants with several MIDs: the MID of each currency (ISO 4217 code = MID). Payments and tokenizations in that currency go to that MID, signed with its secret.",
	},
	{
		Name: attrSecrets, Type: plugin.TypeMapOfString, Sensitive: true,
		Description: "The secret key of every MID in mids other than mid (MID = secret). Answers and notifications are verified with the secret of the MID that asked (request_mid).",
	},
	{
		Name: attrUniqueOrderID, Type: plugin.TypeBool, Default: false,
		Description: "Set when RDP enforces unique order ids on your MIDs (ask support@reddotpayment.com). Queries then find a payment or token by its order id: a payment whose answer was lost is found, and a token removal is seen by GetToken.",
	},
	{
		Name: attrTimeout, Type: plugin.TypeDuration, Default: defaultTimeout.String(),
		Description: "How long one call to RDP may take. A call that times out after it was sent has an unknown outcome, resolved by a status query.",
	},
}}

// config is one instance's validated configuration.
type config struct {
	endpoint    string // without a trailing slash
	merchantAPI string
	mid         string
	// mids maps a currency to its MID; currencies left out use mid.
	mids map[string]string
	// secrets holds the secret of every MID, mid's included.
	secrets       map[string]plugin.Secret
	uniqueOrderID bool
	timeout       time.Duration
}

// parseConfig validates an instance's configuration. Errors are
// invalid_request naming the attribute, and never show a secret.
func parseConfig(c plugin.Config) (*config, []string, error) {
	cfg := &config{
		endpoint: productionEndpoint, merchantAPI: productionMerchantAPI,
		mid: c.String(attrMID), mids: map[string]string{}, secrets: map[string]plugin.Secret{},
		uniqueOrderID: c.Bool(attrUniqueOrderID), timeout: defaultTimeout,
	}
	var err error
	if c.Has(attrEndpoint) {
		if cfg.endpoint, err = parseURL(attrEndpoint, c.String(attrEndpoint)); err != nil {
			return nil, nil, err
		}
	}
	if c.Has(attrMerchantAPI) {
		if cfg.merchantAPI, err = parseURL(attrMerchantAPI, c.String(attrMerchantAPI)); err != nil {
			return nil, nil, err
		}
	}
	if c.Has(attrTimeout) {
		if cfg.timeout = c.Duration(attrTimeout); cfg.timeout <= 0 {
			return nil, nil, plugin.InvalidRequest(attrTimeout, "timeout must be a positive duration such as \"30s\"")
		}
	}
	if err := checkMID(attrMID, cfg.mid); err != nil {
		return nil, nil, err
	}
	secret := c.Secret(attrSecretKey)
	if secret.IsEmpty() {
		return nil, nil, plugin.InvalidRequest(attrSecretKey, "secret_key is required: the secret RDP gave for mid %s", cfg.mid)
	}
	cfg.secrets[cfg.mid] = secret
	for _, m := range sortedKeys(c.StringMap(attrSecrets)) {
		if err := checkMID(attrSecrets, m); err != nil {
			return nil, nil, err
		}
		s := c.StringMap(attrSecrets)[m]
		switch {
		case s == "":
			return nil, nil, plugin.InvalidRequest(attrSecrets, "the secret of MID %s is empty", m)
		case m == cfg.mid && s != secret.Reveal():
			return nil, nil, plugin.InvalidRequest(attrSecrets, "secrets gives MID %s a secret other than secret_key; leave mid out of secrets", m)
		}
		cfg.secrets[m] = plugin.NewSecret(s)
	}
	used := map[string]bool{cfg.mid: true}
	for _, currency := range sortedKeys(c.StringMap(attrMIDs)) {
		m := c.StringMap(attrMIDs)[currency]
		if _, ok := plugin.CurrencyExponent(currency); !ok {
			return nil, nil, plugin.InvalidRequest(attrMIDs, "%q is not an ISO 4217 currency code such as SGD", currency)
		}
		if err := checkMID(attrMIDs, m); err != nil {
			return nil, nil, err
		}
		if _, ok := cfg.secrets[m]; !ok {
			return nil, nil, plugin.InvalidRequest(attrSecrets, "MID %s (currency %s in mids) has no secret; add it to secrets", m, currency)
		}
		cfg.mids[currency], used[m] = m, true
	}
	var warnings []string
	for _, m := range sortedKeys(cfg.secrets) {
		if !used[m] {
			warnings = append(warnings, fmt.Sprintf("secrets names MID %s, which neither mid nor mids uses; its notifications are still verified", m))
		}
	}
	return cfg, warnings, nil
}

// parseURL checks an endpoint attribute: an absolute http or https URL.
func parseURL(attr, raw string) (string, error) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" {
		return "", plugin.InvalidRequest(attr, "%s must be an absolute http or https URL without a query, such as %s", attr, productionEndpoint)
	}
	return strings.TrimRight(raw, "/"), nil
}

// checkMID checks a MID named in attr: set, at most 20 characters, no
// spaces.
func checkMID(attr, mid string) error {
	if mid == "" || len(mid) > maxMIDLength || strings.ContainsAny(mid, " \t\r\n") {
		return plugin.InvalidRequest(attr, "MID %q must be 1 to %d characters without spaces", mid, maxMIDLength)
	}
	return nil
}

// midFor is the MID that takes currency.
func (c *config) midFor(currency string) string {
	if m, ok := c.mids[currency]; ok {
		return m
	}
	return c.mid
}

// candidateMIDs lists the MIDs a query may find a transaction at: the
// currency's MID when the currency is known, else mid and then every other
// configured MID.
func (c *config) candidateMIDs(currency string) []string {
	if currency != "" {
		return []string{c.midFor(currency)}
	}
	out := []string{c.mid}
	for _, m := range sortedKeys(c.secrets) {
		if !slices.Contains(out, m) {
			out = append(out, m)
		}
	}
	return out
}

// secretOf is the secret of mid, if the instance has one.
func (c *config) secretOf(mid string) (plugin.Secret, bool) {
	s, ok := c.secrets[mid]
	return s, ok
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
