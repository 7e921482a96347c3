package httpapi_test

import (
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/payhost/payhost/api"
	"github.com/payhost/payhost/plugin"
)

// TestEndpoints drives every merchant endpoint with a correct request and
// checks the status, the answer and what the service was asked.
func TestEndpoints(t *testing.T) {
	e := newEnv(t, nil)
	auto, auto2 := e.createPayment(acmeKey, "automatic"), e.createPayment(acmeKey, "automatic")
	manual, manual2 := e.createPayment(acmeKey, "manual"), e.createPayment(acmeKey, "manual")
	var token string
	ids := func(s string) string {
		return strings.NewReplacer("{auto}", auto, "{auto2}", auto2, "{manual}", manual,
			"{manual2}", manual2, "{token}", token).Replace(s)
	}
	for _, tt := range []struct {
		name, method, path, body string
		// op and id are the service call expected; write says whether
		// it carries the idempotency key and the request id.
		op, id string
		write  bool
		status int
		want   map[string]any
	}{
		{
			name: "create payment", method: "POST", path: "/v1/payments", write: true, op: "CreatePayment",
			body: `{"amount": 2500, "currency": "VND", "method": "card", "capture": "automatic",
				"reference": "order-1", "description": "two books", "return_url": "https://acme.example/back",
				"customer": {"id": "c1", "email": "a@b.example", "name": "Jane", "ip": "10.0.0.1"}, "country": "VN",
				"card": {"number": "` + testPAN + `", "exp_month": 12, "exp_year": 2030, "cvc": "` + testCVC + `", "holder_name": "JANE"},
				"provider": "appotapay.vn", "provider_options": {"bank": "VCB"}, "metadata": {"cart": "c_77"}}`,
			status: http.StatusCreated,
			want:   map[string]any{"status": "succeeded", "amount": 2500.0, "currency": "VND", "reference": "order-1", "provider": "appotapay.vn"},
		},
		{name: "get payment", method: "GET", path: "/v1/payments/{auto}", op: "GetPayment", id: "{auto}",
			status: http.StatusOK, want: map[string]any{"id": "{auto}", "status": "succeeded"}},
		{name: "capture", method: "POST", path: "/v1/payments/{manual}/capture", body: `{"amount": 600}`, write: true,
			op: "CapturePayment", id: "{manual}", status: http.StatusOK,
			want: map[string]any{"status": "succeeded", "amount_captured": 600.0}},
		{name: "refund", method: "POST", path: "/v1/payments/{auto}/refunds", body: `{"amount": 400, "reason": "requested"}`, write: true,
			op: "RefundPayment", id: "{auto}", status: http.StatusCreated,
			want: map[string]any{"payment_id": "{auto}", "status": "succeeded", "amount": 400.0, "reason": "requested"}},
		{name: "void", method: "POST", path: "/v1/payments/{manual2}/void", write: true,
			op: "VoidPayment", id: "{manual2}", status: http.StatusOK, want: map[string]any{"status": "canceled"}},
		{name: "reverse", method: "POST", path: "/v1/payments/{auto2}/reverse", body: `{}`, write: true,
			op: "ReversePayment", id: "{auto2}", status: http.StatusOK, want: map[string]any{"status": "reversed"}},
		{name: "sync", method: "POST", path: "/v1/payments/{auto}/sync",
			op: "SyncPayment", id: "{auto}", status: http.StatusOK, want: map[string]any{"amount_refunded": 400.0}},
		{name: "create token", method: "POST", path: "/v1/tokens", write: true, op: "CreateToken",
			body:   `{"provider": "reddot.sg", "method": "card", "card": {"number": "` + testPAN + `", "exp_month": 1, "exp_year": 2031, "cvc": "123"}, "customer": {"id": "c1"}}`,
			status: http.StatusCreated, want: map[string]any{"status": "active", "provider": "reddot.sg"}},
		{name: "get token", method: "GET", path: "/v1/tokens/{token}", op: "GetToken", id: "{token}",
			status: http.StatusOK, want: map[string]any{"id": "{token}", "status": "active"}},
		{name: "delete token", method: "DELETE", path: "/v1/tokens/{token}", write: true, op: "DeleteToken", id: "{token}",
			status: http.StatusOK, want: map[string]any{"id": "{token}", "status": "deleted"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			key := "key-" + strings.ReplaceAll(tt.name, " ", "-")
			resp := e.do(request{method: tt.method, path: ids(tt.path), body: tt.body, header: as(acmeKey, "Idempotency-Key", key)})
			var got map[string]any
			resp.decode(t, tt.status, &got)
			if strings.Contains(string(resp.body), testPAN) {
				t.Errorf("the answer shows the card number: %s", resp.body)
			}
			for k, v := range tt.want {
				if s, ok := v.(string); ok {
					v = ids(s)
				}
				if got[k] != v {
					t.Errorf("%s = %v, want %v", k, got[k], v)
				}
			}
			if tt.op == "CreateToken" {
				token = got["id"].(string)
			}

			calls := e.svc.Calls()
			c := calls[len(calls)-1]
			if c.Op != tt.op || c.Merchant != "acme" || c.ID != ids(tt.id) {
				t.Errorf("service call %s(%s, %s), want %s(acme, %s)", c.Op, c.Merchant, c.ID, tt.op, ids(tt.id))
			}
			// Every call takes the request id; writes take the
			// idempotency key too (sync, idempotent by nature, does not).
			if c.Options.RequestID == "" || c.Options.RequestID != resp.header.Get("X-Request-Id") {
				t.Errorf("request id passed %q, answered %q", c.Options.RequestID, resp.header.Get("X-Request-Id"))
			}
			if wantKey := map[bool]string{true: key}[tt.write]; c.Options.IdempotencyKey != wantKey {
				t.Errorf("idempotency key passed %q, want %q", c.Options.IdempotencyKey, wantKey)
			}
		})
	}
}

// TestCreateDecodesEveryField: the service gets the body field for field,
// with the card number and CVC whole for the provider.
func TestCreateDecodesEveryField(t *testing.T) {
	e := newEnv(t, nil)
	e.do(request{method: "POST", path: "/v1/payments", header: as(acmeKey),
		body: `{"amount": 990, "currency": "SGD", "method": "card", "capture": "manual", "reference": "r",
			"description": "d", "return_url": "https://r.example", "customer": {"id": "c", "email": "e@x.example", "name": "n", "ip": "1.2.3.4"},
			"country": "SG", "card": {"number": "4111 1111 1111 1111", "exp_month": 7, "exp_year": 2029, "cvc": "` + testCVC + `", "holder_name": "H"},
			"provider": "reddot.sg", "provider_options": {"o": "1"}, "metadata": {"m": "2"}}`,
	}).decode(t, http.StatusCreated, &struct{}{})
	got := e.svc.Calls()[0].Request.(*api.CreatePaymentRequest)
	want := api.CreatePaymentRequest{
		Amount: 990, Currency: "SGD", Method: plugin.MethodCard, Capture: plugin.CaptureManual, Reference: "r",
		Description: "d", ReturnURL: "https://r.example", Customer: &api.Customer{ID: "c", Email: "e@x.example", Name: "n", IP: "1.2.3.4"},
		Country: "SG", Provider: "reddot.sg", ProviderOptions: map[string]string{"o": "1"}, Metadata: map[string]string{"m": "2"},
	}
	card := got.Card
	got.Card = nil
	if !reflect.DeepEqual(*got, want) {
		t.Errorf("request\n got %+v\nwant %+v", *got, want)
	}
	if card == nil || card.Number.Reveal() != testPAN || card.CVC.Reveal() != testCVC ||
		card.ExpMonth != 7 || card.ExpYear != 2029 || card.HolderName != "H" {
		t.Errorf("card %+v", card)
	}
}
