package reddot

import (
	"encoding/json"
	"net/url"
	"os"
	"strings"
	"testing"
)

// vectorFile is testdata/vectors.json: RDP-1 … RDP-7 of GATEWAYS.md §3.3.
type vectorFile struct {
	SeedSecret         string `json:"seed_secret"`
	SeedSecretMistyped string `json:"seed_secret_mistyped"`
	Vectors            []struct {
		Name       string          `json:"name"`
		Scheme     string          `json:"scheme"`
		SeedSecret bool            `json:"seed_secret"`
		Secret     string          `json:"secret"`
		Params     json.RawMessage `json:"params"`
		Buffer     string          `json:"buffer"`
		Want       string          `json:"want"`
	} `json:"vectors"`
}

func loadVectors(t *testing.T) vectorFile {
	t.Helper()
	raw, err := os.ReadFile("testdata/vectors.json")
	if err != nil {
		t.Fatal(err)
	}
	var f vectorFile
	if err := json.Unmarshal(raw, &f); err != nil {
		t.Fatal(err)
	}
	if len(f.Vectors) != 7 {
		t.Fatalf("testdata/vectors.json has %d vectors, want RDP-1 … RDP-7", len(f.Vectors))
	}
	return f
}

// TestKnownAnswers checks every signature scheme against RDP-1 … RDP-7:
// the buffer hashed and the signature.
func TestKnownAnswers(t *testing.T) {
	f := loadVectors(t)
	for _, v := range f.Vectors {
		t.Run(v.Name, func(t *testing.T) {
			secret := v.Secret
			if v.SeedSecret {
				secret = f.SeedSecret
			}
			var buffer, got string
			switch v.Scheme {
			case "generic":
				a, err := parseAnswer(v.Params)
				if err != nil {
					t.Fatal(err)
				}
				buffer, got = genericBuffer(a.fields), signGeneric(a.fields, secret)
			case "payment":
				var r paymentRequest
				if err := json.Unmarshal(v.Params, &r); err != nil {
					t.Fatal(err)
				}
				buffer, got = paymentBuffer(&r), paymentSignature(&r, secret)
			case "merchant":
				var m map[string]string
				if err := json.Unmarshal(v.Params, &m); err != nil {
					t.Fatal(err)
				}
				fields := url.Values{}
				for k, v := range m {
					fields.Set(k, v)
				}
				buffer, got = merchantBuffer(fields), merchantSignature(fields, secret)
			default:
				t.Fatalf("unknown scheme %q", v.Scheme)
			}
			if buffer != v.Buffer {
				t.Errorf("buffer\n got %s\nwant %s", buffer, v.Buffer)
			}
			if got != v.Want {
				t.Errorf("signature\n got %s\nwant %s", got, v.Want)
			}
		})
	}
}

// TestSeedKeyTypo pins the seed document's quirk: its key appears twice,
// and only the 128-character copy produces RDP-1; the 127-character one
// lacks a "7".
func TestSeedKeyTypo(t *testing.T) {
	f := loadVectors(t)
	if len(f.SeedSecret) != 128 || len(f.SeedSecretMistyped) != 127 {
		t.Fatalf("seed keys of %d and %d characters, want 128 and 127", len(f.SeedSecret), len(f.SeedSecretMistyped))
	}
	fields := map[string]any{"request_mid": "1000089029", "transaction_id": "1234567891"}
	if got := signGeneric(fields, f.SeedSecret); got != f.Vectors[0].Want {
		t.Errorf("the 128-character key gives %s, want RDP-1", got)
	}
	if got := signGeneric(fields, f.SeedSecretMistyped); got == f.Vectors[0].Want {
		t.Error("the mistyped 127-character key also gives RDP-1")
	}
}

// TestPHPString pins the PHP typing rules sign_generic depends on.
func TestPHPString(t *testing.T) {
	cases := []struct {
		json string
		want string
	}{
		{`"-01"`, "-01"},
		{`"1.10"`, "1.10"},
		{`true`, "1"},
		{`false`, ""},
		{`null`, ""},
		{`0`, "0"},
		{`-1`, "-1"},
		{`-0`, "0"},
		{`1200`, "1200"},
		{`9223372036854775807`, "9223372036854775807"},
		{`9223372036854775808`, "9.2233720368548E+18"},
		{`123456789012345678901234567890`, "1.2345678901235E+29"},
		{`1.10`, "1.1"},
		{`1.0`, "1"},
		{`100.0`, "100"},
		{`-1.5`, "-1.5"},
		{`0.30000000000000004`, "0.3"},
		{`0.0001`, "0.0001"},
		{`0.00001`, "1.0E-5"},
		{`1.5e-7`, "1.5E-7"},
		{`1e13`, "10000000000000"},
		{`1e14`, "1.0E+14"},
		{`1.5e25`, "1.5E+25"},
		{`-0.0`, "-0"},
		{`1e999`, "INF"},
		{`-1e999`, "-INF"},
	}
	for _, tc := range cases {
		a, err := parseAnswer([]byte(`{"v":` + tc.json + `}`))
		if err != nil {
			t.Fatalf("%s: %v", tc.json, err)
		}
		if got := phpString(a.fields["v"]); got != tc.want {
			t.Errorf("phpString(%s) = %q, want %q", tc.json, got, tc.want)
		}
	}
}

// TestGenericIgnoresNestedSignature: only the top-level signature is left
// out; a nested one is a value like any other.
func TestGenericIgnoresNestedSignature(t *testing.T) {
	a, _ := parseAnswer([]byte(`{"signature":"x","b":{"signature":"S"},"a":"A"}`))
	if got := genericBuffer(a.fields); got != "AS" {
		t.Errorf("buffer %q, want %q", got, "AS")
	}
}

// TestPaymentSignatureInstruments checks the instrument part of each mode
// of the payment signature (§3.3b).
func TestPaymentSignatureInstruments(t *testing.T) {
	base := paymentRequest{MID: " M1 ", OrderID: "O1", PaymentType: "A", Amount: "10.00", Ccy: "SGD"}
	cases := []struct {
		name string
		edit func(*paymentRequest)
		want string
	}{
		{"hosted page", func(*paymentRequest) {}, "M1O1A10.00SGD"},
		{"card", func(r *paymentRequest) { r.CardNo, r.ExpDate, r.CVV2 = "4111111111111111", "122031", "987" }, "M1O1A10.00SGD4111111111122031" + "7"},
		{"payer id wins over token id", func(r *paymentRequest) { r.PayerID, r.TokenID = "tok_1", "123456789012345678901234567890" }, "M1O1A10.00SGDtok_1"},
		{"token id alone", func(r *paymentRequest) { r.TokenID = "123456789012345678901234567890" }, "M1O1A10.00SGD1234567890"},
	}
	for _, tc := range cases {
		r := base
		tc.edit(&r)
		if got := paymentBuffer(&r); got != tc.want {
			t.Errorf("%s: buffer %q, want %q", tc.name, got, tc.want)
		}
		if got, want := paymentSignature(&r, "k"), sha512Hex(tc.want+"k"); got != want {
			t.Errorf("%s: signature is not SHA-512 of the buffer and the secret", tc.name)
		}
	}
}

func TestSameSignature(t *testing.T) {
	want := sha512Hex("x")
	if !sameSignature(strings.ToUpper(want), want) {
		t.Error("upper-case hex refused")
	}
	flipped := []byte(want)
	flipped[127] ^= 1 // another hex digit: '0'<->'1', 'a'<->'`'...
	if flipped[127] == '`' {
		flipped[127] = 'b'
	}
	if sameSignature(string(flipped), want) {
		t.Error("a changed digit accepted")
	}
	if sameSignature("", want) {
		t.Error("an empty signature accepted")
	}
}
