package storetest

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/payhost/payhost/internal/store"
	"github.com/payhost/payhost/plugin"
)

// Benchmark measures the store's part of one POST /v1/payments, the
// engine's hot path, with 1 and 16 concurrent clients, and reports
// payments/s. The writes are those of the engine: a first transaction
// before the plugin is called (claim the Idempotency-Key, insert the
// payment and its started attempt), and a second after (finish the attempt,
// move the payment, append the merchant event, store the response).
func Benchmark(b *testing.B, newDB NewDB) {
	for _, clients := range []int{1, 16} {
		b.Run(fmt.Sprintf("clients=%d", clients), func(b *testing.B) {
			st, err := newDB(b)(b, store.Options{})
			if err != nil {
				b.Fatal(err)
			}
			benchmarkClients(b, clients, func(ctx context.Context, n int64) error {
				return createPayment(ctx, st, fmt.Sprintf("key-%d", n))
			})
		})
	}
}

// benchmarkClients runs op b.N times from clients goroutines and reports
// the rate.
func benchmarkClients(b *testing.B, clients int, op func(context.Context, int64) error) {
	ctx := b.Context()
	var next atomic.Int64
	var wg sync.WaitGroup
	b.ResetTimer()
	start := time.Now()
	for range clients {
		wg.Go(func() {
			for n := next.Add(1); n <= int64(b.N); n = next.Add(1) {
				if err := op(ctx, n); err != nil {
					b.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "payments/s")
}

// eventPayload is a merchant event's data of typical size.
var eventPayload = json.RawMessage(`{"id":"pay_01hx0000000000000000000000","object":"payment","amount":1000,` +
	`"currency":"USD","method":"card","capture":"automatic","status":"succeeded","reference":"order-1",` +
	`"provider":"reddot.sg","card":{"first6":"411111","last4":"1111","exp_month":12,"exp_year":2031,"brand":"visa"},` +
	`"amount_captured":1000,"amount_refunded":0,"metadata":{"order":"1"}}`)

// createPayment does the store's writes of one payment created with
// Idempotency-Key key and processed at once by the gateway.
func createPayment(ctx context.Context, st store.Store, key string) error {
	p := &store.Payment{MerchantID: "acme", Amount: 1000, Currency: "USD", Method: plugin.MethodCard,
		Capture: plugin.CaptureAutomatic, Status: plugin.StatusProcessing, Reference: "order-1",
		Customer:         &plugin.Customer{ID: "cus_1", Email: "ada@example.com"},
		Card:             &plugin.CardInfo{First6: "411111", Last4: "1111", ExpMonth: 12, ExpYear: 2031, Brand: "visa"},
		ProviderInstance: "reddot.sg", Route: "cards", Metadata: map[string]string{"order": "1"}}
	a := &store.Attempt{ProviderInstance: p.ProviderInstance, Operation: store.OpCreate, Status: store.AttemptStarted}
	var lease string
	err := st.InTx(ctx, func(tx store.Tx) error {
		res, err := tx.BeginIdempotent(ctx, store.IdempotencyRequest{MerchantID: p.MerchantID, Key: key,
			Fingerprint: store.Fingerprint("POST", "/v1/payments", []byte(key)), Lease: time.Minute})
		if err != nil {
			return err
		}
		if res.Outcome != store.IdempotencyNew {
			return fmt.Errorf("idempotency key %s: %s", key, res.Outcome)
		}
		lease = res.Record.Lease
		if err := tx.InsertPayment(ctx, p); err != nil {
			return err
		}
		a.PaymentID = p.ID
		return tx.InsertAttempt(ctx, a)
	})
	if err != nil {
		return err
	}
	// The plugin is called here.
	return st.InTx(ctx, func(tx store.Tx) error {
		a.Status, a.ProviderReference = store.AttemptSucceeded, "rdp-"+p.ID
		if err := tx.FinishAttempt(ctx, a); err != nil {
			return err
		}
		p.Status, p.ProviderReference = plugin.StatusSucceeded, a.ProviderReference
		p.AmountAuthorized, p.AmountCaptured = p.Amount, p.Amount
		if err := tx.UpdatePayment(ctx, p); err != nil {
			return err
		}
		if err := tx.AppendEvent(ctx, &store.Event{MerchantID: p.MerchantID, Type: "payment.succeeded", Payload: eventPayload}); err != nil {
			return err
		}
		return tx.CompleteIdempotent(ctx, p.MerchantID, key, lease,
			store.StoredResponse{StatusCode: 201, Body: eventPayload})
	})
}
