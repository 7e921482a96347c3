package routing_test

import (
	"fmt"
	"testing"

	"github.com/payhost/payhost/internal/config/configtest"
	"github.com/payhost/payhost/internal/routing"
	"github.com/payhost/payhost/plugin"
)

// BenchmarkRoute decides for a merchant with 100 routes (target: under
// 20 µs). "last" matches only the catch-all at the end, so every when is
// evaluated; "first" matches the first route.
//
//	go test ./internal/routing -run '^$' -bench Route -benchmem
func BenchmarkRoute(b *testing.B) {
	cfg, diags := configtest.Loader().LoadSources(".", map[string][]byte{"bench.hcl": configtest.Generate(1, 100)})
	if diags.HasErrors() {
		b.Fatal(diags)
	}
	r := newRouter(b, cfg)
	payments := map[string]routing.Payment{
		"last": {ID: "pay_01J9Z8Q4W3", Amount: 5000, Currency: "USD", Method: plugin.MethodCard, Capture: plugin.CaptureAutomatic,
			Country: "US", Reference: "order-1", Metadata: map[string]string{"tier": "silver"}},
		"first": {ID: "pay_01J9Z8Q4W3", Amount: 5000, Currency: "VND", Method: plugin.MethodBank, Capture: plugin.CaptureAutomatic},
	}
	for name, p := range payments {
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				if _, err := r.Route("m0000", p); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkRouteUncompiled is BenchmarkRoute/last with when expressions
// compile does not handle, which HCL evaluates: the cost of falling back.
func BenchmarkRouteUncompiled(b *testing.B) {
	src := "provider \"redotpay\" \"a\" {\n  endpoint  = \"http://a\"\n  client_id = \"a\"\n}\nmerchant \"m\" {\n  api_key = \"m_key_0123456789abcdef\"\n"
	for i := range 99 {
		src += fmt.Sprintf("  route \"r%d\" {\n    when      = lower(payment.country) == \"c%d\"\n    providers = [provider.redotpay.a]\n  }\n", i, i)
	}
	src += "  route \"all\" {\n    providers = [provider.redotpay.a]\n  }\n}\n"
	r := newRouter(b, loadSource(b, src))
	p := routing.Payment{ID: "pay_1", Amount: 5000, Currency: "USD", Method: plugin.MethodCard, Capture: plugin.CaptureAutomatic, Country: "US"}
	for b.Loop() {
		if d, err := r.Route("m", p); err != nil || d.Route != "all" {
			b.Fatal(d, err)
		}
	}
}
