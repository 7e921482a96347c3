package reddot

import (
	"crypto/md5"
	"crypto/sha512"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"math"
	"sort"
	"strconv"
	"strings"
)

// signGeneric computes RDP's sign_generic over p: the values (never
// the keys) of p without its top-level "signature", walked
// recursively in PHP ksort order and concatenated without separators,
// followed by the secret, hashed with SHA-512 and hex-encoded in lower
// case (GATEWAYS.md §3.3a).
func signGeneric(p params, secret string) string {
	return sha512Hex(genericBuffer(p) + secret)
}

// genericBuffer is the string sign_generic hashes, before the secret.
func genericBuffer(params map[string]any) string {
	var b strings.Builder
	writeSortedValues(&b, params, true)
	return b.String()
}

// writeSortedValues appends the values of m in byte-wise key order, the
// order PHP's ksort gives for ordinary (non-numeric) string keys. At the
// top level the "signature" entry is skipped, as sign_generic unsets it.
func writeSortedValues(b *strings.Builder, m map[string]any, top bool) {
	keys := make([]string, 0, len(m))
	for k := range m {
		if top && k == "signature" {
			continue
		}
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		writeValue(b, m[k])
	}
}

// writeValue appends one value: objects and arrays are descended into,
// scalars are appended as PHP would convert them to a string.
func writeValue(b *strings.Builder, v any) {
	switch t := v.(type) {
	case map[string]any:
		writeSortedValues(b, t, false)
	case []any:
		for _, e := range t {
			writeValue(b, e)
		}
	default:
		b.WriteString(phpString(v))
	}
}

// phpString converts a scalar decoded from JSON (with UseNumber) to the
// string PHP's concatenation would produce after json_decode: true is
// "1", false and null are empty, integers print in decimal, and numbers
// PHP decodes as floats (a fraction, an exponent, or an integer too large
// for int64) print with PHP's 14-digit float formatting.
func phpString(v any) string {
	switch t := v.(type) {
	case nil:
		return ""
	case string:
		return t
	case bool:
		if t {
			return "1"
		}
		return ""
	case json.Number:
		return phpNumber(string(t))
	case int:
		return strconv.Itoa(t)
	case int64:
		return strconv.FormatInt(t, 10)
	case float64:
		return phpFloat(t)
	default:
		return ""
	}
}

// phpNumber formats a JSON number literal the way PHP prints the value
// json_decode makes of it.
func phpNumber(lit string) string {
	if !strings.ContainsAny(lit, ".eE") {
		if n, err := strconv.ParseInt(lit, 10, 64); err == nil {
			return strconv.FormatInt(n, 10)
		}
	}
	f, err := strconv.ParseFloat(lit, 64)
	if err != nil {
		return lit
	}
	return phpFloat(f)
}

// phpFloatPrecision is PHP's default "precision" setting, which governs
// float-to-string conversion.
const phpFloatPrecision = 14

// phpFloat formats f like PHP's (string) cast: at most 14 significant
// digits, no trailing zeros, and exponent notation ("1.0E+25", "1.5E-7")
// when the decimal exponent is below -4 or at least 14.
func phpFloat(f float64) string {
	switch {
	case math.IsNaN(f):
		return "NAN"
	case math.IsInf(f, 1):
		return "INF"
	case math.IsInf(f, -1):
		return "-INF"
	case f == 0:
		if math.Signbit(f) {
			return "-0"
		}
		return "0"
	}
	s := strconv.FormatFloat(math.Abs(f), 'e', phpFloatPrecision-1, 64)
	mant, expPart, _ := strings.Cut(s, "e")
	exp, _ := strconv.Atoi(expPart)
	digits := strings.TrimRight(strings.Replace(mant, ".", "", 1), "0")
	sign := ""
	if f < 0 {
		sign = "-"
	}
	switch {
	case exp < -4 || exp >= phpFloatPrecision:
		frac := digits[1:]
		if frac == "" {
			frac = "0"
		}
		esign := "+"
		if exp < 0 {
			esign, exp = "-", -exp
		}
		return sign + digits[:1] + "." + frac + "E" + esign + strconv.Itoa(exp)
	case exp < 0:
		return sign + "0." + strings.Repeat("0", -exp-1) + digits
	case len(digits) <= exp+1:
		return sign + digits + strings.Repeat("0", exp+1-len(digits))
	default:
		return sign + digits[:exp+1] + "." + digits[exp+1:]
	}
}

// paymentSignature computes the payment-api first-phase signature
// (GATEWAYS.md §3.3b): SHA-512 of mid, order_id, payment_type, amount and
// ccy (each trimmed), then the instrument part, then the last digit of
// cvv2 when one is sent, then the secret. The instrument part is, in order
// of precedence: first 6 and last 4 of card_no plus exp_date; payer_id;
// first 6 and last 4 of token_id plus exp_date when sent; nothing (plain
// hosted page).
func paymentSignature(p params, secret string) string {
	return sha512Hex(paymentBuffer(p) + secret)
}

// paymentBuffer is the string the payment signature hashes, before the
// secret.
func paymentBuffer(p params) string {
	var b strings.Builder
	for _, k := range []string{"mid", "order_id", "payment_type", "amount", "ccy"} {
		b.WriteString(phpTrim(p.str(k)))
	}
	switch {
	case p.str("card_no") != "":
		card := p.str("card_no")
		b.WriteString(firstN(card, 6) + lastN(card, 4) + p.str("exp_date"))
	case p.str("payer_id") != "":
		b.WriteString(p.str("payer_id"))
	case p.str("token_id") != "":
		tok := p.str("token_id")
		b.WriteString(firstN(tok, 6) + lastN(tok, 4) + p.str("exp_date"))
	}
	if cvv := p.str("cvv2"); cvv != "" {
		b.WriteString(lastN(cvv, 1))
	}
	return b.String()
}

// merchantSignature computes the Merchant API MD5 signature (GATEWAYS.md
// §3.3c): every field except "signature" as name=value, sorted by name and
// joined with "&", then "&secret_key=" and the secret, MD5, lower-case hex.
func merchantSignature(fields map[string]string, secret string) string {
	keys := make([]string, 0, len(fields))
	for k := range fields {
		if k != "signature" {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		b.WriteString(k + "=" + fields[k] + "&")
	}
	b.WriteString("secret_key=" + secret)
	sum := md5.Sum([]byte(b.String()))
	return hex.EncodeToString(sum[:])
}

// sha512Hex is the lower-case hex SHA-512 of s.
func sha512Hex(s string) string {
	sum := sha512.Sum512([]byte(s))
	return hex.EncodeToString(sum[:])
}

// signatureMatches compares a received signature with the expected one in
// constant time. Like RDP's PHP comparison it is case-sensitive.
func signatureMatches(got, want string) bool {
	return subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}

// phpTrim strips the characters PHP's trim() strips by default.
func phpTrim(s string) string {
	return strings.Trim(s, " \t\n\r\x00\x0b")
}

// firstN returns the first n bytes of s, or s when it is shorter (PHP
// substr($s, 0, n)).
func firstN(s string, n int) string {
	if len(s) < n {
		return s
	}
	return s[:n]
}

// lastN returns the last n bytes of s, or s when it is shorter (PHP
// substr($s, -n)).
func lastN(s string, n int) string {
	if len(s) < n {
		return s
	}
	return s[len(s)-n:]
}
