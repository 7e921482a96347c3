package appotapay

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

// paidOrder creates an order of amount and pays it through the hosted
// page; it returns the appotapayTransId.
func (h *harness) paidOrder(m *merchant, orderID string, amount int64) string {
	h.t.Helper()
	created := h.createOrder(paidFlowBody(h.t, m, orderID, amount))
	q := h.redirectQuery(str(created["paymentUrl"]), "pay")
	if q.Get("errorCode") != "0" {
		h.t.Fatalf("paying %s: errorCode %s", orderID, q.Get("errorCode"))
	}
	return q.Get("appotapayTransId")
}

// refundBody is a refund request signed over the four refund keys.
func refundBody(refundID, transID string, amount int64, reason string) map[string]any {
	return signBody(map[string]any{"refundId": refundID, "appotapayTransId": transID, "amount": amount, "reason": reason}, refundKeys)
}

const refundPath = "/api/v1/transaction/refund"

// TestRefund: a refund of a paid order is accepted pending with a signed
// answer, and the refund status API shows it settle to success.
func TestRefund(t *testing.T) {
	h := newHarness(t)
	trans := h.paidOrder(newMerchant(t), "rf-1", 50000)
	resp := h.post(refundPath, refundBody("partner-rf-1", trans, 20000, "Test refund"))
	wantCode(t, resp, codeSuccess)
	data := resp["data"].(map[string]any)
	data["errorCode"], data["signature"] = resp["errorCode"], resp["signature"]
	wantSigned(t, data, refundResponseKeys)
	want := map[string]string{"appotapayTransId": trans, "refundOriginalId": "partner-rf-1", "amount": "20000", "reason": "Test refund", "status": "pending", "transactionTs": "1726029136"}
	for k, v := range want {
		if str(data[k]) != v {
			t.Errorf("data.%s = %v, want %s", k, data[k], v)
		}
	}
	if id := str(data["refundId"]); len(id) != 36 || strings.Count(id, "-") != 4 {
		t.Errorf("refundId = %q, want a UUID-shaped AppotaPay id", id)
	}

	detail := h.get("/api/v1/transaction/refund/partner-rf-1")
	if got := str(detail["data"].(map[string]any)["status"]); got != RefundPending {
		t.Errorf("status before settling = %s, want pending", got)
	}
	h.clock.Advance(DefaultRefundSettleAfter)
	detail = h.get("/api/v1/transaction/refund/partner-rf-1")
	d := detail["data"].(map[string]any)
	d["errorCode"], d["signature"] = detail["errorCode"], detail["signature"]
	wantSigned(t, d, refundResponseKeys)
	if got := str(d["status"]); got != RefundSuccess {
		t.Errorf("status after settling = %s, want success", got)
	}
	status, unknown := h.call(http.MethodGet, "/api/v1/transaction/refund/nope", h.token(), nil)
	if status != http.StatusOK {
		t.Fatalf("HTTP %d", status)
	}
	wantCode(t, unknown, codeNotFound)
}

// TestRefundRejections covers every documented refusal, each against a
// fresh paid order of 50,000 VND.
func TestRefundRejections(t *testing.T) {
	tests := []struct {
		name string
		// prepare runs before the refund under test; it may refund first.
		prepare func(h *harness, trans string)
		body    func(trans string) map[string]any
		code    int
		field   string
	}{
		{"refundId missing", nil, func(tr string) map[string]any {
			b := refundBody("", tr, 10000, "r")
			delete(b, "refundId")
			return b
		}, codeInvalidParams, "refundId"},
		{"appotapayTransId missing", nil, func(string) map[string]any { return refundBody("r-1", "", 10000, "r") }, codeInvalidParams, "appotapayTransId"},
		{"reason missing", nil, func(tr string) map[string]any { return refundBody("r-1", tr, 10000, "") }, codeInvalidParams, "reason"},
		{"reason too long", nil, func(tr string) map[string]any { return refundBody("r-1", tr, 10000, strings.Repeat("r", 101)) }, codeInvalidParams, "reason"},
		{"amount with decimals", nil, func(tr string) map[string]any {
			b := refundBody("r-1", tr, 10000, "r")
			b["amount"] = jsonNumber("10000.50")
			return b
		}, codeInvalidAmount, "amount"},
		{"amount below 1,000", nil, func(tr string) map[string]any { return refundBody("r-1", tr, 999, "r") }, codeInvalidAmount, "amount"},
		{"bad signature", nil, func(tr string) map[string]any {
			b := refundBody("r-1", tr, 10000, "r")
			b["amount"] = 20000
			return b
		}, codeInvalidSignature, ""},
		{"unknown transaction", nil, func(string) map[string]any { return refundBody("r-1", "AP999999999999B", 10000, "r") }, codeNotFound, ""},
		{"above the paid amount", nil, func(tr string) map[string]any { return refundBody("r-1", tr, 50001, "r") }, codeRefundExceeds, ""},
		{"above what is left after a refund", func(h *harness, tr string) {
			wantCode(h.t, h.post(refundPath, refundBody("r-0", tr, 30000, "first")), codeSuccess)
		}, func(tr string) map[string]any { return refundBody("r-1", tr, 20001, "r") }, codeRefundExceeds, ""},
		{"duplicate refundId", func(h *harness, tr string) {
			wantCode(h.t, h.post(refundPath, refundBody("r-1", tr, 1000, "first")), codeSuccess)
		}, func(tr string) map[string]any { return refundBody("r-1", tr, 1000, "again") }, codeDuplicateRefund, ""},
		{"wait before next refund (magic 10,129)", nil, func(tr string) map[string]any { return refundBody("r-1", tr, RefundAmountWait, "r") }, codeRefundWait, ""},
		{"not refundable (magic 10,135)", nil, func(tr string) map[string]any { return refundBody("r-1", tr, RefundAmountNotRefundable, "r") }, codeNotRefundable, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			trans := h.paidOrder(newMerchant(t), "rj-1", 50000)
			if tt.prepare != nil {
				tt.prepare(h, trans)
			}
			resp := h.post(refundPath, tt.body(trans))
			wantCode(t, resp, tt.code)
			if tt.field != "" && !strings.Contains(str(resp["message"]), tt.field+":") {
				t.Errorf("message %q does not name %s", resp["message"], tt.field)
			}
		})
	}
}

// TestRefundOfUnpaidOrders: only paid orders can be refunded (135).
func TestRefundOfUnpaidOrders(t *testing.T) {
	h := newHarness(t)
	h.createOrder(createBody(t, "unpaid-1", 10000))
	h.createOrder(createBody(t, "failed-1", 10000))
	if err := h.srv.FailOrder("failed-1"); err != nil {
		t.Fatal(err)
	}
	for _, trans := range []string{"AP240911100001B", "AP240911100002B"} {
		resp := h.post(refundPath, refundBody("r-"+trans, trans, 10000, "r"))
		wantCode(t, resp, codeNotRefundable)
	}
}

// TestRefundOfAnotherPartnersTransaction answers 36, as if unknown.
func TestRefundOfAnotherPartnersTransaction(t *testing.T) {
	other := Partner{Code: "OTHER", APIKey: "other-key", SecretKey: "other-secret"}
	h := newHarness(t, func(c *Config) { c.Partners = []Partner{SandboxPartner(), other} })
	trans := h.paidOrder(newMerchant(t), "mine-1", 10000)
	body := map[string]any{"refundId": "r-1", "appotapayTransId": trans, "amount": 10000, "reason": "r"}
	body["signature"] = hmacHex(other.SecretKey, "amount=10000&appotapayTransId="+trans+"&reason=r&refundId=r-1")
	auth := "Bearer " + signJWT(appotaHeader, claimsJSON(other.Code, other.APIKey, testNow.Unix()+60), other.SecretKey)
	_, resp := h.call(http.MethodPost, refundPath, auth, body)
	wantCode(t, resp, codeNotFound)
}

// TestRefundStateTransitions covers each refund path: the initial status
// (pending or processing), settling to success or error on the clock or
// through the control API, and an errored refund freeing its amount.
func TestRefundStateTransitions(t *testing.T) {
	tests := []struct {
		name    string
		options func(*Config)
		amount  int64
		settle  func(h *harness)
		initial string
		final   string
	}{
		{"pending then success", nil, 20000, func(h *harness) { h.clock.Advance(DefaultRefundSettleAfter) }, RefundPending, RefundSuccess},
		{"pending then error (magic 10,500)", nil, RefundAmountFails, func(h *harness) { h.clock.Advance(DefaultRefundSettleAfter) }, RefundPending, RefundError},
		{"processing then success", func(c *Config) { c.RefundStatus = RefundProcessing }, 20000,
			func(h *harness) { h.clock.Advance(DefaultRefundSettleAfter) }, RefundProcessing, RefundSuccess},
		{"custom settle time", func(c *Config) { c.RefundSettleAfter = time.Hour }, 20000,
			func(h *harness) { h.clock.Advance(time.Hour) }, RefundPending, RefundSuccess},
		{"never on its own, completed by control API", func(c *Config) { c.RefundSettleAfter = -1 }, 20000,
			func(h *harness) {
				h.clock.Advance(24 * time.Hour)
				h.control("/__emulator/refunds/partner-1/complete", http.StatusOK)
			}, RefundPending, RefundSuccess},
		{"never on its own, failed by control API", func(c *Config) { c.RefundSettleAfter = -1 }, 20000,
			func(h *harness) { h.control("/__emulator/refunds/partner-1/fail", http.StatusOK) }, RefundPending, RefundError},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var options []func(*Config)
			if tt.options != nil {
				options = append(options, tt.options)
			}
			h := newHarness(t, options...)
			trans := h.paidOrder(newMerchant(t), "rs-1", 30000)
			resp := h.post(refundPath, refundBody("partner-1", trans, tt.amount, "r"))
			wantCode(t, resp, codeSuccess)
			if got := str(resp["data"].(map[string]any)["status"]); got != tt.initial {
				t.Fatalf("initial status = %s, want %s", got, tt.initial)
			}
			h.clock.Advance(time.Second)
			if got := h.refundStatus("partner-1"); got != tt.initial {
				t.Fatalf("status a second later = %s, want %s", got, tt.initial)
			}
			tt.settle(h)
			if got := h.refundStatus("partner-1"); got != tt.final {
				t.Fatalf("final status = %s, want %s", got, tt.final)
			}
			// What is left to refund: everything if the refund failed.
			left := int64(30000)
			if tt.final == RefundSuccess {
				left -= tt.amount
			}
			wantCode(t, h.post(refundPath, refundBody("partner-2", trans, left+1, "r")), codeRefundExceeds)
			wantCode(t, h.post(refundPath, refundBody("partner-3", trans, left, "r")), codeSuccess)
		})
	}
}

// TestControlRefundRefusals: unknown refunds and settled ones.
func TestControlRefundRefusals(t *testing.T) {
	h := newHarness(t)
	trans := h.paidOrder(newMerchant(t), "cr-1", 30000)
	wantCode(t, h.post(refundPath, refundBody("partner-1", trans, 1000, "r")), codeSuccess)
	h.control("/__emulator/refunds/nope/complete", http.StatusNotFound)
	h.control("/__emulator/refunds/partner-1/undo", http.StatusNotFound)
	h.control("/__emulator/refunds/partner-1/complete", http.StatusOK)
	h.control("/__emulator/refunds/partner-1/fail", http.StatusConflict)
}

// refundStatus reads a refund's status through the refund status API.
func (h *harness) refundStatus(partnerRefID string) string {
	h.t.Helper()
	resp := h.get("/api/v1/transaction/refund/" + partnerRefID)
	wantCode(h.t, resp, codeSuccess)
	return str(resp["data"].(map[string]any)["status"])
}

// control posts to the control API and requires status.
func (h *harness) control(path string, status int) {
	h.t.Helper()
	resp, err := http.Post(h.ts.URL+path, "application/json", nil)
	if err != nil {
		h.t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != status {
		h.t.Fatalf("POST %s: HTTP %d, want %d", path, resp.StatusCode, status)
	}
}
