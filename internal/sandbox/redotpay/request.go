package redotpay

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"reflect"
)

// fieldError is bad input, naming the field at fault. Its text never
// repeats the value, so a mistyped card number or key does not leak into
// an answer or a log.
type fieldError struct {
	field string
	msg   string
}

func (e *fieldError) Error() string { return e.field + ": " + e.msg }

func fieldErrorf(field, format string, args ...any) error {
	return &fieldError{field: field, msg: fmt.Sprintf(format, args...)}
}

// decodeJSON decodes one JSON object from body into v. Type mismatches
// come back as a fieldError naming the JSON field; unknown fields are
// ignored, as real gateways do.
func decodeJSON(body []byte, v any) error {
	if len(bytes.TrimSpace(body)) == 0 {
		return fieldErrorf("body", "must be a JSON object")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(v); err != nil {
		var typeErr *json.UnmarshalTypeError
		if errors.As(err, &typeErr) && typeErr.Field != "" {
			return fieldErrorf(typeErr.Field, "must be a JSON %s", jsonKind(typeErr.Type))
		}
		var syntaxErr *json.SyntaxError
		if errors.As(err, &syntaxErr) {
			return fieldErrorf("body", "is not valid JSON (error at byte %d)", syntaxErr.Offset)
		}
		if errors.Is(err, io.ErrUnexpectedEOF) {
			return fieldErrorf("body", "is not valid JSON (it ends too early)")
		}
		return fieldErrorf("body", "must be a JSON object")
	}
	if dec.More() {
		return fieldErrorf("body", "must hold a single JSON object")
	}
	return nil
}

// jsonKind names the JSON type that decodes into t.
func jsonKind(t reflect.Type) string {
	switch t.Kind() {
	case reflect.String:
		return "string"
	case reflect.Bool:
		return "boolean"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "integer"
	case reflect.Slice, reflect.Array:
		return "array"
	case reflect.Pointer:
		return jsonKind(t.Elem())
	default:
		return "object"
	}
}

// numberField reads an exact decimal from a raw JSON number: it must be a
// JSON number (not a string), with at most maxInt integer and scale
// decimal digits. present is false when the field is absent or null.
func numberField(field string, raw json.RawMessage, maxInt, scale int) (units int64, present bool, err error) {
	if len(raw) == 0 || string(raw) == "null" {
		return 0, false, nil
	}
	if raw[0] == '"' {
		return 0, true, fieldErrorf(field, "must be a JSON number, not a string")
	}
	units, err = parseFixed(string(raw), maxInt, scale)
	if err != nil {
		return 0, true, &fieldError{field: field, msg: err.Error()}
	}
	return units, true, nil
}

// positiveNumber is numberField for a required amount greater than zero.
func positiveNumber(field string, raw json.RawMessage, maxInt, scale int) (int64, error) {
	units, present, err := numberField(field, raw, maxInt, scale)
	switch {
	case err != nil:
		return 0, err
	case !present:
		return 0, fieldErrorf(field, "is required")
	case units == 0:
		return 0, fieldErrorf(field, "must be greater than zero")
	}
	return units, nil
}

// checkURL accepts an empty value or an absolute http(s) URL.
func checkURL(field, s string) error {
	if s == "" {
		return nil
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fieldErrorf(field, "must be an absolute http or https URL")
	}
	return nil
}

// checkCurrency requires an active ISO 4217 fiat code.
func checkCurrency(field, code string) error {
	switch {
	case code == "":
		return fieldErrorf(field, "is required")
	case !validCurrency(code):
		return fieldErrorf(field, "must be an ISO 4217 currency code such as USD")
	}
	return nil
}
