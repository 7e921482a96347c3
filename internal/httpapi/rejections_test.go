package httpapi_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/payhost/payhost/api"
	"github.com/payhost/payhost/internal/httpapi"
	"github.com/payhost/payhost/internal/httpapi/httpapitest"
)

// wantError checks resp is the error envelope with status, code and param,
// and a message containing msg.
func wantError(t *testing.T, resp *response, status int, code, param, msg string) errorBody {
	t.Helper()
	if resp.status != status {
		t.Errorf("status %d, want %d: %s", resp.status, status, resp.body)
	}
	e := resp.envelope(t)
	if e.Error.Code != code || *e.Error.Param != param || !strings.Contains(e.Error.Message, msg) {
		t.Errorf("error %s (param %q): %q; want %s (param %q) containing %q",
			e.Error.Code, *e.Error.Param, e.Error.Message, code, param, msg)
	}
	return e
}

func TestAuthentication(t *testing.T) {
	e := newEnv(t, nil)
	for _, tt := range []struct {
		name, auth, msg string
	}{
		{"no header", "", "no API key"},
		{"basic scheme", "Basic " + acmeKey, "Bearer <api key>"},
		{"bearer without key", "Bearer ", "Bearer <api key>"},
		{"unknown key", "Bearer sk_test_nobody", "not valid"},
		{"key of another case", "Bearer " + strings.ToUpper(acmeKey), "not valid"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var header []string
			if tt.auth != "" {
				header = []string{"Authorization", tt.auth}
			}
			resp := e.do(request{method: "POST", path: "/v1/payments", body: `{"amount": 1}`, header: header})
			wantError(t, resp, http.StatusUnauthorized, "authentication_failed", "Authorization", tt.msg)
			if got := resp.header.Get("WWW-Authenticate"); got != `Bearer realm="payhost"` {
				t.Errorf("WWW-Authenticate = %q", got)
			}
		})
	}
	if calls := e.svc.Calls(); len(calls) != 0 {
		t.Errorf("the service was called without authentication: %+v", calls)
	}
	// Lower-case scheme is accepted (RFC 9110: schemes are case-insensitive).
	e.do(request{method: "GET", path: "/v1/payments/pay_0", header: []string{"Authorization", "bearer " + acmeKey}}).envelope(t)
	if calls := e.svc.Calls(); len(calls) != 1 || calls[0].Merchant != "acme" {
		t.Errorf("calls %+v", calls)
	}
}

// TestStrictDecoding: bad bodies are 400 (or 415) naming the field, and
// never reach the service.
func TestStrictDecoding(t *testing.T) {
	e := newEnv(t, nil)
	id := e.createPayment(acmeKey, "manual")
	before := len(e.svc.Calls())
	const card = `"card": {"number": "` + testPAN + `", "exp_month": 12, "exp_year": 2030, "cvc": "` + testCVC + `"}`
	for _, tt := range []struct {
		name, path, body, contentType string
		status                        int
		code, param, msg              string
	}{
		{name: "unknown field", body: `{"amount": 1, "currency": "USD", "amont": 2}`,
			param: "amont", msg: "unknown field amont"},
		{name: "unknown nested field", body: `{"amount": 1, ` + card[:len(card)-1] + `, "cvv": "1"}}`,
			param: "card.cvv", msg: "unknown field card.cvv"},
		{name: "amount as string", body: `{"amount": "1000", "currency": "USD"}`,
			param: "amount", msg: "amount must be an integer"},
		{name: "amount with a fraction", body: `{"amount": 10.5, "currency": "USD"}`,
			param: "amount", msg: "amount must be an integer"},
		{name: "amount beyond int64", body: `{"amount": 99999999999999999999, "currency": "USD"}`,
			param: "amount", msg: "amount must be an integer"},
		{name: "exp_month as string", body: `{"amount": 1, "card": {"number": "` + testPAN + `", "exp_month": "12"}}`,
			param: "card.exp_month", msg: "card.exp_month must be an integer"},
		{name: "card number as number", body: `{"amount": 1, "card": {"number": ` + testPAN + `}}`,
			param: "card.number", msg: "card number must be a JSON string"},
		{name: "cvc as number", body: `{"amount": 1, "card": {"number": "` + testPAN + `", "cvc": 737}}`,
			param: "card.cvc", msg: "secret must be a JSON string"},
		{name: "card as string", body: `{"amount": 1, "card": "` + testPAN + `"}`,
			param: "card", msg: "card must be an object"},
		{name: "metadata value as number", body: `{"amount": 1, "metadata": {"cart": 7}}`,
			param: "metadata.cart", msg: "metadata.cart must be a string"},
		{name: "customer unknown field", body: `{"amount": 1, "customer": {"phone": "1"}}`,
			param: "customer.phone", msg: "unknown field customer.phone"},
		{name: "first error in document order", body: `{"zzz": 1, "amount": "x"}`,
			param: "zzz", msg: "unknown field zzz"},
		{name: "trailing data", body: `{"amount": 1, "currency": "USD"} {"amount": 2}`,
			msg: "data after its JSON object"},
		{name: "trailing garbage", body: `{"amount": 1}x`, msg: "data after its JSON object"},
		{name: "array", body: `[{"amount": 1}]`, msg: "must be a JSON object"},
		{name: "null", body: `null`, msg: "must be a JSON object"},
		{name: "empty create", body: ` `, msg: "body is empty"},
		{name: "invalid JSON", body: `{"amount": 1,}`, msg: "not valid JSON"},
		{name: "truncated", body: `{"amount": 1, "card": {`, msg: "ends in the middle"},
		{name: "form content type", body: `amount=1`, contentType: "application/x-www-form-urlencoded",
			status: http.StatusUnsupportedMediaType, code: "unsupported_media_type", param: "Content-Type", msg: "application/json"},
		{name: "capture unknown field", path: "/v1/payments/" + id + "/capture", body: `{"amount": 1, "final": true}`,
			param: "final", msg: "unknown field final"},
		{name: "capture amount as string", path: "/v1/payments/" + id + "/capture", body: `{"amount": "1"}`,
			param: "amount", msg: "amount must be an integer"},
		{name: "refund reason as number", path: "/v1/payments/" + id + "/refunds", body: `{"reason": 1}`,
			param: "reason", msg: "reason must be a string"},
		{name: "void takes no fields", path: "/v1/payments/" + id + "/void", body: `{"amount": 1}`,
			param: "amount", msg: "unknown field amount"},
		{name: "token unknown field", path: "/v1/tokens", body: `{"method": "card", "cards": {}}`,
			param: "cards", msg: "unknown field cards"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			path := tt.path
			if path == "" {
				path = "/v1/payments"
			}
			r, err := http.NewRequest("POST", e.srv.URL+path, strings.NewReader(tt.body))
			if err != nil {
				t.Fatal(err)
			}
			r.Header.Set("Authorization", "Bearer "+acmeKey)
			r.Header.Set("Content-Type", "application/json; charset=utf-8")
			if tt.contentType != "" {
				r.Header.Set("Content-Type", tt.contentType)
			}
			status, code := tt.status, tt.code
			if status == 0 {
				status, code = http.StatusBadRequest, "invalid_request"
			}
			resp := e.send(r)
			wantError(t, resp, status, code, tt.param, tt.msg)
			if strings.Contains(string(resp.body), testPAN) || strings.Contains(string(resp.body), testCVC) {
				t.Errorf("the error echoes card data: %s", resp.body)
			}
		})
	}
	if calls := e.svc.Calls(); len(calls) != before {
		t.Errorf("the service was called with bad bodies: %+v", calls[before:])
	}
}

// TestEmptyBodies: operations whose parameters are optional take an
// empty body; without a Content-Type too.
func TestEmptyBodies(t *testing.T) {
	e := newEnv(t, nil)
	for _, path := range []string{"/capture", "/void"} {
		id := e.createPayment(acmeKey, "manual")
		e.do(request{method: "POST", path: "/v1/payments/" + id + path, header: as(acmeKey)}).decode(t, http.StatusOK, &struct{}{})
	}
	id := e.createPayment(acmeKey, "automatic")
	for _, path := range []string{"/refunds", "/sync", "/reverse"} {
		resp := e.do(request{method: "POST", path: "/v1/payments/" + id + path, header: as(acmeKey)})
		if resp.status != http.StatusOK && resp.status != http.StatusCreated {
			t.Errorf("%s with no body: status %d: %s", path, resp.status, resp.body)
		}
	}
}

func TestBodyLimits(t *testing.T) {
	e := newEnv(t, nil)
	big := `{"description": "` + strings.Repeat("x", 64<<10) + `"}`
	t.Run("merchant body with length", func(t *testing.T) {
		resp := e.do(request{method: "POST", path: "/v1/payments", body: big, header: as(acmeKey)})
		wantError(t, resp, http.StatusRequestEntityTooLarge, "request_too_large", "", "larger than 65536 bytes")
	})
	t.Run("merchant body chunked", func(t *testing.T) {
		r, _ := http.NewRequest("POST", e.srv.URL+"/v1/payments", struct{ *strings.Reader }{strings.NewReader(big)})
		r.Header.Set("Authorization", "Bearer "+acmeKey)
		if r.ContentLength != 0 {
			t.Fatal("the request would have a length")
		}
		wantError(t, e.send(r), http.StatusRequestEntityTooLarge, "request_too_large", "", "larger than")
	})
	t.Run("callback under 1 MiB", func(t *testing.T) {
		resp := e.do(request{method: "POST", path: "/v1/callbacks/fault/a", body: strings.Repeat("y", 900<<10)})
		if resp.status != http.StatusOK {
			t.Fatalf("status %d: %s", resp.status, resp.body)
		}
	})
	t.Run("callback over 1 MiB", func(t *testing.T) {
		resp := e.do(request{method: "POST", path: "/v1/callbacks/fault/a", body: strings.Repeat("y", 1<<20+1)})
		wantError(t, resp, http.StatusRequestEntityTooLarge, "request_too_large", "", "larger than 1048576 bytes")
	})
	t.Run("configured limit", func(t *testing.T) {
		small := newEnv(t, func(o *httpapi.Options) { o.MaxBodyBytes = 10 })
		resp := small.do(request{method: "POST", path: "/v1/payments", body: `{"amount": 1000}`, header: as(acmeKey)})
		wantError(t, resp, http.StatusRequestEntityTooLarge, "request_too_large", "", "larger than 10 bytes")
	})
}

func TestIdempotencyKey(t *testing.T) {
	e := newEnv(t, nil)
	const body = `{"amount": 100, "currency": "USD", "method": "wallet"}`
	lastKey := func() string {
		calls := e.svc.Calls()
		return calls[len(calls)-1].Options.IdempotencyKey
	}
	t.Run("passed", func(t *testing.T) {
		e.do(request{method: "POST", path: "/v1/payments", body: body, header: as(acmeKey, "Idempotency-Key", "k-1")}).decode(t, 201, &struct{}{})
		if got := lastKey(); got != "k-1" {
			t.Errorf("key %q", got)
		}
	})
	t.Run("absent: accepted, not idempotent", func(t *testing.T) {
		e.do(request{method: "POST", path: "/v1/payments", body: body, header: as(acmeKey)}).decode(t, 201, &struct{}{})
		if got := lastKey(); got != "" {
			t.Errorf("key %q", got)
		}
	})
	for _, tt := range []struct {
		name   string
		values []string
		msg    string
	}{
		{"empty", []string{""}, "1 to 255 printable ASCII"},
		{"too long", []string{strings.Repeat("k", 256)}, "1 to 255 printable ASCII"},
		{"not ASCII", []string{"clé"}, "1 to 255 printable ASCII"},
		{"twice", []string{"a", "b"}, "send one Idempotency-Key"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			before := len(e.svc.Calls())
			header := as(acmeKey)
			for _, v := range tt.values {
				header = append(header, "Idempotency-Key", v)
			}
			resp := e.do(request{method: "POST", path: "/v1/payments", body: body, header: header})
			wantError(t, resp, http.StatusBadRequest, "invalid_request", "Idempotency-Key", tt.msg)
			if len(e.svc.Calls()) != before {
				t.Error("the service was called")
			}
		})
	}
	t.Run("service answers passed through", func(t *testing.T) {
		for _, tt := range []struct {
			code   api.ErrorCode
			status int
		}{
			{api.CodeIdempotencyInProgress, http.StatusConflict},
			{api.CodeIdempotencyMismatch, http.StatusUnprocessableEntity},
		} {
			e.svc.Hook = func(ctx context.Context, c httpapitest.Call) error {
				return api.Errorf(tt.code, "Idempotency-Key", "the key says so")
			}
			resp := e.do(request{method: "POST", path: "/v1/payments", body: body, header: as(acmeKey, "Idempotency-Key", "k-1")})
			wantError(t, resp, tt.status, string(tt.code), "Idempotency-Key", "the key says so")
		}
		e.svc.Hook = nil
	})
}

// TestOtherMerchant: a merchant never sees another's payments or tokens.
func TestOtherMerchant(t *testing.T) {
	e := newEnv(t, nil)
	pay := e.createPayment(acmeKey, "manual")
	var tok struct{ ID string }
	e.do(request{method: "POST", path: "/v1/tokens", header: as(acmeKey),
		body: `{"method": "card", "card": {"number": "` + testPAN + `", "exp_month": 1, "exp_year": 2031}}`}).decode(t, 201, &tok)
	for _, tt := range []struct{ method, path string }{
		{"GET", "/v1/payments/" + pay},
		{"POST", "/v1/payments/" + pay + "/capture"},
		{"POST", "/v1/payments/" + pay + "/void"},
		{"POST", "/v1/payments/" + pay + "/refunds"},
		{"POST", "/v1/payments/" + pay + "/sync"},
		{"GET", "/v1/tokens/" + tok.ID},
		{"DELETE", "/v1/tokens/" + tok.ID},
	} {
		resp := e.do(request{method: tt.method, path: tt.path, header: as(globexKey)})
		wantError(t, resp, http.StatusNotFound, "not_found", "", "no ")
	}
	var p struct{ Status string }
	e.do(request{method: "GET", path: "/v1/payments/" + pay, header: as(acmeKey)}).decode(t, 200, &p)
	if p.Status != "authorized" {
		t.Errorf("the other merchant moved the payment to %s", p.Status)
	}
}

// TestServiceErrors: every api error code answers its status; anything
// else, or a panic, is a 500 whose message names the logged request id.
func TestServiceErrors(t *testing.T) {
	e := newEnv(t, nil)
	for _, tt := range []struct {
		err    error
		status int
		code   string
	}{
		{api.Errorf(api.CodeInvalidRequest, "currency", "bad"), 400, "invalid_request"},
		{api.Errorf(api.CodePaymentState, "", "bad"), 409, "payment_state"},
		{api.Errorf(api.CodeAmountTooLarge, "amount", "bad"), 422, "amount_too_large"},
		{api.Errorf(api.CodeNoRoute, "", "bad"), 422, "no_route"},
		{api.Errorf(api.CodeUnsupported, "", "bad"), 422, "unsupported"},
		{api.Errorf(api.CodeProviderError, "", "bad"), 502, "provider_error"},
		{api.Errorf(api.CodeProviderUnavailable, "", "bad"), 503, "provider_unavailable"},
		{&api.Error{Code: api.CodeProviderTimeout, Message: "bad", PaymentID: "pay_9"}, 504, "provider_timeout"},
		{errors.New("disk on fire"), 500, "internal"},
	} {
		t.Run(string(tt.code), func(t *testing.T) {
			e.svc.Hook = func(context.Context, httpapitest.Call) error { return tt.err }
			resp := e.do(request{method: "POST", path: "/v1/payments", body: `{"amount": 1}`, header: as(acmeKey)})
			var param, msg string
			if ae, ok := tt.err.(*api.Error); ok {
				param, msg = ae.Param, ae.Message
			}
			if tt.code == "internal" {
				msg = "request id " + resp.header.Get("X-Request-Id")
			}
			got := wantError(t, resp, tt.status, tt.code, param, msg)
			if ae, ok := tt.err.(*api.Error); ok && got.Error.PaymentID != ae.PaymentID {
				t.Errorf("payment_id %q, want %q", got.Error.PaymentID, ae.PaymentID)
			}
		})
	}
	if !strings.Contains(e.logs.String(), "disk on fire") {
		t.Error("the internal error is not logged")
	}

	t.Run("panic", func(t *testing.T) {
		e.svc.Hook = func(context.Context, httpapitest.Call) error { panic("nil map somewhere") }
		resp := e.do(request{method: "POST", path: "/v1/payments", body: `{"amount": 1}`, header: as(acmeKey)})
		id := resp.header.Get("X-Request-Id")
		wantError(t, resp, 500, "internal", "", "request id "+id)
		var logged bool
		for _, l := range e.logLines() {
			if l["@message"] == "panic serving request" && l["request_id"] == id && l["panic"] == "nil map somewhere" {
				logged = strings.Contains(l["stack"].(string), "httpapitest")
			}
		}
		if !logged {
			t.Errorf("the panic is not logged with its request id and stack:\n%s", e.logs.String())
		}
		// The server goes on serving.
		e.svc.Hook = nil
		e.createPayment(acmeKey, "manual")
	})
}

func TestUnknownRoutes(t *testing.T) {
	e := newEnv(t, nil)
	for _, tt := range []struct {
		method, path string
		status       int
		code, allow  string
	}{
		{"GET", "/v1/payments", 405, "method_not_allowed", "POST"},
		{"PUT", "/v1/tokens/tok_1", 405, "method_not_allowed", "GET, DELETE, HEAD"},
		{"GET", "/v1/callbacks/fault/a", 405, "method_not_allowed", "POST"},
		{"POST", "/healthz", 405, "method_not_allowed", "GET, HEAD"},
		{"GET", "/v1/refunds", 404, "not_found", ""},
		{"GET", "/v1/payments/", 404, "not_found", ""},
	} {
		resp := e.do(request{method: tt.method, path: tt.path, header: as(acmeKey)})
		wantError(t, resp, tt.status, tt.code, "", "")
		if got := resp.header.Get("Allow"); got != tt.allow {
			t.Errorf("%s %s: Allow %q, want %q", tt.method, tt.path, got, tt.allow)
		}
	}
}
