package plugin_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/payhost/payhost/plugin"
)

const (
	testSecret = "sk_live_do_not_print"
	testCVC    = "737"
)

// holder nests the sensitive types the ways provider code does.
type holder struct {
	Key     plugin.Secret
	Number  plugin.CardNumber
	Card    plugin.Card
	CardPtr *plugin.Card
	key     plugin.Secret
	number  plugin.CardNumber
	card    plugin.Card
}

func newHolder() holder {
	card := plugin.Card{Number: plugin.NewCardNumber(testPAN), ExpMonth: 12, ExpYear: 2030, CVC: plugin.NewSecret(testCVC), HolderName: "A Person"}
	return holder{
		Key: plugin.NewSecret(testSecret), Number: plugin.NewCardNumber(testPAN), Card: card, CardPtr: &card,
		key: plugin.NewSecret(testSecret), number: plugin.NewCardNumber(testPAN), card: card,
	}
}

// renderings prints v in every way a value reaches a log or an error.
func renderings(t *testing.T, v any) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%10.3v"} {
		out[verb] = fmt.Sprintf(verb, v)
	}
	out["Sprint"] = fmt.Sprint(v)
	out["Errorf"] = fmt.Errorf("failed with %v", v).Error()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("json: %v", err)
	}
	out["json"] = string(b)
	for name, h := range map[string]func(*bytes.Buffer) slog.Handler{
		"slog json": func(b *bytes.Buffer) slog.Handler { return slog.NewJSONHandler(b, nil) },
		"slog text": func(b *bytes.Buffer) slog.Handler { return slog.NewTextHandler(b, nil) },
	} {
		var buf bytes.Buffer
		slog.New(h(&buf)).Info("msg", "value", v)
		out[name] = buf.String()
	}
	return out
}

// leaks returns the renderings that contain any of the given strings, or
// a digit-for-digit hex encoding of them.
func leaks(r map[string]string, secrets ...string) []string {
	var bad []string
	for how, s := range r {
		for _, secret := range secrets {
			if strings.Contains(s, secret) || strings.Contains(s, fmt.Sprintf("%x", secret)) || strings.Contains(strings.ToLower(s), fmt.Sprintf("%x", secret)) {
				bad = append(bad, how+": "+s)
			}
		}
	}
	return bad
}

func TestSensitiveValuesNeverPrint(t *testing.T) {
	h := newHolder()
	tests := []struct {
		name string
		v    any
	}{
		{"Secret", plugin.NewSecret(testSecret)},
		{"*Secret", func() *plugin.Secret { s := plugin.NewSecret(testSecret); return &s }()},
		{"CardNumber", plugin.NewCardNumber(testPAN)},
		{"Card", h.Card},
		{"*Card", h.CardPtr},
		{"struct with exported and unexported fields", h},
		{"pointer to that struct", &h},
		{"slice", []plugin.Secret{plugin.NewSecret(testSecret)}},
		{"map", map[string]plugin.CardNumber{"pan": plugin.NewCardNumber(testPAN)}},
		{"request", &plugin.CreatePaymentRequest{Card: h.CardPtr, Amount: plugin.Money{Amount: 100, Currency: "USD"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if bad := leaks(renderings(t, tt.v), testSecret, testPAN, "CVC:"+testCVC, `"CVC":"`+testCVC); len(bad) > 0 {
				t.Errorf("leaked:\n%s", strings.Join(bad, "\n"))
			}
		})
	}
}

func TestSensitiveValuesPrintTheirMask(t *testing.T) {
	tests := []struct {
		v    any
		want string
	}{
		{plugin.NewSecret(testSecret), "REDACTED"},
		{plugin.NewCardNumber(testPAN), "411111******1111"},
	}
	for _, tt := range tests {
		for how, s := range renderings(t, tt.v) {
			if !strings.Contains(s, tt.want) {
				t.Errorf("%T as %s printed %q, want it to show %q", tt.v, how, s, tt.want)
			}
		}
		text, err := tt.v.(interface{ MarshalText() ([]byte, error) }).MarshalText()
		if err != nil || string(text) != tt.want {
			t.Errorf("%T.MarshalText() = %q, %v; want %q", tt.v, text, err, tt.want)
		}
	}
}

func TestSensitiveJSONRoundTrip(t *testing.T) {
	var s plugin.Secret
	if err := json.Unmarshal([]byte(`"`+testSecret+`"`), &s); err != nil || s.Reveal() != testSecret {
		t.Errorf("Secret from JSON: %q, %v", s.Reveal(), err)
	}
	var n plugin.CardNumber
	if err := json.Unmarshal([]byte(`"4111 1111-1111 1111"`), &n); err != nil || n.Reveal() != testPAN {
		t.Errorf("CardNumber from JSON: %q, %v", n.Reveal(), err)
	}
	if err := json.Unmarshal([]byte(`4111`), &n); err == nil {
		t.Error("CardNumber accepted a JSON number")
	}
	if got := (plugin.Secret{}).String(); got != "" {
		t.Errorf("empty Secret prints %q, want nothing", got)
	}
}

func TestCardNumber(t *testing.T) {
	tests := []struct {
		in                    string
		first6, last4, masked string
		luhn                  bool
		brand                 string
	}{
		{"4111111111111111", "411111", "1111", "411111******1111", true, "visa"},
		{"4111 1111 1111 1111", "411111", "1111", "411111******1111", true, "visa"},
		{"5555555555554444", "555555", "4444", "555555******4444", true, "mastercard"},
		{"2223003122003222", "222300", "3222", "222300******3222", true, "mastercard"},
		{"378282246310005", "378282", "0005", "378282*****0005", true, "amex"},
		{"3530111333300000", "353011", "0000", "353011******0000", true, "jcb"},
		{"6011111111111117", "601111", "1117", "601111******1117", true, "discover"},
		{"6200000000000005", "620000", "0005", "620000******0005", true, "unionpay"},
		{"4111111111111112", "411111", "1112", "411111******1112", false, "visa"},
		{"12345", "", "", "*****", false, ""},
		{"", "", "", "", false, ""},
	}
	for _, tt := range tests {
		n := plugin.NewCardNumber(tt.in)
		got := []any{n.First6(), n.Last4(), n.Masked(), n.LuhnValid(), n.Brand()}
		want := []any{tt.first6, tt.last4, tt.masked, tt.luhn, tt.brand}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%q: first6, last4, masked, luhn, brand = %v; want %v", tt.in, got, want)
		}
	}
	info := newHolder().Card.Info()
	if want := (plugin.CardInfo{First6: "411111", Last4: "1111", ExpMonth: 12, ExpYear: 2030, Brand: "visa", HolderName: "A Person"}); info != want {
		t.Errorf("Card.Info() = %+v, want %+v", info, want)
	}
}

func TestConfigPrintsNamesOnly(t *testing.T) {
	c, err := plugin.NewConfig(map[string]any{"api_key": testSecret, "endpoint": "http://gw.test"})
	if err != nil {
		t.Fatal(err)
	}
	for how, s := range renderings(t, c) {
		if strings.Contains(s, testSecret) || strings.Contains(s, "gw.test") {
			t.Errorf("Config as %s printed a value: %s", how, s)
		}
	}
	if got := fmt.Sprint(c); got != "plugin.Config[api_key endpoint]" {
		t.Errorf("Config prints %q", got)
	}
	if c.Secret("api_key").Reveal() != testSecret {
		t.Error("Config.Secret does not reveal the value")
	}
}
