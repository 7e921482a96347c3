package reddot

import (
	"strings"
	"testing"
)

func TestParseAmount(t *testing.T) {
	tests := []struct {
		in, ccy string
		want    int64
		errHas  string // empty: no error
	}{
		{"0.01", "SGD", 1, ""},
		{"1.00", "SGD", 100, ""},
		{"1200.07", "USD", 120007, ""},
		{"9999999999.99", "SGD", 999999999999, ""},
		{"1200", "IDR", 1200, ""},
		{"150000", "VND", 150000, ""},
		{"1", "SGD", 0, "exactly 2 decimals"},
		{"1.0", "SGD", 0, "exactly 2 decimals"},
		{"1.000", "SGD", 0, "exactly 2 decimals"},
		{"1200.00", "IDR", 0, "no decimals"},
		{"12345678901.00", "SGD", 0, "more than 10 digits"},
		{"0.00", "SGD", 0, "greater than zero"},
		{"-1.00", "SGD", 0, "decimal number"},
		{"1e3", "SGD", 0, "decimal number"},
		{"", "SGD", 0, "decimal number"},
		{".50", "SGD", 0, "decimal number"},
		{"1,00", "SGD", 0, "decimal number"},
		{"1.00", "XXX", 0, "not supported"},
	}
	for _, tt := range tests {
		got, err := parseAmount("amount", tt.in, tt.ccy)
		switch {
		case tt.errHas == "" && err != nil:
			t.Errorf("%q %s: %v", tt.in, tt.ccy, err)
		case tt.errHas == "" && got != tt.want:
			t.Errorf("%q %s = %d, want %d", tt.in, tt.ccy, got, tt.want)
		case tt.errHas != "" && (err == nil || !strings.Contains(err.Error(), tt.errHas) || !strings.HasPrefix(err.Error(), "amount")):
			t.Errorf("%q %s: error %v, want one naming amount and saying %q", tt.in, tt.ccy, err, tt.errHas)
		}
	}
}

func TestFormatAmountRoundTrips(t *testing.T) {
	for _, tt := range []struct {
		minor int64
		ccy   string
		want  string
	}{{1, "SGD", "0.01"}, {100, "SGD", "1.00"}, {120007, "USD", "1200.07"}, {1200, "IDR", "1200"}, {5, "JPY", "5"}} {
		got := formatAmount(tt.minor, tt.ccy)
		if got != tt.want {
			t.Errorf("formatAmount(%d, %s) = %q, want %q", tt.minor, tt.ccy, got, tt.want)
		}
		if back, err := parseAmount("amount", got, tt.ccy); err != nil || back != tt.minor {
			t.Errorf("parseAmount(%q) = %d, %v", got, back, err)
		}
	}
}
