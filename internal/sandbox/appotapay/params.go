package appotapay

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"unicode/utf8"
)

// VND amount limits AppotaPay applies to a payment and to a refund.
const (
	minAmount = 1_000
	maxAmount = 500_000_000
)

// params is a decoded JSON request body. Numbers stay json.Number, so an
// amount is read from its exact decimal text and never through a float.
type params map[string]any

// decodeParams reads one JSON object from r.
func decodeParams(r io.Reader) (params, *apiError) {
	dec := json.NewDecoder(r)
	dec.UseNumber()
	var p params
	if err := dec.Decode(&p); err != nil {
		return nil, newError(codeInvalidParams, "Missing or invalid params: request body: must be a JSON object (%s)", jsonProblem(err))
	}
	if p == nil {
		return nil, newError(codeInvalidParams, "Missing or invalid params: request body: must be a JSON object, not null")
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, newError(codeInvalidParams, "Missing or invalid params: request body: unexpected data after the JSON object")
	}
	return p, nil
}

// jsonProblem describes a decoding error without quoting the body.
func jsonProblem(err error) string {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.Is(err, io.EOF):
		return "the body is empty"
	case errors.As(err, &syntax):
		return fmt.Sprintf("invalid JSON at byte %d", syntax.Offset)
	case errors.As(err, &typ):
		return "found a JSON " + typ.Value
	default:
		return "invalid JSON"
	}
}

// has reports whether the member name was sent (even empty).
func (p params) has(name string) bool {
	_, ok := p[name]
	return ok
}

// text is the member name as it enters a signature string: a string as
// sent, a number as its JSON text, an absent or null member as "".
func (p params) text(name string) string {
	switch v := p[name].(type) {
	case nil:
		return ""
	case string:
		return v
	case json.Number:
		return v.String()
	case bool:
		return strconv.FormatBool(v)
	default:
		b, _ := json.Marshal(v)
		return string(b)
	}
}

// texts returns text for each of keys.
func (p params) texts(keys []string) map[string]string {
	m := make(map[string]string, len(keys)+1)
	for _, k := range keys {
		m[k] = p.text(k)
	}
	return m
}

// checker validates the members of params and collects every problem, so
// that one answer names all the bad fields. prefix qualifies field names
// in nested objects ("transaction."); nested checkers share the list.
type checker struct {
	p      params
	prefix string
	errs   *[]fieldError
	// silent is set below an object that is itself missing or invalid:
	// its members are not reported one by one.
	silent bool
}

func newChecker(p params) *checker {
	return &checker{p: p, errs: new([]fieldError)}
}

func (c *checker) fail(name string, code int, format string, args ...any) {
	if c.silent {
		return
	}
	*c.errs = append(*c.errs, fieldError{Field: c.prefix + name, Reason: fmt.Sprintf(format, args...), code: code})
}

// nested returns a checker for the required object member name. A missing
// or non-object member is reported once; its fields then read as absent.
func (c *checker) nested(name string) *checker {
	v, ok := c.p[name]
	obj, isObject := v.(map[string]any)
	switch {
	case !ok || v == nil:
		c.fail(name, codeInvalidParams, "is required")
	case !isObject:
		c.fail(name, codeInvalidParams, "must be a JSON object, not a %s", jsonType(v))
	}
	return &checker{p: obj, prefix: c.prefix + name + ".", errs: c.errs, silent: c.silent || obj == nil}
}

// str returns the string member name, at most max characters (runes); a
// required one must be present and non-empty.
func (c *checker) str(name string, required bool, max int) string {
	v, ok := c.p[name]
	if !ok || v == nil {
		if required {
			c.fail(name, codeInvalidParams, "is required")
		}
		return ""
	}
	s, ok := v.(string)
	switch {
	case !ok:
		c.fail(name, codeInvalidParams, "must be a string")
	case required && s == "":
		c.fail(name, codeInvalidParams, "must not be empty")
	case utf8.RuneCountInString(s) > max:
		c.fail(name, codeInvalidParams, "must be at most %d characters (got %d)", max, utf8.RuneCountInString(s))
	}
	return s
}

// integerText matches a JSON number written as a whole number.
var integerText = regexp.MustCompile(`^-?[0-9]+$`)

// vnd returns the required amount member name: a JSON number that is a
// whole number of dong between minAmount and maxAmount.
func (c *checker) vnd(name string) int64 {
	v, ok := c.p[name]
	if !ok || v == nil {
		c.fail(name, codeInvalidParams, "is required")
		return 0
	}
	n, ok := v.(json.Number)
	if !ok {
		c.fail(name, codeInvalidParams, "must be a JSON number of VND, not a %s", jsonType(v))
		return 0
	}
	if !integerText.MatchString(n.String()) {
		c.fail(name, codeInvalidAmount, "must be a whole number of VND without decimals or exponent (got %s)", n)
		return 0
	}
	amount, err := strconv.ParseInt(n.String(), 10, 64)
	if err != nil || amount < minAmount || amount > maxAmount {
		c.fail(name, codeInvalidAmount, "must be between %d and %d VND (got %s)", minAmount, maxAmount, n)
		return 0
	}
	return amount
}

// oneOf checks that a non-empty value is one of allowed.
func (c *checker) oneOf(name, value string, allowed []string) {
	if value != "" && !slices.Contains(allowed, value) {
		c.fail(name, codeInvalidParams, "must be one of %v (got %q)", allowed, value)
	}
}

// url checks that a non-empty value is an absolute http or https URL.
func (c *checker) url(name, value string) {
	if value == "" {
		return
	}
	u, err := url.Parse(value)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		c.fail(name, codeInvalidParams, "must be an absolute http or https URL")
	}
}

// ip checks that a non-empty value is an IPv4 or IPv6 address.
func (c *checker) ip(name, value string) {
	if value != "" && net.ParseIP(value) == nil {
		c.fail(name, codeInvalidParams, "must be an IPv4 or IPv6 address (got %q)", value)
	}
}

// signature returns the required signature member: 64 hex digits.
func (c *checker) signature() string {
	s := c.str("signature", true, 64)
	if s != "" && !isHexDigest(s) {
		c.fail("signature", codeInvalidParams, "must be 64 hexadecimal digits (HMAC-SHA256)")
	}
	return s
}

// err returns the collected problems as one apiError, or nil.
func (c *checker) err() *apiError {
	if len(*c.errs) == 0 {
		return nil
	}
	return paramError(*c.errs)
}

// jsonType names the JSON type of a decoded value.
func jsonType(v any) string {
	switch v.(type) {
	case string:
		return "string"
	case bool:
		return "boolean"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	default:
		return "number"
	}
}
