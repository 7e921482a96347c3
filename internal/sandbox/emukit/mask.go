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
	// Values of these keys are card numbers, masked even when mistyped.
	panJSON = regexp.MustCompile(`(?i)("(?:card_?no|card_?number|cardNumber|pan|number)"\s*:\s*")(\d[\d -]*)"`)
	panForm = regexp.MustCompile(`(?i)(^|[&?])((?:card_?no|card_?number|pan)=)([\d -]+)`)
	// Values of these keys are secrets wherever they appear, as JSON
	// members or as form fields.
	secretJSON = regexp.MustCompile(`(?i)("(?:cvv2?|cvc|card_?cvv|secret_?key|secret|password|api_?key|merchant_?key)"\s*:\s*)"[^"]*"`)
	secretForm = regexp.MustCompile(`(?i)(^|[&?])((?:cvv2?|cvc|secret_?key|secret|password)=)[^&]*`)
)

// MaskText masks card numbers (digit runs of 13 to 19 that pass the Luhn
// check, and any value of a card-number field), and the values of
// secret-looking fields in a request or response body, so that it can be
// logged or recorded. It is cheap for text that holds neither.
func MaskText(s string) string {
	if mayHoldSecret(s) {
		// Card-number fields first, so that a number already masked is
		// not matched again by the digit-run pass below.
		s = panJSON.ReplaceAllStringFunc(s, func(m string) string {
			g := panJSON.FindStringSubmatch(m)
			return g[1] + MaskPAN(g[2]) + `"`
		})
		s = panForm.ReplaceAllStringFunc(s, func(m string) string {
			g := panForm.FindStringSubmatch(m)
			return g[1] + g[2] + MaskPAN(g[3])
		})
		s = secretJSON.ReplaceAllString(s, `$1"REDACTED"`)
		s = secretForm.ReplaceAllString(s, `$1${2}REDACTED`)
	}
	return maskDigitRuns(s)
}

// maskDigitRuns masks every run of 13 to 19 digits in s that stands as a
// word of its own (as the regular expression \b\d{13,19}\b matches) and
// passes the Luhn check. It scans s once, without a regular expression:
// ids and timestamps in every request hold long digit runs.
func maskDigitRuns(s string) string {
	var b strings.Builder
	last := 0
	for i := 0; i < len(s); {
		if !isDigit(s[i]) {
			i++
			continue
		}
		j := i + 1
		for j < len(s) && isDigit(s[j]) {
			j++
		}
		if n := j - i; n >= 13 && n <= 19 && (i == 0 || !isWordByte(s[i-1])) && (j == len(s) || !isWordByte(s[j])) && LuhnValid(s[i:j]) {
			b.WriteString(s[last:i])
			b.WriteString(MaskPAN(s[i:j]))
			last = j
		}
		i = j
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// isWordByte reports whether c is a word character as regexp's \b sees
// it: an ASCII letter, digit or underscore.
func isWordByte(c byte) bool {
	return isDigit(c) || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_'
}

// secretHints are lower-case fragments of every field name MaskText masks.
var secretHints = []string{"cvv", "cvc", "secret", "password", "key", "card", "pan", "number"}

// mayHoldSecret is a fast pre-check: false means no masked field name occurs.
func mayHoldSecret(s string) bool {
	lower := strings.ToLower(s)
	for _, h := range secretHints {
		if strings.Contains(lower, h) {
			return true
		}
	}
	return false
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

// LuhnValid reports whether a string of digits passes the Luhn check.
func LuhnValid(digits string) bool {
	if digits == "" {
		return false
	}
	sum, double := 0, false
	for i := len(digits) - 1; i >= 0; i-- {
		if digits[i] < '0' || digits[i] > '9' {
			return false
		}
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
