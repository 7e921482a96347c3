package httpapi_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/payhost/payhost/internal/httpapi"
	"github.com/payhost/payhost/internal/httpapi/httpapitest"
)

// BenchmarkCreatePayment is what the HTTP layer adds to one create: auth,
// strict decoding, the service call on the in-memory service, encoding,
// the access log (to a discarding logger) and metrics; no network.
func BenchmarkCreatePayment(b *testing.B) {
	h := httpapi.New(httpapitest.New(map[string]string{acmeKey: "acme"}), httpapi.Options{})
	body := `{"amount": 2500, "currency": "SGD", "method": "card", "reference": "order-1",
		"customer": {"id": "c1", "email": "a@b.example"}, "metadata": {"cart": "c_77"},
		"card": {"number": "` + testPAN + `", "exp_month": 12, "exp_year": 2030, "cvc": "` + testCVC + `"}}`
	b.ReportAllocs()
	for b.Loop() {
		r := httptest.NewRequest("POST", "/v1/payments", strings.NewReader(body))
		r.Header.Set("Authorization", "Bearer "+acmeKey)
		r.Header.Set("Content-Type", "application/json")
		r.Header.Set("Idempotency-Key", "k")
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if w.Code != http.StatusCreated {
			b.Fatalf("status %d: %s", w.Code, w.Body)
		}
	}
}

// FuzzCreatePayment: whatever the body, the answer is 201 or a 4xx error
// envelope, and an error never echoes a card number.
func FuzzCreatePayment(f *testing.F) {
	for _, seed := range []string{
		`{"amount": 1, "currency": "USD"}`,
		`{"amount": "1", "card": {"number": 4111111111111111}}`,
		`{"card": {"number": "4111111111111111", "cvv": 1}}`,
		`{"metadata": {"a": [1]}} {}`,
		`[]`, `{"amount": 1e99}`, `{"customer": null, "card": null}`,
	} {
		f.Add(seed)
	}
	h := httpapi.New(httpapitest.New(map[string]string{acmeKey: "acme"}), httpapi.Options{})
	f.Fuzz(func(t *testing.T, body string) {
		r := httptest.NewRequest("POST", "/v1/payments", strings.NewReader(body))
		r.Header.Set("Authorization", "Bearer "+acmeKey)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		resp := &response{status: w.Code, header: w.Header(), body: w.Body.Bytes()}
		if w.Code != http.StatusCreated {
			if w.Code < 400 || w.Code > 499 {
				t.Fatalf("status %d for %q: %s", w.Code, body, w.Body)
			}
			resp.envelope(t)
			if strings.Contains(w.Body.String(), testPAN) {
				t.Fatalf("the error echoes the card number: %s", w.Body)
			}
		}
	})
}
