package routing

import (
	"fmt"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/payhost/payhost/internal/config"
	"github.com/payhost/payhost/plugin"
)

// compiledExprs are the shapes compile handles; fallbackExprs are left to
// HCL.
var (
	compiledExprs = []string{
		`true`,
		`false`,
		`payment.currency == "VND"`,
		`payment.currency != "VND"`,
		`"card" == payment.method`,
		`payment.method == "card" && payment.capture == "manual"`,
		`payment.country == "SG" || payment.country == "MY"`,
		`!(payment.method == "card")`,
		`payment.amount > 1000`,
		`payment.amount >= 1000 && payment.amount < 5000`,
		`payment.amount <= 0 || payment.amount == 1500`,
		`payment.amount != 1500`,
		`payment.id == "pay_1"`,
		`payment.reference == "café"`,
		`startswith(payment.reference, "VIP-")`,
		`endswith(payment.id, "9")`,
		`contains(["SG", "MY", "VN"], payment.country)`,
		`lookup(payment.metadata, "tier", "") == "gold"`,
		`payment.metadata["tier"] == "gold"`,
		`payment.metadata["tier"] == "gold" || payment.amount > 1000`,
		`payment.metadata["tier"] == "gold" && payment.amount > 1000`,
		`payment.amount > 1000 || payment.metadata["tier"] == "gold"`,
		`!(payment.metadata["tier"] == "gold")`,
		`(payment.currency == "USD")`,
	}
	fallbackExprs = []string{
		`payment.amount > 999.5`,
		`payment.amount == "1500"`,
		`lower(payment.currency) == "usd"`,
		`payment.metadata.tier == "gold"`,
		`lookup(payment.metadata, "tier") == "gold"`,
		`length(payment.metadata) > 0`,
		`contains([], payment.country)`,
		`payment.amount + 1 > 1000`,
		`payment.currency == "VND" ? true : false`,
	}
)

// testPayments cover matching and not matching each expression, missing
// metadata, and strings that are equal only after Unicode normalisation.
var testPayments = []Payment{
	{ID: "pay_1", Amount: 1500, Currency: "VND", Method: plugin.MethodBank, Capture: plugin.CaptureAutomatic, Country: "VN"},
	{ID: "pay_9", Amount: 999, Currency: "USD", Method: plugin.MethodCard, Capture: plugin.CaptureManual, Country: "SG",
		Reference: "VIP-7", Metadata: map[string]string{"tier": "gold"}},
	{ID: "pay_2", Amount: 1000, Currency: "USD", Method: plugin.MethodCard, Capture: plugin.CaptureAutomatic, Country: "MY",
		Metadata: map[string]string{"tier": "silver"}},
	{ID: "pay_3", Amount: 5000, Currency: "EUR", Method: plugin.MethodWallet, Capture: plugin.CaptureAutomatic, Country: "FR",
		Reference: "cafe\u0301", Metadata: map[string]string{"tier": "gold"}},
	{ID: "", Amount: 0, Currency: "", Method: "", Capture: ""},
}

func parseWhen(t *testing.T, src string) hcl.Expression {
	t.Helper()
	expr, diags := hclsyntax.ParseExpression([]byte(src), "when.hcl", hcl.InitialPos)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	return expr
}

// hclOutcome is what HCL makes of expr for p.
func hclOutcome(expr hcl.Expression, p Payment) outcome {
	v, diags := expr.Value(config.WhenContext(p.Value()))
	switch {
	case diags.HasErrors():
		return outError
	case v.True():
		return outTrue
	}
	return outFalse
}

// TestCompiledMatchesHCL requires compiled expressions to give HCL's
// outcome for every test payment.
func TestCompiledMatchesHCL(t *testing.T) {
	outcomes := map[outcome]int{}
	for _, src := range compiledExprs {
		expr := parseWhen(t, src)
		f := compile(expr)
		if f == nil {
			t.Errorf("%s was not compiled", src)
			continue
		}
		for i, p := range testPayments {
			want := hclOutcome(expr, p)
			outcomes[want]++
			if got := f(newView(&p)); got != want {
				t.Errorf("%s for payment %d: compiled %v, HCL %v", src, i, got, want)
			}
		}
	}
	if outcomes[outTrue] == 0 || outcomes[outFalse] == 0 || outcomes[outError] == 0 {
		t.Errorf("the payments do not exercise every outcome: %v", outcomes)
	}
}

func TestFallbackNotCompiled(t *testing.T) {
	for _, src := range fallbackExprs {
		if compile(parseWhen(t, src)) != nil {
			t.Errorf("%s was compiled", src)
		}
	}
}

// TestRouteWithFallbackExprs checks that routes HCL evaluates decide as
// HCL does.
func TestRouteWithFallbackExprs(t *testing.T) {
	for _, src := range fallbackExprs {
		expr := parseWhen(t, src)
		rt := &route{name: "r", when: expr, compiled: compile(expr)}
		for i, p := range testPayments {
			ev := evaluation{payment: &p}
			got := ev.mismatch(rt) == ""
			if want := hclOutcome(expr, p) == outTrue; got != want {
				t.Errorf("%s for payment %d: matched %v, want %v", src, i, got, want)
			}
		}
	}
}

func (o outcome) String() string { return [...]string{"false", "true", "error"}[o] }

var _ fmt.Stringer = outcome(0)
