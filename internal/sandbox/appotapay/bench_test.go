package appotapay

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"

	"github.com/payhost/payhost/internal/sandbox/emukit"
)

// BenchmarkCreate measures create-payment calls through the full handler
// (request recording, JWT check, validation, signature check, store,
// signed answer). Each call has a fresh orderId and signature.
func BenchmarkCreate(b *testing.B) {
	srv := New(Config{Kit: emukit.Options{Clock: emukit.NewManualClock(testNow)}})
	defer srv.Close()
	auth := "Bearer " + signJWT(appotaHeader, claimsJSON(SandboxPartnerCode, SandboxAPIKey, testNow.Unix()+3600), SandboxSecretKey)
	body := map[string]any{
		"amount": 10000, "orderInfo": "benchmark order", "bankCode": "VCB", "paymentMethod": "ATM",
		"clientIp": "103.53.171.140", "extraData": "", "action": "PAY",
		"notifyUrl": "https://merchant.example/ipn", "redirectUrl": "https://merchant.example/return",
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		i++
		body["orderId"] = "bench-" + strconv.Itoa(i)
		raw, err := json.Marshal(signBody(body, createKeys))
		if err != nil {
			b.Fatal(err)
		}
		req := httptest.NewRequest(http.MethodPost, "/api/v1.1/orders/payment/bank", bytes.NewReader(raw))
		req.Header.Set(authHeader, auth)
		req.Header.Set("Content-Type", "application/json")
		w := httptest.NewRecorder()
		srv.ServeHTTP(w, req)
		if w.Code != http.StatusOK || !bytes.Contains(w.Body.Bytes(), []byte(`"errorCode":0`)) {
			b.Fatalf("HTTP %d: %s", w.Code, w.Body)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "creates/s")
}
