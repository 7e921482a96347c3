package redotpay

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"
)

// createSeed creates a seed order from the fixture with changes and
// returns its order_sn.
func (h *harness) createSeed(t *testing.T, changes map[string]any) string {
	t.Helper()
	a := h.seed(t, http.MethodPost, "/openapi/v2/order/create", fixture(t, "seed_create.json", changes))
	a.expect(t, http.StatusOK, "0", "")
	var d seedCreateData
	a.data(t, &d)
	return d.OrderSn
}

// seedOrder reads a seed order.
func (h *harness) seedOrder(t *testing.T, sn string) seedOrderData {
	t.Helper()
	a := h.seed(t, http.MethodGet, "/openapi/v2/order/"+sn, "")
	a.expect(t, http.StatusOK, "0", "")
	var d seedOrderData
	a.data(t, &d)
	return d
}

func TestSeedCreate(t *testing.T) {
	h := newHarness(t, nil)
	a := h.seed(t, http.MethodPost, "/openapi/v2/order/create", fixture(t, "seed_create.json", nil))
	a.expect(t, http.StatusOK, "0", "")
	var d seedCreateData
	a.data(t, &d)
	if len(d.OrderSn) != len("SN20260318123456789") || !strings.HasPrefix(d.OrderSn, "SN20260318") {
		t.Errorf("order_sn %q does not look like SN20260318123456789", d.OrderSn)
	}
	if d.PaymentURL != h.http.URL+"/pay/"+d.OrderSn || d.Manual || d.ExpireTime != 3600 {
		t.Errorf("create answered %+v", d)
	}
	want := seedOrderData{OrderSn: d.OrderSn, MerchantOrderSn: "ORD123456", Status: "pending", Amount: "300000", Currency: "USD", ExpireTime: 3600}
	if got := h.seedOrder(t, d.OrderSn); got != want {
		t.Errorf("GET order: %+v\nwant %+v", got, want)
	}
}

func TestSeedCreateValidation(t *testing.T) {
	tests := []struct {
		name    string
		changes map[string]any
		msg     string
	}{
		{"missing merchant_code", map[string]any{"merchant_code": nil}, "merchant_code: is required"},
		{"another merchant_code", map[string]any{"merchant_code": "ID00002"}, "merchant_code: does not belong"},
		{"missing amount", map[string]any{"amount": nil}, "amount: is required"},
		{"amount as string", map[string]any{"amount": "300000"}, "amount: must be a JSON number"},
		{"decimal amount", map[string]any{"amount": json.Number("3000.5")}, "amount: must be a whole number"},
		{"zero amount", map[string]any{"amount": 0}, "amount: must be greater than zero"},
		{"negative amount", map[string]any{"amount": -5}, "amount: must not be negative"},
		{"huge amount", map[string]any{"amount": json.Number("1234567890123456")}, "amount: must have at most 15"},
		{"missing currency", map[string]any{"currency": nil}, "currency: is required"},
		{"bad currency", map[string]any{"currency": "XXX"}, "currency: must be an ISO 4217"},
		{"missing ref_no", map[string]any{"ref_no": nil}, "ref_no: is required"},
		{"bad ref_no", map[string]any{"ref_no": "ORD 1"}, "ref_no: must be 1 to 64"},
		{"bad callback_url", map[string]any{"callback_url": "yourapp.com/callback"}, "callback_url: must be an absolute http"},
		{"bad redirect_url", map[string]any{"redirect_url": "javascript:alert(1)"}, "redirect_url: must be an absolute http"},
		{"manual not a boolean", map[string]any{"manual": 1}, "manual: must be a JSON boolean"},
	}
	h := newHarness(t, nil)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h.seed(t, http.MethodPost, "/openapi/v2/order/create", fixture(t, "seed_create.json", tt.changes)).
				expect(t, http.StatusBadRequest, "40001", tt.msg)
		})
	}
}

func TestSeedAuth(t *testing.T) {
	h := newHarness(t, nil)
	body := fixture(t, "seed_create.json", nil)
	req := h.newRequest(t, http.MethodPost, "/openapi/v2/order/create", body)
	req.Header.Set("Authorization", "Bearer wrong_key")
	a := h.do(t, req)
	a.expect(t, http.StatusUnauthorized, "40101", "Authorization: unknown merchant key")
	if strings.Contains(string(a.body), "wrong_key") {
		t.Error("the answer repeats the presented key")
	}
	// Without any credentials the answer names both ways to authenticate.
	h.do(t, h.newRequest(t, http.MethodPost, "/openapi/v2/order/create", body)).
		expect(t, http.StatusUnauthorized, "APP_KEY_INVALID", "Authorization: Bearer")
}

func TestSeedDuplicateRefNo(t *testing.T) {
	h := newHarness(t, nil)
	h.createSeed(t, nil)
	h.seed(t, http.MethodPost, "/openapi/v2/order/create", fixture(t, "seed_create.json", nil)).
		expect(t, http.StatusConflict, "40901", "already exists")
}

func TestSeedMagicReject(t *testing.T) {
	h := newHarness(t, nil)
	h.seed(t, http.MethodPost, "/openapi/v2/order/create", fixture(t, "seed_create.json", map[string]any{"amount": 1052})).
		expect(t, http.StatusUnprocessableEntity, "42202", "risk control")
}

func TestSeedPaymentMethod(t *testing.T) {
	h := newHarness(t, nil)
	sn := h.createSeed(t, map[string]any{"manual": true})
	h.clock.Advance(10 * time.Minute)
	a := h.seed(t, http.MethodGet, "/openapi/v2/order/payment-method?order_sn="+sn, "")
	a.expect(t, http.StatusOK, "0", "")
	var d seedPaymentData
	a.data(t, &d)
	page := h.http.URL + "/pay/" + sn
	want := seedPaymentData{OrderSn: sn, PaymentURL: page, QRCode: page + "?via=qr", DeepLink: "redotpay://connect/pay?orderSn=" + sn, ExpireTime: 3000}
	if d != want {
		t.Fatalf("payment-method %+v\nwant %+v", d, want)
	}
	h.seed(t, http.MethodGet, "/openapi/v2/order/payment-method", "").expect(t, http.StatusBadRequest, "40001", "order_sn: is required")
	h.seed(t, http.MethodGet, "/openapi/v2/order/payment-method?order_sn=SN404", "").expect(t, http.StatusNotFound, "40401", "")
	h.clock.Advance(time.Hour)
	h.seed(t, http.MethodGet, "/openapi/v2/order/payment-method?order_sn="+sn, "").expect(t, http.StatusConflict, "40903", "closed")
	if got := h.seedOrder(t, sn).Status; got != "expired" {
		t.Errorf("status %q after the hour, want expired", got)
	}
}

// Seed orders of one merchant are invisible to another.
func TestSeedOrdersBelongToTheirMerchant(t *testing.T) {
	h := newHarness(t, func(c *Config) {
		c.SeedMerchants = []SeedMerchant{
			{Code: DefaultSeedMerchantCode, Key: DefaultSeedMerchantKey, Secret: "s1"},
			{Code: "ID00002", Key: "other_key", Secret: "s2"},
		}
	})
	sn := h.createSeed(t, nil)
	req := h.newRequest(t, http.MethodGet, "/openapi/v2/order/"+sn, "")
	req.Header.Set("Authorization", "Bearer other_key")
	h.do(t, req).expect(t, http.StatusNotFound, "40401", "order not found")
}

func TestSeedUnknownRoute(t *testing.T) {
	h := newHarness(t, nil)
	h.seed(t, http.MethodPost, "/openapi/v2/order/detail", `{}`).expect(t, http.StatusNotFound, "40400", "no endpoint")
}

// The seed callback carries the S-1 HMAC, computed here independently,
// for each payment outcome; "SUCCESS" in the answer acknowledges it.
func TestSeedCallback(t *testing.T) {
	h := newHarness(t, nil)
	m := newMerchant(t, merchantAnswer{http.StatusOK, "SUCCESS"})
	sn := h.createSeed(t, map[string]any{"callback_url": m.URL, "redirect_url": "https://yourapp.com/done"})
	if a := h.press(t, sn, "fail"); a.header.Get("Location") != "https://yourapp.com/done" {
		t.Fatalf("fail redirected to %q", a.header.Get("Location"))
	}
	m.wait(t, 1) // deliveries are asynchronous; keep the two in order
	h.press(t, sn, "pay")
	calls := m.wait(t, 2)
	h.settle(t)
	for i, status := range []string{"failed", "paid"} {
		var cb seedCallbackBody
		if err := json.Unmarshal(calls[i].body, &cb); err != nil {
			t.Fatal(err)
		}
		mac := hmac.New(sha256.New, []byte(DefaultSeedSecret))
		mac.Write([]byte(DefaultSeedSecret + DefaultSeedMerchantCode + sn + "ORD123456" + "300000" + "USD" + status))
		want := seedCallbackBody{OrderSn: sn, MerchantOrderSn: "ORD123456", Status: status, Amount: "300000", Currency: "USD",
			Signature: hex.EncodeToString(mac.Sum(nil))}
		if cb != want {
			t.Errorf("callback %d: %+v\nwant %+v", i+1, cb, want)
		}
	}
	if got := h.seedOrder(t, sn).Status; got != "paid" {
		t.Errorf("status %q", got)
	}
	if got := len(m.wait(t, 2)); got != 2 {
		t.Errorf("merchant got %d callbacks; each was acknowledged once", got)
	}
}
