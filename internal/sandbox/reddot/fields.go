package reddot

import (
	"net/url"
	"unicode/utf8"
)

// field is one request field's presence and length rule.
type field struct {
	name     string
	required bool
	max      int // 0: no length limit checked here
}

// fieldCodes are the response codes one API uses for field errors, and
// its wording of a length error (a format taking the field and the limit).
type fieldCodes struct {
	missing, empty, tooLong string
	tooLongMsg              string
}

// tokenFieldCodes are the token API's field errors (RDP-629).
var tokenFieldCodes = fieldCodes{
	missing: codeFieldMissing, empty: codeFieldEmpty,
	tooLong: codeFieldTooLong, tooLongMsg: "%s is longer than %d characters",
}

// paymentFieldCodes are the payment API's: the token API's missing/empty
// codes (the payment list we have is truncated there) and its own -1014
// for length, worded as RDP-483 words it.
var paymentFieldCodes = fieldCodes{
	missing: codeFieldMissing, empty: codeFieldEmpty,
	tooLong: codePayTooLong, tooLongMsg: "%s exceeds the maximum length of : %d",
}

// checkFields applies fs to p in order and reports the first violation,
// naming the field.
func checkFields(p params, fs []field, codes fieldCodes) *apiError {
	for _, f := range fs {
		if !p.isScalar(f.name) {
			return reject(codes.empty, "%s must be a single value, not an object or array", f.name)
		}
		v := p.str(f.name)
		switch {
		case f.required && !p.has(f.name):
			return reject(codes.missing, "%s is missing", f.name)
		case f.required && v == "":
			return reject(codes.empty, "%s is empty", f.name)
		case f.max > 0 && utf8.RuneCountInString(v) > f.max:
			return reject(codes.tooLong, codes.tooLongMsg, f.name, f.max)
		}
	}
	return nil
}

// checkOrderID applies RDP's order_id rule (-1013): letters, digits, dash
// and underscore, at most 32 characters.
func checkOrderID(p params) *apiError {
	id := p.str("order_id")
	ok := len(id) <= 32
	for i := 0; i < len(id) && ok; i++ {
		c := id[i]
		ok = c == '-' || c == '_' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
	}
	if !ok {
		return reject(codeBadOrderID, "The 'order_id' parameter is required to only use alphanumeric, dash, or underscore characters with the maximum length of 32 characters.")
	}
	return nil
}

// checkURLs requires every named field that is present to be an absolute
// http or https URL, since the emulator must reach or redirect to it.
func checkURLs(p params, code string, names ...string) *apiError {
	for _, name := range names {
		v := p.str(name)
		if v == "" {
			continue
		}
		u, err := url.Parse(v)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return reject(code, "%s must be an absolute http or https URL", name)
		}
	}
	return nil
}

// checkPayerEmail validates payer_email when it is present (-2009).
func checkPayerEmail(p params) *apiError {
	if e := p.str("payer_email"); e != "" && !validEmail(e) {
		return reject(codeBadPayerEmail, "payer_email is not a valid e-mail address")
	}
	return nil
}

// checkCVV2 validates cvv2 when it is present: 3 or 4 digits.
func checkCVV2(p params, code string) *apiError {
	if c := p.str("cvv2"); c != "" && (!allDigits(c) || len(c) < 3 || len(c) > 4) {
		return reject(code, "cvv2 must be 3 or 4 digits")
	}
	return nil
}
