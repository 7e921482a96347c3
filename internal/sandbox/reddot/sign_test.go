package reddot

import (
	"encoding/json"
	"os"
	"testing"
)

// vector is one known-answer test from testdata/vectors.json (the vectors
// of GATEWAYS.md §3.3).
type vector struct {
	Name       string          `json:"name"`
	Scheme     string          `json:"scheme"`
	Secret     string          `json:"secret"`
	SeedSecret bool            `json:"seed_secret"`
	Params     json.RawMessage `json:"params"`
	Want       string          `json:"want"`
}

func loadVectors(t *testing.T) []vector {
	t.Helper()
	raw, err := os.ReadFile("testdata/vectors.json")
	if err != nil {
		t.Fatal(err)
	}
	var vs []vector
	if err := json.Unmarshal(raw, &vs); err != nil {
		t.Fatalf("decoding vectors: %v", err)
	}
	if len(vs) != 7 {
		t.Fatalf("want the 7 vectors RDP-1 … RDP-7, have %d", len(vs))
	}
	return vs
}

func TestKnownAnswers(t *testing.T) {
	for _, v := range loadVectors(t) {
		t.Run(v.Name, func(t *testing.T) {
			secret := v.Secret
			if v.SeedSecret {
				secret = DefaultSecret
			}
			p, err := parseParams(v.Params)
			if err != nil {
				t.Fatal(err)
			}
			var got string
			switch v.Scheme {
			case "generic":
				got = signGeneric(p, secret)
			case "payment":
				got = paymentSignature(p, secret)
			case "merchant":
				fields := make(map[string]string, len(p))
				for k := range p {
					fields[k] = p.str(k)
				}
				got = merchantSignature(fields, secret)
			default:
				t.Fatalf("unknown scheme %q", v.Scheme)
			}
			if got != v.Want {
				t.Errorf("signature = %s, want %s", got, v.Want)
			}
		})
	}
}

func TestDefaultSecretIsTheFullSeedKey(t *testing.T) {
	if len(DefaultSecret) != 128 {
		t.Fatalf("DefaultSecret has %d characters, want 128", len(DefaultSecret))
	}
}

func TestGenericBuffer(t *testing.T) {
	tests := []struct {
		name string
		json string
		want string
	}{
		{"RDP-3 nesting, typing and signature removal",
			`{"mid":"1000089029","order_id":"ORD1","response_code":0,"payment_response":{"b":"2","a":"1"},"items":[{"z":"Z","y":"Y"},"X"],"empty":"","flag":true,"signature":"ignored"}`,
			"1YZX1000089029ORD1120"},
		{"keys sort byte-wise, upper case first", `{"b":"2","B":"1","a":"3"}`, "132"},
		{"false and null contribute nothing", `{"a":false,"b":null,"c":"x"}`, "x"},
		{"floats print like PHP", `{"a":1.10,"b":1.0,"c":2.50}`, "1.1" + "1" + "2.5"},
		{"integers beyond int64 become PHP floats", `{"a":123456789012345678901234567890}`, "1.2345678901235E+29"},
		{"nested signature keys are kept", `{"x":{"signature":"s"}}`, "s"},
		{"string amounts stay verbatim", `{"amount":"1.00"}`, "1.00"},
		{"unicode is verbatim", `{"payer_name":"Trần Văn"}`, "Trần Văn"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := parseParams([]byte(tt.json))
			if err != nil {
				t.Fatal(err)
			}
			if got := genericBuffer(p); got != tt.want {
				t.Errorf("buffer = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestPHPFloat(t *testing.T) {
	tests := []struct {
		in   float64
		want string
	}{
		{1.1, "1.1"},
		{1, "1"},
		{0.1, "0.1"},
		{-2.5, "-2.5"},
		{100, "100"},
		{0.0001, "0.0001"},
		{0.00001, "1.0E-5"},
		{1.5e-7, "1.5E-7"},
		{1e14, "1.0E+14"},
		{12345678901234, "12345678901234"},
		{1e25, "1.0E+25"},
		{0.1 + 0.2, "0.3"},
	}
	for _, tt := range tests {
		if got := phpFloat(tt.in); got != tt.want {
			t.Errorf("phpFloat(%v) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestPaymentBuffer(t *testing.T) {
	base := `"mid":" M1 ","order_id":"O1","payment_type":"A","amount":"10.00","ccy":"SGD"`
	tests := []struct {
		name string
		json string
		want string
	}{
		{"plain hosted page", `{` + base + `}`, "M1O1A10.00SGD"},
		{"card with cvv2", `{` + base + `,"card_no":"4111111111111111","exp_date":"122031","cvv2":"123"}`,
			"M1O1A10.00SGD4111111111122031" + "3"},
		{"card without cvv2", `{` + base + `,"card_no":"5555555555554444","exp_date":"012030"}`,
			"M1O1A10.00SGD5555554444012030"},
		{"payer_id wins over token_id", `{` + base + `,"payer_id":"CUST-1","token_id":"123456789012345678901234567890","cvv2":"999"}`,
			"M1O1A10.00SGDCUST-19"},
		{"token_id", `{` + base + `,"token_id":"123456789012345678901234567890"}`,
			"M1O1A10.00SGD1234567890"},
		{"token_id with exp_date", `{` + base + `,"token_id":"123456789012345678901234567890","exp_date":"122031"}`,
			"M1O1A10.00SGD1234567890122031"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := parseParams([]byte(tt.json))
			if err != nil {
				t.Fatal(err)
			}
			if got := paymentBuffer(p); got != tt.want {
				t.Errorf("buffer = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestSignatureMatchesIsExact(t *testing.T) {
	sig := signGeneric(map[string]any{"a": "1"}, "k")
	if !signatureMatches(sig, sig) {
		t.Error("identical signatures do not match")
	}
	for _, bad := range []string{"", sig[:127], sig + "0", "0" + sig[1:]} {
		if bad != sig && signatureMatches(bad, sig) {
			t.Errorf("%q matched", bad)
		}
	}
}
