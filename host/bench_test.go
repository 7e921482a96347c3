package host_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/payhost/payhost/api"
	"github.com/payhost/payhost/internal/store/postgres/pgtest"
	"github.com/payhost/payhost/plugin"
)

// BenchmarkFollowUps measures a capture and a refund through the host's
// Go API, each with an idempotency key, over SQLite and PostgreSQL, with
// the fault plugin (which answers at once): what the engine and its store
// add to a follow-up. The payments are made before the clock starts.
// It reports the p50 of one follow-up.
//
//	go test -run '^$' -bench BenchmarkFollowUps -benchtime 500x ./host
func BenchmarkFollowUps(b *testing.B) {
	for _, st := range []string{"sqlite", "postgres"} {
		for _, op := range []string{"capture", "refund"} {
			b.Run(fmt.Sprintf("store=%s/op=%s", st, op), func(b *testing.B) {
				c := envConfig{callTimeout: 10 * time.Second}
				if st == "postgres" {
					c.postgresDSN = pgtest.DSN(b)
				}
				e := newEnv(b, c)
				capture := plugin.CaptureAutomatic
				if op == "capture" {
					capture = plugin.CaptureManual
				}
				ids := make([]string, b.N)
				for i := range ids {
					ids[i] = e.create(e.payment(1000, capture, nil)).ID
				}
				took := make([]time.Duration, 0, b.N)
				b.ResetTimer()
				for i, id := range ids {
					key := api.WithIdempotencyKey(fmt.Sprintf("%s-%d", op, i))
					start := time.Now()
					var err error
					if op == "capture" {
						_, err = e.h.CapturePayment(e.ctx, "acme", id, &api.CaptureRequest{}, key)
					} else {
						_, err = e.h.RefundPayment(e.ctx, "acme", id, &api.RefundRequest{}, key)
					}
					took = append(took, time.Since(start))
					if err != nil {
						b.Fatal(err)
					}
				}
				b.StopTimer()
				slices.Sort(took)
				b.ReportMetric(float64(took[len(took)/2].Microseconds())/1000, "p50-ms")
			})
		}
	}
}
