package plugin

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
)

// redacted is how every Secret prints.
const redacted = "REDACTED"

// Secret holds a credential (API key, signing secret, CVC). It prints as
// REDACTED in every fmt verb (%v, %+v, %#v, %s, %q, %x), in JSON, as text,
// in hclog and in slog; only Reveal gives the value. The value sits behind a
// pointer, so that even a struct holding a Secret in an unexported field
// prints an address rather than the value.
type Secret struct {
	v *string
}

// NewSecret wraps s.
func NewSecret(s string) Secret { return Secret{v: &s} }

// Reveal returns the secret value, for the one place that must send it.
func (s Secret) Reveal() string {
	if s.v == nil {
		return ""
	}
	return *s.v
}

// IsEmpty reports whether the secret has no value.
func (s Secret) IsEmpty() bool { return s.Reveal() == "" }

// String returns REDACTED (or "" for an empty secret).
func (s Secret) String() string {
	if s.IsEmpty() {
		return ""
	}
	return redacted
}

// GoString returns REDACTED, for %#v.
func (s Secret) GoString() string { return "plugin.Secret(" + redacted + ")" }

// Format prints the secret as REDACTED whatever the verb.
func (s Secret) Format(f fmt.State, verb rune) { fmt.Fprint(f, s.String()) }

// MarshalJSON encodes the secret as "REDACTED".
func (s Secret) MarshalJSON() ([]byte, error) { return json.Marshal(s.String()) }

// UnmarshalJSON reads a secret from a JSON string.
func (s *Secret) UnmarshalJSON(b []byte) error {
	var v string
	if err := json.Unmarshal(b, &v); err != nil {
		return fmt.Errorf("secret must be a JSON string")
	}
	*s = NewSecret(v)
	return nil
}

// MarshalText encodes the secret as REDACTED.
func (s Secret) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// LogValue makes slog print REDACTED.
func (s Secret) LogValue() slog.Value { return slog.StringValue(s.String()) }

// CardNumber is a primary account number. It prints masked to its first six
// and last four digits (411111******1111) in every fmt verb, JSON, text and
// logs; only Reveal gives the full number.
type CardNumber struct {
	v *string
}

// NewCardNumber keeps the digits of s, dropping spaces and dashes.
func NewCardNumber(s string) CardNumber {
	digits := strings.Map(func(r rune) rune {
		if r == ' ' || r == '-' {
			return -1
		}
		return r
	}, s)
	return CardNumber{v: &digits}
}

// Reveal returns the full number, for the one place that must send it.
func (n CardNumber) Reveal() string {
	if n.v == nil {
		return ""
	}
	return *n.v
}

// IsEmpty reports whether there is no number.
func (n CardNumber) IsEmpty() bool { return n.Reveal() == "" }

// First6 returns the bank identification number, or "" for a short number.
func (n CardNumber) First6() string {
	if s := n.Reveal(); len(s) >= 12 {
		return s[:6]
	}
	return ""
}

// Last4 returns the last four digits, or "" for a short number.
func (n CardNumber) Last4() string {
	if s := n.Reveal(); len(s) >= 12 {
		return s[len(s)-4:]
	}
	return ""
}

// Masked returns the number with all but the first six and last four digits
// replaced by '*'. A number too short to mask that way is masked entirely.
func (n CardNumber) Masked() string {
	s := n.Reveal()
	if len(s) < 12 {
		return strings.Repeat("*", len(s))
	}
	return s[:6] + strings.Repeat("*", len(s)-10) + s[len(s)-4:]
}

// String returns the masked number.
func (n CardNumber) String() string { return n.Masked() }

// GoString returns the masked number, for %#v.
func (n CardNumber) GoString() string { return "plugin.CardNumber(" + n.Masked() + ")" }

// Format prints the masked number whatever the verb.
func (n CardNumber) Format(f fmt.State, verb rune) { fmt.Fprint(f, n.Masked()) }

// MarshalJSON encodes the masked number.
func (n CardNumber) MarshalJSON() ([]byte, error) { return json.Marshal(n.Masked()) }

// UnmarshalJSON reads a full number from a JSON string.
func (n *CardNumber) UnmarshalJSON(b []byte) error {
	var v string
	if err := json.Unmarshal(b, &v); err != nil {
		return fmt.Errorf("card number must be a JSON string")
	}
	*n = NewCardNumber(v)
	return nil
}

// MarshalText encodes the masked number.
func (n CardNumber) MarshalText() ([]byte, error) { return []byte(n.Masked()), nil }

// LogValue makes slog print the masked number.
func (n CardNumber) LogValue() slog.Value { return slog.StringValue(n.Masked()) }

// LuhnValid reports whether the number is 12 to 19 digits that pass the
// Luhn check.
func (n CardNumber) LuhnValid() bool {
	s := n.Reveal()
	if len(s) < 12 || len(s) > 19 {
		return false
	}
	sum, double := 0, false
	for i := len(s) - 1; i >= 0; i-- {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
		d := int(s[i] - '0')
		if double {
			if d *= 2; d > 9 {
				d -= 9
			}
		}
		sum += d
		double = !double
	}
	return sum%10 == 0
}

// Brand guesses the card scheme from the number's prefix: "visa",
// "mastercard", "amex", "jcb", "unionpay", "discover", or "" when unknown.
func (n CardNumber) Brand() string {
	s := n.Reveal()
	prefix := func(lo, hi int, digits int) bool {
		if len(s) < digits {
			return false
		}
		v := 0
		for _, c := range s[:digits] {
			v = v*10 + int(c-'0')
		}
		return v >= lo && v <= hi
	}
	switch {
	case prefix(4, 4, 1):
		return "visa"
	case prefix(51, 55, 2), prefix(2221, 2720, 4):
		return "mastercard"
	case prefix(34, 34, 2), prefix(37, 37, 2):
		return "amex"
	case prefix(3528, 3589, 4):
		return "jcb"
	case prefix(62, 62, 2):
		return "unionpay"
	case prefix(6011, 6011, 4), prefix(65, 65, 2):
		return "discover"
	}
	return ""
}

// Card is card data as the customer entered it. It travels from the host to
// a provider only; payhost never stores it (only CardInfo).
type Card struct {
	Number     CardNumber
	ExpMonth   int
	ExpYear    int // four digits
	CVC        Secret
	HolderName string
}

// Info returns what may be kept and shown of the card.
func (c Card) Info() CardInfo {
	return CardInfo{
		First6: c.Number.First6(), Last4: c.Number.Last4(),
		ExpMonth: c.ExpMonth, ExpYear: c.ExpYear,
		Brand: c.Number.Brand(), HolderName: c.HolderName,
	}
}

// CardInfo is the part of a card that may be stored and shown: never the
// full number or the CVC.
type CardInfo struct {
	First6     string `json:"first6,omitempty"`
	Last4      string `json:"last4,omitempty"`
	ExpMonth   int    `json:"exp_month,omitempty"`
	ExpYear    int    `json:"exp_year,omitempty"`
	Brand      string `json:"brand,omitempty"`
	HolderName string `json:"holder_name,omitempty"`
}
