package reddot

import (
	"net/url"
	"strings"
	"testing"
)

// mapi sends a Merchant API call about payment pay (a payment-api answer),
// form-encoded and MD5-signed with the default secret; set overrides or,
// with "", removes fields.
func (e *env) mapi(action string, pay map[string]any, amount string, set map[string]string) map[string]any {
	e.t.Helper()
	fields := map[string]string{
		"mid": DefaultMID, "response_type": "json", "action_type": action,
		"order_number": str(e.t, pay, "order_id"), "transaction_id": str(e.t, pay, "transaction_id"),
		"amount": amount, "currency": str(e.t, pay, "request_ccy"),
	}
	if amount == "" {
		delete(fields, "amount")
	}
	for k, v := range set {
		fields[k] = v
		if v == "" {
			delete(fields, k)
		}
	}
	form := url.Values{}
	for k, v := range fields {
		form.Set(k, v)
	}
	form.Set("signature", merchantSignature(fields, DefaultSecret))
	return e.postForm(PathMerchantAPI, form)
}

// wantMAPI checks a Merchant API answer's status and reason code, and its
// MD5 signature over every other field.
func wantMAPI(t *testing.T, resp map[string]any, status, reason string) {
	t.Helper()
	if resp["result_status"] != status || resp["reason_code"] != reason {
		t.Fatalf("want %s/%s, got %v", status, reason, resp)
	}
	fields := map[string]string{}
	for k := range resp {
		fields[k] = params(resp).str(k)
	}
	if got, want := fields["signature"], merchantSignature(fields, DefaultSecret); got != want {
		t.Fatalf("signature %q, want %q", got, want)
	}
	if status == resultFailed && fields["reason_msg"] == "" {
		t.Errorf("failed answer without reason_msg: %v", resp)
	}
}

// accepted checks an accepted Merchant API answer for amount, stamped
// with the emulator's clock in UTC+8.
func (e *env) accepted(resp map[string]any, amount string) {
	e.t.Helper()
	wantMAPI(e.t, resp, resultAccepted, reasonAccepted)
	if resp["amount"] != amount || resp["timestamp"] != rdpTimestamp(e.clock.Now()) {
		e.t.Errorf("answer %v, want amount %s at %s", resp, amount, rdpTimestamp(e.clock.Now()))
	}
}

func TestSaleRefunds(t *testing.T) {
	e := newEnv(t)
	sale := e.pay(nil)
	wantResult(t, sale, codeOK, DefaultSecret)

	e.accepted(e.mapi(actionRefund, sale, "4.00", nil), "4.00")
	wantMAPI(t, e.mapi(actionRefund, sale, "6.01", nil), resultFailed, reasonOverAmount)
	e.accepted(e.mapi(actionRefund, sale, "6.00", nil), "6.00")
	wantMAPI(t, e.mapi(actionRefund, sale, "0.01", nil), resultFailed, reasonWrongState)
	wantMAPI(t, e.mapi(actionCapture, sale, "10.00", nil), resultFailed, reasonWrongState)
	wantMAPI(t, e.mapi(actionVoid, sale, "", nil), resultFailed, reasonWrongState)
}

func TestPreAuthCaptureRefund(t *testing.T) {
	e := newEnv(t)
	auth := e.pay(map[string]any{"payment_type": "A"})
	wantResult(t, auth, codeOK, DefaultSecret)

	wantMAPI(t, e.mapi(actionRefund, auth, "1.00", nil), resultFailed, reasonWrongState)
	wantMAPI(t, e.mapi(actionCapture, auth, "10.01", nil), resultFailed, reasonOverAmount)
	e.accepted(e.mapi(actionCapture, auth, "7.50", nil), "7.50")
	wantMAPI(t, e.mapi(actionCapture, auth, "2.50", nil), resultFailed, reasonWrongState)
	wantMAPI(t, e.mapi(actionVoid, auth, "", nil), resultFailed, reasonWrongState)
	wantMAPI(t, e.mapi(actionRefund, auth, "7.51", nil), resultFailed, reasonOverAmount)
	e.accepted(e.mapi(actionRefund, auth, "7.50", nil), "7.50")
}

func TestPreAuthVoid(t *testing.T) {
	e := newEnv(t)
	auth := e.pay(map[string]any{"payment_type": "A"})
	e.accepted(e.mapi(actionVoid, auth, "", nil), "10.00")
	wantMAPI(t, e.mapi(actionCapture, auth, "10.00", nil), resultFailed, reasonWrongState)
	wantMAPI(t, e.mapi(actionRefund, auth, "10.00", nil), resultFailed, reasonWrongState)
	wantMAPI(t, e.mapi(actionVoid, auth, "", nil), resultFailed, reasonWrongState)
}

func TestMerchantAPIZeroDecimalCurrency(t *testing.T) {
	e := newEnv(t)
	sale := e.pay(map[string]any{"amount": "150000", "ccy": "IDR"})
	wantResult(t, sale, codeOK, DefaultSecret)
	resp := e.mapi(actionRefund, sale, "500.00", nil)
	wantMAPI(t, resp, resultFailed, reasonBadRequest)
	if !strings.Contains(str(t, resp, "reason_msg"), "amount") {
		t.Errorf("reason_msg %v does not name amount", resp["reason_msg"])
	}
	e.accepted(e.mapi(actionRefund, sale, "500", nil), "500")
}

func TestMerchantAPIAcceptsJSON(t *testing.T) {
	e := newEnv(t)
	sale := e.pay(nil)
	fields := map[string]string{
		"mid": DefaultMID, "response_type": "json", "action_type": actionRefund, "order_number": "PAY-001",
		"transaction_id": str(t, sale, "transaction_id"), "amount": "1.00", "currency": "SGD",
	}
	fields["signature"] = merchantSignature(fields, DefaultSecret)
	e.accepted(e.post(PathMerchantAPI, fields), "1.00")
}

func TestMerchantAPIRejections(t *testing.T) {
	tests := []struct {
		name   string
		action string
		amount string
		set    map[string]string
		reason string
	}{
		{"transaction unknown", actionRefund, "1.00", map[string]string{"transaction_id": "PAY-001_1"}, reasonNotFound},
		{"order_number of another order", actionRefund, "1.00", map[string]string{"order_number": "PAY-002"}, reasonNotFound},
		{"transaction_id missing", actionRefund, "1.00", map[string]string{"transaction_id": ""}, reasonBadRequest},
		{"response_type not json", actionRefund, "1.00", map[string]string{"response_type": "xml"}, reasonBadRequest},
		{"action_type unknown", "settle", "1.00", nil, reasonBadRequest},
		{"requested_refund", actionRequestedRefund, "1.00", nil, reasonUnsupported},
		{"amount missing", actionRefund, "", nil, reasonBadRequest},
		{"amount without decimals", actionRefund, "1", nil, reasonBadRequest},
		{"amount with three decimals", actionRefund, "1.001", nil, reasonBadRequest},
		{"amount not a number", actionRefund, "one", nil, reasonBadRequest},
		{"currency missing", actionRefund, "1.00", map[string]string{"currency": ""}, reasonBadRequest},
		{"currency not the payment's", actionRefund, "1.00", map[string]string{"currency": "USD"}, reasonBadCurrency},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			sale := e.pay(nil)
			wantMAPI(t, e.mapi(tt.action, sale, tt.amount, tt.set), resultFailed, tt.reason)
			// A refused call leaves the payment refundable in full.
			e.accepted(e.mapi(actionRefund, sale, "10.00", nil), "10.00")
		})
	}
}

func TestMerchantAPIAuthentication(t *testing.T) {
	e := newEnv(t)
	sale := e.pay(nil)
	form := url.Values{"mid": {DefaultMID}, "response_type": {"json"}, "action_type": {actionRefund},
		"order_number": {"PAY-001"}, "transaction_id": {str(t, sale, "transaction_id")}, "amount": {"1.00"}, "currency": {"SGD"}}

	form.Set("signature", "0123456789abcdef0123456789abcdef")
	wantMAPI(t, e.postForm(PathMerchantAPI, form), resultFailed, reasonBadSig)

	form.Set("mid", "9999999999")
	unknown := e.postForm(PathMerchantAPI, form)
	if unknown["result_status"] != resultFailed || unknown["reason_code"] != reasonUnknownMID {
		t.Errorf("unknown mid answer %v", unknown)
	}
	if _, ok := unknown["signature"]; ok {
		t.Error("the answer to an unknown mid is signed")
	}
	// Nothing was refunded.
	e.accepted(e.mapi(actionRefund, sale, "10.00", nil), "10.00")
}

func TestMerchantAPIDeclinedAndPending(t *testing.T) {
	e := newEnv(t)
	declined := e.pay(map[string]any{"amount": "666.00", "payment_type": "A"})
	wantMAPI(t, e.mapi(actionCapture, declined, "666.00", nil), resultFailed, reasonWrongState)

	pending := e.pay(map[string]any{"order_id": "PAY-P", "amount": "777.00", "payment_type": "A", "notify_url": e.sink.url})
	wantResult(t, pending, codePending, DefaultSecret)
	wantMAPI(t, e.mapi(actionCapture, pending, "777.00", nil), resultFailed, reasonWrongState)
	e.clock.Advance(testPendingDelay)
	e.accepted(e.mapi(actionCapture, pending, "777.00", nil), "777.00")
	e.waitCallbacks()
	if got := e.sink.received(t); len(got) != 1 || got[0]["response_code"] != codeOK {
		t.Errorf("notifications %v, want the approval pushed once", got)
	}
}
