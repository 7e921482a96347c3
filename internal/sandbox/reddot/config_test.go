package reddot

import (
	"strings"
	"testing"
)

func TestConfigValidate(t *testing.T) {
	tests := []struct {
		merchants []Merchant
		errHas    string
	}{
		{nil, ""},
		{[]Merchant{{MID: "1", Secret: "s"}, {MID: "2", Secret: "t"}}, ""},
		{[]Merchant{{MID: "", Secret: "s"}}, "merchants[0].MID"},
		{[]Merchant{{MID: "1", Secret: ""}}, "merchants[0].Secret"},
		{[]Merchant{{MID: "1", Secret: "s"}, {MID: "1", Secret: "t"}}, "merchants[1].MID"},
		{[]Merchant{{MID: strings.Repeat("1", 21), Secret: "s"}}, "merchants[0].MID"},
	}
	for _, tt := range tests {
		err := Config{Merchants: tt.merchants}.Validate()
		if (tt.errHas == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), tt.errHas)) {
			t.Errorf("Validate(%v) = %v, want error naming %q", tt.merchants, err, tt.errHas)
		}
	}
}

func TestDefaultsAndCredentials(t *testing.T) {
	srv := New(Config{})
	defer srv.Close()
	ms := srv.Merchants()
	if len(ms) != 1 || ms[0] != DefaultMerchant() || !ms[0].Tokenization {
		t.Fatalf("Merchants() = %v, want the published test MID with tokenization", ms)
	}
	if s := ms[0].String(); strings.Contains(s, DefaultSecret) || !strings.Contains(s, DefaultMID) {
		t.Errorf("Merchant.String() = %q", s)
	}
}

func TestBaseURLBuildsPaymentURL(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.BaseURL = "http://127.0.0.1:8903/" })
	resp := e.post(PathPaymentAPI, paySigned(e.fixture("hosted_sale"), DefaultSecret))
	if got := str(t, resp, "payment_url"); !strings.HasPrefix(got, "http://127.0.0.1:8903"+pathPaymentPage) {
		t.Errorf("payment_url = %q", got)
	}
}
