package appotapay

import (
	"bufio"
	"os"
	"slices"
	"strings"
	"testing"
	"time"
)

// vector is one known-answer signature from testdata/signatures.txt.
type vector struct{ name, message, want string }

func loadVectors(t *testing.T) map[string]vector {
	t.Helper()
	f, err := os.Open("testdata/signatures.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	vectors := make(map[string]vector)
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<16)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		parts := strings.Split(line, " | ")
		if len(parts) != 3 {
			t.Fatalf("testdata/signatures.txt: malformed line %q", line)
		}
		id, _, _ := strings.Cut(parts[0], " ")
		vectors[id] = vector{name: parts[0], message: parts[1], want: parts[2]}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return vectors
}

// TestSignatureVectors checks the HMAC of every known-answer message
// (AP-2 … AP-8, CR-1) under the sandbox secret key.
func TestSignatureVectors(t *testing.T) {
	vectors := loadVectors(t)
	if len(vectors) != 8 {
		t.Fatalf("loaded %d vectors, want AP-2 … AP-8 and CR-1", len(vectors))
	}
	for _, v := range vectors {
		t.Run(v.name, func(t *testing.T) {
			if got := hmacHex(SandboxSecretKey, v.message); got != v.want {
				t.Errorf("hmacHex = %s, want %s", got, v.want)
			}
			if !verifyHex(SandboxSecretKey, v.message, strings.ToUpper(v.want)) {
				t.Error("verifyHex rejects the upper-case form of the vector")
			}
			if verifyHex(SandboxSecretKey, v.message+" ", v.want) {
				t.Error("verifyHex accepts the vector for a different message")
			}
		})
	}
}

// TestCanonicalStrings checks that the emulator's key lists and joining
// rebuild the vector messages from field values: sorted keys, raw values,
// empty values kept as key=.
func TestCanonicalStrings(t *testing.T) {
	vectors := loadVectors(t)
	seed := map[string]string{
		"amount": "10000", "bankCode": "VCB", "clientIp": "103.53.171.140", "extraData": "",
		"notifyUrl": "https://yourwebsite.com/ipn", "orderId": "5f61cf4f41e2b", "orderInfo": "test",
		"paymentMethod": "ATM", "redirectUrl": "https://yourwebsite.com/redirect", "token": "",
	}
	tests := []struct {
		vector string
		keys   []string
		values map[string]string
	}{
		{"AP-2", createKeys, seed},
		{"AP-3", createTokenKeys, seed},
		{"AP-6", statusKeys, map[string]string{"orderId": "5f5b46cb73fd0"}},
		{"AP-7", refundKeys, map[string]string{"amount": "10000", "appotapayTransId": "AP211364332963", "reason": "Test refund", "refundId": "237052c887614019bedfd1851a287d9c"}},
	}
	for _, tt := range tests {
		t.Run(tt.vector, func(t *testing.T) {
			v := vectors[tt.vector]
			if got := canonical(tt.keys, tt.values); got != v.message {
				t.Errorf("canonical =\n%s\nwant\n%s", got, v.message)
			}
			if got := signFields(SandboxSecretKey, tt.keys, tt.values); got != v.want {
				t.Errorf("signFields = %s, want %s", got, v.want)
			}
		})
	}
}

// TestResultSignatureVector builds the documented IPN (AP-5) from an
// order and checks its signature and the 13 signed keys.
func TestResultSignatureVector(t *testing.T) {
	v := loadVectors(t)["AP-5"]
	o := order{
		Partner:       &Partner{Code: "TEST", APIKey: "oMhJpkz7K6HDcR6S", SecretKey: SandboxSecretKey},
		Version:       version10,
		OrderID:       "5f5b46cb73fd0",
		TransID:       "AP200910014125B",
		Amount:        50000,
		BankCode:      "SHB",
		PaymentMethod: "ATM",
		ExtraData:     "test test",
		State:         statePaid,
		UpdatedAt:     time.Unix(1599817433, 0),
	}
	res := resultOf(&o, true)
	if got := canonical(resultKeys, res.signedValues()); got != v.message {
		t.Errorf("result string =\n%s\nwant\n%s", got, v.message)
	}
	if res.Signature != v.want {
		t.Errorf("result signature = %s, want %s", res.Signature, v.want)
	}
}

// TestCreateResponseSignatureVector signs the seed's create answer (CR-1).
func TestCreateResponseSignatureVector(t *testing.T) {
	v := loadVectors(t)["CR-1"]
	resp := createResponse{
		ErrorCode:  codeSuccess,
		Message:    messageSuccess,
		OrderID:    "5f62d5bdbe3aa",
		Amount:     50000,
		PaymentURL: "https://payment.dev.appotapay.com/bank/payment/process?tran=dGlkPUFQMjAwOTEwMDE4MjI5QiZvcmRlcklkPTVmNjJkNWJkYmUzYWEmdHM9MTYwMDMxMjc2Ng&sign=1a1fb2411ad118faa822867a81072138313580d5a099a68e64f8255b5bf69bf5",
	}
	resp.sign(SandboxSecretKey)
	if resp.Signature != v.want {
		t.Errorf("create answer signature = %s, want %s", resp.Signature, v.want)
	}
}

// TestKeyListsSorted guards the key lists: AppotaPay sorts keys
// alphabetically (byte order), so every list must already be sorted.
func TestKeyListsSorted(t *testing.T) {
	for name, keys := range map[string][]string{
		"create": createKeys, "createToken": createTokenKeys, "createResponse": createResponseKeys,
		"result": resultKeys, "status": statusKeys, "refund": refundKeys, "refundResponse": refundResponseKeys,
	} {
		if !slices.IsSorted(keys) {
			t.Errorf("%s keys are not sorted: %v", name, keys)
		}
	}
	if len(resultKeys) != 13 || len(refundResponseKeys) != 8 || len(createResponseKeys) != 5 {
		t.Errorf("key counts = %d/%d/%d, want 13/8/5", len(resultKeys), len(refundResponseKeys), len(createResponseKeys))
	}
}
