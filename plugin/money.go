package plugin

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Money is an exact amount: an integer count of the currency's minor units
// (cents for USD, whole dong for VND, whole yen for JPY) and the currency's
// ISO 4217 code. There are no floats anywhere in payhost's money path.
type Money struct {
	// Amount in minor units of Currency.
	Amount int64 `json:"amount"`
	// Currency is the upper-case ISO 4217 alphabetic code.
	Currency string `json:"currency"`
}

// NewMoney returns amount minor units of currency, or an error when the
// currency is unknown or the amount negative.
func NewMoney(amount int64, currency string) (Money, error) {
	m := Money{Amount: amount, Currency: currency}
	return m, m.Validate()
}

// Validate reports whether m has a known currency and a non-negative
// amount.
func (m Money) Validate() error {
	if _, ok := CurrencyExponent(m.Currency); !ok {
		return fmt.Errorf("currency %q is not an ISO 4217 code payhost knows", m.Currency)
	}
	if m.Amount < 0 {
		return fmt.Errorf("amount %d is negative", m.Amount)
	}
	return nil
}

// IsZero reports whether m is the zero Money (no amount, no currency).
func (m Money) IsZero() bool { return m == Money{} }

// String renders m for people and logs, as "10.50 USD".
func (m Money) String() string {
	if m.IsZero() {
		return "0"
	}
	d, err := m.Decimal()
	if err != nil {
		return fmt.Sprintf("%d (minor units) %s", m.Amount, m.Currency)
	}
	return d + " " + m.Currency
}

// Decimal renders the amount in major units with exactly the currency's
// number of decimals: 1050 USD is "10.50", 10000 VND is "10000".
func (m Money) Decimal() (string, error) {
	exp, ok := CurrencyExponent(m.Currency)
	if !ok {
		return "", fmt.Errorf("currency %q is not an ISO 4217 code payhost knows", m.Currency)
	}
	return FormatMinorUnits(m.Amount, exp), nil
}

// DecimalWith renders the amount in major units with exactly decimals
// decimal places, for gateways whose convention differs from ISO 4217 (some
// send IDR without decimals). It fails rather than round: 1050 IDR with 0
// decimals is an error, 1000 IDR is "10".
func (m Money) DecimalWith(decimals int) (string, error) {
	exp, ok := CurrencyExponent(m.Currency)
	if !ok {
		return "", fmt.Errorf("currency %q is not an ISO 4217 code payhost knows", m.Currency)
	}
	amount := m.Amount
	for ; exp > decimals; exp-- {
		if amount%10 != 0 {
			return "", fmt.Errorf("%s cannot be expressed with %d decimals without rounding", m, decimals)
		}
		amount /= 10
	}
	for ; exp < decimals; exp++ {
		if amount > math.MaxInt64/10 || amount < math.MinInt64/10 {
			return "", fmt.Errorf("%s overflows with %d decimals", m, decimals)
		}
		amount *= 10
	}
	return FormatMinorUnits(amount, decimals), nil
}

// FormatMinorUnits renders amount minor units as a decimal string with
// exactly decimals places: (1050, 2) is "10.50", (-5, 2) is "-0.05".
func FormatMinorUnits(amount int64, decimals int) string {
	neg := amount < 0
	// Work on the unsigned magnitude so that MinInt64 is safe.
	mag := uint64(amount)
	if neg {
		mag = -mag
	}
	s := strconv.FormatUint(mag, 10)
	if decimals > 0 {
		if len(s) <= decimals {
			s = strings.Repeat("0", decimals-len(s)+1) + s
		}
		s = s[:len(s)-decimals] + "." + s[len(s)-decimals:]
	}
	if neg {
		s = "-" + s
	}
	return s
}

// ParseDecimal reads a non-negative decimal amount in major units ("10.5",
// "10.50", "1e3" is refused) into Money. Digits beyond the currency's
// exponent are allowed only when they are zeros ("10.500000" is 1050 USD);
// anything that would need rounding is an error.
func ParseDecimal(s, currency string) (Money, error) {
	exp, ok := CurrencyExponent(currency)
	if !ok {
		return Money{}, fmt.Errorf("currency %q is not an ISO 4217 code payhost knows", currency)
	}
	minor, err := ParseMinorUnits(s, exp)
	if err != nil {
		return Money{}, err
	}
	return Money{Amount: minor, Currency: currency}, nil
}

// ParseMinorUnits reads a non-negative decimal string in major units into
// minor units with the given number of decimals. It accepts only digits
// with at most one decimal point; extra decimal digits must be zeros.
func ParseMinorUnits(s string, decimals int) (int64, error) {
	if s == "" {
		return 0, fmt.Errorf("amount is empty")
	}
	whole, frac, _ := strings.Cut(s, ".")
	if whole == "" || !allDigits(whole) || (frac == "" && strings.HasSuffix(s, ".")) || !allDigits(frac) {
		return 0, fmt.Errorf("amount %q is not a plain decimal number", s)
	}
	if len(frac) > decimals {
		if strings.Trim(frac[decimals:], "0") != "" {
			return 0, fmt.Errorf("amount %q has more than %d decimals", s, decimals)
		}
		frac = frac[:decimals]
	}
	frac += strings.Repeat("0", decimals-len(frac))
	n, err := strconv.ParseInt(whole+frac, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("amount %q is out of range", s)
	}
	return n, nil
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// CurrencyExponent returns the number of decimals of an ISO 4217 currency
// (2 for USD, 0 for VND and JPY, 3 for KWD) and whether payhost knows it.
func CurrencyExponent(code string) (int, bool) {
	exp, ok := currencyExponents[code]
	return exp, ok
}
