package redotpay

import (
	"bytes"
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strconv"
	"testing"
)

// verifyWebhook checks a webhook the way a merchant does, written apart
// from the emulator's own verifier: SHA256withRSA over appKey.ts.body.
func verifyWebhook(t *testing.T, pub *rsa.PublicKey, call receivedCall) {
	t.Helper()
	if got := call.header.Get("X-R-Key-Version"); got != "1" {
		t.Errorf("X-R-Key-Version = %q", got)
	}
	sig, err := base64.StdEncoding.DecodeString(call.header.Get("X-R-Signature"))
	if err != nil {
		t.Fatalf("X-R-Signature is not base64: %v", err)
	}
	digest := sha256.Sum256([]byte(DefaultAppKey + "." + call.header.Get("X-R-Ts") + "." + string(call.body)))
	if err := rsa.VerifyPKCS1v15(pub, crypto.SHA256, digest[:], sig); err != nil {
		t.Fatalf("webhook signature does not verify with the platform public key: %v", err)
	}
}

func decodeNumbers(t *testing.T, body []byte) map[string]any {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		t.Fatalf("webhook body %s: %v", body, err)
	}
	return m
}

// A merchant that fails twice and then acknowledges receives the same
// signed payload three times, and the delivery log shows all three.
func TestPaymentWebhookRetries(t *testing.T) {
	h := newHarness(t, nil)
	m := newMerchant(t,
		merchantAnswer{http.StatusInternalServerError, "down"},
		merchantAnswer{http.StatusOK, `{"code":"FAIL"}`},
		ackSuccess)
	sn := h.createConnect(t, map[string]any{"notifyUrl": m.URL})
	h.press(t, sn, "pay")
	calls := m.wait(t, 3)
	h.settle(t)

	_, pub := testKeys()
	for i, c := range calls {
		verifyWebhook(t, pub, c)
		if !bytes.Equal(c.body, calls[0].body) || c.header.Get("X-R-Signature") != calls[0].header.Get("X-R-Signature") ||
			c.header.Get("X-R-Ts") != calls[0].header.Get("X-R-Ts") {
			t.Errorf("attempt %d differs from the first", i+1)
		}
	}
	if len(m.wait(t, 3)) != 3 {
		t.Errorf("merchant got more than 3 attempts")
	}

	body := decodeNumbers(t, calls[0].body)
	want := map[string]string{
		"actionType": "ACQUIRER_PAY", "orderSn": sn, "preSn": sn, "outerOrder": "ORD123456", "outerOrderSn": "ORD123456",
		"orderStatus": "2", "orderAmount": "12.345678", "orderCurrency": "USD", "billAmount": "12.222222",
		"billCoin": "USDT", "cryptoAmount": "12.345678", "rate": "1", "rateExtra": "0.015", "outerUid": "U1001",
		"merchantId": "10001", "orderTime": strconv.FormatInt(testStart.UnixMilli(), 10),
	}
	for k, v := range want {
		if got := jsonText(body[k]); got != v {
			t.Errorf("webhook %s = %s, want %s", k, got, v)
		}
	}

	deliveries := h.srv.Kit().Callbacks.Deliveries()
	if len(deliveries) != 3 {
		t.Fatalf("delivery log has %d entries, want 3", len(deliveries))
	}
	for i, d := range deliveries {
		wantStatus, wantAcked := []int{500, 200, 200}[i], i == 2
		if d.Attempt != i+1 || d.Status != wantStatus || d.Acked != wantAcked || d.CallbackID != deliveries[0].CallbackID {
			t.Errorf("delivery %d: %+v", i+1, d)
		}
	}
	// The control API lists the same log.
	a := h.do(t, h.newRequest(t, http.MethodGet, "/__emulator/callbacks", ""))
	var log struct{ Deliveries []json.RawMessage }
	if err := json.Unmarshal(a.body, &log); err != nil || len(log.Deliveries) != 3 {
		t.Fatalf("GET /__emulator/callbacks: %v %s", err, a.body)
	}
}

func TestWebhookAcknowledgement(t *testing.T) {
	tests := []struct {
		name     string
		anyOK    bool
		answer   merchantAnswer
		attempts int
	}{
		{"SUCCESS code acknowledges", false, ackSuccess, 1},
		{"plain 200 is not enough by default", false, merchantAnswer{200, "ok"}, 3},
		{"plain 200 acknowledges with AckAnyOK", true, merchantAnswer{200, "ok"}, 1},
		{"SUCCESS with HTTP 201 is not an ack", false, merchantAnswer{201, `{"code":"SUCCESS"}`}, 3},
		{"a merchant that never acknowledges gets 3 attempts", false, merchantAnswer{503, ""}, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, func(c *Config) { c.AckAnyOK = tt.anyOK })
			m := newMerchant(t, tt.answer)
			sn := h.createConnect(t, map[string]any{"notifyUrl": m.URL})
			if err := h.srv.CompleteOrder(sn); err != nil {
				t.Fatal(err)
			}
			h.settle(t)
			if got := len(m.wait(t, tt.attempts)); got != tt.attempts {
				t.Fatalf("merchant got %d attempts, want %d", got, tt.attempts)
			}
		})
	}
}

// The notify URL comes from the create body, else from the merchant's
// configuration.
func TestNotifyURLPrecedence(t *testing.T) {
	configured, inBody := newMerchant(t), newMerchant(t)
	_, pub := testKeys()
	h := newHarness(t, func(c *Config) {
		c.Apps = []App{{AppKey: DefaultAppKey, MerchantID: 7, PublicKeys: map[int]*rsa.PublicKey{1: pub}, NotifyURL: configured.URL}}
	})
	first := h.createConnect(t, map[string]any{"outerOrderSn": "CONFIG01"})
	second := h.createConnect(t, map[string]any{"outerOrderSn": "INBODY01", "notifyUrl": inBody.URL})
	for _, sn := range []string{first, second} {
		if err := h.srv.CompleteOrder(sn); err != nil {
			t.Fatal(err)
		}
	}
	h.settle(t)
	if got := jsonText(decodeNumbers(t, configured.wait(t, 1)[0].body)["outerOrderSn"]); got != "CONFIG01" || len(configured.wait(t, 1)) != 1 {
		t.Errorf("configured URL got %s (%d calls)", got, len(configured.wait(t, 1)))
	}
	if got := jsonText(decodeNumbers(t, inBody.wait(t, 1)[0].body)["outerOrderSn"]); got != "INBODY01" || len(inBody.wait(t, 1)) != 1 {
		t.Errorf("body URL got %s (%d calls)", got, len(inBody.wait(t, 1)))
	}
}

func TestRefundWebhooks(t *testing.T) {
	h := newHarness(t, nil)
	m := newMerchant(t)
	sn := h.createConnect(t, map[string]any{"notifyUrl": m.URL})
	h.control(t, "/__emulator/orders/"+sn+"/refund", `{}`).expectControl(t, http.StatusConflict, "order is not paid")
	if err := h.srv.CompleteOrder(sn); err != nil {
		t.Fatal(err)
	}
	m.wait(t, 1)
	refund := "/__emulator/orders/" + sn + "/refund"
	steps := []struct {
		body         string
		status       int
		refundStatus string
		amount       string
		refunded     string
	}{
		{`{"amount":"2.345678"}`, 200, "SUCCESS", "2.345678", "2.345678"},
		{`{"amount":"1","outcome":"failure","reason":"insufficient merchant balance"}`, 200, "FAIL", "1", "2.345678"},
		{`{"amount":"10.000001"}`, 422, "", "", "2.345678"},
		{`{}`, 200, "SUCCESS", "10", "12.345678"},
		{`{}`, 422, "", "", "12.345678"},
	}
	calls := 1
	_, pub := testKeys()
	for i, step := range steps {
		a := h.control(t, refund, step.body)
		if a.status != step.status {
			t.Fatalf("step %d: HTTP %d %s", i, a.status, a.body)
		}
		if got := string(h.detail(t, sn).RefundedAmount); got != step.refunded {
			t.Fatalf("step %d: refundedAmount %s, want %s", i, got, step.refunded)
		}
		if step.status != 200 {
			continue
		}
		calls++
		c := m.wait(t, calls)[calls-1]
		verifyWebhook(t, pub, c)
		body := decodeNumbers(t, c.body)
		if jsonText(body["actionType"]) != "ACQUIRER_REFUND" || jsonText(body["refundStatus"]) != step.refundStatus ||
			jsonText(body["refundAmount"]) != step.amount || jsonText(body["orderSn"]) != sn {
			t.Fatalf("step %d: REFUND webhook %s", i, c.body)
		}
		if step.refundStatus == "FAIL" && jsonText(body["failReason"]) != "insufficient merchant balance" {
			t.Errorf("failReason = %v", body["failReason"])
		}
	}
	if got := h.detail(t, sn).OrderStatus; got != statusPaid {
		t.Errorf("orderStatus %d after refunds; refunds do not move the order", got)
	}
}

func TestControlRefundRejections(t *testing.T) {
	h := newHarness(t, nil)
	sn := h.createConnect(t, nil)
	if err := h.srv.CompleteOrder(sn); err != nil {
		t.Fatal(err)
	}
	seedSn := h.createSeed(t, nil)
	tests := []struct {
		name, path, body string
		status           int
		msg              string
	}{
		{"unknown order", "/__emulator/orders/RAP404/refund", `{}`, 404, "not found"},
		{"bad outcome", "/__emulator/orders/" + sn + "/refund", `{"outcome":"maybe"}`, 400, "outcome: must be success or failure"},
		{"bad amount", "/__emulator/orders/" + sn + "/refund", `{"amount":"1.0000001"}`, 400, "amount: must have at most 6"},
		{"zero amount", "/__emulator/orders/" + sn + "/refund", `{"amount":"0"}`, 400, "amount: must be greater than zero"},
		{"seed order", "/__emulator/orders/" + seedSn + "/refund", `{}`, 409, "refunds are emulated for Connect orders"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h.control(t, tt.path, tt.body).expectControl(t, tt.status, tt.msg)
		})
	}
}

// expectControl checks a control API answer: its status and error text.
func (a answer) expectControl(t *testing.T, status int, msg string) {
	t.Helper()
	var body struct{ Error string }
	_ = json.Unmarshal(a.body, &body)
	if a.status != status || !bytes.Contains([]byte(body.Error), []byte(msg)) {
		t.Fatalf("got HTTP %d %s; want HTTP %d with error containing %q", a.status, a.body, status, msg)
	}
}

func jsonText(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case json.Number:
		return v.String()
	case nil:
		return ""
	}
	b, _ := json.Marshal(v)
	return string(b)
}
