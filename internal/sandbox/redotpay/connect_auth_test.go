package redotpay

import (
	"crypto/rand"
	"crypto/rsa"
	"net/http"
	"net/url"
	"strconv"
	"testing"
	"time"
)

// The published vector R-1, sent as is at its own timestamp, is accepted.
func TestConnectAcceptsVectorR1(t *testing.T) {
	h := newHarness(t, nil)
	v := loadVectors(t).RSA[0]
	ms, err := strconv.ParseInt(v.TS, 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	h.clock.Set(time.UnixMilli(ms))
	req := h.newRequest(t, v.Method, v.URI, v.Body)
	req.Header.Set("X-R-AK", v.AppKey)
	req.Header.Set("X-R-Ts", v.TS)
	req.Header.Set("X-R-Key-Version", "1")
	req.Header.Set("X-R-Signature", v.Signature)
	a := h.do(t, req)
	a.expect(t, http.StatusOK, "SUCCESS", "")
	var d createData
	a.data(t, &d)
	if d.OuterOrderSn != "ORD123456" || d.OrderAmount != "1" {
		t.Fatalf("created %+v", d)
	}
}

func TestConnectAuthRejections(t *testing.T) {
	otherKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	body := `{"orderSn":"RAP000"}`
	tests := []struct {
		name     string
		optional bool // the sandbox "signature optional" switch
		prepare  func(h *harness, req *http.Request)
		status   int
		code     string
		msg      string
	}{
		{"missing X-R-AK", false, func(h *harness, req *http.Request) {
			req.Header.Del("X-R-AK")
		}, 401, "APP_KEY_INVALID", "X-R-AK: header is required"},
		{"unknown appKey", false, func(h *harness, req *http.Request) {
			s := defaultSigner(h)
			s.appKey = "00000000-0000-0000-0000-000000000000"
			s.sign(t, req, body)
		}, 401, "APP_KEY_INVALID", "X-R-AK: unknown appKey"},
		{"missing key version", false, func(h *harness, req *http.Request) {
			req.Header.Del("X-R-Key-Version")
		}, 401, "KEY_VERSION_INVALID", "X-R-Key-Version: header is required"},
		{"malformed key version", false, func(h *harness, req *http.Request) {
			req.Header.Set("X-R-Key-Version", "v1")
		}, 401, "KEY_VERSION_INVALID", "must be a key version number"},
		{"unknown key version", false, func(h *harness, req *http.Request) {
			s := defaultSigner(h)
			s.version = "2"
			s.sign(t, req, body)
		}, 401, "KEY_VERSION_INVALID", "no public key version 2"},
		{"missing timestamp", false, func(h *harness, req *http.Request) {
			req.Header.Del("X-R-Ts")
		}, 401, "TIMESTAMP_INVALID", "X-R-Ts: header is required"},
		{"timestamp in seconds text", false, func(h *harness, req *http.Request) {
			req.Header.Set("X-R-Ts", "2026-03-18T12:00:00Z")
		}, 401, "TIMESTAMP_INVALID", "must be epoch milliseconds"},
		{"stale timestamp", false, func(h *harness, req *http.Request) {
			s := defaultSigner(h)
			s.ts = s.ts.Add(-6 * time.Minute)
			s.sign(t, req, body)
		}, 401, "TIMESTAMP_INVALID", "allowed ±5m0s"},
		{"timestamp from the future", false, func(h *harness, req *http.Request) {
			s := defaultSigner(h)
			s.ts = s.ts.Add(6 * time.Minute)
			s.sign(t, req, body)
		}, 401, "TIMESTAMP_INVALID", "allowed ±5m0s"},
		{"missing signature", false, func(h *harness, req *http.Request) {
			req.Header.Del("X-R-Signature")
		}, 401, "SIGN_ERROR", "X-R-Signature: is missing"},
		{"signature not base64", false, func(h *harness, req *http.Request) {
			req.Header.Set("X-R-Signature", "***")
		}, 401, "SIGN_ERROR", "not valid base64"},
		{"signed by another key", false, func(h *harness, req *http.Request) {
			s := defaultSigner(h)
			s.key = otherKey
			s.sign(t, req, body)
		}, 401, "SIGN_ERROR", "does not verify"},
		{"signed for another path", false, func(h *harness, req *http.Request) {
			other := h.newRequest(t, http.MethodPost, "/openapi/v2/order/close", body)
			defaultSigner(h).sign(t, other, body)
			req.Header.Set("X-R-Signature", other.Header.Get("X-R-Signature"))
		}, 401, "SIGN_ERROR", "does not verify"},
		{"bad signature with the optional switch on", true, func(h *harness, req *http.Request) {
			req.Header.Set("X-R-Signature", "AAAA")
		}, 401, "SIGN_ERROR", "does not verify"},
		{"URL-encoded signature is accepted", false, func(h *harness, req *http.Request) {
			req.Header.Set("X-R-Signature", url.QueryEscape(req.Header.Get("X-R-Signature")))
		}, 404, "ORDER_NOT_FOUND", ""},
		{"no signature with the optional switch on", true, func(h *harness, req *http.Request) {
			req.Header.Del("X-R-Signature")
		}, 404, "ORDER_NOT_FOUND", ""},
		{"timestamp within the skew", false, func(h *harness, req *http.Request) {
			s := defaultSigner(h)
			s.ts = s.ts.Add(-4 * time.Minute)
			s.sign(t, req, body)
		}, 404, "ORDER_NOT_FOUND", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, func(c *Config) { c.SignatureOptional = tt.optional })
			req := h.newRequest(t, http.MethodPost, "/openapi/v2/order/detail", body)
			defaultSigner(h).sign(t, req, body)
			tt.prepare(h, req)
			h.do(t, req).expect(t, tt.status, tt.code, tt.msg)
		})
	}
}

// A body changed after signing fails verification: the emulator verifies
// the raw bytes.
func TestConnectRejectsTamperedBody(t *testing.T) {
	h := newHarness(t, nil)
	body := fixture(t, "connect_create.json", nil)
	req := h.newRequest(t, http.MethodPost, "/openapi/v2/order/create", body+" ")
	defaultSigner(h).sign(t, req, body)
	h.do(t, req).expect(t, http.StatusUnauthorized, "SIGN_ERROR", "does not verify")
}

func TestConnectSkewIsConfigurable(t *testing.T) {
	h := newHarness(t, func(c *Config) { c.TimestampSkew = time.Minute })
	req := h.newRequest(t, http.MethodPost, "/openapi/v2/order/detail", `{}`)
	s := defaultSigner(h)
	s.ts = s.ts.Add(-2 * time.Minute)
	s.sign(t, req, `{}`)
	h.do(t, req).expect(t, http.StatusUnauthorized, "TIMESTAMP_INVALID", "allowed ±1m0s")
}

func TestConnectUnknownRoute(t *testing.T) {
	h := newHarness(t, nil)
	h.connect(t, http.MethodPost, "/openapi/v2/order/refund", `{}`).expect(t, http.StatusNotFound, "NOT_FOUND", "no endpoint POST /openapi/v2/order/refund")
}
