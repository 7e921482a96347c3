package reddot

import (
	"crypto/md5"
	"crypto/sha512"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"net/url"
	"sort"
	"strconv"
	"strings"
)

// RDP signs with three schemes (GATEWAYS.md §3.3), each written here from
// the spec and pinned by the known-answer vectors RDP-1 … RDP-7 in
// sign_test.go:
//
//   - sign_generic: token API, query APIs, and every answer and
//     notification;
//   - the payment first-phase signature: payment-api requests;
//   - the Merchant API MD5: capture, void and refund, both ways.

// signGeneric is RDP's sign_generic over fields (a JSON object decoded
// with UseNumber): the values, never the keys, walked recursively in key
// order (PHP ksort) and concatenated without separators, the top-level
// "signature" left out, the secret appended, then SHA-512 in lower-case
// hex.
func signGeneric(fields map[string]any, secret string) string {
	return sha512Hex(genericBuffer(fields) + secret)
}

// genericBuffer is what sign_generic hashes, before the secret.
func genericBuffer(fields map[string]any) string {
	var b strings.Builder
	writeValues(&b, fields, true)
	return b.String()
}

// writeValues appends the values of an object in byte-wise key order,
// which is PHP ksort's order for the non-numeric keys RDP uses.
func writeValues(b *strings.Builder, object map[string]any, top bool) {
	keys := make([]string, 0, len(object))
	for k := range object {
		if !top || k != "signature" {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	for _, k := range keys {
		writeValue(b, object[k])
	}
}

// writeValue appends one value: objects and arrays are descended into
// (arrays in index order), scalars appended as PHP converts them to a
// string.
func writeValue(b *strings.Builder, v any) {
	switch t := v.(type) {
	case map[string]any:
		writeValues(b, t, false)
	case []any:
		for _, e := range t {
			writeValue(b, e)
		}
	default:
		b.WriteString(phpString(t))
	}
}

// phpString is the string PHP makes of a scalar json_decode returned:
// true is "1", false and null are empty, strings are verbatim, integers
// print in decimal and floats as PHP prints them.
func phpString(v any) string {
	switch t := v.(type) {
	case nil:
		return ""
	case bool:
		if t {
			return "1"
		}
		return ""
	case string:
		return t
	case json.Number:
		return phpNumber(t.String())
	}
	// Decoding JSON with UseNumber gives no other scalar type.
	panic(fmt.Sprintf("reddot: sign_generic over a %T", v))
}

// phpNumber prints a JSON number literal as PHP prints what json_decode
// makes of it: an integer when the literal has no fraction or exponent and
// fits in 64 bits, a float otherwise.
func phpNumber(literal string) string {
	if !strings.ContainsAny(literal, ".eE") {
		if n, err := strconv.ParseInt(literal, 10, 64); err == nil {
			return strconv.FormatInt(n, 10)
		}
	}
	f, err := strconv.ParseFloat(literal, 64)
	if err != nil && !math.IsInf(f, 0) {
		return literal
	}
	return phpFloat(f)
}

// phpPrecision is PHP's default "precision" ini setting, which its float
// to string conversion uses.
const phpPrecision = 14

// phpFloat prints f as PHP's (string) cast does (zend_gcvt with precision
// 14): the shortest of 14 significant digits, in exponent form ("1.0E+25",
// "1.5E-7") when the decimal exponent is below -4 or at least 14.
func phpFloat(f float64) string {
	switch {
	case math.IsInf(f, 1):
		return "INF"
	case math.IsInf(f, -1):
		return "-INF"
	}
	sign := ""
	if math.Signbit(f) {
		sign = "-"
	}
	if f == 0 {
		return sign + "0"
	}
	// d.ddddddddddddde±x, correctly rounded to 14 significant digits.
	mantissa, exponent, _ := strings.Cut(strconv.FormatFloat(math.Abs(f), 'e', phpPrecision-1, 64), "e")
	digits := strings.TrimRight(strings.Replace(mantissa, ".", "", 1), "0")
	exp, _ := strconv.Atoi(exponent)
	switch {
	case exp < -4 || exp >= phpPrecision:
		frac := digits[1:]
		if frac == "" {
			frac = "0"
		}
		expSign := "+"
		if exp < 0 {
			expSign, exp = "-", -exp
		}
		return sign + digits[:1] + "." + frac + "E" + expSign + strconv.Itoa(exp)
	case exp < 0:
		return sign + "0." + strings.Repeat("0", -exp-1) + digits
	case len(digits) <= exp+1:
		return sign + digits + strings.Repeat("0", exp+1-len(digits))
	}
	return sign + digits[:exp+1] + "." + digits[exp+1:]
}

// paymentSignature is the payment-api first-phase signature (§3.3b):
// SHA-512 of mid, order_id, payment_type, amount and ccy, each trimmed,
// then the instrument (first 6 and last 4 digits of card_no and exp_date;
// or payer_id; or first 6 and last 4 of token_id and exp_date; or nothing
// for a plain hosted page), then the last digit of cvv2 when one is sent,
// then the secret.
func paymentSignature(r *paymentRequest, secret string) string {
	return sha512Hex(paymentBuffer(r) + secret)
}

// paymentBuffer is what the payment signature hashes, before the secret.
func paymentBuffer(r *paymentRequest) string {
	var b strings.Builder
	for _, v := range []string{r.MID, r.OrderID, r.PaymentType, r.Amount, r.Ccy} {
		b.WriteString(strings.Trim(v, " \t\n\r\x00\x0b")) // PHP trim()
	}
	switch {
	case r.CardNo != "":
		b.WriteString(first(r.CardNo, 6) + last(r.CardNo, 4) + r.ExpDate)
	case r.PayerID != "":
		b.WriteString(r.PayerID)
	case r.TokenID != "":
		b.WriteString(first(r.TokenID, 6) + last(r.TokenID, 4) + r.ExpDate)
	}
	if r.CVV2 != "" {
		b.WriteString(last(r.CVV2, 1))
	}
	return b.String()
}

// merchantSignature is the Merchant API MD5 (§3.3c): every field but
// "signature" as name=value, sorted by name and joined with "&", then
// "&secret_key=" and the secret, MD5 in lower-case hex. The secret itself
// is never sent.
func merchantSignature(fields url.Values, secret string) string {
	sum := md5.Sum([]byte(merchantBuffer(fields) + "secret_key=" + secret))
	return hex.EncodeToString(sum[:])
}

// merchantBuffer is the name=value& list the MD5 hashes, before the
// secret.
func merchantBuffer(fields url.Values) string {
	names := make([]string, 0, len(fields))
	for name := range fields {
		if name != "signature" {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	var b strings.Builder
	for _, name := range names {
		b.WriteString(name + "=" + fields.Get(name) + "&")
	}
	return b.String()
}

// sameSignature compares a received signature with the expected one in
// constant time, ignoring the case of the hex digits.
func sameSignature(got, want string) bool {
	return subtle.ConstantTimeCompare([]byte(strings.ToLower(got)), []byte(want)) == 1
}

func sha512Hex(s string) string {
	sum := sha512.Sum512([]byte(s))
	return hex.EncodeToString(sum[:])
}

// first is PHP's substr($s, 0, n).
func first(s string, n int) string { return s[:min(n, len(s))] }

// last is PHP's substr($s, -n).
func last(s string, n int) string { return s[len(s)-min(n, len(s)):] }
