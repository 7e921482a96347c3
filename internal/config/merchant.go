package config

import (
	"fmt"
	"net/url"

	"github.com/hashicorp/hcl/v2"

	"github.com/payhost/payhost/plugin"
)

// MinAPIKeyLength is the length under which an API key draws a warning.
const MinAPIKeyLength = 16

// Merchant is a merchant "<id>" block: a client of the payment API, its
// keys, where its events go, and how its payments are routed.
type Merchant struct {
	ID string
	// APIKeys are the keys the merchant authenticates with (several during
	// a rotation).
	APIKeys []APIKey
	// Webhook is where the merchant's events are delivered; nil for none.
	Webhook *Webhook
	// Routes in declaration order: the first that matches wins.
	Routes    []*Route
	DeclRange hcl.Range
	IDRange   hcl.Range
}

// APIKey is one merchant API key.
type APIKey struct {
	Key plugin.Secret
	// Range is the expression that gave the key.
	Range hcl.Range
}

// Webhook is a merchant's webhook block.
type Webhook struct {
	// URL receives the merchant's events, signed with Secret.
	URL         string
	Secret      plugin.Secret
	SecretRange hcl.Range
	DeclRange   hcl.Range
}

// Route returns the merchant's route of that name, or nil.
func (m *Merchant) Route(name string) *Route {
	for _, r := range m.Routes {
		if r.Name == name {
			return r
		}
	}
	return nil
}

var merchantSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{{Name: "api_key"}, {Name: "api_keys"}},
	Blocks: []hcl.BlockHeaderSchema{
		{Type: "webhook"},
		{Type: "route", LabelNames: []string{"name"}},
	},
}

var webhookSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "url", Required: true},
		{Name: "secret", Required: true},
	},
}

func decodeMerchantBlock(block *hcl.Block, ctx *hcl.EvalContext) (*Merchant, hcl.Diagnostics) {
	m := &Merchant{ID: block.Labels[0], DeclRange: block.DefRange, IDRange: block.LabelRanges[0]}
	diags := checkName("merchant id", m.ID, m.IDRange)
	content, d := bodyContent(block.Body, merchantSchema)
	diags = append(diags, d...)
	m.APIKeys, d = decodeAPIKeys(m, content, ctx)
	diags = append(diags, d...)
	for _, b := range content.Blocks {
		switch b.Type {
		case "webhook":
			w, d := decodeWebhookBlock(b, ctx)
			diags = append(diags, d...)
			if m.Webhook != nil {
				diags = diags.Append(duplicate("Duplicate webhook block", "A webhook", m.Webhook.DeclRange, b.DefRange,
					"A merchant has one webhook; remove one of them."))
				continue
			}
			m.Webhook = w
		case "route":
			r, d := decodeRouteBlock(b, ctx)
			diags = append(diags, d...)
			if prev := m.Route(r.Name); prev != nil {
				diags = diags.Append(duplicate("Duplicate route", fmt.Sprintf("A route named %q", r.Name), prev.DeclRange, r.NameRange,
					"Route names must be unique within a merchant; rename one of them."))
				continue
			}
			m.Routes = append(m.Routes, r)
		}
	}
	return m, append(diags, checkRouteOrder(m)...)
}

// decodeAPIKeys reads api_key, or api_keys for several keys.
func decodeAPIKeys(m *Merchant, content *hcl.BodyContent, ctx *hcl.EvalContext) ([]APIKey, hcl.Diagnostics) {
	one, hasOne := content.Attributes["api_key"]
	many, hasMany := content.Attributes["api_keys"]
	var keys []APIKey
	var diags hcl.Diagnostics
	switch {
	case hasOne && hasMany:
		return nil, hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Conflicting API key arguments",
			Detail:   "Set either api_key (one key) or api_keys (several, during a rotation), not both; move the key of api_key into api_keys.",
			Subject:  many.NameRange.Ptr(),
		}}
	case hasOne:
		k, d := evalSecret(one, ctx)
		diags = d
		if !d.HasErrors() {
			keys = []APIKey{{Key: k, Range: one.Expr.Range()}}
		}
	case hasMany:
		keys, diags = decodeAPIKeyList(many, ctx)
	}
	if len(keys) == 0 && !diags.HasErrors() {
		subject := m.DeclRange
		if hasMany {
			subject = many.Expr.Range()
		}
		return nil, diags.Append(&hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Missing API key",
			Detail:   fmt.Sprintf("Merchant %q has no API key, so it cannot call the API. Add api_key = env(\"...\") with a long random key.", m.ID),
			Subject:  subject.Ptr(),
		})
	}
	for _, k := range keys {
		if len(k.Key.Reveal()) < MinAPIKeyLength {
			diags = diags.Append(&hcl.Diagnostic{
				Severity: hcl.DiagWarning,
				Summary:  "Short API key",
				Detail:   fmt.Sprintf("This API key has fewer than %d characters and could be guessed. Use a long random key, such as the output of `openssl rand -hex 32`.", MinAPIKeyLength),
				Subject:  k.Range.Ptr(),
			})
		}
	}
	return keys, diags
}

// decodeAPIKeyList reads api_keys, keeping each element's range when the
// list is written out.
func decodeAPIKeyList(attr *hcl.Attribute, ctx *hcl.EvalContext) ([]APIKey, hcl.Diagnostics) {
	values, diags := evalStrings(attr, ctx, true)
	if diags.HasErrors() {
		return nil, diags
	}
	exprs, d := hcl.ExprList(attr.Expr)
	keys := make([]APIKey, len(values))
	for i, v := range values {
		rng := attr.Expr.Range()
		if !d.HasErrors() && len(exprs) == len(values) {
			rng = exprs[i].Range()
		}
		if v == "" {
			diags = diags.Append(emptySecretAt(attr.Name, rng))
		}
		keys[i] = APIKey{Key: plugin.NewSecret(v), Range: rng}
	}
	if diags.HasErrors() {
		return nil, diags
	}
	return keys, diags
}

func decodeWebhookBlock(block *hcl.Block, ctx *hcl.EvalContext) (*Webhook, hcl.Diagnostics) {
	w := &Webhook{DeclRange: block.DefRange}
	content, diags := bodyContent(block.Body, webhookSchema)
	diags = append(diags, decodeStringAttr(content, "url", ctx, &w.URL, checkWebhookURL)...)
	if attr, ok := content.Attributes["secret"]; ok {
		w.SecretRange = attr.Expr.Range()
		var d hcl.Diagnostics
		w.Secret, d = evalSecret(attr, ctx)
		diags = append(diags, d...)
	}
	return w, diags
}

func checkWebhookURL(s string) (string, string) {
	u, err := url.Parse(s)
	switch {
	case err != nil:
	case u.Scheme != "http" && u.Scheme != "https":
		err = fmt.Errorf("the scheme must be http or https")
	case u.Host == "":
		err = fmt.Errorf("it has no host")
	case u.User != nil || u.Fragment != "":
		err = fmt.Errorf("it must not have user information or a fragment")
	}
	if err != nil {
		return "Invalid webhook URL", fmt.Sprintf("%q cannot receive events: %s. Write the absolute URL of the merchant's endpoint, such as %q.", s, err, "https://shop.example/payhost/events")
	}
	return "", ""
}

// checkRouteOrder warns about routes after one that matches every payment,
// and about a merchant without such a route.
func checkRouteOrder(m *Merchant) hcl.Diagnostics {
	var diags hcl.Diagnostics
	var catchAll *Route
	for _, r := range m.Routes {
		if catchAll != nil {
			diags = diags.Append(&hcl.Diagnostic{
				Severity: hcl.DiagWarning,
				Summary:  "Unreachable route",
				Detail: fmt.Sprintf("Route %q comes after route %q (at %s), which matches every payment, so it is never used. Move it above %q, or remove it.",
					r.Name, catchAll.Name, catchAll.DeclRange, catchAll.Name),
				Subject: r.NameRange.Ptr(),
			})
			continue
		}
		if r.MatchesEverything() {
			catchAll = r
		}
	}
	switch {
	case len(m.Routes) == 0:
		diags = diags.Append(&hcl.Diagnostic{
			Severity: hcl.DiagWarning,
			Summary:  "Merchant has no routes",
			Detail:   fmt.Sprintf("Merchant %q has no route block, so only payments that name a provider can be made. Add routes, ending with one without when.", m.ID),
			Subject:  m.DeclRange.Ptr(),
		})
	case catchAll == nil:
		diags = diags.Append(&hcl.Diagnostic{
			Severity: hcl.DiagWarning,
			Summary:  "No route matches every payment",
			Detail:   fmt.Sprintf("Every route of merchant %q has a when, so a payment that matches none of them finds no provider. End the routes with one without when, as a fallback.", m.ID),
			Subject:  m.DeclRange.Ptr(),
		})
	}
	return diags
}

// duplicate reports a second declaration, saying where the first was.
func duplicate(summary, what string, first, second hcl.Range, fix string) *hcl.Diagnostic {
	return &hcl.Diagnostic{
		Severity: hcl.DiagError,
		Summary:  summary,
		Detail:   fmt.Sprintf("%s was already declared at %s. %s", what, first, fix),
		Subject:  second.Ptr(),
	}
}
