package emulator

import (
	"strconv"
	"strings"
)

// exponents are the currencies tinypay takes and their ISO 4217 decimals.
var exponents = map[string]int{"EUR": 2, "JPY": 0, "SGD": 2, "USD": 2}

// parseAmount reads a positive amount written in major units with exactly
// the currency's decimals ("10.50" USD, "500" JPY) as minor units.
func parseAmount(s, currency string) (int64, bool) {
	exp, ok := exponents[currency]
	if !ok {
		return 0, false
	}
	whole, frac, dot := strings.Cut(s, ".")
	if dot != (exp > 0) || len(frac) != exp || !digits(whole) || (exp > 0 && !digits(frac)) {
		return 0, false
	}
	n, err := strconv.ParseInt(whole+frac, 10, 64)
	return n, err == nil && n > 0
}

// formatAmount writes minor units of currency in major units with exactly
// the currency's decimals.
func formatAmount(n int64, currency string) string {
	exp := exponents[currency]
	s := strconv.FormatInt(n, 10)
	if exp == 0 {
		return s
	}
	if len(s) <= exp {
		s = strings.Repeat("0", exp-len(s)+1) + s
	}
	return s[:len(s)-exp] + "." + s[len(s)-exp:]
}

func digits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
