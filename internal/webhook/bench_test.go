package webhook_test

import (
	"fmt"
	"testing"

	"github.com/hashicorp/go-hclog"

	"github.com/payhost/payhost/internal/store"
)

// BenchmarkDeliver measures delivery throughput: b.N events, appended
// beforehand, claimed from the outbox, signed, POSTed to a local merchant
// and recorded as delivered, by one dispatcher with so many workers.
//
//	PAYHOST_TEST_POSTGRES_DSN='postgres:///payhost_test?host=/var/run/postgresql' \
//		go test -run '^$' -bench Deliver -benchtime 5000x ./internal/webhook
func BenchmarkDeliver(b *testing.B) {
	for _, backend := range backends {
		for _, workers := range []int{8, 32} {
			b.Run(fmt.Sprintf("%s/workers=%d", backend.name, workers), func(b *testing.B) {
				st := backend.newDB(b)(b, store.Options{})
				m := newMerchant(b, "whsec_bench", nil)
				appendEvents(b, st, b.N)
				opts := quick()
				opts.Workers, opts.Logger = workers, hclog.NewNullLogger()
				b.ResetTimer()
				d := startDispatcher(b, b.Context(), st, m, m.endpoints("/events"), opts)
				waitFor(b, "every event at the merchant", func() bool { return m.distinct() == b.N })
				d.Close() // records the last deliveries
				b.StopTimer()
				b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
			})
		}
	}
}
