package appotapay

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestPayOnHostedPage drives pending → paid through the hosted page: the
// status answers 35 before and 0 after, the merchant gets one signed IPN
// with AppotaPay's headers, and the browser returns to redirectUrl with
// the same signed fields.
func TestPayOnHostedPage(t *testing.T) {
	h := newHarness(t)
	m := newMerchant(t)
	created := h.createOrder(paidFlowBody(t, m, "pay-1", 50000))

	pending := h.status("pay-1")
	wantCode(t, pending, codePending)
	wantSigned(t, pending, resultKeys)

	q := h.redirectQuery(str(created["paymentUrl"]), "pay")
	ipn := m.wait(t, 1)[0]
	if ct := ipn.header.Get("Content-Type"); ct != "applicaton/json" {
		t.Errorf("IPN Content-Type = %q, want AppotaPay's applicaton/json", ct)
	}
	body := decodeJSON(t, strings.NewReader(string(ipn.body)))
	wantCode(t, body, codeSuccess)
	wantSigned(t, body, resultKeys)
	want := map[string]string{
		"partnerCode": SandboxPartnerCode, "apiKey": SandboxAPIKey, "amount": "50000", "currency": "VND",
		"orderId": "pay-1", "bankCode": "VCB", "paymentMethod": "ATM", "paymentType": "WEB",
		"appotapayTransId": "AP240911100001B", "transactionTs": "1726029136", "message": "Thành công",
	}
	for k, v := range want {
		if str(body[k]) != v {
			t.Errorf("IPN %s = %v, want %s", k, body[k], v)
		}
	}
	if _, ok := body["tokenResult"]; ok {
		t.Error("IPN of a PAY order carries tokenResult")
	}

	redirect := map[string]any{}
	for k := range q {
		redirect[k] = q.Get(k)
	}
	wantSigned(t, redirect, resultKeys)
	for _, k := range append(resultKeys, "signature") {
		if str(redirect[k]) != str(body[k]) {
			t.Errorf("redirect %s = %v, IPN has %v", k, redirect[k], body[k])
		}
	}

	paid := h.status("pay-1")
	wantCode(t, paid, codeSuccess)
	wantSigned(t, paid, resultKeys)
	card, _ := paid["cardInfo"].(map[string]any)
	if card["cardNumber"] != "970422xxxxxx4047" || card["cardName"] != "ARTURO MOEN" {
		t.Errorf("cardInfo = %v, want the masked sandbox ATM card", paid["cardInfo"])
	}
	if strings.Contains(string(ipn.body), atmTestCard.number) {
		t.Error("IPN leaks the full card number")
	}
}

// TestHostedPageFailures: Fail, Cancel and the decline amount end the order
// with errorCode 33, redirect with that code signed, and send no IPN.
func TestHostedPageFailures(t *testing.T) {
	tests := []struct {
		name   string
		action string
		amount int64
	}{
		{"fail button", "fail", 10000},
		{"cancel button", "cancel", 10000},
		{"decline amount", "pay", AmountDecline},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			m := newMerchant(t)
			created := h.createOrder(paidFlowBody(t, m, "fail-1", tt.amount))
			q := h.redirectQuery(str(created["paymentUrl"]), tt.action)
			redirect := map[string]any{}
			for k := range q {
				redirect[k] = q.Get(k)
			}
			wantCode(t, redirect, codeTransactionFailed)
			wantSigned(t, redirect, resultKeys)

			status := h.status("fail-1")
			wantCode(t, status, codeTransactionFailed)
			if _, ok := status["cardInfo"]; ok {
				t.Error("a failed order reports cardInfo")
			}
			if err := h.srv.Kit().Callbacks.Wait(t.Context()); err != nil {
				t.Fatal(err)
			}
			if n := m.count(); n != 0 {
				t.Errorf("merchant received %d IPNs for a failed payment, want 0", n)
			}
			if resp := h.submitPageDirect(str(created["paymentUrl"]), "pay"); resp != http.StatusConflict {
				t.Errorf("pressing Pay on a finished order: HTTP %d, want 409", resp)
			}
		})
	}
}

// TestStayPendingThenComplete: the stay-pending amount leaves the order
// processing (34) after Pay, with no IPN, until the control API completes
// it; then the IPN goes out.
func TestStayPendingThenComplete(t *testing.T) {
	h := newHarness(t)
	m := newMerchant(t)
	created := h.createOrder(paidFlowBody(t, m, "slow-1", AmountStayPending))
	wantCode(t, h.status("slow-1"), codePending)

	q := h.redirectQuery(str(created["paymentUrl"]), "pay")
	if q.Get("errorCode") != "34" {
		t.Errorf("redirect errorCode = %s, want 34", q.Get("errorCode"))
	}
	wantCode(t, h.status("slow-1"), codeProcessing)
	if m.count() != 0 {
		t.Fatal("IPN sent for a processing order")
	}

	h.control("/__emulator/orders/slow-1/complete", http.StatusOK)
	wantCode(t, decodeJSON(t, strings.NewReader(string(m.wait(t, 1)[0].body))), codeSuccess)
	wantCode(t, h.status("slow-1"), codeSuccess)
}

// TestControlAPIMovesOrders covers fail and expire through the control
// API, by orderId and by appotapayTransId, and refuses illegal moves.
func TestControlAPIMovesOrders(t *testing.T) {
	h := newHarness(t)
	h.createOrder(createBody(t, "ctl-1", 10000))
	h.createOrder(createBody(t, "ctl-2", 10000))
	h.control("/__emulator/orders/ctl-1/fail", http.StatusOK)
	h.control("/__emulator/orders/ctl-1/complete", http.StatusConflict)
	h.control("/__emulator/orders/AP240911100002B/expire", http.StatusOK)
	h.control("/__emulator/orders/no-such-order/complete", http.StatusNotFound)
	wantCode(t, h.status("ctl-1"), codeTransactionFailed)
	expired := h.status("ctl-2")
	wantCode(t, expired, codeTransactionFailed)
	if !strings.Contains(str(expired["message"]), "expired") {
		t.Errorf("message %q does not say expired", expired["message"])
	}
}

// TestHostedPageRejectsBadLinks: a tampered tran or sign is refused.
func TestHostedPageRejectsBadLinks(t *testing.T) {
	h := newHarness(t)
	created := h.createOrder(createBody(t, "link-1", 10000))
	u, _ := url.Parse(str(created["paymentUrl"]))
	q := u.Query()
	for name, query := range map[string]url.Values{
		"bad sign":     {"tran": {q.Get("tran")}, "sign": {strings.Repeat("0", 64)}},
		"no sign":      {"tran": {q.Get("tran")}},
		"bad tran":     {"tran": {"%%%"}, "sign": {q.Get("sign")}},
		"unknown tran": {"tran": {"dGlkPUFQMQ"}, "sign": {q.Get("sign")}},
	} {
		resp, err := http.Get(h.ts.URL + payPagePath + "?" + query.Encode())
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusNotFound {
			t.Errorf("%s: HTTP %d, want 404", name, resp.StatusCode)
		}
	}
}

// submitPageDirect posts a button for paymentURL without loading the page
// (whose GET already refuses finished orders) and returns the HTTP status.
func (h *harness) submitPageDirect(paymentURL, action string) int {
	h.t.Helper()
	u, _ := url.Parse(paymentURL)
	form := url.Values{"action": {action}, "tran": {u.Query().Get("tran")}, "sign": {u.Query().Get("sign")}}
	resp, err := http.PostForm(h.ts.URL+payPagePath, form)
	if err != nil {
		h.t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}

// TestIPNRetries: an IPN endpoint that fails twice (HTTP 500, then a 200
// that is not an acknowledgement) and then acknowledges receives the same
// signed payload three times, and the delivery log shows all three.
func TestIPNRetries(t *testing.T) {
	h := newHarness(t)
	m := newMerchant(t, reply{http.StatusInternalServerError, "oops"}, reply{http.StatusOK, `{"status":"error"}`}, ackOK)
	created := h.createOrder(paidFlowBody(t, m, "retry-1", 20000))
	h.redirectQuery(str(created["paymentUrl"]), "pay")
	got := m.wait(t, 3)
	if err := h.srv.Kit().Callbacks.Wait(t.Context()); err != nil {
		t.Fatal(err)
	}
	if m.count() != 3 {
		t.Fatalf("merchant received %d IPNs, want 3", m.count())
	}
	for i, r := range got {
		if string(r.body) != string(got[0].body) {
			t.Errorf("attempt %d body differs from the first:\n%s\n%s", i+1, r.body, got[0].body)
		}
		wantSigned(t, decodeJSON(t, strings.NewReader(string(r.body))), resultKeys)
	}
	log := h.srv.Kit().Callbacks.Deliveries()
	if len(log) != 3 {
		t.Fatalf("delivery log has %d attempts, want 3: %+v", len(log), log)
	}
	for i, d := range log {
		if d.Attempt != i+1 || d.CallbackID != "ipn_AP240911100001B" || d.Acked != (i == 2) {
			t.Errorf("delivery %d = %+v", i, d)
		}
	}
	if log[0].Status != 500 || log[2].Status != 200 {
		t.Errorf("logged statuses %d, %d, %d", log[0].Status, log[1].Status, log[2].Status)
	}
}

// TestIPNAcknowledgements checks what counts as an acknowledgement.
func TestIPNAcknowledgements(t *testing.T) {
	tests := []struct {
		status int
		body   string
		want   bool
	}{
		{200, `{"status":"ok"}`, true},
		{200, `{"errorCode":0}`, true},
		{200, `{"errorCode":0,"message":"ok"}`, true},
		{200, `{"errorCode":2}`, false},
		{200, `{"status":"OK!"}`, false},
		{200, `ok`, false},
		{200, ``, false},
		{201, `{"status":"ok"}`, false},
		{500, `{"status":"ok"}`, false},
	}
	for _, tt := range tests {
		if got := ipnAckedV1(tt.status, []byte(tt.body)); got != tt.want {
			t.Errorf("ipnAckedV1(%d, %s) = %v, want %v", tt.status, tt.body, got, tt.want)
		}
	}
}

// TestSavedCardTokens: PAY_WITH_RETURN_TOKEN issues a token on payment
// (tokenResult in the IPN, redirect and status; the token API), and
// PAY_WITH_TOKEN pays with it.
func TestSavedCardTokens(t *testing.T) {
	h := newHarness(t)
	m := newMerchant(t)
	body := paidFlowBody(t, m, "tok-1", 30000)
	body["action"] = actionPayReturnToken
	created := h.createOrder(body)

	status, resp := h.call(http.MethodGet, "/api/v1.1/token/tok-1", h.token(), nil)
	if status != http.StatusOK {
		t.Fatalf("HTTP %d", status)
	}
	wantCode(t, resp, codeNotFound) // not paid yet

	q := h.redirectQuery(str(created["paymentUrl"]), "pay")
	ipn := decodeJSON(t, strings.NewReader(string(m.wait(t, 1)[0].body)))
	var tr struct {
		Status int
		Card   tokenCard
	}
	if err := json.Unmarshal([]byte(str(ipn["tokenResult"])), &tr); err != nil {
		t.Fatalf("IPN tokenResult %v: %v", ipn["tokenResult"], err)
	}
	if tr.Status != 0 || tr.Card.Status != "active" || len(tr.Card.Token) != 16 || tr.Card.CardNumber != "970422xxxxxx4047" {
		t.Errorf("tokenResult = %+v", tr)
	}
	if q.Get("tokenResult") != str(ipn["tokenResult"]) {
		t.Errorf("redirect tokenResult %q differs from the IPN's", q.Get("tokenResult"))
	}
	if str(h.status("tok-1")["tokenResult"]) != str(ipn["tokenResult"]) {
		t.Error("status tokenResult differs from the IPN's")
	}
	saved := h.get("/api/v1.1/token/tok-1")
	wantCode(t, saved, codeSuccess)
	if got := saved["tokenResult"].(map[string]any)["token"]; got != tr.Card.Token {
		t.Errorf("token API token = %v, want %s", got, tr.Card.Token)
	}

	reuse := paidFlowBody(t, m, "tok-2", 40000)
	reuse["action"], reuse["token"], reuse["paymentMethod"], reuse["bankCode"] = actionPayWithToken, tr.Card.Token, "", ""
	second := h.createOrder(signBody(reuse, createTokenKeys))
	h.redirectQuery(str(second["paymentUrl"]), "pay")
	paid := h.status("tok-2")
	wantCode(t, paid, codeSuccess)
	if str(paid["paymentMethod"]) != "ATM" || paid["cardInfo"].(map[string]any)["cardNumber"] != "970422xxxxxx4047" {
		t.Errorf("PAY_WITH_TOKEN paid with %v / %v, want the saved ATM card", paid["paymentMethod"], paid["cardInfo"])
	}

	unknown := createBody(t, "tok-3", 40000)
	unknown["action"], unknown["token"] = actionPayWithToken, "1111222233334444"
	resp = h.post("/api/v1.1/orders/payment/bank", signBody(unknown, createTokenKeys))
	wantCode(t, resp, codeInvalidParams)
	if !strings.Contains(str(resp["message"]), "token:") {
		t.Errorf("message %q does not name token", resp["message"])
	}
}

// TestControlReset: POST /__emulator/reset forgets orders, so an orderId
// can be used again.
func TestControlReset(t *testing.T) {
	h := newHarness(t)
	h.createOrder(createBody(t, "reset-1", 10000))
	h.control("/__emulator/reset", http.StatusOK)
	wantCode(t, h.status("reset-1"), codeNotFound)
	h.createOrder(createBody(t, "reset-1", 10000))
}
