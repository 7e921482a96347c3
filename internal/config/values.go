package config

import (
	"fmt"
	"math/big"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
	"github.com/zclconf/go-cty/cty/gocty"

	"github.com/payhost/payhost/plugin"
)

// evalAttr evaluates attr in ctx and converts the result to want. A null
// value is an error: an attribute is either set to a value or left out.
// When sensitive, diagnostics lose their expression and evaluation context
// so that no printer can show the values involved.
func evalAttr(attr *hcl.Attribute, ctx *hcl.EvalContext, want cty.Type, sensitive bool) (cty.Value, hcl.Diagnostics) {
	v, diags := attr.Expr.Value(ctx)
	diags = rewriteCallDiags(diags)
	if sensitive {
		diags = scrubValues(diags)
	}
	if diags.HasErrors() {
		return cty.NullVal(want), diags
	}
	if v.IsNull() {
		return cty.NullVal(want), diags.Append(&hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Invalid null value",
			Detail:   fmt.Sprintf("The argument %q must not be null. Give it a value, or remove it to use its default.", attr.Name),
			Subject:  attr.Expr.Range().Ptr(),
		})
	}
	cv, err := convert.Convert(v, want)
	if err == nil && !cv.IsWhollyKnown() {
		err = fmt.Errorf("its value cannot be known when the configuration is read")
	}
	if err == nil && want.IsCollectionType() && cv.LengthInt() > 0 {
		for it := cv.ElementIterator(); it.Next(); {
			if _, e := it.Element(); e.IsNull() {
				err = fmt.Errorf("its elements must not be null")
				break
			}
		}
	}
	if err != nil {
		return cty.NullVal(want), diags.Append(&hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Incorrect attribute value type",
			Detail:   fmt.Sprintf("Inappropriate value for attribute %q: %s; write %s.", attr.Name, err, typeExample(want)),
			Subject:  attr.Expr.Range().Ptr(),
		})
	}
	return cv, diags
}

// typeExample says how to write a value of type t.
func typeExample(t cty.Type) string {
	switch {
	case t == cty.String:
		return `a string such as "text"`
	case t == cty.Number:
		return "a whole number such as 30"
	case t == cty.Bool:
		return "true or false"
	case t.IsListType():
		return `a list of strings such as ["a", "b"]`
	case t.IsMapType():
		return `a map of strings such as { key = "value" }`
	}
	return t.FriendlyName()
}

// evalString evaluates a string attribute.
func evalString(attr *hcl.Attribute, ctx *hcl.EvalContext) (string, hcl.Diagnostics) {
	v, diags := evalAttr(attr, ctx, cty.String, false)
	if diags.HasErrors() {
		return "", diags
	}
	return v.AsString(), diags
}

// attrWholeNumber converts attr's number value v exactly.
func attrWholeNumber(attr *hcl.Attribute, v cty.Value) (int64, hcl.Diagnostics) {
	n, err := wholeNumber(v)
	if err != nil {
		return 0, hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Invalid whole number",
			Detail:   fmt.Sprintf("The argument %q must be a whole number: %s.", attr.Name, err),
			Subject:  attr.Expr.Range().Ptr(),
		}}
	}
	return n, nil
}

// wholeNumber converts a known cty number to int64 exactly, refusing
// fractions and values out of range.
func wholeNumber(v cty.Value) (int64, error) {
	bf := v.AsBigFloat()
	if !bf.IsInt() {
		return 0, fmt.Errorf("%s has a fractional part", bf.Text('f', -1))
	}
	n, acc := bf.Int64()
	if acc != big.Exact {
		return 0, fmt.Errorf("%s is out of range", bf.Text('f', -1))
	}
	return n, nil
}

// evalStrings evaluates a list(string) attribute.
func evalStrings(attr *hcl.Attribute, ctx *hcl.EvalContext, sensitive bool) ([]string, hcl.Diagnostics) {
	v, diags := evalAttr(attr, ctx, cty.List(cty.String), sensitive)
	if diags.HasErrors() {
		return nil, diags
	}
	var out []string
	if err := gocty.FromCtyValue(v, &out); err != nil {
		return nil, diags.Append(internalError(attr.Expr.Range(), err))
	}
	return out, diags
}

// internalError reports a failure that the checks before it should have
// made impossible.
func internalError(rng hcl.Range, err error) *hcl.Diagnostic {
	return &hcl.Diagnostic{
		Severity: hcl.DiagError,
		Summary:  "Internal error",
		Detail:   fmt.Sprintf("payhost failed to decode this value (%s). This is a bug in payhost; please report it.", err),
		Subject:  rng.Ptr(),
	}
}

// evalSecret evaluates a sensitive string attribute, refusing an empty
// value: a credential is never silently empty.
func evalSecret(attr *hcl.Attribute, ctx *hcl.EvalContext) (plugin.Secret, hcl.Diagnostics) {
	v, diags := evalAttr(attr, ctx, cty.String, true)
	if diags.HasErrors() {
		return plugin.Secret{}, diags
	}
	if v.AsString() == "" {
		return plugin.Secret{}, diags.Append(emptySecretAt(attr.Name, attr.Expr.Range()))
	}
	return plugin.NewSecret(v.AsString()), diags
}

// emptySecretAt reports a sensitive value that is empty.
func emptySecretAt(name string, rng hcl.Range) *hcl.Diagnostic {
	return &hcl.Diagnostic{
		Severity: hcl.DiagError,
		Summary:  "Empty sensitive value",
		Detail:   fmt.Sprintf("The argument %q is a credential and its value is empty. Give it a value; when it comes from env(), set that variable to a non-empty value.", name),
		Subject:  rng.Ptr(),
	}
}
