package plugin_test

import (
	"reflect"
	"sort"
	"testing"

	"github.com/payhost/payhost/plugin"
)

func TestMaskCardNumbers(t *testing.T) {
	tests := []struct{ in, want string }{
		{"card 4111111111111111 declined", "card 411111******1111 declined"},
		{"4111111111111111", "411111******1111"},
		{"pan=5555555555554444&x=1", "pan=555555******4444&x=1"},
		{"amex 378282246310005.", "amex 378282*****0005."},
		{"grouped 4111 1111 1111 1111 ok", "grouped 4111 11** **** 1111 ok"},
		{"dashed 4111-1111-1111-1111", "dashed 4111-11**-****-1111"},
		{"19 digits 4000000000000000006", "19 digits 400000*********0006"},
		{"2026-11-21 4111111111111111", "2026-11-21 411111******1111"},
		{"two 4111111111111111,5555555555554444", "two 411111******1111,555555******4444"},
		// Not card numbers: fail Luhn, too short, too long, not digits.
		{"order 4111111111111112", "order 4111111111111112"},
		{"short 411111111111", "short 411111111111"},
		{"long 41111111111111111111", "long 41111111111111111111"},
		{"amount 1050 USD at 2026-11-21T10:00:00Z", "amount 1050 USD at 2026-11-21T10:00:00Z"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := plugin.MaskCardNumbers(tt.in); got != tt.want {
			t.Errorf("MaskCardNumbers(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestRedactorScrubsSensitiveConfigValues(t *testing.T) {
	tests := []struct {
		in      string
		secrets []string
		want    string
	}{
		{"bad key sk_test_123 for 4111111111111111", []string{"sk_test_123"}, "bad key REDACTED for 411111******1111"},
		{"signature mismatch with secret abcd", []string{"abcd", "xy"}, "signature mismatch with secret REDACTED"},
		// Values too short to scrub safely are left alone.
		{"code xy", []string{"xy", ""}, "code xy"},
	}
	for _, tt := range tests {
		if got := plugin.Redact(tt.in, tt.secrets...); got != tt.want {
			t.Errorf("Redact(%q, %q) = %q, want %q", tt.in, tt.secrets, got, tt.want)
		}
	}
}

func TestSensitiveValuesOfEveryType(t *testing.T) {
	schema := plugin.Schema{Attributes: []plugin.Attribute{
		{Name: "secret_key", Type: plugin.TypeString, Sensitive: true},
		{Name: "secrets", Type: plugin.TypeMapOfString, Sensitive: true},
		{Name: "keys", Type: plugin.TypeListString, Sensitive: true},
		{Name: "mid", Type: plugin.TypeString},
	}}
	cfg, err := plugin.NewConfig(map[string]any{
		"secret_key": "s-one", "secrets": map[string]string{"1000089029": "s-two"},
		"keys": []string{"s-three"}, "mid": "1000089029",
	})
	if err != nil {
		t.Fatal(err)
	}
	got := plugin.SensitiveValues(schema, cfg)
	sort.Strings(got)
	if want := []string{"s-one", "s-three", "s-two"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("sensitive values = %q, want %q (map values and list items too, never the MID)", got, want)
	}
}
