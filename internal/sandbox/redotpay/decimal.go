package redotpay

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// microScale is the number of decimal places the Connect profile keeps:
// orderAmount and rateExtra allow at most six (GATEWAYS.md §1.2).
const microScale = 6

// maxIntDigits is the most integer digits an amount may have (§1.2: at
// most 12 integer digits).
const maxIntDigits = 12

// parseFixed parses a plain decimal such as "10", "0.99" or "100.00" into
// an integer scaled by 10^scale, exactly. It rejects signs, exponents,
// leading dots and more than maxInt integer or scale fractional digits; the
// errors read as the end of a sentence that starts with the field's name.
func parseFixed(s string, maxInt, scale int) (int64, error) {
	if strings.HasPrefix(s, "-") {
		return 0, errors.New("must not be negative")
	}
	intPart, fracPart, hasDot := strings.Cut(s, ".")
	if !allDigits(intPart) || (hasDot && !allDigits(fracPart)) {
		return 0, fmt.Errorf("must be a plain decimal number such as 10.5, not %q", s)
	}
	if trimmed := strings.TrimLeft(intPart, "0"); len(trimmed) > maxInt {
		return 0, fmt.Errorf("must have at most %d integer digits", maxInt)
	}
	if len(fracPart) > scale {
		if scale == 0 {
			return 0, errors.New("must be a whole number")
		}
		return 0, fmt.Errorf("must have at most %d decimal places", scale)
	}
	digits := intPart + fracPart + strings.Repeat("0", scale-len(fracPart))
	v, err := strconv.ParseInt(digits, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("is out of range: %q", s)
	}
	return v, nil
}

// formatFixed renders v/10^scale. With trim it drops trailing zeros (and
// the dot), the form Connect uses for JSON numbers; without it it keeps
// exactly scale decimals, the form of the seed's decimal strings.
func formatFixed(v int64, scale int, trim bool) string {
	s := strconv.FormatInt(v, 10)
	if scale == 0 {
		return s
	}
	if len(s) <= scale {
		s = strings.Repeat("0", scale-len(s)+1) + s
	}
	intPart, fracPart := s[:len(s)-scale], s[len(s)-scale:]
	if trim {
		fracPart = strings.TrimRight(fracPart, "0")
		if fracPart == "" {
			return intPart
		}
	}
	return intPart + "." + fracPart
}

// allDigits reports whether s is a non-empty run of ASCII digits.
func allDigits(s string) bool {
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
