package tinypay

import (
	"context"
	"net/http"
	"testing"

	"github.com/payhost/payhost/plugin"
)

func TestAmountOf(t *testing.T) {
	cases := []struct {
		money    plugin.Money
		want     string
		wantKind plugin.ErrorKind
		param    string
	}{
		{plugin.Money{Amount: 1050, Currency: "USD"}, "10.50", "", ""},
		{plugin.Money{Amount: 5, Currency: "EUR"}, "0.05", "", ""},
		{plugin.Money{Amount: 500, Currency: "JPY"}, "500", "", ""},
		{plugin.Money{Amount: 922337203685477580, Currency: "SGD"}, "9223372036854775.80", "", ""},
		{plugin.Money{Amount: 0, Currency: "USD"}, "", plugin.KindInvalidRequest, "amount"},
		{plugin.Money{Amount: 10000, Currency: "VND"}, "", plugin.KindInvalidRequest, "currency"},
	}
	for _, tc := range cases {
		got, err := amountOf(tc.money, "amount")
		if got != tc.want || plugin.KindOf(err) != tc.wantKind {
			t.Errorf("amountOf(%v) = %q, %v; want %q, kind %q", tc.money, got, err, tc.want, tc.wantKind)
		}
		var pe *plugin.Error
		if err != nil && (!asError(err, &pe) || pe.Param != tc.param) {
			t.Errorf("amountOf(%v) error %v does not name %q", tc.money, err, tc.param)
		}
	}
}

func TestMoneyOf(t *testing.T) {
	cases := []struct {
		amount, currency string
		want             plugin.Money
		ok               bool
	}{
		{"10.50", "USD", plugin.Money{Amount: 1050, Currency: "USD"}, true},
		{"10.5", "USD", plugin.Money{Amount: 1050, Currency: "USD"}, true},
		{"500", "JPY", plugin.Money{Amount: 500, Currency: "JPY"}, true},
		{"10.505", "USD", plugin.Money{}, false}, // would need rounding
		{"1e3", "USD", plugin.Money{}, false},
		{"-1.00", "USD", plugin.Money{}, false},
		{"10.00", "XXX1", plugin.Money{}, false},
	}
	for _, tc := range cases {
		got, err := moneyOf(tc.amount, tc.currency)
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("moneyOf(%q, %q) = %v, %v; want %v, ok %v", tc.amount, tc.currency, got, err, tc.want, tc.ok)
		}
	}
}

func TestCreateRequestRefusals(t *testing.T) {
	valid := func() *plugin.CreatePaymentRequest {
		return &plugin.CreatePaymentRequest{
			AttemptID: "att_1", Amount: plugin.Money{Amount: 100, Currency: "USD"}, Method: plugin.MethodWallet,
			ReturnURL: "https://shop.example/return",
		}
	}
	cases := []struct {
		name      string
		change    func(*plugin.CreatePaymentRequest)
		notifyURL string
		param     string
	}{
		{"bank transfer", func(r *plugin.CreatePaymentRequest) { r.Method = plugin.MethodBank }, "https://h/cb", "method"},
		{"card data", func(r *plugin.CreatePaymentRequest) {
			r.Method, r.Card = plugin.MethodCard, &plugin.Card{Number: plugin.NewCardNumber("4111111111111111")}
		}, "https://h/cb", "card"},
		{"no attempt id", func(r *plugin.CreatePaymentRequest) { r.AttemptID = "" }, "https://h/cb", "attempt_id"},
		{"no return URL", func(r *plugin.CreatePaymentRequest) { r.ReturnURL = "" }, "https://h/cb", "return_url"},
		{"no callback URL", func(*plugin.CreatePaymentRequest) {}, "", "callback_url"},
		{"currency", func(r *plugin.CreatePaymentRequest) { r.Amount.Currency = "GBP" }, "https://h/cb", "currency"},
	}
	for _, tc := range cases {
		req := valid()
		tc.change(req)
		_, err := createRequestOf(req, tc.notifyURL)
		var pe *plugin.Error
		if !asError(err, &pe) || pe.Kind != plugin.KindInvalidRequest || pe.Param != tc.param {
			t.Errorf("%s: %v; want invalid_request naming %s", tc.name, err, tc.param)
		}
	}
}

func TestPaymentResultOf(t *testing.T) {
	cases := []struct {
		status     string
		payURL     string
		want       plugin.PaymentStatus
		wantAction bool
		wantErr    bool
	}{
		{"pending", "http://127.0.0.1:8904/pay/tp_1", plugin.StatusRequiresAction, true, false},
		{"pending", "", "", false, true}, // the customer could not pay
		{"paid", "", plugin.StatusSucceeded, false, false},
		{"partially_refunded", "", plugin.StatusSucceeded, false, false},
		{"refunded", "", plugin.StatusSucceeded, false, false},
		{"failed", "", plugin.StatusFailed, false, false},
		{"on_hold", "", plugin.StatusProcessing, false, false}, // unknown: never a success
	}
	for _, tc := range cases {
		p := &payment{ID: "tp_1", OrderID: "att_1", Status: tc.status, Amount: "10.50", Refunded: "0.00", Currency: "USD", PayURL: tc.payURL}
		res, err := paymentResultOf(context.Background(), p)
		if tc.wantErr {
			if err == nil {
				t.Errorf("%s without pay_url: %+v, want an error", tc.status, res)
			}
			continue
		}
		if err != nil || res.Status != tc.want || (res.NextAction != nil) != tc.wantAction {
			t.Errorf("%s: %+v, %v; want status %s, next action %v", tc.status, res, err, tc.want, tc.wantAction)
		}
		if res.Amount != (plugin.Money{Amount: 1050, Currency: "USD"}) || res.ProviderReference != "tp_1" || res.ProviderStatus != tc.status {
			t.Errorf("%s: amount %v, reference %q, provider status %q", tc.status, res.Amount, res.ProviderReference, res.ProviderStatus)
		}
	}
}

func TestRefusal(t *testing.T) {
	cases := []struct {
		status   int
		code     string
		wantKind plugin.ErrorKind
		wantCode string
	}{
		{http.StatusBadRequest, "invalid_request", plugin.KindInvalidRequest, "invalid_request"},
		{http.StatusNotFound, "not_found", plugin.KindInvalidRequest, "not_found"},
		{http.StatusConflict, "not_paid", plugin.KindInvalidRequest, "not_paid"},
		{http.StatusUnprocessableEntity, "amount_exceeds_refundable", plugin.KindInvalidRequest, "amount_exceeds_refundable"},
		{http.StatusUnauthorized, "bad_signature", plugin.KindAuthentication, "bad_signature"},
		{http.StatusUnauthorized, "", plugin.KindAuthentication, "HTTP 401"},
		{http.StatusNotFound, "", plugin.KindInvalidRequest, "HTTP 404"},
		{http.StatusConflict, "", plugin.KindUnknownOutcome, "HTTP 409"},
		{http.StatusBadRequest, "something_new", plugin.KindUnknownOutcome, "something_new"},
	}
	for _, tc := range cases {
		err := refusal(tc.status, tc.code, "", "refund")
		if err.Kind != tc.wantKind || err.Code != tc.wantCode {
			t.Errorf("refusal(%d, %q) = %v; want kind %s, code %q", tc.status, tc.code, err, tc.wantKind, tc.wantCode)
		}
	}
}

func asError(err error, target **plugin.Error) bool {
	e, ok := err.(*plugin.Error)
	*target = e
	return ok
}
