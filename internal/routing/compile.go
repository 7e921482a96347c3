package routing

import (
	"math/big"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"

	"github.com/payhost/payhost/internal/config"
)

// A route's when is evaluated by HCL for each payment, which costs
// microseconds (every literal is rebuilt and normalised, every operator
// converts its operands). The common shapes are therefore compiled once
// into Go closures over the payment: comparisons of payment fields with
// literals, &&, ||, !, contains, startswith, endswith and lookup on the
// metadata. They follow HCL's semantics exactly, including its Unicode
// normalisation of strings and its short-circuits (false && error is
// false); when a compiled expression fails (a missing metadata key), HCL
// evaluates it to report the error. Anything else is left to HCL. The
// tests check the two agree.

// outcome is a compiled expression's result.
type outcome uint8

const (
	outFalse outcome = iota
	outTrue
	outError
)

func outcomeOf(b bool) outcome {
	if b {
		return outTrue
	}
	return outFalse
}

// view is the payment as compiled expressions read it: strings normalised
// as cty normalises them.
type view struct {
	id, currency, method, capture, country, reference string
	amount                                            int64
	metadata                                          map[string]string
}

func newView(p *Payment) *view {
	v := &view{
		id:        cty.NormalizeString(p.ID),
		currency:  cty.NormalizeString(p.Currency),
		method:    cty.NormalizeString(string(p.Method)),
		capture:   cty.NormalizeString(string(p.Capture)),
		country:   cty.NormalizeString(p.Country),
		reference: cty.NormalizeString(p.Reference),
		amount:    p.Amount,
	}
	if len(p.Metadata) > 0 {
		v.metadata = make(map[string]string, len(p.Metadata))
		for k, val := range p.Metadata {
			v.metadata[cty.NormalizeString(k)] = cty.NormalizeString(val)
		}
	}
	return v
}

// stringField returns the accessor of a string field, or nil.
func stringField(name string) stringFn {
	var get func(*view) string
	switch name {
	case config.FieldID:
		get = func(v *view) string { return v.id }
	case config.FieldCurrency:
		get = func(v *view) string { return v.currency }
	case config.FieldMethod:
		get = func(v *view) string { return v.method }
	case config.FieldCapture:
		get = func(v *view) string { return v.capture }
	case config.FieldCountry:
		get = func(v *view) string { return v.country }
	case config.FieldReference:
		get = func(v *view) string { return v.reference }
	default:
		return nil
	}
	return func(v *view) (string, bool) { return get(v), true }
}

type (
	boolFn   func(*view) outcome
	stringFn func(*view) (string, bool) // false: evaluation fails
	numberFn func(*view) int64
)

// compile returns expr as a closure, or nil when it is not of a shape
// compile knows.
func compile(expr hcl.Expression) boolFn {
	e, ok := expr.(hclsyntax.Expression)
	if !ok {
		return nil
	}
	return compileBool(e)
}

func compileBool(e hclsyntax.Expression) boolFn {
	switch e := e.(type) {
	case *hclsyntax.LiteralValueExpr:
		if e.Val.Type() == cty.Bool && e.Val.IsKnown() && !e.Val.IsNull() {
			out := outcomeOf(e.Val.True())
			return func(*view) outcome { return out }
		}
	case *hclsyntax.ParenthesesExpr:
		return compileBool(e.Expression)
	case *hclsyntax.UnaryOpExpr:
		if e.Op == hclsyntax.OpLogicalNot {
			if f := compileBool(e.Val); f != nil {
				return func(v *view) outcome {
					switch f(v) {
					case outTrue:
						return outFalse
					case outFalse:
						return outTrue
					}
					return outError
				}
			}
		}
	case *hclsyntax.BinaryOpExpr:
		return compileBinary(e)
	case *hclsyntax.FunctionCallExpr:
		return compileCall(e)
	}
	return nil
}

func compileBinary(e *hclsyntax.BinaryOpExpr) boolFn {
	switch e.Op {
	case hclsyntax.OpLogicalAnd, hclsyntax.OpLogicalOr:
		l, r := compileBool(e.LHS), compileBool(e.RHS)
		if l == nil || r == nil {
			return nil
		}
		// HCL's short-circuit: either side decides, whatever the other.
		decisive := outFalse
		if e.Op == hclsyntax.OpLogicalOr {
			decisive = outTrue
		}
		other := outcomeOf(decisive == outFalse)
		return func(v *view) outcome {
			a, b := l(v), r(v)
			switch {
			case a == decisive || b == decisive:
				return decisive
			case a == outError || b == outError:
				return outError
			}
			return other
		}
	case hclsyntax.OpEqual, hclsyntax.OpNotEqual:
		equal := e.Op == hclsyntax.OpEqual
		if l, r := compileString(e.LHS), compileString(e.RHS); l != nil && r != nil {
			return func(v *view) outcome {
				a, okA := l(v)
				b, okB := r(v)
				if !okA || !okB {
					return outError
				}
				return outcomeOf((a == b) == equal)
			}
		}
		return compileCompare(e, func(a, b int64) bool { return (a == b) == equal })
	case hclsyntax.OpGreaterThan:
		return compileCompare(e, func(a, b int64) bool { return a > b })
	case hclsyntax.OpGreaterThanOrEqual:
		return compileCompare(e, func(a, b int64) bool { return a >= b })
	case hclsyntax.OpLessThan:
		return compileCompare(e, func(a, b int64) bool { return a < b })
	case hclsyntax.OpLessThanOrEqual:
		return compileCompare(e, func(a, b int64) bool { return a <= b })
	}
	return nil
}

// compileCompare compiles a comparison of two whole-number operands.
func compileCompare(e *hclsyntax.BinaryOpExpr, cmp func(a, b int64) bool) boolFn {
	l, r := compileNumber(e.LHS), compileNumber(e.RHS)
	if l == nil || r == nil {
		return nil
	}
	return func(v *view) outcome { return outcomeOf(cmp(l(v), r(v))) }
}

func compileCall(e *hclsyntax.FunctionCallExpr) boolFn {
	if e.ExpandFinal || len(e.Args) != 2 {
		return nil
	}
	switch e.Name {
	case "startswith", "endswith":
		s, affix := compileString(e.Args[0]), compileString(e.Args[1])
		if s == nil || affix == nil {
			return nil
		}
		has := hasPrefix
		if e.Name == "endswith" {
			has = hasSuffix
		}
		return func(v *view) outcome {
			a, okA := s(v)
			b, okB := affix(v)
			if !okA || !okB {
				return outError
			}
			return outcomeOf(has(a, b))
		}
	case "contains":
		list, ok := e.Args[0].(*hclsyntax.TupleConsExpr)
		value := compileString(e.Args[1])
		if !ok || value == nil || len(list.Exprs) == 0 {
			return nil
		}
		set := map[string]bool{}
		for _, item := range list.Exprs {
			s, ok := literalString(item)
			if !ok {
				return nil
			}
			set[s] = true
		}
		return func(v *view) outcome {
			s, ok := value(v)
			if !ok {
				return outError
			}
			return outcomeOf(set[s])
		}
	}
	return nil
}

func hasPrefix(s, p string) bool { return len(s) >= len(p) && s[:len(p)] == p }
func hasSuffix(s, p string) bool { return len(s) >= len(p) && s[len(s)-len(p):] == p }

func compileString(e hclsyntax.Expression) stringFn {
	if s, ok := literalString(e); ok {
		return func(*view) (string, bool) { return s, true }
	}
	switch e := e.(type) {
	case *hclsyntax.ParenthesesExpr:
		return compileString(e.Expression)
	case *hclsyntax.ScopeTraversalExpr:
		return compileTraversal(e.Traversal)
	case *hclsyntax.FunctionCallExpr:
		// lookup(payment.metadata, "key", "default")
		if e.Name != "lookup" || e.ExpandFinal || len(e.Args) != 3 {
			return nil
		}
		m, ok := e.Args[0].(*hclsyntax.ScopeTraversalExpr)
		key, okKey := literalString(e.Args[1])
		def, okDef := literalString(e.Args[2])
		if !ok || !okKey || !okDef || !isMetadata(m.Traversal) {
			return nil
		}
		return func(v *view) (string, bool) {
			if s, ok := v.metadata[key]; ok {
				return s, true
			}
			return def, true
		}
	}
	return nil
}

// compileTraversal compiles payment.<string field> and payment.metadata
// indexed by a literal key.
func compileTraversal(tr hcl.Traversal) stringFn {
	if tr.RootName() != "payment" || len(tr) < 2 {
		return nil
	}
	attr, ok := tr[1].(hcl.TraverseAttr)
	if !ok {
		return nil
	}
	if len(tr) == 2 {
		return stringField(attr.Name)
	}
	if len(tr) == 3 && attr.Name == config.FieldMetadata {
		if idx, ok := tr[2].(hcl.TraverseIndex); ok && idx.Key.Type() == cty.String && idx.Key.IsKnown() && !idx.Key.IsNull() {
			key := idx.Key.AsString()
			return func(v *view) (string, bool) {
				s, ok := v.metadata[key] // a missing key fails, as in HCL
				return s, ok
			}
		}
	}
	return nil
}

func isMetadata(tr hcl.Traversal) bool {
	if len(tr) != 2 || tr.RootName() != "payment" {
		return false
	}
	attr, ok := tr[1].(hcl.TraverseAttr)
	return ok && attr.Name == config.FieldMetadata
}

// literalString returns a string literal's value, normalised.
func literalString(e hclsyntax.Expression) (string, bool) {
	switch e := e.(type) {
	case *hclsyntax.TemplateExpr:
		if len(e.Parts) == 1 {
			return literalString(e.Parts[0])
		}
	case *hclsyntax.LiteralValueExpr:
		if e.Val.Type() == cty.String && e.Val.IsKnown() && !e.Val.IsNull() {
			return e.Val.AsString(), true
		}
	}
	return "", false
}

func compileNumber(e hclsyntax.Expression) numberFn {
	switch e := e.(type) {
	case *hclsyntax.ParenthesesExpr:
		return compileNumber(e.Expression)
	case *hclsyntax.LiteralValueExpr:
		if e.Val.Type() != cty.Number || !e.Val.IsKnown() || e.Val.IsNull() {
			return nil
		}
		bf := e.Val.AsBigFloat()
		n, acc := bf.Int64()
		if !bf.IsInt() || acc != big.Exact {
			return nil
		}
		return func(*view) int64 { return n }
	case *hclsyntax.ScopeTraversalExpr:
		tr := e.Traversal
		if len(tr) == 2 && tr.RootName() == "payment" {
			if attr, ok := tr[1].(hcl.TraverseAttr); ok && attr.Name == config.FieldAmount {
				return func(v *view) int64 { return v.amount }
			}
		}
	}
	return nil
}
