package config

import (
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"

	"github.com/payhost/payhost/plugin"
)

// The fields of the payment variable of a route's when expression.
const (
	FieldID        = "id"        // the payment id, string
	FieldAmount    = "amount"    // integer minor units of currency, number
	FieldCurrency  = "currency"  // ISO 4217 code, string
	FieldMethod    = "method"    // card, bank, wallet, qr or token, string
	FieldCapture   = "capture"   // automatic or manual, string
	FieldCountry   = "country"   // ISO 3166-1 alpha-2 code or "", string
	FieldReference = "reference" // the merchant's reference, string
	FieldMetadata  = "metadata"  // the merchant's metadata, map(string)
)

// PaymentType is the type of payment in when expressions.
var PaymentType = cty.Object(map[string]cty.Type{
	FieldID:        cty.String,
	FieldAmount:    cty.Number,
	FieldCurrency:  cty.String,
	FieldMethod:    cty.String,
	FieldCapture:   cty.String,
	FieldCountry:   cty.String,
	FieldReference: cty.String,
	FieldMetadata:  cty.Map(cty.String),
})

// paymentFields lists the field names, sorted, for messages.
var paymentFields = func() []string {
	var names []string
	for n := range PaymentType.AttributeTypes() {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}()

// WhenContext returns the evaluation context of when expressions, with
// payment bound to v, a value of PaymentType. Build it once per payment and
// evaluate every route's When in it.
func WhenContext(v cty.Value) *hcl.EvalContext {
	return &hcl.EvalContext{
		Variables: map[string]cty.Value{"payment": v},
		Functions: stdlibFunctions,
	}
}

// whenInfo is what checking a when expression found out statically.
type whenInfo struct {
	// refs are the payment fields the expression reads.
	refs map[string]bool
	// always and never are set when the result does not depend on the
	// payment.
	always, never bool
	// invalid is set when the expression has errors.
	invalid bool
}

// admission is one (method, capture) pair a route may match.
type admission struct {
	method  plugin.PaymentMethod
	capture plugin.CaptureMode
}

// checkWhen checks a route's when: it may read only payment.<field> and
// must be a bool. It is evaluated with unknown payments to learn whether it
// is always or never true.
func checkWhen(attr *hcl.Attribute) (whenInfo, hcl.Diagnostics) {
	info, diags := analyseWhen(attr)
	info.invalid = diags.HasErrors()
	return info, diags
}

// analyseWhen does the work of checkWhen.
func analyseWhen(attr *hcl.Attribute) (whenInfo, hcl.Diagnostics) {
	info := whenInfo{refs: map[string]bool{}}
	diags := checkWhenReferences(attr.Expr, info.refs)
	if diags.HasErrors() {
		return info, diags
	}
	v, d := attr.Expr.Value(partial{}.context())
	diags = append(diags, d...)
	if d.HasErrors() {
		return info, diags
	}
	switch {
	case v.Type() != cty.Bool && v.Type() != cty.DynamicPseudoType:
		return info, diags.Append(&hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Invalid when expression",
			Detail:   fmt.Sprintf(`A route's when must be a bool, such as payment.currency == "VND"; this one is %s.`, v.Type().FriendlyName()),
			Subject:  attr.Expr.Range().Ptr(),
		})
	case v.IsKnown() && v.IsNull():
		return info, diags.Append(&hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Invalid when expression",
			Detail:   "A route's when must not be null. Remove when to match every payment.",
			Subject:  attr.Expr.Range().Ptr(),
		})
	case v.IsKnown() && v.Type() == cty.Bool:
		info.always, info.never = v.True(), v.False()
	}
	detail := "This when is false for every payment, so the route never matches. Fix the condition, or remove the route."
	if !info.never && (info.refs[FieldMethod] || info.refs[FieldCapture]) {
		info.never = !admits(attr.Expr, info.refs, func(admission) bool { return true })
		detail = fmt.Sprintf("No payment method (%s) and capture mode (automatic, manual) makes this when true, so the route never matches. Check the values compared with payment.method and payment.capture.",
			strings.Join(methodNames(plugin.PaymentMethods), ", "))
	}
	if info.never {
		diags = diags.Append(&hcl.Diagnostic{
			Severity: hcl.DiagWarning,
			Summary:  "Route never matches",
			Detail:   detail,
			Subject:  attr.Expr.Range().Ptr(),
		})
	}
	return info, diags
}

// checkWhenReferences reports references to anything but payment.<field>,
// and records the fields read in refs.
func checkWhenReferences(expr hcl.Expression, refs map[string]bool) hcl.Diagnostics {
	var diags hcl.Diagnostics
	for _, tr := range expr.Variables() {
		if tr.RootName() != "payment" {
			diags = diags.Append(&hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Invalid reference in when",
				Detail: fmt.Sprintf("A route's when can only read the payment, as payment.<field> (%s); %q is not available here.",
					strings.Join(paymentFields, ", "), tr.RootName()),
				Subject: tr.SourceRange().Ptr(),
			})
			continue
		}
		if len(tr) < 2 {
			for _, f := range paymentFields {
				refs[f] = true
			}
			continue
		}
		var field string
		switch step := tr[1].(type) {
		case hcl.TraverseAttr:
			field = step.Name
		case hcl.TraverseIndex:
			if step.Key.Type() == cty.String && step.Key.IsKnown() && !step.Key.IsNull() {
				field = step.Key.AsString()
			}
		}
		if _, ok := PaymentType.AttributeTypes()[field]; !ok {
			diags = diags.Append(&hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Unsupported payment field",
				Detail: fmt.Sprintf("The payment has no field %q.%s Its fields are %s.",
					field, didYouMean(field, paymentFields), strings.Join(paymentFields, ", ")),
				Subject: tr.SourceRange().Ptr(),
			})
			continue
		}
		refs[field] = true
	}
	return diags
}

// partial is a payment with some fields known: method, capture and
// currency, "" when unknown. The other fields are always unknown.
type partial struct {
	method, capture, currency string
}

// partialContexts caches the evaluation context of each partial payment
// the static checks use: a bounded set (methods, capture modes and the
// currencies plugins declare), shared by every load.
var partialContexts sync.Map // partial -> *hcl.EvalContext

// context returns the evaluation context of p.
func (p partial) context() *hcl.EvalContext {
	if ctx, ok := partialContexts.Load(p); ok {
		return ctx.(*hcl.EvalContext)
	}
	attrs := make(map[string]cty.Value, len(PaymentType.AttributeTypes()))
	for name, ty := range PaymentType.AttributeTypes() {
		attrs[name] = cty.UnknownVal(ty).RefineNotNull()
	}
	for name, v := range map[string]string{FieldMethod: p.method, FieldCapture: p.capture, FieldCurrency: p.currency} {
		if v != "" {
			attrs[name] = cty.StringVal(v)
		}
	}
	ctx, _ := partialContexts.LoadOrStore(p, WhenContext(cty.ObjectVal(attrs)))
	return ctx.(*hcl.EvalContext)
}

// mayBeTrue reports whether expr can be true for payments like p: false
// only when it is certainly false (or fails).
func mayBeTrue(expr hcl.Expression, p partial) bool {
	v, diags := expr.Value(p.context())
	if diags.HasErrors() {
		return false
	}
	return !v.IsKnown() || v.Type() != cty.Bool || v.True()
}

// admits reports whether expr may be true for a (method, capture) pair
// that accept allows. Only the fields expr reads are set (the others stay
// unknown); it stops at the first such pair, and evaluates each distinct
// partial payment once. A nil expr admits everything.
func admits(expr hcl.Expression, refs map[string]bool, accept func(admission) bool) bool {
	return len(admitted(expr, refs, accept, true)) > 0
}

// admissions lists every (method, capture) pair expr may be true for.
func admissions(expr hcl.Expression, refs map[string]bool) []admission {
	return admitted(expr, refs, func(admission) bool { return true }, false)
}

func admitted(expr hcl.Expression, refs map[string]bool, accept func(admission) bool, first bool) []admission {
	var out []admission
	seen := map[partial]bool{}
	for _, m := range plugin.PaymentMethods {
		for _, c := range plugin.CaptureModes {
			a := admission{method: m, capture: c}
			if !accept(a) {
				continue
			}
			var p partial
			if refs[FieldMethod] {
				p.method = string(m)
			}
			if refs[FieldCapture] {
				p.capture = string(c)
			}
			may, ok := seen[p]
			if !ok {
				may = expr == nil || mayBeTrue(expr, p)
				seen[p] = may
			}
			if may {
				out = append(out, a)
				if first {
					return out
				}
			}
		}
	}
	return out
}

func methodNames(ms []plugin.PaymentMethod) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = string(m)
	}
	return out
}
