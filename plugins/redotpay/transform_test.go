package redotpay

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/payhost/payhost/plugin"
)

func usd(minor int64) plugin.Money { return plugin.Money{Amount: minor, Currency: "USD"} }

func TestAmountsToTheWire(t *testing.T) {
	cases := []struct {
		money          plugin.Money
		connect, card  string
		seed           string
		wantInvalidErr bool
	}{
		{money: usd(100), connect: "1", card: "1.00", seed: "100"},
		{money: usd(1050), connect: "10.5", card: "10.50", seed: "1050"},
		{money: usd(1000), connect: "10", card: "10.00", seed: "1000"},
		{money: usd(99), connect: "0.99", card: "0.99", seed: "99"},
		{money: usd(1), connect: "0.01", card: "0.01", seed: "1"},
		{money: usd(300000), connect: "3000", card: "3000.00", seed: "300000"},
		{money: usd(99999999999999), connect: "999999999999.99", card: "999999999999.99", seed: "99999999999999"},
		{money: plugin.Money{Amount: 123456, Currency: "JPY"}, connect: "123456", card: "123456", seed: "123456"},
		{money: plugin.Money{Amount: 1234, Currency: "KWD"}, connect: "1.234", card: "1.234", seed: "1234"},
		{money: plugin.Money{Amount: 1000, Currency: "KWD"}, connect: "1", card: "1.000", seed: "1000"},
		{money: usd(0), wantInvalidErr: true},
		{money: usd(-5), wantInvalidErr: true},
		{money: plugin.Money{Amount: 100, Currency: "XYZ"}, wantInvalidErr: true},
	}
	for _, tc := range cases {
		t.Run(tc.money.String(), func(t *testing.T) {
			connect, errC := connectAmount(tc.money)
			card, errK := cardAmount(tc.money)
			seed, errS := seedOrderAmount(tc.money)
			if tc.wantInvalidErr {
				for _, err := range []error{errC, errK, errS} {
					if plugin.KindOf(err) != plugin.KindInvalidRequest {
						t.Errorf("error = %v, want invalid_request", err)
					}
				}
				return
			}
			if errC != nil || errK != nil || errS != nil {
				t.Fatalf("errors: %v, %v, %v", errC, errK, errS)
			}
			if string(connect) != tc.connect || card != tc.card || string(seed) != tc.seed {
				t.Errorf("connect %s card %s seed %s; want %s, %s, %s", connect, card, seed, tc.connect, tc.card, tc.seed)
			}
			// What goes out comes back as the same Money.
			for _, back := range []func() (plugin.Money, error){
				func() (plugin.Money, error) { return moneyFromDecimal(flexNumber(connect), tc.money.Currency) },
				func() (plugin.Money, error) { return moneyFromDecimal(flexNumber(card), tc.money.Currency) },
				func() (plugin.Money, error) { return moneyFromMinor(flexNumber(seed), tc.money.Currency) },
			} {
				if got, err := back(); err != nil || got != tc.money {
					t.Errorf("read back as %v, %v; want %v", got, err, tc.money)
				}
			}
		})
	}
	if _, err := connectAmount(usd(100000000000000)); plugin.KindOf(err) != plugin.KindInvalidRequest {
		t.Errorf("13 integer digits: %v, want invalid_request", err)
	}
}

func TestAmountsFromTheWire(t *testing.T) {
	cases := []struct {
		text, currency string
		want           int64
		minor          bool
		wantErr        bool
	}{
		{text: "10.5", currency: "USD", want: 1050},
		{text: "10.00", currency: "USD", want: 1000},
		{text: "10.500000", currency: "USD", want: 1050},
		{text: "1", currency: "USD", want: 100},
		{text: "0.99", currency: "USD", want: 99},
		{text: "500", currency: "JPY", want: 500},
		{text: "10.555", currency: "USD", wantErr: true}, // would need rounding
		{text: "1e3", currency: "USD", wantErr: true},
		{text: "-1", currency: "USD", wantErr: true},
		{text: "", currency: "USD", wantErr: true},
		{text: "1", currency: "", wantErr: true},
		{text: "300000", currency: "USD", want: 300000, minor: true},
		{text: "300000.00", currency: "USD", want: 300000, minor: true},
		{text: "1.5", currency: "USD", minor: true, wantErr: true},
		{text: "1", currency: "ZZZ", minor: true, wantErr: true},
	}
	for _, tc := range cases {
		read := moneyFromDecimal
		if tc.minor {
			read = moneyFromMinor
		}
		got, err := read(flexNumber(tc.text), tc.currency)
		switch {
		case tc.wantErr && err == nil:
			t.Errorf("%q %s (minor %v) = %v, want an error", tc.text, tc.currency, tc.minor, got)
		case !tc.wantErr && (err != nil || got != (plugin.Money{Amount: tc.want, Currency: tc.currency})):
			t.Errorf("%q %s (minor %v) = %v, %v; want %d", tc.text, tc.currency, tc.minor, got, err, tc.want)
		}
	}
}

func TestFlexNumber(t *testing.T) {
	var v struct {
		A, B, C, D flexNumber
	}
	if err := json.Unmarshal([]byte(`{"A":10.50,"B":"10.00","C":null,"D":1234567890123456789012}`), &v); err != nil {
		t.Fatal(err)
	}
	if v.A != "10.50" || v.B != "10.00" || v.C != "" || v.D != "1234567890123456789012" {
		t.Errorf("decoded %+v; want the exact texts", v)
	}
	for _, bad := range []string{`{"A":true}`, `{"A":{}}`, `{"A":[1]}`} {
		if err := json.Unmarshal([]byte(bad), &v); err == nil {
			t.Errorf("%s decoded; want an error", bad)
		}
	}
}

// logged returns a logger and what it wrote.
func logged() (hclog.Logger, *bytes.Buffer) {
	var buf bytes.Buffer
	return hclog.New(&hclog.LoggerOptions{Output: &buf, Level: hclog.Trace}), &buf
}

func TestStatusSwitches(t *testing.T) {
	now := time.Date(2026, 3, 18, 12, 0, 0, 0, time.UTC)
	future, past := now.Add(time.Hour).UnixMilli(), now.Add(-time.Second).UnixMilli()
	type tc struct {
		in     string
		want   string
		logged bool
	}
	check := func(t *testing.T, name string, cases []tc, f func(string, hclog.Logger) string) {
		t.Helper()
		for _, c := range cases {
			log, buf := logged()
			if got := f(c.in, log); got != c.want {
				t.Errorf("%s %q = %s, want %s", name, c.in, got, c.want)
			}
			if gotLogged := strings.Contains(buf.String(), "unexpected"); gotLogged != c.logged {
				t.Errorf("%s %q logged %q; want a warning: %v", name, c.in, buf.String(), c.logged)
			}
		}
	}
	check(t, "orderStatus (timeExpire ahead)", []tc{
		{"1", "processing", false}, {"2", "succeeded", false}, {"3", "processing", false},
		{"4", "canceled", false}, {"5", "processing", true}, {"", "processing", true}, {"PAID", "processing", true},
	}, func(s string, l hclog.Logger) string {
		return string(paymentFromOrderStatus(flexNumber(s), future, now, l))
	})
	check(t, "orderStatus (timeExpire passed)", []tc{{"4", "expired", false}, {"1", "processing", false}},
		func(s string, l hclog.Logger) string {
			return string(paymentFromOrderStatus(flexNumber(s), past, now, l))
		})
	check(t, "seed status", []tc{
		{"pending", "processing", false}, {"paid", "succeeded", false}, {"failed", "processing", false},
		{"expired", "expired", false}, {"closed", "canceled", false}, {"PAID", "processing", true}, {"", "processing", true},
	}, func(s string, l hclog.Logger) string { return string(paymentFromSeedStatus(s, l)) })
	check(t, "card status", []tc{
		{"pending", "processing", false}, {"authorized", "authorized", false}, {"declined", "failed", false},
		{"captured", "succeeded", false}, {"partially_refunded", "succeeded", false}, {"refunded", "succeeded", false},
		{"voided", "canceled", false}, {"reversed", "reversed", false}, {"settled", "unknown", true},
	}, func(s string, l hclog.Logger) string { return string(paymentFromCardStatus(s, l)) })
	check(t, "refundStatus", []tc{
		{"SUCCESS", "succeeded", false}, {"FAIL", "failed", false}, {"PROCESSING", "pending", true},
	}, func(s string, l hclog.Logger) string { return string(refundFromWebhookStatus(s, l)) })
	check(t, "card status after refund", []tc{
		{"partially_refunded", "succeeded", false}, {"refunded", "succeeded", false}, {"captured", "pending", true},
	}, func(s string, l hclog.Logger) string { return string(refundFromCardStatus(s, l)) })
}

func TestCheckoutMethod(t *testing.T) {
	cases := []struct {
		method  plugin.PaymentMethod
		option  string
		want    string
		wantErr bool
	}{
		{method: plugin.MethodWallet, want: ""},
		{method: plugin.MethodQR, want: payQRCode},
		{method: plugin.MethodWallet, option: "DEEPLINK", want: payDeepLink},
		{method: plugin.MethodWallet, option: "WEB", want: payWeb},
		{method: plugin.MethodQR, option: "WEB", want: payWeb},
		{method: plugin.MethodWallet, option: "qrcode", wantErr: true},
	}
	for _, tc := range cases {
		req := &plugin.CreatePaymentRequest{Method: tc.method, Options: map[string]string{}}
		if tc.option != "" {
			req.Options[optionPaymentMethod] = tc.option
		}
		got, err := checkoutMethod(req)
		if tc.wantErr {
			if plugin.KindOf(err) != plugin.KindInvalidRequest {
				t.Errorf("%s/%s: %v, want invalid_request", tc.method, tc.option, err)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("%s/%s = %q, %v; want %q", tc.method, tc.option, got, err, tc.want)
		}
	}
}

func TestNextActions(t *testing.T) {
	info := paymentInfo{payURL: "https://pay/x", qrCode: "qr-content", deepLink: "redotpay://pay?x"}
	cases := []struct {
		method string
		info   paymentInfo
		want   plugin.NextAction
	}{
		{payWeb, info, plugin.NextAction{Type: plugin.ActionRedirect, URL: "https://pay/x"}},
		{payQRCode, info, plugin.NextAction{Type: plugin.ActionQRCode, QRCode: "qr-content"}},
		{payDeepLink, info, plugin.NextAction{Type: plugin.ActionDeepLink, DeepLink: "redotpay://pay?x", URL: "https://pay/x"}},
	}
	for _, tc := range cases {
		got, err := manualAction(tc.method, tc.info)
		if err != nil || *got != tc.want {
			t.Errorf("%s = %+v, %v; want %+v", tc.method, got, err, tc.want)
		}
	}
	for _, method := range []string{payWeb, payQRCode, payDeepLink} {
		if _, err := manualAction(method, paymentInfo{payURL: map[bool]string{true: "", false: "https://pay/x"}[method == payWeb]}); err == nil {
			t.Errorf("%s without what it shows: no error", method)
		}
	}
	d := connectCreateData{WebURL: "web", H5URL: "h5", AppURL: "app"}
	for env, want := range map[string]string{"WEB": "web", "H5": "h5", "APP": "app"} {
		if got := checkoutURL(env, d); got != want {
			t.Errorf("checkoutURL(%s) = %q, want %q", env, got, want)
		}
	}
	if got := checkoutURL("APP", connectCreateData{H5URL: "h5"}); got != "h5" {
		t.Errorf("checkoutURL falls back to %q, want h5", got)
	}
}

func TestIDsAndTexts(t *testing.T) {
	for id, ok := range map[string]bool{
		"att_01J9Z3K7Q8R2M4N6P0S5T7V9X1":    true, // the host's: att_ + 26 base32
		"att_conf_0123456789abcdef":         true,
		"A|B*C-D_E":                         true,
		"short":                             false,
		"att_01J9Z3K7Q8R2M4N6P0S5T7V9X1xyz": false, // 33 characters
		"att 01J9Z3K7Q8":                    false,
		"att.01J9Z3K7Q8":                    false,
	} {
		got, err := orderID(id)
		if ok != (err == nil) || (ok && got != id) {
			t.Errorf("orderID(%q) = %q, %v; want ok=%v and the id unchanged", id, got, err, ok)
		}
		if err != nil && plugin.KindOf(err) != plugin.KindInvalidRequest {
			t.Errorf("orderID(%q): %v, want invalid_request", id, err)
		}
	}
	long := strings.Repeat("é", 200)
	req := &plugin.CreatePaymentRequest{AttemptID: "att_1234567", Description: long, Customer: plugin.Customer{ID: strings.Repeat("c", 33)}}
	if got := orderDescription(req); got != strings.Repeat("é", maxOrderDesc) {
		t.Errorf("orderDesc of %d runes has %d", len([]rune(long)), len([]rune(got)))
	}
	if got := outerUID(req); got != "att_1234567" {
		t.Errorf("outerUid with a 33-character customer id = %q, want the attempt id", got)
	}
	req.Customer.ID, req.Description, req.Reference = "cust_1", "", "INV-7"
	if outerUID(req) != "cust_1" || orderDescription(req) != "INV-7" {
		t.Errorf("outerUid %q, orderDesc %q; want cust_1 and the reference", outerUID(req), orderDescription(req))
	}
	req.Reference = ""
	if got := orderDescription(req); got != "Payment att_1234567" {
		t.Errorf("orderDesc without description or reference = %q", got)
	}
	if info := cardInfoFromMasked("411111******1111"); info == nil || info.First6 != "411111" || info.Last4 != "1111" {
		t.Errorf("cardInfoFromMasked = %+v", info)
	}
	if info := cardInfoFromMasked("****"); info != nil {
		t.Errorf("cardInfoFromMasked(****) = %+v, want nil", info)
	}
}
