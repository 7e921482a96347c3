package appotapay

import (
	"fmt"
	"net/http"
	"testing"
)

// apiEndpoints are every JWT-protected route.
var apiEndpoints = []struct{ method, path string }{
	{http.MethodPost, "/api/v1.1/orders/payment/bank"},
	{http.MethodPost, "/api/v1/orders/payment/bank"},
	{http.MethodPost, "/api/v1.1/orders/transaction/bank/status"},
	{http.MethodPost, "/api/v1/orders/transaction/bank/status"},
	{http.MethodGet, "/api/v1.1/token/order-1"},
	{http.MethodPost, "/api/v1/transaction/refund"},
	{http.MethodGet, "/api/v1/transaction/refund/refund-1"},
	{http.MethodPost, "/api/v2/orders/payment"},
	{http.MethodGet, "/api/v2/orders/transaction?referenceId=AP1"},
	{http.MethodPost, "/api/v2/transaction/refund"},
	{http.MethodGet, "/api/v2/transaction/refund/refund-1"},
}

// TestAuthRejections sends each kind of bad X-APPOTAPAY-AUTH to every
// endpoint: HTTP 401 with AppotaPay's errorCode, before anything else is
// looked at.
func TestAuthRejections(t *testing.T) {
	locked := Partner{Code: "LOCKED", APIKey: "locked-key", SecretKey: "locked-secret", Locked: true}
	inactive := Partner{Code: "INACTIVE", APIKey: "inactive-key", SecretKey: "inactive-secret", APIKeyInactive: true}
	h := newHarness(t, func(c *Config) { c.Partners = []Partner{SandboxPartner(), locked, inactive} })
	exp := testNow.Unix() + 300
	valid := claimsJSON(SandboxPartnerCode, SandboxAPIKey, exp)
	tests := []struct {
		name string
		auth string
		code int
	}{
		{"missing header", "", codeUnauthorized},
		{"bearer without token", "Bearer ", codeUnauthorized},
		{"not a JWT", "Bearer not-a-jwt", codeUnauthorized},
		{"header not base64", "Bearer %%%.e30.sig", codeUnauthorized},
		{"alg none", "Bearer " + signJWT(`{"typ":"JWT","alg":"none","cty":"appotapay-api;v=1"}`, valid, SandboxSecretKey), codeUnauthorized},
		{"alg none unsigned", "Bearer " + unsignedJWT(`{"typ":"JWT","alg":"none","cty":"appotapay-api;v=1"}`, valid), codeUnauthorized},
		{"alg HS256 unsigned", "Bearer " + unsignedJWT(appotaHeader, valid), codeUnauthorized},
		{"alg HS512", "Bearer " + signJWT(`{"typ":"JWT","alg":"HS512","cty":"appotapay-api;v=1"}`, valid, SandboxSecretKey), codeUnauthorized},
		{"cty missing", "Bearer " + signJWT(`{"typ":"JWT","alg":"HS256"}`, valid, SandboxSecretKey), codeUnauthorized},
		{"wrong key", "Bearer " + signJWT(appotaHeader, valid, "not-the-secret-key"), codeUnauthorized},
		{"expired", "Bearer " + signJWT(appotaHeader, claimsJSON(SandboxPartnerCode, SandboxAPIKey, testNow.Unix()), SandboxSecretKey), codeUnauthorized},
		{"exp missing", "Bearer " + signJWT(appotaHeader, fmt.Sprintf(`{"iss":%q,"api_key":%q}`, SandboxPartnerCode, SandboxAPIKey), SandboxSecretKey), codeUnauthorized},
		{"exp not a number", "Bearer " + signJWT(appotaHeader, fmt.Sprintf(`{"iss":%q,"api_key":%q,"exp":"soon"}`, SandboxPartnerCode, SandboxAPIKey), SandboxSecretKey), codeUnauthorized},
		{"iss missing", "Bearer " + signJWT(appotaHeader, fmt.Sprintf(`{"api_key":%q,"exp":%d}`, SandboxAPIKey, exp), SandboxSecretKey), codeUnauthorized},
		{"unknown partner", "Bearer " + signJWT(appotaHeader, claimsJSON("NOBODY", SandboxAPIKey, exp), SandboxSecretKey), codePartnerNotFound},
		{"unknown api key", "Bearer " + signJWT(appotaHeader, claimsJSON(SandboxPartnerCode, "not-an-api-key", exp), SandboxSecretKey), codeAPIKeyNotFound},
		{"another partner's api key", "Bearer " + signJWT(appotaHeader, claimsJSON(SandboxPartnerCode, locked.APIKey, exp), SandboxSecretKey), codeAPIKeyNotFound},
		{"partner locked", "Bearer " + signJWT(appotaHeader, claimsJSON(locked.Code, locked.APIKey, exp), locked.SecretKey), codePartnerLocked},
		{"api key inactive", "Bearer " + signJWT(appotaHeader, claimsJSON(inactive.Code, inactive.APIKey, exp), inactive.SecretKey), codeAPIKeyInactive},
	}
	for _, ep := range apiEndpoints {
		for _, tt := range tests {
			t.Run(ep.path+"/"+tt.name, func(t *testing.T) {
				status, resp := h.call(ep.method, ep.path, tt.auth, map[string]any{})
				if status != http.StatusUnauthorized {
					t.Errorf("HTTP %d, want 401", status)
				}
				wantCode(t, resp, tt.code)
			})
		}
	}
}

// TestAuthAcceptsBareToken checks that the Bearer prefix is optional:
// v2 examples send the bare token.
func TestAuthAcceptsBareToken(t *testing.T) {
	h := newHarness(t)
	status, resp := h.call(http.MethodPost, "/api/v1.1/orders/transaction/bank/status", h.token()[len("Bearer "):],
		signBody(map[string]any{"orderId": "unknown"}, statusKeys))
	if status != http.StatusOK {
		t.Fatalf("HTTP %d: %v", status, resp)
	}
	wantCode(t, resp, codeNotFound)
}
