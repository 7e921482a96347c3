package appotapay

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/payhost/payhost/plugin"
)

// Known answers from GATEWAYS.md §2.3 and specs/vectors/appota_vectors.txt,
// computed there with Python and an independent Go implementation, with
// AppotaPay's public sandbox credentials.
var (
	vectorSecret = plugin.NewSecret("XAonJgy14YhtePEITXhyBS2unjfJLAV3")
	vectorAPIKey = plugin.NewSecret("FJcmF8uj2ISveL5FvvNk4pnp8xrhINz8")
)

// TestJWTKnownAnswer is vector AP-1: the header's member order and the
// claims are exact.
func TestJWTKnownAnswer(t *testing.T) {
	const want = "eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiIsImN0eSI6ImFwcG90YXBheS1hcGk7dj0xIn0." +
		"eyJpc3MiOiJBUFBPVEFQQVkiLCJqdGkiOiJGSmNtRjh1ajJJU3ZlTDVGdnZOazRwbnA4eHJoSU56OC0xNjE0MjI1NjI0IiwiYXBpX2tleSI6IkZKY21GOHVqMklTdmVMNUZ2dk5rNHBucDh4cmhJTno4IiwiZXhwIjoxNjE0MjI1OTI0fQ." +
		"Q9aKQR3Cb1m3kWAm_CCmTvQnlzWwZ5_Mg10UIa9Ce-I"
	got := makeJWT("APPOTAPAY", vectorAPIKey, vectorSecret, time.Unix(1614225624, 0), 300*time.Second)
	if got != want {
		t.Errorf("JWT\n got %s\nwant %s", got, want)
	}
}

// seedCreate is the seed's example create request (with its action PAY).
func seedCreate() *createRequest {
	return &createRequest{
		Amount: "10000", OrderID: "5f61cf4f41e2b", OrderInfo: "test", BankCode: "VCB",
		PaymentMethod: "ATM", ClientIP: "103.53.171.140", ExtraData: "", Action: "PAY",
		NotifyURL: "https://yourwebsite.com/ipn", RedirectURL: "https://yourwebsite.com/redirect",
	}
}

// TestSignatureKnownAnswers checks each message's signed string and
// signature against the vectors.
func TestSignatureKnownAnswers(t *testing.T) {
	ipn := &transactionResult{
		Amount: "50000", APIKey: "oMhJpkz7K6HDcR6S", AppotapayTransID: "AP200910014125B", BankCode: "SHB",
		Currency: "VND", ErrorCode: "0", ExtraData: "test test", Message: "Thành công", OrderID: "5f5b46cb73fd0",
		PartnerCode: "TEST", PaymentMethod: "ATM", PaymentType: "WEB", TransactionTs: "1599817433",
	}
	createAnswer := &createResponse{
		Amount: "50000", ErrorCode: "0", Message: "Thành công", OrderID: "5f62d5bdbe3aa",
		PaymentURL: "https://payment.dev.appotapay.com/bank/payment/process?tran=dGlkPUFQMjAwOTEwMDE4MjI5QiZvcmRlcklkPTVmNjJkNWJkYmUzYWEmdHM9MTYwMDMxMjc2Ng&sign=1a1fb2411ad118faa822867a81072138313580d5a099a68e64f8255b5bf69bf5",
	}
	cases := []struct {
		vector     string
		params     []param
		wantString string
		wantSig    string
	}{
		{"AP-2 create (the seed's request: action is not signed, no token)", seedCreate().signed(),
			"amount=10000&bankCode=VCB&clientIp=103.53.171.140&extraData=&notifyUrl=https://yourwebsite.com/ipn&orderId=5f61cf4f41e2b&orderInfo=test&paymentMethod=ATM&redirectUrl=https://yourwebsite.com/redirect",
			"0a82f6eb50e27b9ab40f735c4ea9f8fbc033cf3c1e0b0ce608d5d4ab2e6b0fc7"},
		{"create answer (third-party Go client's string)", createAnswer.signed(),
			"amount=50000&errorCode=0&message=Thành công&orderId=5f62d5bdbe3aa&paymentUrl=" + createAnswer.PaymentURL,
			"7948a21222e65ed223e42232f6da94e4991767ba6d5a45d054a7f7520aa9aa1c"},
		{"AP-5 IPN, redirect and status answer (13 keys, raw UTF-8)", ipn.signed(),
			"amount=50000&apiKey=oMhJpkz7K6HDcR6S&appotapayTransId=AP200910014125B&bankCode=SHB&currency=VND&errorCode=0&extraData=test test&message=Thành công&orderId=5f5b46cb73fd0&partnerCode=TEST&paymentMethod=ATM&paymentType=WEB&transactionTs=1599817433",
			"ce84e056aebe3fff9330207f87e3e75ad0d6bf42293e1f766c1fb654360f4e5f"},
		{"AP-6 status request", (&statusRequest{OrderID: "5f5b46cb73fd0"}).signed(),
			"orderId=5f5b46cb73fd0",
			"0d5395e8bcffd9f2527f4a966440dbbde1a14923b5f8812bd947818f2313e7fc"},
		{"AP-7 refund request", (&refundRequest{RefundID: "237052c887614019bedfd1851a287d9c", AppotapayTransID: "AP211364332963", Amount: "10000", Reason: "Test refund"}).signed(),
			"amount=10000&appotapayTransId=AP211364332963&reason=Test refund&refundId=237052c887614019bedfd1851a287d9c",
			"c20e277141f316a93260d1ef56d1fca81cf809eef12ac7122a7caa60420078c9"},
	}
	for _, tc := range cases {
		t.Run(tc.vector, func(t *testing.T) {
			if got := canonical(tc.params); got != tc.wantString {
				t.Errorf("signed string\n got %s\nwant %s", got, tc.wantString)
			}
			if got := sign(vectorSecret, tc.params); got != tc.wantSig {
				t.Errorf("signature %s, want %s", got, tc.wantSig)
			}
			if !verify(vectorSecret, tc.params, tc.wantSig) {
				t.Error("verify refuses the vector's signature")
			}
			if !verify(vectorSecret, tc.params, strings.ToUpper(tc.wantSig)) {
				t.Error("verify refuses the vector's signature in upper case")
			}
			if verify(plugin.NewSecret("another secret"), tc.params, tc.wantSig) {
				t.Error("verify accepts the signature under another secret")
			}
		})
	}
}

// TestNotificationV2KnownAnswer is vector AP-8: a v2 notification signs
// its Base64 data string itself.
func TestNotificationV2KnownAnswer(t *testing.T) {
	var n notificationV2
	if err := json.Unmarshal(readFixture(t, "ipn_v2_ap8.json"), &n); err != nil {
		t.Fatal(err)
	}
	if len(n.Data) != 520 || !strings.HasPrefix(n.Data, "eyJ0cmFuc2FjdGlvbiI6eyJlcnJvckNvZGUiOjAs") || !strings.HasSuffix(n.Data, "InRlc3QgdGVzdCJ9fQ==") {
		t.Fatalf("the fixture's data is not vector AP-8's: %d characters", len(n.Data))
	}
	const want = "cc7eb258cb440a4314c4c32552f47d1c6b04503994a074c169223f7a5f3fe649"
	if n.Signature != want || !verifyMessage(vectorSecret, n.Data, want) {
		t.Errorf("AP-8 does not verify")
	}
	if verifyMessage(vectorSecret, n.Data+"=", want) {
		t.Errorf("AP-8's signature verifies over other data")
	}
}

// TestCreateSignatureVariants: the create signature is AP-2, not the
// seed's string with "&token=" (AP-3, signed only when a token is sent,
// which this provider never does) nor the every-body-key variant with
// action (AP-4).
func TestCreateSignatureVariants(t *testing.T) {
	got := sign(vectorSecret, seedCreate().signed())
	for vector, other := range map[string]string{
		"AP-3": "88dbfc1112f4e87c6ee834b6476143be93a370e667a970dbc5dbe84717d0e9b9",
		"AP-4": "46ac5048dbc92aa005868cbbe71685fc3764e481b82c8d6ba6bdf55864bc8d45",
	} {
		if got == other {
			t.Errorf("the create signature is vector %s's", vector)
		}
	}
}

// TestVerifyResultWithTokenResult: a result with a tokenResult verifies
// whether AppotaPay signed 13 members or 14 (GATEWAYS.md §2.7); the
// 14-member signature here is computed from the literal string.
func TestVerifyResultWithTokenResult(t *testing.T) {
	tr := &transactionResult{
		Amount: "50000", APIKey: "k", AppotapayTransID: "AP1B", BankCode: "MB", Currency: "VND", ErrorCode: "0",
		ExtraData: "", Message: "ok", OrderID: "o1", PartnerCode: "P", PaymentMethod: "ATM", PaymentType: "WEB",
		TransactionTs: "1", TokenResult: `{"status":0}`,
	}
	literal14 := "amount=50000&apiKey=k&appotapayTransId=AP1B&bankCode=MB&currency=VND&errorCode=0&extraData=&message=ok&orderId=o1&partnerCode=P&paymentMethod=ATM&paymentType=WEB&tokenResult={\"status\":0}&transactionTs=1"
	if got := canonical(tr.signedWithToken()); got != literal14 {
		t.Fatalf("14-member string\n got %s\nwant %s", got, literal14)
	}
	for name, sig := range map[string]string{
		"13 members": sign(vectorSecret, tr.signed()),
		"14 members": hexHMAC(vectorSecret, literal14),
	} {
		tr.Signature = sig
		if !verifyResult(vectorSecret, tr) {
			t.Errorf("a result signed over %s does not verify", name)
		}
	}
	tr.Signature = hexHMAC(vectorSecret, literal14)
	tr.TokenResult = `{"status":1}`
	if verifyResult(vectorSecret, tr) {
		t.Error("a changed tokenResult still verifies under the 14-member signature")
	}
}

// hexHMAC is the hex HMAC-SHA256 of a literal message, computed here
// without the provider's code.
func hexHMAC(secret plugin.Secret, message string) string {
	mac := hmac.New(sha256.New, []byte(secret.Reveal()))
	mac.Write([]byte(message))
	return hex.EncodeToString(mac.Sum(nil))
}
