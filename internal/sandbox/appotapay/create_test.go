package appotapay

import (
	"encoding/base64"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestCreatePayment creates the seed's example order on both paths and
// checks the signed answer and the shape of paymentUrl.
func TestCreatePayment(t *testing.T) {
	for _, path := range []string{"/api/v1.1/orders/payment/bank", "/api/v1/orders/payment/bank"} {
		t.Run(path, func(t *testing.T) {
			h := newHarness(t)
			resp := h.post(path, createBody(t, "5f61cf4f41e2b", 10000))
			wantCode(t, resp, 0)
			wantSigned(t, resp, createResponseKeys)
			if str(resp["message"]) != "Thành công" || str(resp["orderId"]) != "5f61cf4f41e2b" || str(resp["amount"]) != "10000" {
				t.Errorf("answer = %v", resp)
			}
			u, err := url.Parse(str(resp["paymentUrl"]))
			if err != nil || !strings.HasPrefix(u.String(), h.ts.URL+"/bank/payment/process?tran=") {
				t.Fatalf("paymentUrl = %v", resp["paymentUrl"])
			}
			tran, _ := base64.RawURLEncoding.DecodeString(u.Query().Get("tran"))
			if want := "tid=AP240911100001B&orderId=5f61cf4f41e2b&ts=1726029136"; string(tran) != want {
				t.Errorf("tran decodes to %q, want %q", tran, want)
			}
			if !isHexDigest(u.Query().Get("sign")) {
				t.Errorf("sign = %q, want 64 hex digits", u.Query().Get("sign"))
			}
		})
	}
}

// TestCreateSignatureVariants checks which create signatures each path
// accepts: AP-2 always, AP-3 on v1.1 when a token member is sent, AP-4
// only in lenient mode.
func TestCreateSignatureVariants(t *testing.T) {
	vectors := loadVectors(t)
	seed := func(t *testing.T) map[string]any { return createBody(t, "5f61cf4f41e2b", 10000) }
	tests := []struct {
		name    string
		path    string
		lenient bool
		body    func(t *testing.T) map[string]any
		want    int
	}{
		{"AP-2 on v1.1", "/api/v1.1/orders/payment/bank", false, seed, codeSuccess},
		{"AP-2 on v1.0", "/api/v1/orders/payment/bank", false, seed, codeSuccess},
		{"AP-3 with empty token on v1.1", "/api/v1.1/orders/payment/bank", false, func(t *testing.T) map[string]any {
			b := seed(t)
			b["token"], b["signature"] = "", vectors["AP-3"].want
			return b
		}, codeSuccess},
		{"AP-3 without a token member", "/api/v1.1/orders/payment/bank", false, func(t *testing.T) map[string]any {
			b := seed(t)
			b["signature"] = vectors["AP-3"].want
			return b
		}, codeInvalidSignature},
		{"AP-3 on v1.0", "/api/v1/orders/payment/bank", false, func(t *testing.T) map[string]any {
			b := seed(t)
			b["token"], b["signature"] = "", vectors["AP-3"].want
			return b
		}, codeInvalidSignature},
		{"AP-4 strict", "/api/v1.1/orders/payment/bank", false, func(t *testing.T) map[string]any {
			b := seed(t)
			b["signature"] = vectors["AP-4"].want
			return b
		}, codeInvalidSignature},
		{"AP-4 lenient", "/api/v1.1/orders/payment/bank", true, func(t *testing.T) map[string]any {
			b := seed(t)
			b["signature"] = vectors["AP-4"].want
			return b
		}, codeSuccess},
		{"tampered amount", "/api/v1.1/orders/payment/bank", false, func(t *testing.T) map[string]any {
			b := seed(t)
			b["amount"] = 10001
			return b
		}, codeInvalidSignature},
		{"signed with another key", "/api/v1.1/orders/payment/bank", false, func(t *testing.T) map[string]any {
			b := seed(t)
			b["signature"] = hmacHex("another-secret", vectors["AP-2"].message)
			return b
		}, codeInvalidSignature},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, func(c *Config) { c.LenientSignatures = tt.lenient })
			wantCode(t, h.post(tt.path, tt.body(t)), tt.want)
		})
	}
}

// TestCreateRejectsInvalidFields sends one bad field at a time (signed
// correctly, so the field check is what answers) and requires the
// errorCode and a message naming the field.
func TestCreateRejectsInvalidFields(t *testing.T) {
	tests := []struct {
		name  string
		field string
		value any // nil deletes the field
		code  int
	}{
		{"orderId missing", "orderId", nil, codeInvalidParams},
		{"orderId empty", "orderId", "", codeInvalidParams},
		{"orderId not a string", "orderId", 12345, codeInvalidParams},
		{"orderId too long", "orderId", strings.Repeat("o", 51), codeInvalidParams},
		{"orderInfo missing", "orderInfo", nil, codeInvalidParams},
		{"orderInfo 151 characters", "orderInfo", strings.Repeat("ă", 151), codeInvalidParams},
		{"amount missing", "amount", nil, codeInvalidParams},
		{"amount as a string", "amount", "10000", codeInvalidParams},
		{"amount with decimals", "amount", jsonNumber("10000.5"), codeInvalidAmount},
		{"amount with .0", "amount", jsonNumber("10000.0"), codeInvalidAmount},
		{"amount with exponent", "amount", jsonNumber("1e4"), codeInvalidAmount},
		{"amount negative", "amount", -10000, codeInvalidAmount},
		{"amount below 1,000", "amount", 999, codeInvalidAmount},
		{"amount above 500,000,000", "amount", 500_000_001, codeInvalidAmount},
		{"amount beyond int64", "amount", jsonNumber("99999999999999999999"), codeInvalidAmount},
		{"clientIp missing", "clientIp", nil, codeInvalidParams},
		{"clientIp not an IP", "clientIp", "localhost", codeInvalidParams},
		{"notifyUrl missing", "notifyUrl", nil, codeInvalidParams},
		{"notifyUrl relative", "notifyUrl", "/ipn", codeInvalidParams},
		{"redirectUrl missing", "redirectUrl", nil, codeInvalidParams},
		{"redirectUrl not http", "redirectUrl", "ftp://yourwebsite.com/redirect", codeInvalidParams},
		{"extraData too long", "extraData", strings.Repeat("x", 201), codeInvalidParams},
		{"action unknown", "action", "REFUND", codeInvalidParams},
		{"token without PAY_WITH_TOKEN", "token", "2336100686629909", codeInvalidParams},
		{"signature missing", "signature", nil, codeInvalidParams},
		{"signature not hex", "signature", strings.Repeat("z", 64), codeInvalidParams},
	}
	h := newHarness(t)
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := createBody(t, "bad-"+string(rune('a'+i)), 10000)
			if tt.value == nil {
				delete(body, tt.field)
			} else {
				body[tt.field] = tt.value
			}
			if tt.field != "signature" {
				signBody(body, createTokenKeysIfPresent(body))
			}
			resp := h.post("/api/v1.1/orders/payment/bank", body)
			wantCode(t, resp, tt.code)
			if msg := str(resp["message"]); !strings.Contains(msg, tt.field+":") {
				t.Errorf("message %q does not name %s", msg, tt.field)
			}
		})
	}
}

// createTokenKeysIfPresent is the key list a client signs for body.
func createTokenKeysIfPresent(body map[string]any) []string {
	if _, ok := body["token"]; ok {
		return createTokenKeys
	}
	return createKeys
}

// TestCreateNamesEveryBadField checks that one answer lists all problems.
func TestCreateNamesEveryBadField(t *testing.T) {
	h := newHarness(t)
	resp := h.post("/api/v1.1/orders/payment/bank", map[string]any{"amount": 5.5, "orderInfo": strings.Repeat("x", 151)})
	wantCode(t, resp, codeInvalidParams)
	for _, field := range []string{"orderId", "orderInfo", "amount", "clientIp", "notifyUrl", "redirectUrl", "signature"} {
		if !strings.Contains(str(resp["message"]), field+":") {
			t.Errorf("message %q does not name %s", resp["message"], field)
		}
	}
}

// TestCreateRejectsMalformedBodies covers bodies that are not one JSON
// object.
func TestCreateRejectsMalformedBodies(t *testing.T) {
	h := newHarness(t)
	for _, body := range []string{"", "null", "[]", `{"orderId":`, `{"orderId":"a"} {}`, "not json"} {
		status, resp := h.raw(http.MethodPost, "/api/v1.1/orders/payment/bank", h.token(), strings.NewReader(body))
		if status != http.StatusOK {
			t.Errorf("body %q: HTTP %d", body, status)
		}
		wantCode(t, resp, codeInvalidParams)
		if !strings.Contains(str(resp["message"]), "request body:") {
			t.Errorf("body %q: message %q does not name the body", body, resp["message"])
		}
	}
}

// TestCreateDuplicateOrderID: a partner's order id is single-use (30);
// another partner may use the same id.
func TestCreateDuplicateOrderID(t *testing.T) {
	other := Partner{Code: "OTHER", APIKey: "other-key", SecretKey: "other-secret"}
	h := newHarness(t, func(c *Config) { c.Partners = []Partner{SandboxPartner(), other} })
	h.createOrder(createBody(t, "dup-1", 10000))
	resp := h.post("/api/v1.1/orders/payment/bank", createBody(t, "dup-1", 20000))
	wantCode(t, resp, codeDuplicateOrder)

	body := createBody(t, "dup-1", 10000)
	values := map[string]string{}
	for _, k := range createKeys {
		values[k] = str(body[k])
	}
	body["signature"] = signFields(other.SecretKey, createKeys, values)
	auth := "Bearer " + signJWT(appotaHeader, claimsJSON(other.Code, other.APIKey, testNow.Unix()+60), other.SecretKey)
	status, resp := h.call(http.MethodPost, "/api/v1.1/orders/payment/bank", auth, body)
	if status != http.StatusOK {
		t.Fatalf("HTTP %d", status)
	}
	wantCode(t, resp, codeSuccess)
	// The control API cannot tell the two apart by orderId.
	h.control("/__emulator/orders/dup-1/complete", http.StatusConflict)
}

// TestCreatePaymentMethodAndBankRules: values outside the partner's
// allowed sets answer 140 (paymentMethod) and 141 (bankCode).
func TestCreatePaymentMethodAndBankRules(t *testing.T) {
	narrow := func(c *Config) {
		p := SandboxPartner()
		p.PaymentMethods, p.BankCodes = []string{"ATM"}, []string{"VCB", "MB"}
		c.Partners = []Partner{p}
	}
	tests := []struct {
		name    string
		options []func(*Config)
		method  string
		bank    string
		want    int
	}{
		{"known method and bank", nil, "CC", "VISA", codeSuccess},
		{"empty method and bank: customer chooses", nil, "", "", codeSuccess},
		{"unknown method", nil, "CASH", "VCB", codeMethodNotAllowed},
		{"unknown bank", nil, "ATM", "NOSUCHBANK", codeBankNotAllowed},
		{"method outside the partner's set", []func(*Config){narrow}, "CC", "VCB", codeMethodNotAllowed},
		{"bank outside the partner's set", []func(*Config){narrow}, "ATM", "SHB", codeBankNotAllowed},
		{"inside the partner's sets", []func(*Config){narrow}, "ATM", "MB", codeSuccess},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, tt.options...)
			body := createBody(t, "rules-1", 10000)
			body["paymentMethod"], body["bankCode"] = tt.method, tt.bank
			wantCode(t, h.post("/api/v1.1/orders/payment/bank", signBody(body, createKeys)), tt.want)
		})
	}
}
