package redotpay

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/url"
	"os"
	"strings"
	"testing"
)

// vectors are the known answers of GATEWAYS.md §1.3, transcribed in
// testdata/vectors.json.
type vectors struct {
	AppKey string `json:"app_key"`
	R1     struct {
		Method, Path, TS, Body, SHA256, Signature string
	} `json:"r1"`
	R2 struct {
		TS, Body, Signature string
	} `json:"r2"`
	S1 struct {
		Secret       string            `json:"secret"`
		MerchantCode string            `json:"merchant_code"`
		OrderSn      string            `json:"order_sn"`
		RefNo        string            `json:"ref_no"`
		Amount       string            `json:"amount"`
		Currency     string            `json:"currency"`
		Status       string            `json:"status"`
		HMAC         string            `json:"hmac"`
		Rejected     map[string]string `json:"rejected"`
	} `json:"s1"`
}

func loadVectors(t *testing.T) vectors {
	t.Helper()
	var v vectors
	b, err := os.ReadFile("testdata/vectors.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	return v
}

// TestRequestSignatureR1 is vector R-1: the string to sign, its SHA-256
// and the Base64 SHA256withRSA signature of a create call.
func TestRequestSignatureR1(t *testing.T) {
	v := loadVectors(t)
	key := testPrivateKey(t)
	msg := requestStringToSign(v.R1.Method, v.R1.Path, v.AppKey, v.R1.TS, []byte(v.R1.Body))
	if sum := sha256.Sum256(msg); hex.EncodeToString(sum[:]) != v.R1.SHA256 {
		t.Errorf("SHA-256 of the string to sign = %x, want %s", sum, v.R1.SHA256)
	}
	sig, err := signRSA(key, msg)
	if err != nil {
		t.Fatal(err)
	}
	if sig != v.R1.Signature {
		t.Errorf("signature = %s\nwant %s", sig, v.R1.Signature)
	}
	// The method is upper-cased, as the scheme says.
	if lower := requestStringToSign("post", v.R1.Path, v.AppKey, v.R1.TS, []byte(v.R1.Body)); string(lower) != string(msg) {
		t.Errorf("lower-case method signs %q, want %q", lower, msg)
	}
}

// TestCreateBodyR1 checks that the create wire struct encodes vector
// R-1's values to exactly its body bytes: field order, number format, no
// HTML escaping, no trailing newline.
func TestCreateBodyR1(t *testing.T) {
	v := loadVectors(t)
	body, err := encodeBody(connectCreateRequest{
		OuterOrderSn: "ORD123456", OuterUID: "U1001", OrderAmount: "1", OrderCurrency: "USD",
		Env: "WEB", OrderDesc: "Test order",
		Goods: []connectGoods{{
			GoodsType: "02", GoodsCategory: "6000", GoodsCode: "SKU1", GoodsName: "Test item",
			GoodsCount: 1, GoodsAmount: "1", GoodsCoin: "USD",
		}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if string(body) != v.R1.Body {
		t.Errorf("body = %s\nwant %s", body, v.R1.Body)
	}
}

// TestWebhookSignatureR2 is vector R-2: the platform's signature over
// appKey.ts.rawBody verifies, and any change to what it covers does not.
func TestWebhookSignatureR2(t *testing.T) {
	v := loadVectors(t)
	pub := testPublicKey(t)
	cases := []struct {
		name, appKey, ts, body, sig string
		ok                          bool
	}{
		{"vector", v.AppKey, v.R2.TS, v.R2.Body, v.R2.Signature, true},
		{"percent-encoded signature", v.AppKey, v.R2.TS, v.R2.Body, url.QueryEscape(v.R2.Signature), true},
		{"other body", v.AppKey, v.R2.TS, strings.Replace(v.R2.Body, `"orderAmount":1`, `"orderAmount":100`, 1), v.R2.Signature, false},
		{"re-serialised body", v.AppKey, v.R2.TS, strings.ReplaceAll(v.R2.Body, ",", ", "), v.R2.Signature, false},
		{"other timestamp", v.AppKey, "1767609999001", v.R2.Body, v.R2.Signature, false},
		{"other appKey", "4CA7B705-8EF5-4AC3-A0B6-9A4B84EF13B7", v.R2.TS, v.R2.Body, v.R2.Signature, false},
		{"request signature R-1", v.AppKey, v.R2.TS, v.R2.Body, v.R1.Signature, false},
		{"not base64", v.AppKey, v.R2.TS, v.R2.Body, "!!" + v.R2.Signature, false},
		{"empty", v.AppKey, v.R2.TS, v.R2.Body, "", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := verifyRSA(pub, webhookStringToVerify(tc.appKey, tc.ts, []byte(tc.body)), tc.sig)
			if (err == nil) != tc.ok {
				t.Errorf("verify = %v, want ok=%v", err, tc.ok)
			}
		})
	}
}

// TestSeedSignatureS1 is vector S-1, and the two other readings of the
// seed's formula (S-2, S-3) are refused.
func TestSeedSignatureS1(t *testing.T) {
	v := loadVectors(t).S1
	f := seedSignedFields{MerchantCode: v.MerchantCode, OrderSn: v.OrderSn, RefNo: v.RefNo, Amount: v.Amount, Currency: v.Currency, Status: v.Status}
	if got := hex.EncodeToString(seedSignature(v.Secret, f)); got != v.HMAC {
		t.Errorf("S-1 = %s, want %s", got, v.HMAC)
	}
	if err := verifySeedSignature(v.Secret, f, v.HMAC); err != nil {
		t.Errorf("S-1 does not verify: %v", err)
	}
	if err := verifySeedSignature(v.Secret, f, strings.ToUpper(v.HMAC)); err != nil {
		t.Errorf("upper-case hex S-1 does not verify: %v", err)
	}
	for name, sig := range v.Rejected {
		if verifySeedSignature(v.Secret, f, sig) == nil {
			t.Errorf("%s verified; only S-1 should", name)
		}
	}
	paid := f
	paid.Status = "failed"
	if verifySeedSignature(v.Secret, paid, v.HMAC) == nil {
		t.Error("the signature of a paid callback verified for a failed one")
	}
	if verifySeedSignature("other", f, v.HMAC) == nil {
		t.Error("the signature verified with another secret")
	}
}
