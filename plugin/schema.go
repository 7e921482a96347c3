package plugin

import (
	"fmt"
	"sort"
	"time"
)

// Operation names one thing a provider can do, for capability declarations.
type Operation string

// The operations.
const (
	OpCreatePayment Operation = "create_payment"
	// OpAuthorize: CreatePayment with CaptureManual (authorize only).
	OpAuthorize Operation = "authorize"
	OpCapture   Operation = "capture"
	// OpPartialCapture: Capture of less than the authorized amount.
	OpPartialCapture Operation = "partial_capture"
	OpRefund         Operation = "refund"
	// OpPartialRefund: Refund of less than the captured amount, and more
	// than one refund per payment.
	OpPartialRefund Operation = "partial_refund"
	OpVoid          Operation = "void"
	OpReverse       Operation = "reverse"
	OpGetPayment    Operation = "get_payment"
	OpGetRefund     Operation = "get_refund"
	OpTokenize      Operation = "tokenize"
	OpGetToken      Operation = "get_token"
	OpDeleteToken   Operation = "delete_token"
	OpCallbacks     Operation = "callbacks"
)

// Operations lists every Operation.
var Operations = []Operation{
	OpCreatePayment, OpAuthorize, OpCapture, OpPartialCapture, OpRefund,
	OpPartialRefund, OpVoid, OpReverse, OpGetPayment, OpGetRefund,
	OpTokenize, OpGetToken, OpDeleteToken, OpCallbacks,
}

// Valid reports whether o is one of Operations.
func (o Operation) Valid() bool { return oneOf(o, Operations) }

// Capabilities is what a provider declares it can do. The host routes only
// what a provider declares, and the SDK answers unsupported to any call of
// an operation left out.
type Capabilities struct {
	Operations []Operation
	Methods    []PaymentMethod
	// Currencies the provider accepts; empty means any.
	Currencies []string
}

// Supports reports whether op is declared.
func (c Capabilities) Supports(op Operation) bool { return oneOf(op, c.Operations) }

// SupportsMethod reports whether m is declared.
func (c Capabilities) SupportsMethod(m PaymentMethod) bool { return oneOf(m, c.Methods) }

// SupportsCurrency reports whether currency is accepted.
func (c Capabilities) SupportsCurrency(currency string) bool {
	return len(c.Currencies) == 0 || oneOf(currency, c.Currencies)
}

// AttributeType is the type of a provider configuration attribute.
type AttributeType string

// The attribute types. Durations are written as strings such as "30s" and
// checked by the host.
const (
	TypeString      AttributeType = "string"
	TypeNumber      AttributeType = "number" // a whole number
	TypeBool        AttributeType = "bool"
	TypeDuration    AttributeType = "duration"
	TypeListString  AttributeType = "list(string)"
	TypeMapOfString AttributeType = "map(string)"
)

// AttributeTypes lists every AttributeType.
var AttributeTypes = []AttributeType{TypeString, TypeNumber, TypeBool, TypeDuration, TypeListString, TypeMapOfString}

// Valid reports whether t is one of AttributeTypes.
func (t AttributeType) Valid() bool { return oneOf(t, AttributeTypes) }

// Attribute declares one configuration attribute of a provider block.
type Attribute struct {
	Name string
	Type AttributeType
	// Required attributes must be set in the provider block.
	Required bool
	// Sensitive attributes are credentials: never printed by the host, and
	// read by the provider with Config.Secret.
	Sensitive bool
	// Default applies when the block leaves the attribute out: a string,
	// int64, bool, []string or map[string]string matching Type (a duration
	// is a string); nil for none.
	Default any
	// Description says what the attribute is, for `payhost providers` and
	// the docs.
	Description string
}

// Schema declares a provider's configuration block.
type Schema struct {
	Attributes []Attribute
}

// Attribute returns the named attribute.
func (s Schema) Attribute(name string) (Attribute, bool) {
	for _, a := range s.Attributes {
		if a.Name == name {
			return a, true
		}
	}
	return Attribute{}, false
}

// Validate checks the schema itself: names unique and set, types known,
// defaults of the declared type, and no default on a required attribute.
func (s Schema) Validate() error {
	seen := map[string]bool{}
	for i, a := range s.Attributes {
		switch {
		case a.Name == "":
			return fmt.Errorf("attribute %d has no name", i)
		case seen[a.Name]:
			return fmt.Errorf("attribute %q is declared twice", a.Name)
		case !a.Type.Valid():
			return fmt.Errorf("attribute %q has unknown type %q", a.Name, a.Type)
		case a.Required && a.Default != nil:
			return fmt.Errorf("attribute %q is required and has a default; choose one", a.Name)
		}
		seen[a.Name] = true
		if a.Default != nil {
			if err := checkValueType(a.Type, a.Default); err != nil {
				return fmt.Errorf("attribute %q default: %w", a.Name, err)
			}
		}
	}
	return nil
}

// checkValueType reports whether v is a Go value of attribute type t.
func checkValueType(t AttributeType, v any) error {
	ok := false
	switch t {
	case TypeString:
		_, ok = v.(string)
	case TypeNumber:
		_, ok = v.(int64)
	case TypeBool:
		_, ok = v.(bool)
	case TypeDuration:
		var s string
		if s, ok = v.(string); ok {
			if _, err := time.ParseDuration(s); err != nil {
				return fmt.Errorf("%q is not a duration such as \"30s\"", s)
			}
		}
	case TypeListString:
		_, ok = v.([]string)
	case TypeMapOfString:
		_, ok = v.(map[string]string)
	}
	if !ok {
		return fmt.Errorf("%T is not a %s", v, t)
	}
	return nil
}

// Config holds a provider block's values, decoded by the host against the
// provider's Schema (defaults applied). Values are string, int64, bool,
// []string or map[string]string; durations are strings the host has checked.
// Config prints only its attribute names, never values. The values sit
// behind a pointer to a pointer: fmt prints that as an address whatever the
// verb and however deep (a single pointer to a map or struct is printed in
// full by %s and friends), so that even a struct holding a Config in an
// unexported field does not show them; reflect.DeepEqual still compares
// the values.
type Config struct {
	v **configValues
}

type configValues struct{ m map[string]any }

// values returns the map of values, or nil.
func (c Config) values() map[string]any {
	if c.v == nil || *c.v == nil {
		return nil
	}
	return (*c.v).m
}

// get returns the named value, or nil.
func (c Config) get(name string) any { return c.values()[name] }

// NewConfig returns a Config over values. Each value must be a string,
// int64, bool, []string or map[string]string.
func NewConfig(values map[string]any) (Config, error) {
	m := make(map[string]any, len(values))
	for k, v := range values {
		switch v.(type) {
		case string, int64, bool, []string, map[string]string:
		default:
			return Config{}, fmt.Errorf("config attribute %q: unsupported value type %T", k, v)
		}
		m[k] = v
	}
	v := &configValues{m: m}
	return Config{v: &v}, nil
}

// Names returns the names of the attributes set, sorted.
func (c Config) Names() []string {
	if c.v == nil {
		return nil
	}
	names := make([]string, 0, len(c.values()))
	for k := range c.values() {
		names = append(names, k)
	}
	sort.Strings(names)
	return names
}

// Has reports whether the attribute is set.
func (c Config) Has(name string) bool { return c.get(name) != nil }

// Value returns the raw value of an attribute, or nil.
func (c Config) Value(name string) any { return c.get(name) }

// String returns a string attribute, or "".
func (c Config) String(name string) string { s, _ := c.get(name).(string); return s }

// Secret returns a string attribute wrapped as a Secret.
func (c Config) Secret(name string) Secret {
	s, ok := c.get(name).(string)
	if !ok {
		return Secret{}
	}
	return NewSecret(s)
}

// Int returns a number attribute, or 0.
func (c Config) Int(name string) int64 { n, _ := c.get(name).(int64); return n }

// Bool returns a bool attribute, or false.
func (c Config) Bool(name string) bool { b, _ := c.get(name).(bool); return b }

// Duration returns a duration attribute, or 0 when unset or unreadable.
func (c Config) Duration(name string) time.Duration {
	d, _ := time.ParseDuration(c.String(name))
	return d
}

// Strings returns a list attribute, or nil.
func (c Config) Strings(name string) []string { l, _ := c.get(name).([]string); return l }

// StringMap returns a map attribute, or nil.
func (c Config) StringMap(name string) map[string]string {
	m, _ := c.get(name).(map[string]string)
	return m
}

// Format prints the attribute names only.
func (c Config) Format(f fmt.State, verb rune) {
	fmt.Fprintf(f, "plugin.Config%v", c.Names())
}
