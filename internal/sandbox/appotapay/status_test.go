package appotapay

import (
	"net/http"
	"strings"
	"testing"
)

// TestStatusCheck covers the status API on both paths: a signed pending
// answer for a known order and each rejection.
func TestStatusCheck(t *testing.T) {
	other := Partner{Code: "OTHER", APIKey: "other-key", SecretKey: "other-secret"}
	h := newHarness(t, func(c *Config) { c.Partners = []Partner{SandboxPartner(), other} })
	h.createOrder(createBody(t, "st-1", 10000))
	otherAuth := "Bearer " + signJWT(appotaHeader, claimsJSON(other.Code, other.APIKey, testNow.Unix()+60), other.SecretKey)
	tests := []struct {
		name  string
		auth  string
		body  map[string]any
		code  int
		field string
	}{
		{"pending order", "", signBody(map[string]any{"orderId": "st-1"}, statusKeys), codePending, ""},
		{"orderId missing", "", signBody(map[string]any{}, statusKeys), codeInvalidParams, "orderId"},
		{"orderId not a string", "", signBody(map[string]any{"orderId": 7}, statusKeys), codeInvalidParams, "orderId"},
		{"signature missing", "", map[string]any{"orderId": "st-1"}, codeInvalidParams, "signature"},
		{"bad signature", "", map[string]any{"orderId": "st-1", "signature": hmacHex(SandboxSecretKey, "orderId=st-2")}, codeInvalidSignature, ""},
		{"unknown order", "", signBody(map[string]any{"orderId": "st-404"}, statusKeys), codeNotFound, ""},
		{"another partner's order", otherAuth, map[string]any{"orderId": "st-1", "signature": hmacHex(other.SecretKey, "orderId=st-1")}, codeNotFound, ""},
	}
	for _, path := range []string{"/api/v1.1/orders/transaction/bank/status", "/api/v1/orders/transaction/bank/status"} {
		for _, tt := range tests {
			t.Run(path+"/"+tt.name, func(t *testing.T) {
				auth := tt.auth
				if auth == "" {
					auth = h.token()
				}
				status, resp := h.call(http.MethodPost, path, auth, tt.body)
				if status != http.StatusOK {
					t.Fatalf("HTTP %d", status)
				}
				wantCode(t, resp, tt.code)
				if tt.field != "" && !strings.Contains(str(resp["message"]), tt.field+":") {
					t.Errorf("message %q does not name %s", resp["message"], tt.field)
				}
				if tt.code == codePending {
					wantSigned(t, resp, resultKeys)
					if str(resp["appotapayTransId"]) != "AP240911100001B" || str(resp["amount"]) != "10000" {
						t.Errorf("answer = %v", resp)
					}
				}
			})
		}
	}
}

// TestStatusV10HasNoTokenResult: tokenResult is a v1.1 addition.
func TestStatusV10HasNoTokenResult(t *testing.T) {
	h := newHarness(t)
	m := newMerchant(t)
	body := paidFlowBody(t, m, "v10-1", 10000)
	body["action"] = actionPayReturnToken
	created := h.createOrder(body)
	h.redirectQuery(str(created["paymentUrl"]), "pay")
	resp := h.post("/api/v1/orders/transaction/bank/status", signBody(map[string]any{"orderId": "v10-1"}, statusKeys))
	wantCode(t, resp, codeSuccess)
	if _, ok := resp["tokenResult"]; ok {
		t.Error("v1.0 status answer carries tokenResult")
	}
	if _, ok := h.status("v10-1")["tokenResult"]; !ok {
		t.Error("v1.1 status answer lacks tokenResult")
	}
}
