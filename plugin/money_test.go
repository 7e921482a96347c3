package plugin_test

import (
	"math"
	"strings"
	"testing"

	"github.com/payhost/payhost/plugin"
)

func TestMoneyDecimal(t *testing.T) {
	tests := []struct {
		money plugin.Money
		want  string
	}{
		{plugin.Money{Amount: 1050, Currency: "USD"}, "10.50"},
		{plugin.Money{Amount: 5, Currency: "USD"}, "0.05"},
		{plugin.Money{Amount: 0, Currency: "USD"}, "0.00"},
		{plugin.Money{Amount: -5, Currency: "USD"}, "-0.05"},
		{plugin.Money{Amount: 10000, Currency: "VND"}, "10000"},
		{plugin.Money{Amount: 500, Currency: "JPY"}, "500"},
		{plugin.Money{Amount: 1234, Currency: "KWD"}, "1.234"},
		{plugin.Money{Amount: 1, Currency: "KWD"}, "0.001"},
		{plugin.Money{Amount: 12345, Currency: "CLF"}, "1.2345"},
		{plugin.Money{Amount: math.MaxInt64, Currency: "USD"}, "92233720368547758.07"},
		{plugin.Money{Amount: math.MinInt64, Currency: "USD"}, "-92233720368547758.08"},
	}
	for _, tt := range tests {
		t.Run(tt.want+" "+tt.money.Currency, func(t *testing.T) {
			got, err := tt.money.Decimal()
			if err != nil || got != tt.want {
				t.Errorf("Decimal() = %q, %v; want %q", got, err, tt.want)
			}
		})
	}
	if _, err := (plugin.Money{Amount: 1, Currency: "XXX"}).Decimal(); err == nil {
		t.Error("Decimal of an unknown currency succeeded")
	}
}

func TestMoneyDecimalWith(t *testing.T) {
	tests := []struct {
		money    plugin.Money
		decimals int
		want     string // "" for an error
	}{
		{plugin.Money{Amount: 1000, Currency: "IDR"}, 0, "10"},
		{plugin.Money{Amount: 1050, Currency: "IDR"}, 0, ""},
		{plugin.Money{Amount: 1050, Currency: "USD"}, 2, "10.50"},
		{plugin.Money{Amount: 1050, Currency: "USD"}, 3, "10.500"},
		{plugin.Money{Amount: 1050, Currency: "USD"}, 1, "10.5"},
		{plugin.Money{Amount: 1055, Currency: "USD"}, 1, ""},
		{plugin.Money{Amount: 100, Currency: "VND"}, 2, "100.00"},
		{plugin.Money{Amount: 1230, Currency: "KWD"}, 2, "1.23"},
		{plugin.Money{Amount: math.MaxInt64 / 10, Currency: "USD"}, 3, "9223372036854775.800"},
		{plugin.Money{Amount: math.MaxInt64, Currency: "USD"}, 3, ""},
		{plugin.Money{Amount: 1, Currency: "XXX"}, 2, ""},
	}
	for _, tt := range tests {
		got, err := tt.money.DecimalWith(tt.decimals)
		switch {
		case tt.want == "" && err == nil:
			t.Errorf("%v.DecimalWith(%d) = %q; want an error", tt.money, tt.decimals, got)
		case tt.want != "" && (err != nil || got != tt.want):
			t.Errorf("%v.DecimalWith(%d) = %q, %v; want %q", tt.money, tt.decimals, got, err, tt.want)
		}
	}
}

func TestParseDecimal(t *testing.T) {
	tests := []struct {
		in       string
		currency string
		want     int64
		wantErr  string
	}{
		{in: "10.50", currency: "USD", want: 1050},
		{in: "10.5", currency: "USD", want: 1050},
		{in: "10", currency: "USD", want: 1000},
		{in: "0.01", currency: "USD", want: 1},
		{in: "10.500000", currency: "USD", want: 1050},
		{in: "0", currency: "USD", want: 0},
		{in: "10000", currency: "VND", want: 10000},
		{in: "10000.00", currency: "VND", want: 10000},
		{in: "500", currency: "JPY", want: 500},
		{in: "1.234", currency: "KWD", want: 1234},
		{in: "0.5", currency: "KWD", want: 500},
		{in: "92233720368547758.07", currency: "USD", want: math.MaxInt64},

		{in: "1e3", currency: "USD", wantErr: "not a plain decimal"},
		{in: "-1", currency: "USD", wantErr: "not a plain decimal"},
		{in: "+1", currency: "USD", wantErr: "not a plain decimal"},
		{in: "1.", currency: "USD", wantErr: "not a plain decimal"},
		{in: ".5", currency: "USD", wantErr: "not a plain decimal"},
		{in: "1.2.3", currency: "USD", wantErr: "not a plain decimal"},
		{in: " 1", currency: "USD", wantErr: "not a plain decimal"},
		{in: "1,50", currency: "USD", wantErr: "not a plain decimal"},
		{in: "", currency: "USD", wantErr: "empty"},
		{in: "1.005", currency: "USD", wantErr: "more than 2 decimals"},
		{in: "10000.5", currency: "VND", wantErr: "more than 0 decimals"},
		{in: "1.0001", currency: "KWD", wantErr: "more than 3 decimals"},
		{in: "92233720368547758.08", currency: "USD", wantErr: "out of range"},
		{in: "99999999999999999999", currency: "VND", wantErr: "out of range"},
		{in: "1", currency: "usd", wantErr: "not an ISO 4217 code"},
	}
	for _, tt := range tests {
		t.Run(tt.in+" "+tt.currency, func(t *testing.T) {
			got, err := plugin.ParseDecimal(tt.in, tt.currency)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("ParseDecimal(%q, %s) = %v, %v; want an error saying %q", tt.in, tt.currency, got, err, tt.wantErr)
				}
				return
			}
			want := plugin.Money{Amount: tt.want, Currency: tt.currency}
			if err != nil || got != want {
				t.Fatalf("ParseDecimal(%q, %s) = %v, %v; want %v", tt.in, tt.currency, got, err, want)
			}
		})
	}
}

// TestDecimalRoundTrips formats and parses back amounts of every exponent.
func TestDecimalRoundTrips(t *testing.T) {
	for _, currency := range []string{"USD", "VND", "KWD", "CLF"} {
		for _, amount := range []int64{0, 1, 9, 10, 99, 100, 12345, 1 << 40, math.MaxInt64} {
			m := plugin.Money{Amount: amount, Currency: currency}
			s, err := m.Decimal()
			if err != nil {
				t.Fatal(err)
			}
			back, err := plugin.ParseDecimal(s, currency)
			if err != nil || back != m {
				t.Errorf("%d %s -> %q -> %v, %v", amount, currency, s, back, err)
			}
		}
	}
}

func TestMoneyValidateAndString(t *testing.T) {
	tests := []struct {
		money   plugin.Money
		valid   bool
		printed string
	}{
		{plugin.Money{Amount: 1050, Currency: "USD"}, true, "10.50 USD"},
		{plugin.Money{Amount: 10000, Currency: "VND"}, true, "10000 VND"},
		{plugin.Money{}, false, "0"},
		{plugin.Money{Amount: -1, Currency: "USD"}, false, "-0.01 USD"},
		{plugin.Money{Amount: 5, Currency: "XXX"}, false, "5 (minor units) XXX"},
	}
	for _, tt := range tests {
		if err := tt.money.Validate(); (err == nil) != tt.valid {
			t.Errorf("%#v.Validate() = %v, want valid=%v", tt.money, err, tt.valid)
		}
		if _, err := plugin.NewMoney(tt.money.Amount, tt.money.Currency); (err == nil) != tt.valid {
			t.Errorf("NewMoney(%d, %q) = %v, want valid=%v", tt.money.Amount, tt.money.Currency, err, tt.valid)
		}
		if got := tt.money.String(); got != tt.printed {
			t.Errorf("%#v.String() = %q, want %q", tt.money, got, tt.printed)
		}
	}
}

func TestCurrencyExponent(t *testing.T) {
	tests := map[string]int{"USD": 2, "EUR": 2, "VND": 0, "JPY": 0, "KRW": 0, "KWD": 3, "BHD": 3, "CLF": 4}
	for code, want := range tests {
		if got, ok := plugin.CurrencyExponent(code); !ok || got != want {
			t.Errorf("CurrencyExponent(%s) = %d, %v; want %d", code, got, ok, want)
		}
	}
	for _, code := range []string{"", "usd", "XAU", "US"} {
		if _, ok := plugin.CurrencyExponent(code); ok {
			t.Errorf("CurrencyExponent(%q) is known", code)
		}
	}
}
