package redotpay

import (
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"errors"
	"net/url"
	"os"
	"testing"
)

// vectors mirrors testdata/vectors.json, copied from
// /work/shared/specs/vectors/redotpay_vectors.txt (GATEWAYS.md §1.3).
type vectors struct {
	RSA []struct {
		Name      string `json:"name"`
		Kind      string `json:"kind"`
		Method    string `json:"method"`
		URI       string `json:"uri"`
		AppKey    string `json:"app_key"`
		TS        string `json:"ts"`
		Body      string `json:"body"`
		SHA256    string `json:"sha256"`
		Signature string `json:"signature"`
	} `json:"rsa"`
	Seed struct {
		Secret       string            `json:"secret"`
		MerchantCode string            `json:"merchant_code"`
		OrderSn      string            `json:"order_sn"`
		RefNo        string            `json:"ref_no"`
		Amount       string            `json:"amount"`
		Currency     string            `json:"currency"`
		Status       string            `json:"status"`
		S1           string            `json:"s1"`
		Rejected     map[string]string `json:"rejected"`
	} `json:"seed"`
}

func loadVectors(t *testing.T) vectors {
	t.Helper()
	data, err := os.ReadFile("testdata/vectors.json")
	if err != nil {
		t.Fatal(err)
	}
	var v vectors
	if err := json.Unmarshal(data, &v); err != nil {
		t.Fatalf("testdata/vectors.json: %v", err)
	}
	return v
}

func TestRSAVectors(t *testing.T) {
	priv, pub := testKeys()
	for _, v := range loadVectors(t).RSA {
		t.Run(v.Name, func(t *testing.T) {
			var msg []byte
			switch v.Kind {
			case "request":
				msg = requestStringToSign(v.Method, v.URI, v.AppKey, v.TS, []byte(v.Body))
			case "webhook":
				msg = webhookStringToSign(v.AppKey, v.TS, []byte(v.Body))
			default:
				t.Fatalf("unknown vector kind %q", v.Kind)
			}
			if v.SHA256 != "" {
				sum := sha256.Sum256(msg)
				if got := hex.EncodeToString(sum[:]); got != v.SHA256 {
					t.Fatalf("SHA-256(stringToSign) = %s, want %s", got, v.SHA256)
				}
			}
			got, err := signRSA(priv, msg)
			if err != nil {
				t.Fatal(err)
			}
			if got != v.Signature {
				t.Fatalf("signature mismatch:\n got %s\nwant %s", got, v.Signature)
			}
			if err := verifyRSA(pub, msg, v.Signature); err != nil {
				t.Fatalf("verify raw base64: %v", err)
			}
			if err := verifyRSA(pub, msg, url.QueryEscape(v.Signature)); err != nil {
				t.Fatalf("verify URL-encoded base64: %v", err)
			}
		})
	}
}

func TestVerifyRSARejects(t *testing.T) {
	_, pub := testKeys()
	v := loadVectors(t).RSA[0]
	good := requestStringToSign(v.Method, v.URI, v.AppKey, v.TS, []byte(v.Body))
	tests := []struct {
		name string
		msg  []byte
		sig  string
		want error
	}{
		{"missing", good, "", errSignatureMissing},
		{"not base64", good, "not*base64", errSignatureEncoding},
		{"bad percent escape", good, "abc%zz", errSignatureEncoding},
		{"tampered body", requestStringToSign(v.Method, v.URI, v.AppKey, v.TS, []byte(v.Body+" ")), v.Signature, errSignatureMismatch},
		{"other uri", requestStringToSign(v.Method, "/openapi/v2/order/close", v.AppKey, v.TS, []byte(v.Body)), v.Signature, errSignatureMismatch},
		{"other timestamp", requestStringToSign(v.Method, v.URI, v.AppKey, "1767609970941", []byte(v.Body)), v.Signature, errSignatureMismatch},
		{"lowercase method is normalised", requestStringToSign("post", v.URI, v.AppKey, v.TS, []byte(v.Body)), v.Signature, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := verifyRSA(pub, tt.msg, tt.sig); !errors.Is(err, tt.want) {
				t.Fatalf("verifyRSA = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestSeedSignatureVectors(t *testing.T) {
	s := loadVectors(t).Seed
	got := seedSignature(s.Secret, seedCallback{
		MerchantCode: s.MerchantCode, OrderSn: s.OrderSn, RefNo: s.RefNo,
		Amount: s.Amount, Currency: s.Currency, Status: s.Status,
	})
	if got != s.S1 {
		t.Fatalf("seed signature = %s, want S-1 %s", got, s.S1)
	}
	for name, other := range s.Rejected {
		if got == other {
			t.Errorf("seed signature matches the %s reading; only S-1 is correct", name)
		}
	}
}

func TestParseKeyPEM(t *testing.T) {
	priv, pub := TestKeyPEM()
	if _, err := ParsePrivateKeyPEM(priv); err != nil {
		t.Fatalf("private key: %v", err)
	}
	if _, err := ParsePublicKeyPEM(pub); err != nil {
		t.Fatalf("public key: %v", err)
	}
	if _, err := ParsePublicKeyPEM(priv); err == nil {
		t.Fatal("a private key PEM parsed as a public key")
	}
	if _, err := ParsePrivateKeyPEM([]byte("not pem")); err == nil {
		t.Fatal("garbage parsed as a private key")
	}
	// PKCS#1 encodings of the same pair parse too.
	key, _ := testKeys()
	pkcs1Priv := pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)})
	pkcs1Pub := pem.EncodeToMemory(&pem.Block{Type: "RSA PUBLIC KEY", Bytes: x509.MarshalPKCS1PublicKey(&key.PublicKey)})
	if k, err := ParsePrivateKeyPEM(pkcs1Priv); err != nil || !k.Equal(key) {
		t.Fatalf("PKCS#1 private key: %v", err)
	}
	if k, err := ParsePublicKeyPEM(pkcs1Pub); err != nil || !k.Equal(&key.PublicKey) {
		t.Fatalf("PKCS#1 public key: %v", err)
	}
}
