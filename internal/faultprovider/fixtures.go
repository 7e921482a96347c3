package faultprovider

import (
	"time"

	"github.com/payhost/payhost/plugin"
)

// The echo fixtures: for every RPC, the fully populated request the host
// sends in the wire round trip and the fully populated response the echo
// plugin answers (see EchoEnv). Each function returns fresh values. Values
// differ between RPCs, so that an answer given to the wrong RPC shows.
// TestFixturesArePopulated fails when a field of the SDK is left unset.

// EchoTime is the time every fixture carries, with nanoseconds.
var EchoTime = time.Date(2031, time.March, 4, 5, 6, 7, 123456789, time.UTC)

// EchoGetInfo is the GetInfo fixture. Its Type is "fault", so the echo
// plugin must be launched from a binary named payhost-provider-fault.
func EchoGetInfo() (*plugin.GetInfoRequest, *plugin.GetInfoResponse) {
	return &plugin.GetInfoRequest{}, &plugin.GetInfoResponse{
		Type:        "fault",
		Version:     "9.8.7-echo",
		Description: "echo fixture provider",
		Capabilities: plugin.Capabilities{
			Operations: plugin.Operations,
			Methods:    plugin.PaymentMethods,
			Currencies: []string{"USD", "VND", "JPY"},
		},
		Schema: plugin.Schema{Attributes: []plugin.Attribute{
			{Name: "api_key", Type: plugin.TypeString, Required: true, Sensitive: true, Description: "the key"},
			{Name: "endpoint", Type: plugin.TypeString, Default: "https://echo.invalid", Description: "the URL"},
			{Name: "retries", Type: plugin.TypeNumber, Default: int64(3), Description: "retries"},
			{Name: "sandbox", Type: plugin.TypeBool, Default: true, Description: "sandbox"},
			{Name: "timeout", Type: plugin.TypeDuration, Default: "45s", Description: "timeout"},
			{Name: "banks", Type: plugin.TypeListString, Default: []string{"vcb", "tcb"}, Description: "banks"},
			{Name: "labels", Type: plugin.TypeMapOfString, Default: map[string]string{"a": "1", "b": "2"}, Description: "labels"},
		}},
	}
}

// EchoConfigure is the Configure fixture; its Config holds a value of every
// kind, the sensitive api_key among them.
func EchoConfigure() (*plugin.ConfigureRequest, *plugin.ConfigureResponse) {
	cfg, err := plugin.NewConfig(map[string]any{
		"api_key":  "echo-secret-key",
		"endpoint": "https://echo.invalid/v2",
		"retries":  int64(-5),
		"sandbox":  true,
		"timeout":  "1m30s",
		"banks":    []string{"acb", "vcb"},
		"labels":   map[string]string{"x": "y"},
	})
	if err != nil {
		panic(err) // the values above are all of supported kinds
	}
	return &plugin.ConfigureRequest{
			Instance:    "fault.echo",
			Config:      cfg,
			CallbackURL: "https://host.invalid/v1/callbacks/fault/echo",
		}, &plugin.ConfigureResponse{
			Warnings: []string{"first warning", "second warning"},
			// A narrowing that keeps every operation, so that the echo
			// round trip of the other RPCs still passes the SDK's checks.
			Capabilities: &plugin.Capabilities{
				Operations: plugin.Operations,
				Methods:    plugin.PaymentMethods,
				Currencies: []string{"USD", "VND"},
			},
		}
}

// EchoCreatePayment is the CreatePayment fixture.
func EchoCreatePayment() (*plugin.CreatePaymentRequest, *plugin.CreatePaymentResponse) {
	return &plugin.CreatePaymentRequest{
		PaymentID:      "pay_echo",
		AttemptID:      "att_echo",
		IdempotencyKey: "idem-create",
		Amount:         plugin.Money{Amount: 123456, Currency: "USD"},
		Method:         plugin.MethodCard,
		Capture:        plugin.CaptureManual,
		Reference:      "order-42",
		Description:    "two coffees ☕",
		ReturnURL:      "https://shop.invalid/return?x=1",
		Customer:       echoCustomer("create"),
		Card:           echoCard(),
		Token:          &plugin.StoredToken{Token: "tok_gateway", CustomerRef: "cus_gateway"},
		Country:        "VN",
		Metadata:       map[string]string{"cart": "7", "channel": "web"},
		Options:        map[string]string{"bank_code": "VCB"},
	}, &plugin.CreatePaymentResponse{PaymentResult: echoPaymentResult("create")}
}

// EchoCreatePaymentError is the CreatePayment request the echo plugin
// answers with a fully populated error (all but Err, which does not cross
// the wire).
func EchoCreatePaymentError() (*plugin.CreatePaymentRequest, *plugin.Error) {
	req, _ := EchoCreatePayment()
	req.PaymentID = "pay_echo_error"
	return req, &plugin.Error{
		Kind:       plugin.KindRateLimited,
		Code:       "E429",
		Message:    "slow down, please",
		Param:      "amount",
		RetryAfter: 1500 * time.Millisecond,
	}
}

// EchoCapture is the Capture fixture.
func EchoCapture() (*plugin.CaptureRequest, *plugin.CaptureResponse) {
	return &plugin.CaptureRequest{
		PaymentRef:       echoPaymentRef("capture"),
		IdempotencyKey:   "idem-capture",
		Amount:           plugin.Money{Amount: 1000, Currency: "EUR"},
		AuthorizedAmount: plugin.Money{Amount: 2000, Currency: "EUR"},
	}, &plugin.CaptureResponse{PaymentResult: echoPaymentResult("capture")}
}

// EchoRefund is the Refund fixture.
func EchoRefund() (*plugin.RefundRequest, *plugin.RefundResponse) {
	return &plugin.RefundRequest{
		PaymentRef:     echoPaymentRef("refund"),
		RefundID:       "ref_echo",
		IdempotencyKey: "idem-refund",
		Amount:         plugin.Money{Amount: 300, Currency: "KWD"},
		CapturedAmount: plugin.Money{Amount: 900, Currency: "KWD"},
		Reason:         "requested_by_customer",
	}, &plugin.RefundResponse{RefundResult: echoRefundResult("refund")}
}

// EchoVoid is the Void fixture.
func EchoVoid() (*plugin.VoidRequest, *plugin.VoidResponse) {
	return &plugin.VoidRequest{
		PaymentRef:     echoPaymentRef("void"),
		IdempotencyKey: "idem-void",
		Amount:         plugin.Money{Amount: 50000, Currency: "VND"},
	}, &plugin.VoidResponse{PaymentResult: echoPaymentResult("void")}
}

// EchoReverse is the Reverse fixture.
func EchoReverse() (*plugin.ReverseRequest, *plugin.ReverseResponse) {
	return &plugin.ReverseRequest{
		PaymentRef:     echoPaymentRef("reverse"),
		IdempotencyKey: "idem-reverse",
		Amount:         plugin.Money{Amount: 7, Currency: "JPY"},
	}, &plugin.ReverseResponse{PaymentResult: echoPaymentResult("reverse")}
}

// EchoGetPayment is the GetPayment fixture.
func EchoGetPayment() (*plugin.GetPaymentRequest, *plugin.GetPaymentResponse) {
	return &plugin.GetPaymentRequest{
		PaymentRef: echoPaymentRef("get_payment"),
		Amount:     plugin.Money{Amount: 99, Currency: "SGD"},
		Method:     plugin.MethodQR,
	}, &plugin.GetPaymentResponse{PaymentResult: echoPaymentResult("get_payment")}
}

// EchoGetRefund is the GetRefund fixture.
func EchoGetRefund() (*plugin.GetRefundRequest, *plugin.GetRefundResponse) {
	return &plugin.GetRefundRequest{
		PaymentRef:              echoPaymentRef("get_refund"),
		RefundID:                "ref_echo_get",
		ProviderRefundReference: "gw_ref_echo_get",
		Amount:                  plugin.Money{Amount: 12, Currency: "GBP"},
	}, &plugin.GetRefundResponse{RefundResult: echoRefundResult("get_refund")}
}

// EchoTokenize is the Tokenize fixture.
func EchoTokenize() (*plugin.TokenizeRequest, *plugin.TokenizeResponse) {
	return &plugin.TokenizeRequest{
		TokenID:        "tok_echo",
		IdempotencyKey: "idem-tokenize",
		Customer:       echoCustomer("tokenize"),
		Card:           echoCard(),
		ReturnURL:      "https://shop.invalid/token-return",
		Currency:       "THB",
		Metadata:       map[string]string{"purpose": "subscription"},
	}, &plugin.TokenizeResponse{TokenResult: echoTokenResult("tokenize")}
}

// EchoGetToken is the GetToken fixture.
func EchoGetToken() (*plugin.GetTokenRequest, *plugin.GetTokenResponse) {
	return &plugin.GetTokenRequest{TokenRef: echoTokenRef("get_token")},
		&plugin.GetTokenResponse{TokenResult: echoTokenResult("get_token")}
}

// EchoDeleteToken is the DeleteToken fixture.
func EchoDeleteToken() (*plugin.DeleteTokenRequest, *plugin.DeleteTokenResponse) {
	return &plugin.DeleteTokenRequest{TokenRef: echoTokenRef("delete_token"), IdempotencyKey: "idem-delete"},
		&plugin.DeleteTokenResponse{TokenResult: echoTokenResult("delete_token")}
}

// EchoHandleCallback is the HandleCallback fixture: raw bytes (not valid
// UTF-8) in, one event of every type out.
func EchoHandleCallback() (*plugin.HandleCallbackRequest, *plugin.HandleCallbackResponse) {
	payment, refund, token := echoPaymentResult("callback"), echoRefundResult("callback"), echoTokenResult("callback")
	return &plugin.HandleCallbackRequest{
			Method:   "POST",
			Path:     "/v1/callbacks/fault/echo",
			RawQuery: "a=1&b=%20",
			Header:   map[string][]string{"Content-Type": {"application/json"}, "X-Sig": {"s1", "s2"}},
			Body:     []byte{'{', 0xff, 0x00, '}'},
		}, &plugin.HandleCallbackResponse{
			Events: []plugin.Event{
				{ID: "evt_1", Type: plugin.EventPayment, AttemptID: "att_cb", ProviderReference: "gw_cb", Payment: &payment, OccurredAt: EchoTime},
				{ID: "evt_2", Type: plugin.EventRefund, RefundID: "ref_cb", Refund: &refund, OccurredAt: EchoTime.Add(time.Second)},
				{ID: "evt_3", Type: plugin.EventToken, TokenID: "tok_cb", Token: &token, OccurredAt: EchoTime.Add(2 * time.Second)},
			},
			Response: plugin.HTTPResponse{
				StatusCode: 202,
				Header:     map[string][]string{"Content-Type": {"text/plain"}, "X-Multi": {"1", "2"}},
				Body:       []byte("SUCCESS\x00\xfe"),
			},
		}
}

func echoCustomer(rpc string) plugin.Customer {
	return plugin.Customer{ID: "cus_" + rpc, Email: rpc + "@example.invalid", Name: "Nguyễn " + rpc, IP: "203.0.113.9", Phone: "+84901234567"}
}

func echoCard() *plugin.Card {
	return &plugin.Card{
		Number:     plugin.NewCardNumber("4111111111111111"),
		ExpMonth:   12,
		ExpYear:    2034,
		CVC:        plugin.NewSecret("737"),
		HolderName: "ECHO HOLDER",
	}
}

func echoCardInfo(rpc string) *plugin.CardInfo {
	return &plugin.CardInfo{First6: "411111", Last4: "1111", ExpMonth: 11, ExpYear: 2033, Brand: "visa", HolderName: "HOLDER " + rpc}
}

func echoNextAction(rpc string) *plugin.NextAction {
	return &plugin.NextAction{
		Type:      plugin.ActionRedirect,
		URL:       "https://gw.invalid/pay/" + rpc,
		QRCode:    "000201010212" + rpc,
		DeepLink:  "bank://pay/" + rpc,
		ExpiresAt: EchoTime,
	}
}

func echoPaymentRef(rpc string) plugin.PaymentRef {
	return plugin.PaymentRef{PaymentID: "pay_" + rpc, AttemptID: "att_" + rpc, ProviderReference: "gw_" + rpc}
}

func echoTokenRef(rpc string) plugin.TokenRef {
	return plugin.TokenRef{TokenID: "tok_" + rpc, Token: "gwtok_" + rpc, CustomerRef: "gwcus_" + rpc, ProviderReference: "gwreq_" + rpc}
}

func echoPaymentResult(rpc string) plugin.PaymentResult {
	return plugin.PaymentResult{
		Status:            plugin.StatusRequiresAction,
		ProviderReference: "gw_pay_" + rpc,
		NextAction:        echoNextAction(rpc),
		Amount:            plugin.Money{Amount: 5000, Currency: "IDR"},
		CapturedAmount:    plugin.Money{Amount: 2500, Currency: "IDR"},
		Card:              echoCardInfo(rpc),
		ProviderStatus:    "PENDING_" + rpc,
		FailureCode:       "F_" + rpc,
		FailureMessage:    "failure of " + rpc,
	}
}

func echoRefundResult(rpc string) plugin.RefundResult {
	return plugin.RefundResult{
		Status:                  plugin.RefundPending,
		ProviderRefundReference: "gw_ref_" + rpc,
		Amount:                  plugin.Money{Amount: 4200, Currency: "MYR"},
		ProviderStatus:          "REFUNDING_" + rpc,
		FailureCode:             "RF_" + rpc,
		FailureMessage:          "refund failure of " + rpc,
	}
}

func echoTokenResult(rpc string) plugin.TokenResult {
	return plugin.TokenResult{
		Status:            plugin.TokenRequiresAction,
		Token:             "gwtok_out_" + rpc,
		CustomerRef:       "gwcus_out_" + rpc,
		ProviderReference: "gwreq_out_" + rpc,
		NextAction:        echoNextAction("token_" + rpc),
		Card:              echoCardInfo("token_" + rpc),
		ProviderStatus:    "TOKEN_" + rpc,
		FailureCode:       "TF_" + rpc,
		FailureMessage:    "token failure of " + rpc,
	}
}
