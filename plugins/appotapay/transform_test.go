package appotapay

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/payhost/payhost/plugin"
)

func TestVNDAmount(t *testing.T) {
	cases := []struct {
		money     plugin.Money
		want      json.Number
		wantParam string
	}{
		{plugin.Money{Amount: 10_000, Currency: "VND"}, "10000", ""},
		{plugin.Money{Amount: 1, Currency: "VND"}, "1", ""},
		{plugin.Money{Amount: 500_000_000, Currency: "VND"}, "500000000", ""},
		{plugin.Money{Amount: 9_223_372_036_854_775_807, Currency: "VND"}, "9223372036854775807", ""},
		{plugin.Money{Amount: 10_000, Currency: "USD"}, "", "currency"},
		{plugin.Money{Amount: 10_000, Currency: ""}, "", "currency"},
		{plugin.Money{Amount: 10_000, Currency: "vnd"}, "", "currency"},
		{plugin.Money{Amount: 0, Currency: "VND"}, "", "amount"},
		{plugin.Money{Amount: -5, Currency: "VND"}, "", "amount"},
	}
	for _, tc := range cases {
		got, err := vndAmount(tc.money, "amount")
		if tc.wantParam == "" {
			if err != nil || got != tc.want {
				t.Errorf("vndAmount(%+v) = %q, %v; want %q", tc.money, got, err, tc.want)
			}
			continue
		}
		var pe *plugin.Error
		if !asPluginError(err, &pe) || pe.Kind != plugin.KindInvalidRequest || pe.Param != tc.wantParam {
			t.Errorf("vndAmount(%+v) = %q, %v; want invalid_request naming %s", tc.money, got, err, tc.wantParam)
		}
	}
}

func TestMoneyOf(t *testing.T) {
	cases := []struct {
		text string
		want int64
		ok   bool
	}{
		{"50000", 50_000, true},
		{"0", 0, true},
		{"500000000", 500_000_000, true},
		{"50000.0", 50_000, true}, // a zero decimal is still whole dong
		{"50000.5", 0, false},
		{"5e4", 0, false},
		{"-50000", 0, false},
		{"", 0, false},
		{"99999999999999999999", 0, false},
	}
	for _, tc := range cases {
		got, err := moneyOf(json.Number(tc.text))
		if tc.ok != (err == nil) || (tc.ok && got != (plugin.Money{Amount: tc.want, Currency: "VND"})) {
			t.Errorf("moneyOf(%q) = %v, %v; want %d VND ok=%v", tc.text, got, err, tc.want, tc.ok)
		}
	}
}

// TestPaymentStatusOf is the status switch: only 0 and 33 are final.
func TestPaymentStatusOf(t *testing.T) {
	cases := []struct {
		code  string
		want  plugin.PaymentStatus
		known bool
	}{
		{"0", plugin.StatusSucceeded, true},
		{"33", plugin.StatusFailed, true},
		{"34", plugin.StatusProcessing, true},
		{"35", plugin.StatusProcessing, true},
		{"72", plugin.StatusProcessing, true},
		{"91", plugin.StatusProcessing, true},
		{"99", plugin.StatusProcessing, true},
		{"500", plugin.StatusProcessing, true},
		{"1", plugin.StatusProcessing, false},
		{"77", plugin.StatusProcessing, false},
		{"", plugin.StatusProcessing, false},
		{"00", plugin.StatusProcessing, false},
	}
	for _, tc := range cases {
		if got, known := paymentStatusOf(tc.code); got != tc.want || known != tc.known {
			t.Errorf("paymentStatusOf(%q) = %s, %v; want %s, %v", tc.code, got, known, tc.want, tc.known)
		}
	}
}

func TestRefundStatusOf(t *testing.T) {
	cases := []struct {
		status string
		want   plugin.RefundStatus
		known  bool
	}{
		{"success", plugin.RefundSucceeded, true},
		{"error", plugin.RefundFailed, true},
		{"pending", plugin.RefundPending, true},
		{"processing", plugin.RefundPending, true},
		{"SUCCESS", plugin.RefundPending, false},
		{"void", plugin.RefundPending, false},
		{"", plugin.RefundPending, false},
	}
	for _, tc := range cases {
		if got, known := refundStatusOf(tc.status); got != tc.want || known != tc.known {
			t.Errorf("refundStatusOf(%q) = %s, %v; want %s, %v", tc.status, got, known, tc.want, tc.known)
		}
	}
}

func TestPaymentResultOf(t *testing.T) {
	base := transactionResult{
		ErrorCode: "0", Message: "Thành công", Amount: "50000", Currency: "VND", OrderID: "att_1",
		AppotapayTransID: "AP240911000001B", TransactionTs: "1726029136",
		CardInfo: &cardInfo{CardNumber: "512345xxxxxx2346", CardDate: "03/27", CardName: "NGUYEN VAN A", CountryCode: "VN"},
	}
	paid, err := paymentResultOf(context.Background(), &base)
	if err != nil {
		t.Fatal(err)
	}
	want := plugin.PaymentResult{
		Status: plugin.StatusSucceeded, ProviderReference: "AP240911000001B", ProviderStatus: "0",
		Amount: plugin.Money{Amount: 50_000, Currency: "VND"}, CapturedAmount: plugin.Money{Amount: 50_000, Currency: "VND"},
		Card: &plugin.CardInfo{First6: "512345", Last4: "2346", ExpMonth: 3, ExpYear: 2027, Brand: "mastercard", HolderName: "NGUYEN VAN A"},
	}
	if !equalJSON(paid, want) {
		t.Errorf("paid result\n got %+v %+v\nwant %+v %+v", paid, paid.Card, want, want.Card)
	}

	failed := base
	failed.ErrorCode, failed.Message, failed.CardInfo = "33", "Giao dịch thất bại", nil
	res, err := paymentResultOf(context.Background(), &failed)
	if err != nil || res.Status != plugin.StatusFailed || res.FailureCode != "33" || res.FailureMessage != "Giao dịch thất bại" || !res.CapturedAmount.IsZero() {
		t.Errorf("failed result = %+v, %v", res, err)
	}

	for name, change := range map[string]func(*transactionResult){
		"another currency": func(tr *transactionResult) { tr.Currency = "USD" },
		"decimal amount":   func(tr *transactionResult) { tr.Amount = "50000.5" },
	} {
		bad := base
		change(&bad)
		if _, err := paymentResultOf(context.Background(), &bad); err == nil {
			t.Errorf("%s: paymentResultOf accepted it", name)
		}
	}
}

func TestRejectionError(t *testing.T) {
	cases := []struct {
		op         operation
		code, msg  string
		kind       plugin.ErrorKind
		param      string
		retryAfter time.Duration
	}{
		{opCreate, "1", "Missing or invalid params: clientIp: must be an IPv4 or IPv6 address (got \"x\")", plugin.KindInvalidRequest, "customer.ip", 0},
		{opCreate, "1", "Missing or invalid params: orderInfo: is required; amount: must be a JSON number", plugin.KindInvalidRequest, "description", 0},
		{opCreate, "1", "Thiếu tham số", plugin.KindInvalidRequest, "", 0},
		{opRefund, "1", "Missing or invalid params: reason: must be at most 100 characters", plugin.KindInvalidRequest, "reason", 0},
		{opCreate, "2", "Invalid signature", plugin.KindAuthentication, "", 0},
		{opCreate, "11", "Partner is not found", plugin.KindAuthentication, "", 0},
		{opStatus, "13", "Partner has been locked", plugin.KindAuthentication, "", 0},
		{opStatus, "14", "API Key is invalid", plugin.KindAuthentication, "", 0},
		{opStatus, "15", "API Key is not activated", plugin.KindAuthentication, "", 0},
		{opCreate, "92", "IP not allowed", plugin.KindAuthentication, "", 0},
		{opCreate, "401", "Unauthorized", plugin.KindAuthentication, "", 0},
		{opCreate, "30", "Duplicate orderId", plugin.KindInvalidRequest, "attempt_id", 0},
		{opRefund, "31", "Duplicate refundId", plugin.KindInvalidRequest, "refund_id", 0},
		{opCreate, "32", "Invalid amount", plugin.KindInvalidRequest, "amount", 0},
		{opRefund, "106", "Partial refund not allowed", plugin.KindInvalidRequest, "amount", 0},
		{opRefund, "110", "The total refund amount exceeds the transaction amount", plugin.KindInvalidRequest, "amount", 0},
		{opStatus, "36", "Transaction is not found", plugin.KindNotFound, "", 0},
		{opRefund, "36", "Transaction is not found", plugin.KindInvalidRequest, "provider_reference", 0},
		{opRefundLookup, "36", "Transaction is not found", plugin.KindNotFound, "", 0},
		{opCreate, "140", "paymentMethod not allowed", plugin.KindInvalidRequest, "payment_method", 0},
		{opCreate, "141", "bankCode not allowed", plugin.KindInvalidRequest, "bank_code", 0},
		{opRefund, "125", "Refund window expired", plugin.KindDeclined, "", 0},
		{opRefund, "135", "Transaction does not support refund", plugin.KindDeclined, "", 0},
		{opRefund, "129", "Please wait 5 minutes before making another refund", plugin.KindRateLimited, "", 5 * time.Minute},
		{opRefund, "129", "Please wait 30 seconds", plugin.KindRateLimited, "", 30 * time.Second},
		{opRefund, "129", "Vui lòng chờ", plugin.KindRateLimited, "", 0},
		{opCreate, "91", "System busy", plugin.KindUnknownOutcome, "", 0},
		{opCreate, "94", "Maintenance", plugin.KindUnknownOutcome, "", 0},
		{opRefund, "99", "Undefined error", plugin.KindUnknownOutcome, "", 0},
		{opRefund, "500", "System error", plugin.KindUnknownOutcome, "", 0},
		{opRefund, "4242", "Something new", plugin.KindUnknownOutcome, "", 0},
	}
	for _, tc := range cases {
		e := rejectionError(tc.op, tc.code, tc.msg)
		if e.Kind != tc.kind || e.Param != tc.param || e.Code != tc.code || e.RetryAfter != tc.retryAfter {
			t.Errorf("%s errorCode %s: %+v; want kind %s param %q retry after %v", tc.op, tc.code, e, tc.kind, tc.param, tc.retryAfter)
		}
		if tc.kind != plugin.KindUnknownOutcome && e.Message != tc.msg {
			t.Errorf("%s errorCode %s: message %q, want the gateway's %q", tc.op, tc.code, e.Message, tc.msg)
		}
	}
}

func TestCardInfoOf(t *testing.T) {
	cases := []struct {
		in   *cardInfo
		want *plugin.CardInfo
	}{
		{nil, nil},
		{&cardInfo{CardNumber: "970422xxxxxx4047", CardDate: "01/23", CardName: "ARTURO MOEN"},
			&plugin.CardInfo{First6: "970422", Last4: "4047", ExpMonth: 1, ExpYear: 2023, HolderName: "ARTURO MOEN"}},
		{&cardInfo{CardNumber: "411111******1111", CardDate: "12/30"},
			&plugin.CardInfo{First6: "411111", Last4: "1111", ExpMonth: 12, ExpYear: 2030, Brand: "visa"}},
		{&cardInfo{CardNumber: "xxxx1111", CardDate: "13/30", CardName: "A"}, &plugin.CardInfo{HolderName: "A"}},
	}
	for _, tc := range cases {
		if got := cardInfoOf(tc.in); !equalJSON(got, tc.want) {
			t.Errorf("cardInfoOf(%+v) = %+v, want %+v", tc.in, got, tc.want)
		}
	}
}

// TestCreateRequestOf checks the mapping rules and every refusal.
func TestCreateRequestOf(t *testing.T) {
	cfg := &settings{version: version11, paymentMethod: "ATM", bankCode: "VCB", notifyURL: "https://payhost.example/cb"}
	valid := func() *plugin.CreatePaymentRequest {
		return &plugin.CreatePaymentRequest{
			PaymentID: "pay_1", AttemptID: "att_1", Amount: plugin.Money{Amount: 20_000, Currency: "VND"},
			Method: plugin.MethodBank, ReturnURL: "https://shop.example/r", Customer: plugin.Customer{IP: testIP},
		}
	}
	ok := []struct {
		name             string
		change           func(*plugin.CreatePaymentRequest)
		method, bank     string
		orderInfo, extra string
	}{
		{"bank uses the configuration", func(*plugin.CreatePaymentRequest) {}, "ATM", "VCB", "Payment pay_1", ""},
		{"card is CC, customer picks the card", func(r *plugin.CreatePaymentRequest) { r.Method = plugin.MethodCard }, "CC", "", "Payment pay_1", ""},
		{"options override", func(r *plugin.CreatePaymentRequest) {
			r.Options = map[string]string{"payment_method": "ALL", "bank_code": ""}
		}, "ALL", "", "Payment pay_1", ""},
		{"description first", func(r *plugin.CreatePaymentRequest) { r.Description, r.Reference = "Áo", "R1" }, "ATM", "VCB", "Áo", ""},
		{"then reference", func(r *plugin.CreatePaymentRequest) { r.Reference = "R1" }, "ATM", "VCB", "R1", ""},
		{"cut to 150 characters", func(r *plugin.CreatePaymentRequest) { r.Description = strings.Repeat("đ", 160) }, "ATM", "VCB", strings.Repeat("đ", 150), ""},
	}
	for _, tc := range ok {
		req := valid()
		tc.change(req)
		w, err := createRequestOf(req, cfg)
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if w.PaymentMethod != tc.method || w.BankCode != tc.bank || w.OrderInfo != tc.orderInfo || w.ExtraData != tc.extra ||
			w.Amount != "20000" || w.OrderID != "att_1" || w.Action != "PAY" || w.NotifyURL != cfg.notifyURL || w.RedirectURL != req.ReturnURL {
			t.Errorf("%s: %+v", tc.name, w)
		}
	}
	refused := []struct {
		name   string
		change func(*plugin.CreatePaymentRequest, *settings)
		param  string
	}{
		{"another currency", func(r *plugin.CreatePaymentRequest, _ *settings) { r.Amount.Currency = "USD" }, "currency"},
		{"zero amount", func(r *plugin.CreatePaymentRequest, _ *settings) { r.Amount.Amount = 0 }, "amount"},
		{"wallet", func(r *plugin.CreatePaymentRequest, _ *settings) { r.Method = plugin.MethodWallet }, "method"},
		{"token", func(r *plugin.CreatePaymentRequest, _ *settings) { r.Method = plugin.MethodToken }, "method"},
		{"unknown payment_method option", func(r *plugin.CreatePaymentRequest, _ *settings) {
			r.Options = map[string]string{"payment_method": "BTC"}
		}, "provider_options.payment_method"},
		{"bad bank_code option", func(r *plugin.CreatePaymentRequest, _ *settings) {
			r.Options = map[string]string{"bank_code": "vcb bank"}
		}, "provider_options.bank_code"},
		{"no attempt id", func(r *plugin.CreatePaymentRequest, _ *settings) { r.AttemptID = "" }, "attempt_id"},
		{"attempt id too long", func(r *plugin.CreatePaymentRequest, _ *settings) { r.AttemptID = strings.Repeat("a", 51) }, "attempt_id"},
		{"no return URL", func(r *plugin.CreatePaymentRequest, _ *settings) { r.ReturnURL = "" }, "return_url"},
		{"no customer IP", func(r *plugin.CreatePaymentRequest, _ *settings) { r.Customer.IP = "" }, "customer.ip"},
		{"customer IP not an address", func(r *plugin.CreatePaymentRequest, _ *settings) { r.Customer.IP = "localhost" }, "customer.ip"},
		{"no callback URL", func(_ *plugin.CreatePaymentRequest, s *settings) { s.notifyURL = "" }, "callback_url"},
	}
	for _, tc := range refused {
		req, c := valid(), *cfg
		tc.change(req, &c)
		_, err := createRequestOf(req, &c)
		var pe *plugin.Error
		if !asPluginError(err, &pe) || pe.Kind != plugin.KindInvalidRequest || pe.Param != tc.param {
			t.Errorf("%s: %v; want invalid_request naming %s", tc.name, err, tc.param)
		}
	}
	v10 := *cfg
	v10.version = version10
	if w, err := createRequestOf(valid(), &v10); err != nil || w.Action != "" {
		t.Errorf("v1.0 request: %+v, %v; want no action", w, err)
	}
}

func equalJSON(a, b any) bool {
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	return string(ja) == string(jb)
}

func asPluginError(err error, target **plugin.Error) bool {
	return errors.As(err, target)
}

// TestPaymentStatusV2Of is v2's status switch: only success and error
// are final.
func TestPaymentStatusV2Of(t *testing.T) {
	cases := []struct {
		status string
		want   plugin.PaymentStatus
		known  bool
	}{
		{"success", plugin.StatusSucceeded, true},
		{"error", plugin.StatusFailed, true},
		{"pending", plugin.StatusProcessing, true},
		{"processing", plugin.StatusProcessing, true},
		{"SUCCESS", plugin.StatusProcessing, false},
		{"refunded", plugin.StatusProcessing, false},
		{"", plugin.StatusProcessing, false},
	}
	for _, tc := range cases {
		if got, known := paymentStatusV2Of(tc.status); got != tc.want || known != tc.known {
			t.Errorf("paymentStatusV2Of(%q) = %s, %v; want %s, %v", tc.status, got, known, tc.want, tc.known)
		}
	}
}

func TestPaymentResultV2Of(t *testing.T) {
	cases := []struct {
		name string
		tx   transactionV2
		want plugin.PaymentResult
		ok   bool
	}{
		{"paid: the order's amount, not the charged one", transactionV2{TransactionID: "AP1", Status: "success", ErrorCode: "0", OrderAmount: "50000", Amount: "49000", Currency: "VND"},
			plugin.PaymentResult{Status: plugin.StatusSucceeded, ProviderReference: "AP1", ProviderStatus: "success", Amount: vnd(50_000), CapturedAmount: vnd(50_000)}, true},
		{"older spelling", transactionV2{AppotapayTransID: "AP2", Status: "pending", ErrorCode: "35", Amount: "20000"},
			plugin.PaymentResult{Status: plugin.StatusProcessing, ProviderReference: "AP2", ProviderStatus: "pending", Amount: vnd(20_000)}, true},
		{"failed", transactionV2{TransactionID: "AP3", Status: "error", ErrorCode: "33", ErrorMessage: "Giao dịch thất bại", OrderAmount: "20000"},
			plugin.PaymentResult{Status: plugin.StatusFailed, ProviderReference: "AP3", ProviderStatus: "error", Amount: vnd(20_000), FailureCode: "33", FailureMessage: "Giao dịch thất bại"}, true},
		{"another currency", transactionV2{TransactionID: "AP4", Status: "success", OrderAmount: "20", Currency: "USD"}, plugin.PaymentResult{}, false},
		{"no amount", transactionV2{TransactionID: "AP5", Status: "success"}, plugin.PaymentResult{}, false},
	}
	for _, tc := range cases {
		got, err := paymentResultV2Of(context.Background(), &tc.tx, nil)
		if (err == nil) != tc.ok || (tc.ok && !equalJSON(got, tc.want)) {
			t.Errorf("%s: %+v, %v; want %+v", tc.name, got, err, tc.want)
		}
	}
}

// TestCreateRequestV2Of: v2 takes the same order, nested, and needs no
// customer IP (AppotaPay reads the caller's).
func TestCreateRequestV2Of(t *testing.T) {
	cfg := &settings{version: version2, paymentMethod: "ATM", notifyURL: "https://payhost.example/cb"}
	req := &plugin.CreatePaymentRequest{
		PaymentID: "pay_1", AttemptID: "att_1", Amount: vnd(20_000), Method: plugin.MethodCard,
		Reference: "R1", ReturnURL: "https://shop.example/r",
	}
	w, err := createRequestV2Of(req, cfg)
	if err != nil {
		t.Fatal(err)
	}
	want := &createRequestV2{
		Transaction: transactionRequestV2{Amount: "20000", Currency: "VND", PaymentMethod: "CC", Action: "PAY"},
		PartnerReference: partnerReferenceV2{
			Order:              orderV2{ID: "att_1", Info: "R1"},
			NotificationConfig: &notificationConfigV2{NotifyURL: cfg.notifyURL, RedirectURL: req.ReturnURL},
		},
	}
	if !equalJSON(w, want) {
		t.Errorf("got %+v, want %+v", w, want)
	}
	req.Amount.Currency = "USD"
	if _, err := createRequestV2Of(req, cfg); plugin.KindOf(err) != plugin.KindInvalidRequest {
		t.Errorf("a USD payment: %v", err)
	}
}
