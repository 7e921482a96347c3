package redotpay

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// payPage fetches the hosted page of an order.
func (h *harness) payPage(t *testing.T, orderSn string) answer {
	t.Helper()
	return h.do(t, h.newRequest(t, http.MethodGet, "/pay/"+orderSn, ""))
}

// press submits the hosted page's form with one of its buttons.
func (h *harness) press(t *testing.T, orderSn, action string) answer {
	t.Helper()
	req := h.newRequest(t, http.MethodPost, "/pay/"+orderSn, url.Values{"action": {action}}.Encode())
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return h.do(t, req)
}

func TestHostedPagePay(t *testing.T) {
	h := newHarness(t, nil)
	m := newMerchant(t)
	sn := h.createConnect(t, map[string]any{"notifyUrl": m.URL})

	page := h.payPage(t, sn)
	if page.status != http.StatusOK {
		t.Fatalf("GET /pay: HTTP %d", page.status)
	}
	for _, want := range []string{"12.345678 USD", sn, `action="/pay/` + sn + `"`, `value="pay"`, `value="fail"`, `value="cancel"`} {
		if !strings.Contains(string(page.body), want) {
			t.Errorf("hosted page lacks %q", want)
		}
	}

	a := h.press(t, sn, "pay")
	if a.status != http.StatusSeeOther || a.header.Get("Location") != "https://merchant.example/return?order=ORD123456" {
		t.Fatalf("pay answered HTTP %d Location %q", a.status, a.header.Get("Location"))
	}
	d := h.detail(t, sn)
	if d.OrderStatus != statusPaid || d.PayTime != testStart.UnixMilli() || !strings.HasPrefix(d.TxID, "PAYH") {
		t.Fatalf("after pay: %+v", d)
	}
	m.wait(t, 1)

	// A paid order's page is gone and it cannot be paid twice.
	if got := h.payPage(t, sn).status; got != http.StatusConflict {
		t.Errorf("GET /pay of a paid order: HTTP %d", got)
	}
	if got := h.press(t, sn, "pay").status; got != http.StatusConflict {
		t.Errorf("paying twice: HTTP %d", got)
	}
	h.settle(t)
	if got := len(m.wait(t, 1)); got != 1 {
		t.Errorf("merchant got %d webhooks for one payment", got)
	}
}

// Fail moves the order to 3 (attempt failed) and it stays payable; Cancel
// returns to the merchant without paying; the order can be paid after.
func TestHostedPageFailCancelThenPay(t *testing.T) {
	h := newHarness(t, nil)
	m := newMerchant(t)
	sn := h.createConnect(t, map[string]any{"notifyUrl": m.URL})
	steps := []struct {
		action string
		want   orderStatus
	}{
		{"fail", statusFailed},
		{"cancel", statusFailed},
		{"pay", statusPaid},
	}
	for _, step := range steps {
		a := h.press(t, sn, step.action)
		if a.status != http.StatusSeeOther {
			t.Fatalf("%s: HTTP %d", step.action, a.status)
		}
		if got := h.detail(t, sn).OrderStatus; got != step.want {
			t.Fatalf("after %s: orderStatus %d, want %d", step.action, got, step.want)
		}
		if step.action == "fail" && !strings.Contains(string(h.payPage(t, sn).body), "last payment attempt failed") {
			t.Error("the page does not say the last attempt failed")
		}
	}
	h.settle(t)
	if got := len(m.wait(t, 1)); got != 1 {
		t.Fatalf("merchant got %d webhooks; Connect notifies only the payment", got)
	}
}

func TestHostedPageCancelKeepsOrderPending(t *testing.T) {
	h := newHarness(t, nil)
	sn := h.createConnect(t, nil)
	a := h.press(t, sn, "cancel")
	if a.status != http.StatusSeeOther || !strings.HasPrefix(a.header.Get("Location"), "https://merchant.example/return") {
		t.Fatalf("cancel answered HTTP %d Location %q", a.status, a.header.Get("Location"))
	}
	if got := h.detail(t, sn).OrderStatus; got != statusPending {
		t.Fatalf("orderStatus %d after cancel", got)
	}
}

// The magic amount tail .51 makes every Pay on the hosted page fail.
func TestHostedPageMagicDecline(t *testing.T) {
	h := newHarness(t, nil)
	sn := h.createConnect(t, map[string]any{"orderAmount": json.Number("10.51")})
	h.press(t, sn, "pay")
	if got := h.detail(t, sn).OrderStatus; got != statusFailed {
		t.Fatalf("orderStatus %d, want 3", got)
	}
}

func TestHostedPageRejections(t *testing.T) {
	h := newHarness(t, nil)
	sn := h.createConnect(t, nil)
	if a := h.payPage(t, "RAP404"); a.status != http.StatusNotFound || !strings.Contains(string(a.body), "order not found") {
		t.Errorf("unknown order page: HTTP %d %s", a.status, a.body)
	}
	if got := h.press(t, sn, "refund").status; got != http.StatusBadRequest {
		t.Errorf("unknown action: HTTP %d", got)
	}
}

// Without a redirect URL the flow ends on a result page.
func TestHostedPageWithoutRedirect(t *testing.T) {
	h := newHarness(t, nil)
	sn := h.createConnect(t, map[string]any{"buyer": nil})
	a := h.press(t, sn, "pay")
	if a.status != http.StatusOK || !strings.Contains(string(a.body), `<span id="status">paid</span>`) {
		t.Fatalf("HTTP %d %s", a.status, a.body)
	}
}

// Expiry happens on the emulator's clock: once timeExpire passes the
// order is closed (4) and can no longer be paid.
func TestOrderExpiresOnTheClock(t *testing.T) {
	h := newHarness(t, nil)
	expire := testStart.Add(10 * time.Minute)
	sn := h.createConnect(t, map[string]any{"timeExpire": expire.UnixMilli()})
	h.clock.Set(expire.Add(-time.Millisecond))
	if got := h.detail(t, sn).OrderStatus; got != statusPending {
		t.Fatalf("orderStatus %d just before timeExpire", got)
	}
	h.clock.Set(expire)
	if got := h.detail(t, sn).OrderStatus; got != statusClosed {
		t.Fatalf("orderStatus %d at timeExpire, want 4", got)
	}
	if got := h.press(t, sn, "pay").status; got != http.StatusConflict {
		t.Fatalf("paying an expired order: HTTP %d", got)
	}
	h.connect(t, http.MethodPost, "/openapi/v2/order/payment-method", `{"orderSn":"`+sn+`"}`).
		expect(t, http.StatusConflict, "ORDER_CLOSED", "")
}

// A failed attempt does not stop expiry: 3 → 4 when the hour is up.
func TestFailedOrderExpires(t *testing.T) {
	h := newHarness(t, nil)
	sn := h.createConnect(t, nil)
	h.press(t, sn, "fail")
	h.clock.Advance(DefaultOrderTTL)
	if got := h.detail(t, sn).OrderStatus; got != statusClosed {
		t.Fatalf("orderStatus %d, want 4", got)
	}
}
