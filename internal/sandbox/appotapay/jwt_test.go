package appotapay

import (
	"bufio"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"
)

// appotaHeader is the JOSE header AppotaPay documents, byte for byte.
const appotaHeader = `{"typ":"JWT","alg":"HS256","cty":"appotapay-api;v=1"}`

// signJWT builds a token by hand from exact header and payload bytes, the
// way AppotaPay's examples do (a JWT library would reorder the header).
func signJWT(header, payload, secret string) string {
	enc := base64.RawURLEncoding
	signing := enc.EncodeToString([]byte(header)) + "." + enc.EncodeToString([]byte(payload))
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(signing))
	return signing + "." + enc.EncodeToString(mac.Sum(nil))
}

// unsignedJWT is header.payload. with an empty signature, as alg "none"
// tokens are.
func unsignedJWT(header, payload string) string {
	enc := base64.RawURLEncoding
	return enc.EncodeToString([]byte(header)) + "." + enc.EncodeToString([]byte(payload)) + "."
}

// claimsJSON is an AppotaPay payload for partner code, API key and expiry.
func claimsJSON(code, apiKey string, exp int64) string {
	return fmt.Sprintf(`{"iss":%q,"jti":"%s-%d","api_key":%q,"exp":%d}`, code, apiKey, exp-300, apiKey, exp)
}

// TestJWTVector is the known-answer test AP-1: the exact token from the
// exact segments, and the emulator accepting it until it expires.
func TestJWTVector(t *testing.T) {
	f, err := os.Open("testdata/jwt_ap1.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	v := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if k, val, ok := strings.Cut(sc.Text(), "="); ok && !strings.HasPrefix(k, "#") {
			v[k] = val
		}
	}
	if v["header"] != appotaHeader {
		t.Fatalf("vector header %s differs from appotaHeader", v["header"])
	}
	if got := signJWT(v["header"], v["payload"], SandboxSecretKey); got != v["token"] {
		t.Fatalf("token =\n%s\nwant\n%s", got, v["token"])
	}
	if got := claimsJSON(SandboxPartnerCode, SandboxAPIKey, 1614225924); got != v["payload"] {
		t.Fatalf("claimsJSON =\n%s\nwant\n%s", got, v["payload"])
	}
	partners := map[string]*Partner{SandboxPartnerCode: new(SandboxPartner())}
	for _, prefix := range []string{"", "Bearer ", "bearer "} {
		p, apiErr := authenticate(prefix+v["token"], time.Unix(1614225624, 0), partners)
		if apiErr != nil || p.Code != SandboxPartnerCode {
			t.Errorf("authenticate(%q+token) = %v, %v; want the sandbox partner", prefix, p, apiErr)
		}
	}
	if _, apiErr := authenticate(v["token"], time.Unix(1614225924, 0), partners); apiErr == nil || apiErr.code != codeUnauthorized {
		t.Errorf("authenticate at exp = %v, want errorCode 401 (expired)", apiErr)
	}
}
