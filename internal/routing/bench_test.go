package routing_test

import (
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
