package routing_test

import (
	"fmt"
	"math"
	"testing"

	"github.com/payhost/payhost/internal/routing"
	"github.com/payhost/payhost/plugin"
)

// splitRouter is a router whose merchant "m" splits card payments over
// redotpay instances with the given weights.
func splitRouter(t testing.TB, weights ...int64) *routing.Router {
	t.Helper()
	src := ""
	splits := ""
	for i, w := range weights {
		src += fmt.Sprintf("provider \"redotpay\" \"p%d\" {\n  endpoint  = \"http://p\"\n  client_id = \"p\"\n}\n", i)
		splits += fmt.Sprintf("    split {\n      provider = provider.redotpay.p%d\n      weight   = %d\n    }\n", i, w)
	}
	src += "merchant \"m\" {\n  api_key = \"m_key_0123456789abcdef\"\n  route \"split\" {\n" + splits + "  }\n}\n"
	return newRouter(t, loadSource(t, src))
}

// TestSplitShares routes 100,000 payment ids and requires each provider's
// observed share within one percentage point of its weight's share.
func TestSplitShares(t *testing.T) {
	for _, weights := range [][]int64{{70, 30}, {50, 30, 20}, {1, 1}, {1, 9}, {5, 5, 5, 5, 80}} {
		t.Run(fmt.Sprint(weights), func(t *testing.T) {
			r := splitRouter(t, weights...)
			const n = 100000
			counts := map[string]int{}
			for i := range n {
				p := routing.Payment{ID: fmt.Sprintf("pay_%06d", i), Currency: "USD", Method: plugin.MethodCard, Capture: plugin.CaptureAutomatic}
				d, err := r.Route("m", p)
				if err != nil {
					t.Fatal(err)
				}
				if len(d.Candidates) != len(weights) {
					t.Fatalf("candidates = %v, want every split (the others as fallbacks)", d.Candidates)
				}
				counts[d.Candidates[0].Provider]++
			}
			var total int64
			for _, w := range weights {
				total += w
			}
			for i, w := range weights {
				want := float64(w) / float64(total)
				got := float64(counts[fmt.Sprintf("redotpay.p%d", i)]) / n
				if math.Abs(got-want) > 0.01 {
					t.Errorf("p%d: share %.4f, want %.4f ± 0.01", i, got, want)
				}
			}
		})
	}
}

// TestSplitDeterministic requires the same payment to get the same
// providers in the same order, from any router over the same configuration.
func TestSplitDeterministic(t *testing.T) {
	a, b := splitRouter(t, 50, 30, 20), splitRouter(t, 50, 30, 20)
	for i := range 1000 {
		p := routing.Payment{ID: fmt.Sprintf("pay_%d", i*7919), Currency: "USD", Method: plugin.MethodCard, Capture: plugin.CaptureAutomatic}
		d1, err1 := a.Route("m", p)
		d2, err2 := b.Route("m", p)
		d3, err3 := a.Route("m", p)
		if err1 != nil || err2 != nil || err3 != nil {
			t.Fatal(err1, err2, err3)
		}
		if fmt.Sprint(d1.Candidates) != fmt.Sprint(d2.Candidates) || fmt.Sprint(d1.Candidates) != fmt.Sprint(d3.Candidates) {
			t.Fatalf("payment %s: %v, %v, %v", p.ID, d1.Candidates, d2.Candidates, d3.Candidates)
		}
	}
}

// TestSplitFallbackOrder: after the chosen split, the others follow by
// decreasing weight.
func TestSplitFallbackOrder(t *testing.T) {
	r := splitRouter(t, 20, 50, 30)
	seen := map[string]bool{}
	for i := 0; len(seen) < 3 && i < 1000; i++ {
		d, err := r.Route("m", routing.Payment{ID: fmt.Sprint(i), Currency: "USD", Method: plugin.MethodCard, Capture: plugin.CaptureAutomatic})
		if err != nil {
			t.Fatal(err)
		}
		first := d.Candidates[0].Provider
		seen[first] = true
		var want []string
		for _, p := range []string{"redotpay.p1", "redotpay.p2", "redotpay.p0"} { // by weight: 50, 30, 20
			if p != first {
				want = append(want, p)
			}
		}
		if got := d.Providers()[1:]; fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("first %s: fallbacks %v, want %v", first, got, want)
		}
	}
	if len(seen) != 3 {
		t.Errorf("only %v were ever chosen", seen)
	}
}
