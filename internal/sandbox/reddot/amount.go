package reddot

import (
	"fmt"
	"strconv"
	"strings"
)

// currencyExponent is the number of decimals RDP expects for each currency
// the emulator accepts (ISO 4217 minor units).
var currencyExponent = map[string]int{
	"AUD": 2, "CNY": 2, "EUR": 2, "GBP": 2, "HKD": 2, "IDR": 0, "JPY": 0,
	"KRW": 0, "MYR": 2, "PHP": 2, "SGD": 2, "THB": 2, "USD": 2, "VND": 0,
}

// maxIntegerDigits is RDP's limit on digits before the decimal point.
const maxIntegerDigits = 10

// parseAmount converts an RDP amount string (major units, exactly the
// currency's decimals: "1.00" for SGD, "1200" for IDR) into minor units.
// The error names field and says what a good value looks like.
func parseAmount(field, s, ccy string) (int64, error) {
	exp, ok := currencyExponent[ccy]
	if !ok {
		return 0, fmt.Errorf("%s cannot be checked: currency %q is not supported", field, ccy)
	}
	whole, frac, hasPoint := strings.Cut(s, ".")
	switch {
	case !allDigits(whole) || (hasPoint && !allDigits(frac)):
		return 0, fmt.Errorf("%s must be a decimal number such as %q, got %q", field, example(exp), s)
	case len(whole) > maxIntegerDigits:
		return 0, fmt.Errorf("%s has more than %d digits before the decimal point", field, maxIntegerDigits)
	case exp == 0 && hasPoint:
		return 0, fmt.Errorf("%s must have no decimals for %s, like %q", field, ccy, example(exp))
	case exp > 0 && len(frac) != exp:
		return 0, fmt.Errorf("%s must have exactly %d decimals for %s, like %q", field, exp, ccy, example(exp))
	}
	minor, err := strconv.ParseInt(whole+frac, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("%s is out of range", field)
	}
	if minor == 0 {
		return 0, fmt.Errorf("%s must be greater than zero", field)
	}
	return minor, nil
}

// formatAmount writes minor units of ccy as RDP's major-unit string.
func formatAmount(minor int64, ccy string) string {
	exp := currencyExponent[ccy]
	if exp == 0 {
		return strconv.FormatInt(minor, 10)
	}
	s := fmt.Sprintf("%0*d", exp+1, minor)
	return s[:len(s)-exp] + "." + s[len(s)-exp:]
}

// example is a well-formed amount with exp decimals.
func example(exp int) string {
	if exp == 0 {
		return "1200"
	}
	return "1200." + strings.Repeat("0", exp-1) + "7"
}

// majorUnits is the whole part of an amount, used by the magic amounts of
// the scenarios; ok is false when the amount has a fraction.
func majorUnits(minor int64, ccy string) (whole int64, ok bool) {
	div := int64(1)
	for i := 0; i < currencyExponent[ccy]; i++ {
		div *= 10
	}
	return minor / div, minor%div == 0
}
