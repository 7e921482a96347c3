package reddot

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/payhost/payhost/internal/sandbox/emukit"
)

// pay sends a direct payment built from the direct_sale fixture with set
// applied, signed with the payment signature.
func (e *env) pay(set map[string]any) map[string]any {
	e.t.Helper()
	return e.post(PathPaymentAPI, paySigned(with(e.fixture("direct_sale"), set), DefaultSecret))
}

func TestDirectSaleAndPreAuth(t *testing.T) {
	for _, tt := range []struct{ paymentType, order string }{{"S", "PAY-S"}, {"A", "PAY-A"}} {
		t.Run(tt.paymentType, func(t *testing.T) {
			e := newEnv(t)
			resp := e.pay(map[string]any{"payment_type": tt.paymentType, "order_id": tt.order})
			wantResult(t, resp, codeOK, DefaultSecret)
			for k, want := range map[string]string{
				"transaction_type": tt.paymentType, "request_amount": "10.00", "authorized_amount": "10.00",
				"request_ccy": "SGD", "first_6": "411111", "last_4": "1111", "order_id": tt.order,
				"mid": DefaultMID, "request_mid": DefaultMID, "acquirer_response_code": "00",
			} {
				if got := str(t, resp, k); got != want {
					t.Errorf("%s = %q, want %q", k, got, want)
				}
			}
			if !strings.HasPrefix(str(t, resp, "transaction_id"), tt.order+"_") {
				t.Errorf("transaction_id %v does not start with the order id", resp["transaction_id"])
			}
			q := e.query(PathQueryPayment, str(t, resp, "transaction_id"))
			wantResult(t, q, codeOK, DefaultSecret)
			if q["transaction_type"] != tt.paymentType {
				t.Errorf("query transaction_type = %v", q["transaction_type"])
			}
		})
	}
}

func TestDirectDeclines(t *testing.T) {
	tests := []struct {
		name string
		set  map[string]any
	}{
		{"magic amount", map[string]any{"amount": "666.00"}},
		{"magic amount in IDR", map[string]any{"amount": "666", "ccy": "IDR"}},
		{"magic card", map[string]any{"card_no": CardDecline}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			resp := e.pay(tt.set)
			wantResult(t, resp, codeRejected, DefaultSecret)
			if resp["authorized_amount"] != "" {
				t.Errorf("a decline reports authorized_amount %v", resp["authorized_amount"])
			}
		})
	}
}

func TestMagicFractionIsNotMagic(t *testing.T) {
	e := newEnv(t)
	wantResult(t, e.pay(map[string]any{"amount": "666.01"}), codeOK, DefaultSecret)
}

func TestPendingResolvesViaQuery(t *testing.T) {
	tests := []struct {
		name, final string
		set         map[string]any
	}{
		{"amount then approved", codeOK, map[string]any{"amount": "777.00"}},
		{"amount then declined", codeRejected, map[string]any{"amount": "778.00"}},
		{"card then approved", codeOK, map[string]any{"card_no": CardPendingApprove}},
		{"card then declined", codeRejected, map[string]any{"card_no": CardPendingDecline, "payment_type": "A"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			resp := e.pay(with(tt.set, map[string]any{"notify_url": e.sink.url}))
			wantResult(t, resp, codePending, DefaultSecret)
			txn := str(t, resp, "transaction_id")

			wantResult(t, e.query(PathQueryPayment, txn), codePending, DefaultSecret)
			e.waitCallbacks()
			if n := len(e.sink.received(t)); n != 0 {
				t.Fatalf("%d notifications while pending, want none", n)
			}

			e.clock.Advance(testPendingDelay)
			wantResult(t, e.query(PathQueryPayment, txn), tt.final, DefaultSecret)
			wantResult(t, e.query(PathQueryPayment, txn), tt.final, DefaultSecret)
			e.waitCallbacks()
			got := e.sink.received(t)
			if len(got) != 1 {
				t.Fatalf("%d notifications after resolution, want 1", len(got))
			}
			wantResult(t, got[0], tt.final, DefaultSecret)
		})
	}
}

func TestPendingResolvesByItself(t *testing.T) {
	e := newEnv(t, func(c *Config) {
		c.PendingDelay = 20 * time.Millisecond
		c.Kit.Clock = emukit.SystemClock{}
	})
	resp := e.pay(map[string]any{"amount": "777.00", "notify_url": e.sink.url})
	wantResult(t, resp, codePending, DefaultSecret)
	deadline := time.Now().Add(5 * time.Second)
	for len(e.sink.rawBodies()) == 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	got := e.sink.received(t)
	if len(got) != 1 {
		t.Fatalf("%d notifications, want 1 pushed by the timer", len(got))
	}
	wantResult(t, got[0], codeOK, DefaultSecret)
}

func TestPaymentWithToken(t *testing.T) {
	e := newEnv(t)
	tok := e.post(PathTokenAPI, signed(e.fixture("direct_token_create"), DefaultSecret))
	wantResult(t, tok, codeOK, DefaultSecret)
	tokenID := str(t, tok, "token_id")
	noCard := map[string]any{"card_no": nil, "exp_date": nil, "cvv2": nil}

	byToken := e.pay(with(noCard, map[string]any{"order_id": "PAY-T1", "token_id": tokenID}))
	wantResult(t, byToken, codeOK, DefaultSecret)
	if byToken["first_6"] != "411111" || byToken["token_id"] != tokenID || byToken["payer_id"] != "CUST-1" {
		t.Errorf("token payment answer %v", byToken)
	}
	byPayer := e.pay(with(noCard, map[string]any{"order_id": "PAY-T2", "payer_id": "CUST-1", "cvv2": "123"}))
	wantResult(t, byPayer, codeOK, DefaultSecret)

	wantResult(t, e.post(PathTokenAPI, signed(map[string]any{
		"mid": DefaultMID, "order_id": "TOK-R", "api_mode": "direct_token_api", "transaction_type": "R",
		"payer_id": "CUST-1", "payer_email": "john@example.com", "token_id": tokenID,
	}, DefaultSecret)), codeOK, DefaultSecret)
	wantError(t, e.pay(with(noCard, map[string]any{"order_id": "PAY-T3", "token_id": tokenID})), codePayTokenNotAllowed)
}

func TestPaymentAPIRejections(t *testing.T) {
	sign := func(set map[string]any) func(e *env) any {
		return func(e *env) any { return paySigned(with(e.fixture("direct_sale"), set), DefaultSecret) }
	}
	hop := func(set map[string]any) func(e *env) any {
		return func(e *env) any { return paySigned(with(e.fixture("hosted_sale"), set), DefaultSecret) }
	}
	tests := []struct {
		name   string
		body   func(e *env) any
		want   string
		config func(*Config)
	}{
		{name: "body is not JSON", body: func(*env) any { return []byte("{") }, want: codePayMIDNotFound},
		{name: "mid unknown", body: sign(map[string]any{"mid": "42"}), want: codePayMIDNotFound},
		{name: "signature with the wrong secret", body: func(e *env) any { return paySigned(e.fixture("direct_sale"), "nope") }, want: codePayBadSignature},
		{name: "signed with sign_generic instead", body: func(e *env) any { return signed(e.fixture("direct_sale"), DefaultSecret) }, want: codePayBadSignature},
		{name: "amount changed after signing", body: func(e *env) any {
			return with(paySigned(e.fixture("direct_sale"), DefaultSecret), map[string]any{"amount": "1.00"})
		}, want: codePayBadSignature},
		{name: "signature missing", body: func(e *env) any { return e.fixture("direct_sale") }, want: codeFieldMissing},
		{name: "api_mode unknown", body: sign(map[string]any{"api_mode": "direct"}), want: codePayBadAPIMode},
		{name: "api_mode not set up", body: sign(map[string]any{"api_mode": "direct_3d"}), want: codePayModeNotSetUp},
		{name: "payment_type unknown", body: sign(map[string]any{"payment_type": "X"}), want: codePayBadPaymentType},
		{name: "order_id with a slash", body: sign(map[string]any{"order_id": "PAY/1"}), want: codeBadOrderID},
		{name: "amount missing", body: sign(map[string]any{"amount": nil}), want: codeFieldMissing},
		{name: "amount without decimals for SGD", body: sign(map[string]any{"amount": "10"}), want: codePayBadFormat},
		{name: "amount with one decimal", body: sign(map[string]any{"amount": "10.5"}), want: codePayBadFormat},
		{name: "amount with three decimals", body: sign(map[string]any{"amount": "10.000"}), want: codePayBadFormat},
		{name: "amount negative", body: sign(map[string]any{"amount": "-1.00"}), want: codePayBadFormat},
		{name: "amount zero", body: sign(map[string]any{"amount": "0.00"}), want: codePayBadFormat},
		{name: "amount with 11 integer digits", body: sign(map[string]any{"amount": "12345678901.00"}), want: codePayBadFormat},
		{name: "amount as a JSON number", body: sign(map[string]any{"amount": json.Number("10.00")}), want: codePayBadFormat},
		{name: "amount with decimals for IDR", body: sign(map[string]any{"amount": "100.00", "ccy": "IDR"}), want: codePayBadFormat},
		{name: "ccy unknown", body: sign(map[string]any{"ccy": "XYZ"}), want: codePayBadCurrency},
		{name: "no card, token or payer", body: sign(map[string]any{"card_no": nil}), want: codePayNeedsInstrument},
		{name: "card_no fails Luhn", body: sign(map[string]any{"card_no": "4111111111111121"}), want: codeBadCardNo},
		{name: "exp_date missing with a card", body: sign(map[string]any{"exp_date": nil}), want: codeFieldMissing},
		{name: "exp_date malformed", body: sign(map[string]any{"exp_date": "12/31"}), want: codeBadExpDate},
		{name: "cvv2 of 2 digits", body: sign(map[string]any{"cvv2": "12"}), want: codeBadCardNo},
		{name: "token unknown", body: sign(map[string]any{"card_no": nil, "token_id": "123456789012345678901234567890"}), want: codePayTokenNotAllowed},
		{name: "merchant_reference too long", body: sign(map[string]any{"merchant_reference": strings.Repeat("r", 101)}), want: codePayTooLong},
		{name: "payer_email malformed", body: sign(map[string]any{"payer_email": "john"}), want: codeBadPayerEmail},
		{name: "hosted without redirect_url", body: hop(map[string]any{"redirect_url": nil}), want: codeFieldMissing},
		{name: "hosted with a relative back_url", body: hop(map[string]any{"back_url": "back"}), want: codeFieldEmpty},
		{name: "order_id reused with unique order ids", config: withMerchants, body: func(e *env) any {
			req := with(e.fixture("direct_sale"), map[string]any{"mid": uniqueMerchant.MID})
			wantResult(t, e.post(PathPaymentAPI, paySigned(req, uniqueMerchant.Secret)), codeOK, uniqueMerchant.Secret)
			return paySigned(req, uniqueMerchant.Secret)
		}, want: codeDuplicateOrderID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var e *env
			if tt.config != nil {
				e = newEnv(t, tt.config)
			} else {
				e = newEnv(t)
			}
			resp := e.post(PathPaymentAPI, tt.body(e))
			wantError(t, resp, tt.want)
		})
	}
}

func TestAmountErrorsNameTheField(t *testing.T) {
	e := newEnv(t)
	resp := e.pay(map[string]any{"amount": "10"})
	if msg := str(t, resp, "response_msg"); !strings.Contains(msg, "amount") || !strings.Contains(msg, "2 decimals") {
		t.Errorf("response_msg %q", msg)
	}
}

func TestDuplicateOrderIDAllowedByDefault(t *testing.T) {
	e := newEnv(t)
	first := e.pay(nil)
	second := e.pay(nil)
	wantResult(t, first, codeOK, DefaultSecret)
	wantResult(t, second, codeOK, DefaultSecret)
	if first["transaction_id"] == second["transaction_id"] {
		t.Error("two payments share a transaction_id")
	}
}
