package tinypay

import (
	"encoding/json"
	"testing"

	"github.com/payhost/payhost/plugin"

	"example.com/payhost-provider-tinypay/emulator"
)

// Known answers of tinypay's signatures (README.md, "Signatures"),
// computed independently with
//
//	printf '<message>' | openssl dgst -sha256 -hmac tpsec_test_c9f0f895fb98ab91
const (
	vectorTimestamp  = "1767225600"
	vectorCreateBody = `{"order_id":"att_01","amount":"10.50","currency":"USD","method":"card","return_url":"https://shop.example/return","notify_url":"https://payhost.example/v1/callbacks/tinypay/demo"}`
	vectorCreateSig  = "a6e5eb6a45e9fd9e9e7ba218b948dd2f2ff70f20787fa000395f8d8ef4affb7b"
	vectorGetSig     = "dd3dc4339d382430e04f0809314ef04eeac20914a4e5962232e38fca26ca0f9a"

	vectorCallbackTimestamp = "1767225660"
	vectorCallbackBody      = `{"event_id":"evt_01","type":"payment.paid","created_at":1767225660,"payment":{"id":"tp_01","order_id":"att_01","status":"paid","amount":"10.50","refunded":"0.00","currency":"USD"}}`
	vectorCallbackSig       = "6880501a7350631de3b09c2af338f748280de3c60fefe91c057cf9d8dfa6a710"
)

func TestSignatureKnownAnswers(t *testing.T) {
	secret := plugin.NewSecret(emulator.TestSecret)
	cases := []struct {
		name, got, want string
	}{
		{"create request", requestSignature(secret, vectorTimestamp, "POST", "/v1/payments", []byte(vectorCreateBody)), vectorCreateSig},
		{"status request without body", requestSignature(secret, vectorTimestamp, "GET", "/v1/orders/att_01", nil), vectorGetSig},
		{"callback", callbackSignature(secret, vectorCallbackTimestamp, []byte(vectorCallbackBody)), vectorCallbackSig},
	}
	for _, tc := range cases {
		if tc.got != tc.want {
			t.Errorf("%s: signature %s, want %s", tc.name, tc.got, tc.want)
		}
	}
}

// TestCreateRequestWire checks that the create request is encoded to
// exactly the bytes of the signature vector.
func TestCreateRequestWire(t *testing.T) {
	w, err := createRequestOf(&plugin.CreatePaymentRequest{
		AttemptID: "att_01", Amount: plugin.Money{Amount: 1050, Currency: "USD"}, Method: plugin.MethodCard,
		ReturnURL: "https://shop.example/return",
	}, "https://payhost.example/v1/callbacks/tinypay/demo")
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(w)
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != vectorCreateBody {
		t.Errorf("create request encodes to\n%s\nwant\n%s", b, vectorCreateBody)
	}
}
