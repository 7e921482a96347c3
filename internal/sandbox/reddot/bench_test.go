package reddot

import (
	"bytes"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
)

// BenchmarkCreate measures creates through the full handler (emukit
// recording and fault middleware included): a direct token create, each
// with a new card and payer, and a direct sale. Requests are built and
// signed before the timer starts, so the figure is the emulator's alone.
//
//	go test ./internal/sandbox/reddot -run '^$' -bench BenchmarkCreate -cpu 1
func BenchmarkCreate(b *testing.B) {
	b.Run("direct_token", func(b *testing.B) {
		bodies := make([][]byte, b.N)
		for i := range bodies {
			bodies[i] = mustJSON(signed(map[string]any{
				"mid": DefaultMID, "order_id": fmt.Sprintf("B%d", i), "api_mode": modeDirectToken, "transaction_type": "C",
				"payer_id": fmt.Sprintf("PAYER-%d", i), "payer_name": "BENCH", "payer_email": "bench@example.com",
				"card_no": benchPAN(i), "exp_date": "122031", "cvv2": "123",
			}, DefaultSecret))
		}
		benchPost(b, PathTokenAPI, bodies, `"response_code":"0"`)
	})
	b.Run("direct_sale", func(b *testing.B) {
		bodies := make([][]byte, b.N)
		for i := range bodies {
			bodies[i] = mustJSON(paySigned(map[string]any{
				"mid": DefaultMID, "order_id": fmt.Sprintf("S%d", i), "api_mode": modeDirect, "payment_type": "S",
				"amount": "10.00", "ccy": "SGD", "card_no": CardApprove, "exp_date": "122031", "cvv2": "123",
			}, DefaultSecret))
		}
		benchPost(b, PathPaymentAPI, bodies, `"response_code":"0"`)
	})
}

// benchPost posts each body to path on a fresh emulator and checks every
// answer contains want.
func benchPost(b *testing.B, path string, bodies [][]byte, want string) {
	b.Helper()
	srv := New(Config{})
	b.Cleanup(srv.Close)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		req := httptest.NewRequest(http.MethodPost, path, bytes.NewReader(bodies[i]))
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, req)
		if !bytes.Contains(rec.Body.Bytes(), []byte(want)) {
			b.Fatalf("request %d: %s", i, rec.Body.Bytes())
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "creates/s")
}

// benchPAN is a distinct Luhn-valid 16-digit card number for each i.
func benchPAN(i int) string {
	body := fmt.Sprintf("5%014d", i)
	sum := 0
	for j := 0; j < len(body); j++ {
		d := int(body[len(body)-1-j] - '0')
		if j%2 == 0 {
			if d *= 2; d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return body + fmt.Sprint((10-sum%10)%10)
}
