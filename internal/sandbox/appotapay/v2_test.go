package appotapay

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"
)

// v2Body is the documented v2 create request (testdata/create_request_v2.json)
// for orderID and amount, notifying m when m is not nil.
func v2Body(t *testing.T, m *merchant, orderID string, amount int64) map[string]any {
	t.Helper()
	raw, err := os.ReadFile("testdata/create_request_v2.json")
	if err != nil {
		t.Fatal(err)
	}
	body := map[string]any{}
	if err := json.Unmarshal(raw, &body); err != nil {
		t.Fatal(err)
	}
	body["transaction"].(map[string]any)["amount"] = amount
	ref := body["partnerReference"].(map[string]any)
	ref["order"].(map[string]any)["id"] = orderID
	if m != nil {
		ref["notificationConfig"].(map[string]any)["notifyUrl"] = m.URL + "/ipn"
	}
	return body
}

// v2Data verifies a v2 notification (HMAC over the exact data string,
// vector AP-8's scheme) and decodes its data.
func v2Data(t *testing.T, data, signature string) map[string]any {
	t.Helper()
	if !verifyHex(SandboxSecretKey, data, signature) {
		t.Fatalf("signature %s does not verify over data", signature)
	}
	raw, err := base64.StdEncoding.DecodeString(data)
	if err != nil {
		t.Fatalf("data is not Base64: %v", err)
	}
	return decodeJSON(t, strings.NewReader(string(raw)))
}

// TestV2PaymentFlow drives the v2 profile: create (pending, 35), status by
// both reference types, Pay on the /v2 page, the {data, signature, time}
// IPN and the redirect carrying the same.
func TestV2PaymentFlow(t *testing.T) {
	h := newHarness(t)
	m := newMerchant(t)
	created := h.post("/api/v2/orders/payment", v2Body(t, m, "v2-1", 50000))
	tx := created["transaction"].(map[string]any)
	if str(tx["status"]) != "pending" || str(tx["errorCode"]) != "35" || str(tx["orderAmount"]) != "50000" || str(tx["transactionId"]) != "AP240911100001B" {
		t.Fatalf("created transaction = %v", tx)
	}
	link := str(created["payment"].(map[string]any)["url"])
	if !strings.HasPrefix(link, h.ts.URL+"/v2/bank/payment/process?tran=") || !strings.HasSuffix(link, "&lang=vi") {
		t.Fatalf("payment.url = %s", link)
	}
	for _, query := range []string{"referenceId=AP240911100001B", "referenceId=AP240911100001B&type=TRANSACTION_ID", "referenceId=v2-1&type=PARTNER_ORDER_ID"} {
		got := h.get("/api/v2/orders/transaction?" + query)["transaction"].(map[string]any)
		if str(got["status"]) != "pending" {
			t.Errorf("%s: status %v, want pending", query, got["status"])
		}
	}

	q := h.redirectQuery(link, "pay")
	ipn := m.wait(t, 1)[0]
	if ct := ipn.header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("v2 IPN Content-Type = %q", ct)
	}
	var n v2Notification
	if err := json.Unmarshal(ipn.body, &n); err != nil || n.Time == "" {
		t.Fatalf("IPN body %s: %v", ipn.body, err)
	}
	result := v2Data(t, n.Data, n.Signature)
	paid := result["transaction"].(map[string]any)
	want := map[string]string{"status": "success", "errorCode": "0", "orderAmount": "50000", "amount": "50000", "currency": "VND",
		"transactionId": "AP240911100001B", "reconciliationId": "AP240911100001B", "partnerCode": SandboxPartnerCode, "version": "2.0",
		"createdAt": "2024-09-11T11:32:16+07:00"}
	for k, v := range want {
		if str(paid[k]) != v {
			t.Errorf("IPN transaction.%s = %v, want %s", k, paid[k], v)
		}
	}
	if id := result["partnerReference"].(map[string]any)["order"].(map[string]any)["id"]; id != "v2-1" {
		t.Errorf("IPN partnerReference.order.id = %v", id)
	}
	if q.Get("data") != n.Data || q.Get("signature") != n.Signature {
		t.Error("redirect carries a different result than the IPN")
	}
	v2Data(t, q.Get("data"), q.Get("signature"))

	status := h.get("/api/v2/orders/transaction?referenceId=v2-1&type=PARTNER_ORDER_ID")
	if str(status["transaction"].(map[string]any)["status"]) != "success" || status["cardInfo"] == nil {
		t.Errorf("status after paying = %v", status)
	}
}

// TestV2Failures: the failure page redirects with status error and no IPN.
func TestV2Failures(t *testing.T) {
	h := newHarness(t)
	m := newMerchant(t)
	created := h.post("/api/v2/orders/payment", v2Body(t, m, "v2-f", AmountDecline))
	q := h.redirectQuery(str(created["payment"].(map[string]any)["url"]), "pay")
	tx := v2Data(t, q.Get("data"), q.Get("signature"))["transaction"].(map[string]any)
	if str(tx["status"]) != "error" || str(tx["errorCode"]) != "33" {
		t.Errorf("redirect transaction = %v", tx)
	}
	if err := h.srv.Kit().Callbacks.Wait(t.Context()); err != nil {
		t.Fatal(err)
	}
	if m.count() != 0 {
		t.Errorf("merchant received %d IPNs for a declined payment", m.count())
	}
}

// TestV2Rejections: v2 answers with an HTTP error status, errorCode and
// the bad fields by path.
func TestV2Rejections(t *testing.T) {
	h := newHarness(t)
	h.post("/api/v2/orders/payment", v2Body(t, nil, "v2-dup", 10000))
	set := func(path string, value any) func(map[string]any) {
		return func(b map[string]any) {
			keys := strings.Split(path, ".")
			m := b
			for _, k := range keys[:len(keys)-1] {
				m = m[k].(map[string]any)
			}
			if value == nil {
				delete(m, keys[len(keys)-1])
			} else {
				m[keys[len(keys)-1]] = value
			}
		}
	}
	tests := []struct {
		name   string
		change func(map[string]any)
		status int
		code   int
		field  string
	}{
		{"transaction missing", set("transaction", nil), 400, codeInvalidParams, "transaction"},
		{"transaction not an object", set("transaction", "x"), 400, codeInvalidParams, "transaction"},
		{"amount with decimals", set("transaction.amount", jsonNumber("10000.5")), 400, codeInvalidAmount, "transaction.amount"},
		{"amount too small", set("transaction.amount", 999), 400, codeInvalidAmount, "transaction.amount"},
		{"currency not VND", set("transaction.currency", "USD"), 400, codeInvalidParams, "transaction.currency"},
		{"paymentMethod missing", set("transaction.paymentMethod", nil), 400, codeInvalidParams, "transaction.paymentMethod"},
		{"action missing", set("transaction.action", nil), 400, codeInvalidParams, "transaction.action"},
		{"PAY_WITH_TOKEN without token", set("transaction.action", actionPayWithToken), 400, codeInvalidParams, "transaction.token"},
		{"order id too long", set("partnerReference.order.id", strings.Repeat("x", 51)), 400, codeInvalidParams, "partnerReference.order.id"},
		{"order info too long", set("partnerReference.order.info", strings.Repeat("x", 151)), 400, codeInvalidParams, "partnerReference.order.info"},
		{"notifyUrl missing", set("partnerReference.notificationConfig.notifyUrl", nil), 400, codeInvalidParams, "partnerReference.notificationConfig.notifyUrl"},
		{"redirectUrl not a URL", set("partnerReference.notificationConfig.redirectUrl", "nope"), 400, codeInvalidParams, "partnerReference.notificationConfig.redirectUrl"},
		{"method not allowed", set("transaction.paymentMethod", "CASH"), 400, codeMethodNotAllowed, ""},
		{"bank not allowed", set("transaction.bankCode", "NOSUCHBANK"), 400, codeBankNotAllowed, ""},
		{"duplicate order id", set("partnerReference.order.id", "v2-dup"), 400, codeDuplicateOrder, ""},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := v2Body(t, nil, "v2-r"+string(rune('a'+i)), 10000)
			tt.change(body)
			status, resp := h.call(http.MethodPost, "/api/v2/orders/payment", h.token(), body)
			if status != tt.status {
				t.Errorf("HTTP %d, want %d", status, tt.status)
			}
			wantCode(t, resp, tt.code)
			if tt.field == "" {
				return
			}
			errs, _ := resp["errors"].([]any)
			if len(errs) != 1 || errs[0].(map[string]any)["field"] != tt.field {
				t.Errorf("errors = %v, want exactly %s", resp["errors"], tt.field)
			}
		})
	}
	for query, want := range map[string]int{"referenceId=AP0": 404, "referenceId=v2-dup": 404, "": 400, "referenceId=v2-dup&type=ORDER": 400} {
		status, resp := h.call(http.MethodGet, "/api/v2/orders/transaction?"+query, h.token(), nil)
		if status != want {
			t.Errorf("status ?%s: HTTP %d (%v), want %d", query, status, resp, want)
		}
	}
}

// TestV2Refunds covers the v2 refund API: accepted pending, looked up by
// refundId and by partnerRefId, settling to success with refundedAt, and
// the refusals shared with v1.
func TestV2Refunds(t *testing.T) {
	h := newHarness(t)
	m := newMerchant(t)
	created := h.post("/api/v2/orders/payment", v2Body(t, m, "v2-rf", 50000))
	h.redirectQuery(str(created["payment"].(map[string]any)["url"]), "pay")
	trans := str(created["transaction"].(map[string]any)["transactionId"])
	body := func(ref string, amount int64) map[string]any {
		return map[string]any{"partnerRefId": ref, "transactionId": trans, "amount": amount, "currency": "VND", "reason": "Test refund"}
	}
	rf := h.post("/api/v2/transaction/refund", body("v2-ref-1", 20000))
	if str(rf["status"]) != "pending" || str(rf["partnerRefId"]) != "v2-ref-1" || rf["refundedAt"] != nil {
		t.Fatalf("refund = %v", rf)
	}
	h.clock.Advance(DefaultRefundSettleAfter)
	for _, path := range []string{"/api/v2/transaction/refund/" + str(rf["refundId"]), "/api/v2/transaction/refund/v2-ref-1?type=PARTNER_ORDER_ID"} {
		got := h.get(path)
		if str(got["status"]) != "success" || str(got["refundedAt"]) != "2024-09-11T11:32:19+07:00" {
			t.Errorf("%s = %v", path, got)
		}
	}
	refusals := []struct {
		body   map[string]any
		status int
		code   int
	}{
		{body("v2-ref-1", 1000), 400, codeDuplicateRefund},
		{body("v2-ref-2", 30001), 400, codeRefundExceeds},
		{body("v2-ref-3", RefundAmountWait), 400, codeRefundWait},
		{body("v2-ref-4", RefundAmountNotRefundable), 400, codeNotRefundable},
		{map[string]any{"partnerRefId": "v2-ref-5", "transactionId": "AP0", "amount": 1000, "currency": "VND", "reason": "r"}, 404, codeNotFound},
		{map[string]any{"partnerRefId": "v2-ref-6", "transactionId": trans, "amount": 1000, "currency": "USD", "reason": "r"}, 400, codeInvalidParams},
	}
	for _, tt := range refusals {
		status, resp := h.call(http.MethodPost, "/api/v2/transaction/refund", h.token(), tt.body)
		if status != tt.status {
			t.Errorf("%v: HTTP %d, want %d", tt.body["partnerRefId"], status, tt.status)
		}
		wantCode(t, resp, tt.code)
	}
	status, _ := h.call(http.MethodGet, "/api/v2/transaction/refund/nope", h.token(), nil)
	if status != http.StatusNotFound {
		t.Errorf("unknown refund: HTTP %d, want 404", status)
	}
}

// TestV2IPNAcknowledgement: v2 accepts only {"status":"ok"}.
func TestV2IPNAcknowledgement(t *testing.T) {
	if !ipnAckedV2(200, []byte(`{"status":"ok"}`)) || ipnAckedV2(200, []byte(`{"errorCode":0}`)) {
		t.Error("ipnAckedV2 must accept status ok and only that")
	}
}

// TestV2NotificationVector signs the documented v2 data string (AP-8) the
// way the emulator signs its own.
func TestV2NotificationVector(t *testing.T) {
	v := loadVectors(t)["AP-8"]
	data := v2Data(t, v.message, v.want)
	if data["transaction"].(map[string]any)["orderId"] != "5f5b46cb73fd0" {
		t.Errorf("decoded vector = %v", data)
	}
	// Base64 '+', '/' and '=' must survive the redirect's query string.
	q, err := url.ParseQuery(v2Notification{Data: v.message, Signature: v.want}.query().Encode())
	if err != nil || q.Get("data") != v.message || q.Get("signature") != v.want {
		t.Errorf("query round trip lost the data: %v", err)
	}
}
