package reddot

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/payhost/payhost/plugin"
)

func TestAmountString(t *testing.T) {
	cases := []struct {
		money plugin.Money
		want  string // "" means refused
	}{
		{sgd(1050), "10.50"},
		{sgd(1), "0.01"},
		{usd(100000), "1000.00"},
		{plugin.Money{Amount: 120000, Currency: "IDR"}, "1200"},
		{plugin.Money{Amount: 120050, Currency: "IDR"}, ""}, // would need rounding
		{plugin.Money{Amount: 1200, Currency: "JPY"}, "1200"},
		{plugin.Money{Amount: 1200, Currency: "VND"}, "1200"},
		{plugin.Money{Amount: 1500, Currency: "KWD"}, ""}, // three decimals
		{sgd(0), ""},
		{sgd(-5), ""},
		{plugin.Money{Amount: 100, Currency: "XXX"}, ""},
		{sgd(999999999999), "9999999999.99"},
		{sgd(1000000000000), ""}, // 11 integer digits
	}
	for _, tc := range cases {
		got, err := amountString(tc.money)
		switch {
		case tc.want == "" && plugin.KindOf(err) != plugin.KindInvalidRequest:
			t.Errorf("amountString(%d %s) = %q, %v; want invalid_request", tc.money.Amount, tc.money.Currency, got, err)
		case tc.want != "" && (err != nil || got != tc.want):
			t.Errorf("amountString(%d %s) = %q, %v; want %q", tc.money.Amount, tc.money.Currency, got, err, tc.want)
		}
	}
}

func TestParseAmount(t *testing.T) {
	cases := []struct {
		amount, currency text
		want             plugin.Money
		bad              bool
	}{
		{"10.50", "SGD", sgd(1050), false},
		{"10.5", "SGD", sgd(1050), false},
		{"1200", "IDR", plugin.Money{Amount: 120000, Currency: "IDR"}, false},
		{"", "SGD", plugin.Money{}, false},
		{"10.50", "", plugin.Money{}, false},
		{"10.505", "SGD", plugin.Money{}, true},
		{"1e3", "SGD", plugin.Money{}, true},
	}
	for _, tc := range cases {
		got, err := parseAmount(tc.amount, tc.currency)
		if (err != nil) != tc.bad || got != tc.want {
			t.Errorf("parseAmount(%q, %q) = %v, %v", tc.amount, tc.currency, got, err)
		}
	}
}

func TestOrderIDs(t *testing.T) {
	const attempt = "att_01jd2k3m4n5p6q7r8s9t0v1w2x"
	cases := []struct {
		got, want string
	}{
		{paymentOrderID("ORDER-42_a"), "ORDER-42_a"},                         // fits: itself
		{paymentOrderID(attempt), "CKMKX54RAYHHLZUNVY53"},                    // too long: hashed (checked with Python)
		{tokenOrderID("tok_01jd2k3m4n5p6q7r8s9t0v1w2x"), "Z4B5YJIZD5UQSQHH"}, // 16 for tokens
		{paymentOrderID("has space"), paymentOrderID("has space")},
	}
	for _, tc := range cases {
		if tc.got != tc.want {
			t.Errorf("order id %q, want %q", tc.got, tc.want)
		}
	}
	for _, id := range []string{attempt, "has space", "", "x.y", strings.Repeat("a", 21)} {
		o := paymentOrderID(id)
		if len(o) == 0 || len(o) > 20 || strings.Trim(o, idChars) != "" {
			t.Errorf("paymentOrderID(%q) = %q is not 1 to 20 order id characters", id, o)
		}
	}
	if r := removalOrderID("t1"); r == tokenOrderID("t1") || len(r) != 16 {
		t.Errorf("removalOrderID(t1) = %q; want 16 characters, not the creation's", r)
	}
	if paymentOrderID(attempt) == paymentOrderID(attempt+"x") {
		t.Error("two attempts share an order id")
	}
	// Echoed ids map back only when the carried id derives the order id.
	if got := echoedID("CKMKX54RAYHHLZUNVY53", attempt, paymentOrderID); got != attempt {
		t.Errorf("echoedID = %q, want %q", got, attempt)
	}
	if got := echoedID("CKMKX54RAYHHLZUNVY53", "att_other", paymentOrderID); got != "CKMKX54RAYHHLZUNVY53" {
		t.Errorf("echoedID with a stranger's reference = %q, want the order id", got)
	}
}

// TestDecide is the status table: only "0" with a known transaction type
// succeeds; "-01" is pending although it reads as -1.
func TestDecide(t *testing.T) {
	cases := []struct {
		code, tt text
		want     decision
		payment  plugin.PaymentStatus
		token    plugin.TokenStatus
	}{
		{"0", "S", captured, plugin.StatusSucceeded, plugin.TokenRequiresAction},
		{"0", "A", authorized, plugin.StatusAuthorized, plugin.TokenRequiresAction},
		{"0", "C", tokenStored, plugin.StatusProcessing, plugin.TokenActive},
		{"0", "M", tokenStored, plugin.StatusProcessing, plugin.TokenActive},
		{"0", "R", tokenRemoved, plugin.StatusProcessing, plugin.TokenDeleted},
		{"0", "", undecided, plugin.StatusProcessing, plugin.TokenRequiresAction},
		{"0", "I", undecided, plugin.StatusProcessing, plugin.TokenRequiresAction},
		{"-01", "S", pending, plugin.StatusProcessing, plugin.TokenRequiresAction},
		{"-1", "S", rejected, plugin.StatusFailed, plugin.TokenFailed},
		{"-2015", "R", rejected, plugin.StatusFailed, plugin.TokenFailed},
		{"", "S", undecided, plugin.StatusProcessing, plugin.TokenRequiresAction},
		{"1", "S", undecided, plugin.StatusProcessing, plugin.TokenRequiresAction},
		{"00", "S", undecided, plugin.StatusProcessing, plugin.TokenRequiresAction},
		{"0.0", "S", undecided, plugin.StatusProcessing, plugin.TokenRequiresAction},
		{"-", "S", undecided, plugin.StatusProcessing, plugin.TokenRequiresAction},
		{"success", "S", undecided, plugin.StatusProcessing, plugin.TokenRequiresAction},
	}
	for _, tc := range cases {
		d := decide(tc.code, tc.tt, hclog.NewNullLogger())
		if d != tc.want || paymentStatus(d) != tc.payment || tokenStatus(d) != tc.token {
			t.Errorf("decide(%q, %q) = %d (%s, %s); want %d (%s, %s)", tc.code, tc.tt, d, paymentStatus(d), tokenStatus(d), tc.want, tc.payment, tc.token)
		}
	}
}

// TestText: response_code and friends read the same as JSON numbers and
// strings, and "-01" stays apart from "-1".
func TestText(t *testing.T) {
	var v struct {
		A, B, C, D, E, F text
	}
	if err := json.Unmarshal([]byte(`{"A":0,"B":"0","C":"-01","D":-1,"E":null,"F":1.10}`), &v); err != nil {
		t.Fatal(err)
	}
	if v.A != "0" || v.B != "0" || v.C != "-01" || v.D != "-1" || v.E != "" || v.F != "1.10" {
		t.Errorf("decoded %+v", v)
	}
	if err := json.Unmarshal([]byte(`{"A":{"x":1}}`), &v); err == nil {
		t.Error("an object read as text")
	}
}

func TestGatewayError(t *testing.T) {
	cases := []struct {
		api  api
		code text
		kind plugin.ErrorKind
	}{
		{paymentAPI, "-1", plugin.KindDeclined},
		{paymentAPI, "-1003", plugin.KindAuthentication},
		{paymentAPI, "-1002", plugin.KindAuthentication},
		{tokenAPI, "-1002", plugin.KindInvalidRequest}, // "request must be JSON" there
		{tokenAPI, "-2012", plugin.KindAuthentication},
		{tokenAPI, "-2011", plugin.KindUnsupported},
		{paymentAPI, "-2", plugin.KindUnknownOutcome},
		{paymentAPI, "-1000", plugin.KindUnknownOutcome},
		{paymentAPI, "-01", plugin.KindUnknownOutcome},
		{paymentAPI, "0", plugin.KindUnknownOutcome},
		{paymentAPI, "", plugin.KindUnknownOutcome},
		{paymentAPI, "-100", plugin.KindInvalidRequest},
		{queryAPI, "-2012", plugin.KindAuthentication},
	}
	for _, tc := range cases {
		err := gatewayError(tc.api, tc.code, "msg", "call")
		if err.Kind != tc.kind {
			t.Errorf("gatewayError(%d, %q) kind %s, want %s", tc.api, tc.code, err.Kind, tc.kind)
		}
		if tc.kind != plugin.KindUnknownOutcome && err.Code != string(tc.code) {
			t.Errorf("gatewayError(%d, %q) lost RDP's code: %q", tc.api, tc.code, err.Code)
		}
	}
}

func TestParseTimestamp(t *testing.T) {
	cases := []struct {
		in   text
		want time.Time
	}{
		{"2015-11-14 12:33:27", time.Date(2015, 11, 14, 4, 33, 27, 0, time.UTC)},
		{"1454382081", time.Unix(1454382081, 0).UTC()},
		{"yesterday", time.Time{}},
		{"", time.Time{}},
	}
	for _, tc := range cases {
		if got := parseTimestamp(tc.in); !got.Equal(tc.want) {
			t.Errorf("parseTimestamp(%q) = %v, want %v", tc.in, got, tc.want)
		}
	}
}

func TestTruncate(t *testing.T) {
	if got := truncate("Nguyễn Thị Minh Khai", 6); got != "Nguyễn" {
		t.Errorf("truncate = %q", got)
	}
}
