package webhook_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashicorp/go-hclog"

	"github.com/payhost/payhost/internal/store"
	"github.com/payhost/payhost/internal/webhook"
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
				c := &counted{Store: st}
				b.ResetTimer()
				d := startDispatcher(b, b.Context(), c, m, m.endpoints("/events"), opts)
				waitFor(b, "every event at the merchant", func() bool { return m.distinct() == b.N })
				d.Close() // records the last deliveries
				b.StopTimer()
				b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
				claims := c.claims.Load()
				b.ReportMetric(float64(claims)/float64(b.N), "claims/event")
				b.ReportMetric(float64(c.txs.Load()-claims)/float64(b.N), "records/event")
			})
		}
	}
}

// counted counts a store's write transactions, and the claims among
// them; the dispatcher's other transactions record attempts.
type counted struct {
	store.Store
	txs, claims atomic.Int64
}

func (s *counted) InTx(ctx context.Context, fn func(store.Tx) error) error {
	s.txs.Add(1)
	return s.Store.InTx(ctx, func(tx store.Tx) error { return fn(countedTx{Tx: tx, s: s}) })
}

type countedTx struct {
	store.Tx
	s *counted
}

func (t countedTx) ClaimEvents(ctx context.Context, owner string, limit int, lease time.Duration) ([]store.Event, error) {
	t.s.claims.Add(1)
	return t.Tx.ClaimEvents(ctx, owner, limit, lease)
}

// BenchmarkRecord measures the store's part of recording attempts: b.N
// events, appended and claimed beforehand, recorded as delivered in
// transactions of batch attempts each, by one RecordDeliveries per
// transaction (batch) or by a RecordDelivery per attempt (each), and
// reports the store's time per attempt.
//
//	PAYHOST_TEST_POSTGRES_DSN='postgres:///payhost_test?host=/var/run/postgresql' \
//		go test -run '^$' -bench Record -benchtime 5000x ./internal/webhook
func BenchmarkRecord(b *testing.B) {
	for _, backend := range backends {
		for _, batch := range []int{1, 8, 64} {
			for _, how := range []string{"each", "batch"} {
				if batch == 1 && how == "each" {
					continue
				}
				b.Run(fmt.Sprintf("%s/batch=%d/%s", backend.name, batch, how), func(b *testing.B) {
					st := backend.newDB(b)(b, store.Options{})
					ctx := b.Context()
					ids := appendEvents(b, st, b.N)
					err := st.InTx(ctx, func(tx store.Tx) error {
						events, err := tx.ClaimEvents(ctx, "bench", b.N, time.Hour)
						if err == nil && len(events) != b.N {
							err = fmt.Errorf("claimed %d events of %d", len(events), b.N)
						}
						return err
					})
					if err != nil {
						b.Fatal(err)
					}
					b.ResetTimer()
					for start := 0; start < len(ids); start += batch {
						rs := make([]store.DeliveryResult, 0, batch)
						for _, id := range ids[start:min(start+batch, len(ids))] {
							rs = append(rs, store.DeliveryResult{EventID: id, Owner: "bench", HTTPStatus: 204,
								Duration: time.Millisecond, Delivered: true})
						}
						err := st.InTx(ctx, func(tx store.Tx) error {
							if how == "each" {
								for _, r := range rs {
									if _, err := tx.RecordDelivery(ctx, r); err != nil {
										return err
									}
								}
								return nil
							}
							_, missed, err := tx.RecordDeliveries(ctx, rs)
							return errors.Join(append(missed, err)...)
						})
						if err != nil {
							b.Fatal(err)
						}
					}
				})
			}
		}
	}
}

// BenchmarkLoneEvent measures how long a lone event takes from Notify to
// the merchant: each is appended after a quiet spell (twice the default
// ClaimDelay), with the default options; ns/op is that time.
//
//	PAYHOST_TEST_POSTGRES_DSN='postgres:///payhost_test?host=/var/run/postgresql' \
//		go test -run '^$' -bench LoneEvent -benchtime 50x ./internal/webhook
func BenchmarkLoneEvent(b *testing.B) {
	for _, backend := range backends {
		b.Run(backend.name, func(b *testing.B) {
			st := backend.newDB(b)(b, store.Options{})
			got := make(chan struct{}, 1)
			m := newMerchant(b, "whsec_bench", func(w http.ResponseWriter, r *http.Request, attempt int) {
				w.WriteHeader(http.StatusNoContent)
				got <- struct{}{}
			})
			opts := webhook.Options{PollInterval: time.Hour, Logger: hclog.NewNullLogger()}
			d := startDispatcher(b, b.Context(), st, m, m.endpoints("/events"), opts)
			b.ResetTimer()
			for range b.N {
				b.StopTimer()
				time.Sleep(2 * webhook.DefaultClaimDelay)
				appendEvents(b, st, 1)
				b.StartTimer()
				d.Notify()
				<-got
			}
		})
	}
}
