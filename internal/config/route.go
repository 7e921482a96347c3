package config

import (
	"fmt"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

// MaxSplitWeight is the largest weight of a split block.
const MaxSplitWeight = 1_000_000

// Route is a merchant's route "<name>" block. The first route whose When is
// true for a payment wins; it sends the payment to Providers in order
// (primary, then fallbacks), or to one of Splits picked by weight.
type Route struct {
	Name string
	// When is an expression over payment (see PaymentType), evaluated in
	// WhenContext; nil matches every payment.
	When hcl.Expression
	// Providers or Splits, never both.
	Providers []ProviderRef
	Splits    []*Split
	DeclRange hcl.Range
	NameRange hcl.Range
	when      whenInfo
}

// MatchesEverything reports whether the route matches every payment: it has
// no when, or its when is true whatever the payment.
func (r *Route) MatchesEverything() bool { return r.When == nil || r.when.always }

// Targets returns the route's provider references in declaration order: its
// providers, or the providers of its splits.
func (r *Route) Targets() []ProviderRef {
	if len(r.Splits) == 0 {
		return r.Providers
	}
	refs := make([]ProviderRef, len(r.Splits))
	for i, s := range r.Splits {
		refs[i] = s.Provider
	}
	return refs
}

// ProviderRef is a reference provider.<type>.<name> to a provider block.
type ProviderRef struct {
	Type, Name string
	Range      hcl.Range
}

// Addr is the referenced instance's address, "type.name".
func (r ProviderRef) Addr() string { return ProviderAddr(r.Type, r.Name) }

// String is the reference as written, provider.<type>.<name>.
func (r ProviderRef) String() string { return "provider." + r.Addr() }

// Split is a split block: a share of a route's payments.
type Split struct {
	Provider ProviderRef
	// Weight is from 1 to MaxSplitWeight; the provider's share is its
	// weight over the sum of the route's weights.
	Weight    int64
	DeclRange hcl.Range
}

var routeSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{{Name: "when"}, {Name: "providers"}},
	Blocks:     []hcl.BlockHeaderSchema{{Type: "split"}},
}

var splitSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "provider", Required: true},
		{Name: "weight", Required: true},
	},
}

func decodeRouteBlock(block *hcl.Block, ctx *hcl.EvalContext) (*Route, hcl.Diagnostics) {
	r := &Route{Name: block.Labels[0], DeclRange: block.DefRange, NameRange: block.LabelRanges[0]}
	diags := checkName("route name", r.Name, r.NameRange)
	content, d := bodyContent(block.Body, routeSchema)
	diags = append(diags, d...)
	if attr, ok := content.Attributes["when"]; ok {
		r.When = attr.Expr
		r.when, d = checkWhen(attr)
		diags = append(diags, d...)
	}
	providers, hasProviders := content.Attributes["providers"]
	if hasProviders {
		r.Providers, d = decodeProviderRefList(providers)
		diags = append(diags, d...)
	}
	for _, b := range content.Blocks {
		s, d := decodeSplitBlock(b, ctx)
		diags = append(diags, d...)
		r.Splits = append(r.Splits, s)
	}
	switch {
	case hasProviders && len(r.Splits) > 0:
		diags = diags.Append(&hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Conflicting route targets",
			Detail:   "A route sends payments either to providers (in order: primary, then fallbacks) or to weighted split blocks, not both. Remove providers or the split blocks.",
			Subject:  providers.NameRange.Ptr(),
		})
	case hasProviders && len(r.Providers) == 0 && !diags.HasErrors():
		diags = diags.Append(noProviders(r, providers.Expr.Range()))
	case !hasProviders && len(r.Splits) == 0:
		diags = diags.Append(noProviders(r, r.DeclRange))
	}
	return r, append(diags, checkDuplicateTargets(r)...)
}

func noProviders(r *Route, subject hcl.Range) *hcl.Diagnostic {
	return &hcl.Diagnostic{
		Severity: hcl.DiagError,
		Summary:  "Route has no providers",
		Detail:   fmt.Sprintf("Route %q does not say where payments go. Add providers = [provider.<type>.<name>, ...], or split blocks with a provider and a weight.", r.Name),
		Subject:  subject.Ptr(),
	}
}

// checkDuplicateTargets refuses a provider that appears twice in a route.
func checkDuplicateTargets(r *Route) hcl.Diagnostics {
	var diags hcl.Diagnostics
	seen := map[string]hcl.Range{}
	for _, ref := range r.Targets() {
		if ref.Type == "" {
			continue // an invalid reference, already reported
		}
		if first, ok := seen[ref.Addr()]; ok {
			diags = diags.Append(duplicate("Duplicate provider in route", ref.String(), first, ref.Range,
				"A provider appears once per route; remove one of them."))
			continue
		}
		seen[ref.Addr()] = ref.Range
	}
	return diags
}

func decodeSplitBlock(block *hcl.Block, ctx *hcl.EvalContext) (*Split, hcl.Diagnostics) {
	s := &Split{DeclRange: block.DefRange}
	content, diags := bodyContent(block.Body, splitSchema)
	if attr, ok := content.Attributes["provider"]; ok {
		var d hcl.Diagnostics
		s.Provider, d = decodeProviderRef(attr.Expr)
		diags = append(diags, d...)
	}
	if attr, ok := content.Attributes["weight"]; ok {
		var d hcl.Diagnostics
		s.Weight, d = decodeWeight(attr, ctx)
		diags = append(diags, d...)
	}
	return s, diags
}

// decodeWeight reads a split's weight: a whole number from 1 to
// MaxSplitWeight.
func decodeWeight(attr *hcl.Attribute, ctx *hcl.EvalContext) (int64, hcl.Diagnostics) {
	v, diags := evalAttr(attr, ctx, cty.Number, false)
	if diags.HasErrors() {
		return 0, diags
	}
	n, err := wholeNumber(v)
	if err == nil && (n < 1 || n > MaxSplitWeight) {
		err = fmt.Errorf("%d is not from 1 to %d", n, MaxSplitWeight)
	}
	if err != nil {
		return 0, diags.Append(&hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Invalid split weight",
			Detail: fmt.Sprintf("A split's weight must be a whole number from 1 to %d (%s); the provider gets its weight over the sum of the route's weights. To send a provider nothing, remove its split.",
				MaxSplitWeight, err),
			Subject: attr.Expr.Range().Ptr(),
		})
	}
	return n, diags
}

// decodeProviderRefList reads a providers list.
func decodeProviderRefList(attr *hcl.Attribute) ([]ProviderRef, hcl.Diagnostics) {
	exprs, diags := hcl.ExprList(attr.Expr)
	if diags.HasErrors() {
		return nil, hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Invalid providers list",
			Detail:   "providers must be a list of provider references, primary first, such as [provider.appotapay.vn, provider.reddot.sg].",
			Subject:  attr.Expr.Range().Ptr(),
		}}
	}
	var refs []ProviderRef
	for _, e := range exprs {
		ref, d := decodeProviderRef(e)
		diags = append(diags, d...)
		if !d.HasErrors() {
			refs = append(refs, ref)
		}
	}
	return refs, diags
}

// decodeProviderRef reads provider.<type>.<name>.
func decodeProviderRef(expr hcl.Expression) (ProviderRef, hcl.Diagnostics) {
	tr, diags := hcl.AbsTraversalForExpr(expr)
	if !diags.HasErrors() && len(tr) == 3 && tr.RootName() == "provider" {
		typ, ok1 := tr[1].(hcl.TraverseAttr)
		name, ok2 := tr[2].(hcl.TraverseAttr)
		if ok1 && ok2 {
			return ProviderRef{Type: typ.Name, Name: name.Name, Range: expr.Range()}, nil
		}
	}
	return ProviderRef{}, hcl.Diagnostics{{
		Severity: hcl.DiagError,
		Summary:  "Invalid provider reference",
		Detail:   "A provider is referenced as provider.<type>.<name>, without quotes, such as provider.appotapay.vn.",
		Subject:  expr.Range().Ptr(),
	}}
}
