package emukit

import (
	"net/http"
	"regexp"
	"strings"
)

// MaskPAN masks a card number to its first six and last four digits:
// 4111111111111111 becomes 411111******1111. Anything shorter than 13
// characters is masked entirely.
func MaskPAN(s string) string {
	if len(s) < 13 {
		return strings.Repeat("*", len(s))
	}
	return s[:6] + strings.Repeat("*", len(s)-10) + s[len(s)-4:]
}

var (
	panPattern = regexp.MustCompile(`\b\d{13,19}\b`)
	// Values of these keys are secrets wherever they appear, as JSON
	// members or as form fields.
	secretJSON = regexp.MustCompile(`(?i)("(?:cvv2?|cvc|card_?cvv|secret_?key|secret|password|api_?key|merchant_?key)"\s*:\s*)"[^"]*"`)
	secretForm = regexp.MustCompile(`(?i)(^|[&?])((?:cvv2?|cvc|secret_?key|secret|password)=)[^&]*`)
)

// MaskText masks card numbers (digit runs of 13 to 19 that pass the Luhn
// check) and the values of secret-looking fields in a request or response
// body, so that it can be logged or recorded.
func MaskText(s string) string {
	s = panPattern.ReplaceAllStringFunc(s, func(m string) string {
		if luhnValid(m) {
			return MaskPAN(m)
		}
		return m
	})
	s = secretJSON.ReplaceAllString(s, `$1"REDACTED"`)
	return secretForm.ReplaceAllString(s, `$1${2}REDACTED`)
}

// MaskHeader returns a copy of h with credentials redacted.
func MaskHeader(h http.Header) http.Header {
	out := h.Clone()
	for k := range out {
		switch http.CanonicalHeaderKey(k) {
		case "Authorization", "X-Appotapay-Auth", "Cookie":
			out[k] = []string{"REDACTED"}
		}
	}
	return out
}

// luhnValid reports whether a string of digits passes the Luhn check.
func luhnValid(digits string) bool {
	sum, double := 0, false
	for i := len(digits) - 1; i >= 0; i-- {
		d := int(digits[i] - '0')
		if double {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
		double = !double
	}
	return sum%10 == 0
}
