package redotpay

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/payhost/payhost/internal/sandbox/emukit"
)

// benchPool is how many distinct signed create requests the Connect
// benchmark prepares; each needs its own outerOrderSn, and signing is the
// merchant's cost, not the emulator's, so it stays out of the timing.
const benchPool = 256

type signedCreate struct {
	header http.Header
	body   []byte
}

// BenchmarkCreate measures a create call through the full handler (kit
// recording and fault middleware included): Connect, dominated by RSA
// verification, and the seed profile.
func BenchmarkCreate(b *testing.B) {
	b.Run("connect", benchmarkConnectCreate)
	b.Run("seed", benchmarkSeedCreate)
}

func benchmarkConnectCreate(b *testing.B) {
	clock := emukit.NewManualClock(testStart)
	template, err := readFixture("connect_create.json")
	if err != nil {
		b.Fatal(err)
	}
	priv, _ := testKeys()
	ts := strconv.FormatInt(testStart.UnixMilli(), 10)
	pool := make([]signedCreate, benchPool)
	for i := range pool {
		body := bytes.Replace(template, []byte(`"ORD123456"`), []byte(`"BENCH`+strconv.Itoa(100000+i)+`"`), 1)
		sig, err := signRSA(priv, requestStringToSign("POST", "/openapi/v2/order/create", DefaultAppKey, ts, body))
		if err != nil {
			b.Fatal(err)
		}
		h := http.Header{}
		h.Set("Content-Type", "application/json")
		h.Set("X-R-AK", DefaultAppKey)
		h.Set("X-R-Ts", ts)
		h.Set("X-R-Key-Version", "1")
		h.Set("X-R-Signature", sig)
		pool[i] = signedCreate{header: h, body: body}
	}
	var srv *Server
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if i%benchPool == 0 { // a fresh emulator, so the pool's order ids are new
			b.StopTimer()
			srv = New(Config{Kit: emukit.Options{Clock: clock, Deterministic: true}})
			b.StartTimer()
		}
		c := pool[i%benchPool]
		req := httptest.NewRequest(http.MethodPost, "/openapi/v2/order/create", bytes.NewReader(c.body))
		req.Header = c.header
		serveOK(b, srv, req)
	}
}

func benchmarkSeedCreate(b *testing.B) {
	srv := New(Config{Kit: emukit.Options{Deterministic: true}})
	prefix := `{"merchant_code":"ID00001","amount":300000,"currency":"USD","callback_url":"https://yourapp.com/callback","ref_no":"B`
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		req := httptest.NewRequest(http.MethodPost, "/openapi/v2/order/create", strings.NewReader(prefix+strconv.Itoa(i)+`"}`))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+DefaultSeedMerchantKey)
		serveOK(b, srv, req)
	}
}

func serveOK(b *testing.B, srv *Server, req *http.Request) {
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		b.Fatalf("HTTP %d: %s", rec.Code, rec.Body)
	}
}
