package host

import (
	"context"
	"net"
	"net/url"
	"strings"
	"time"

	"github.com/payhost/payhost/api"
	"github.com/payhost/payhost/internal/store"
	"github.com/payhost/payhost/plugin"
)

// Limits on request fields.
const (
	maxTextLen      = 500
	maxMetadataKeys = 50
	maxMetadataKey  = 40
)

// invalid is a refusal of a bad request field.
func invalid(param, format string, args ...any) error {
	return api.Errorf(api.CodeInvalidRequest, param, format, args...)
}

// validatePayment checks a payment request (its capture mode already
// defaulted) strictly, before anything is stored, and returns the token
// of a token payment. Errors name the field at fault.
func (h *Host) validatePayment(ctx context.Context, merchantID string, r *api.CreatePaymentRequest) (*store.Token, error) {
	switch {
	case r.Amount <= 0:
		return nil, invalid("amount", "amount must be a positive whole number of minor units of the currency (1050 is 10.50 USD)")
	case !knownCurrency(r.Currency):
		return nil, invalid("currency", "currency %q is not an ISO 4217 code payhost knows; use an upper-case code such as USD or VND", r.Currency)
	case !r.Method.Valid():
		return nil, invalid("method", "method %q is not a payment method; use card, bank, wallet, qr or token", r.Method)
	case !r.Capture.Valid():
		return nil, invalid("capture", "capture %q is not a capture mode; use automatic or manual", r.Capture)
	case r.Card != nil && r.Method != plugin.MethodCard:
		return nil, invalid("card", "card is only for method card")
	case r.Token != "" && r.Method != plugin.MethodToken:
		return nil, invalid("token", "token is only for method token")
	case r.Method == plugin.MethodToken && r.Provider != "":
		return nil, invalid("provider", "a token payment goes to the provider that issued the token; leave provider out")
	case r.Country != "" && !isCountry(r.Country):
		return nil, invalid("country", "country %q is not an ISO 3166 alpha-2 code such as VN or SG", r.Country)
	case r.Provider != "" && h.providers[r.Provider] == nil:
		return nil, invalid("provider", "provider %q is not configured; name an instance as type.name", r.Provider)
	}
	checks := []error{
		h.validateCard("card", r.Card),
		validateURL("return_url", r.ReturnURL),
		validateCustomer(r.Customer),
		validateText("reference", r.Reference),
		validateText("description", r.Description),
		validateMap("metadata", r.Metadata),
		validateMap("provider_options", r.ProviderOptions),
	}
	for _, err := range checks {
		if err != nil {
			return nil, err
		}
	}
	if r.Method != plugin.MethodToken {
		return nil, nil
	}
	return h.usableToken(ctx, merchantID, r.Token)
}

// usableToken returns the merchant's active token id.
func (h *Host) usableToken(ctx context.Context, merchantID, id string) (*store.Token, error) {
	if id == "" {
		return nil, invalid("token", "method token needs the token to pay with (tok_…)")
	}
	var t *store.Token
	err := h.store.View(ctx, func(r store.Reader) (err error) {
		t, err = r.GetToken(ctx, id)
		return err
	})
	switch {
	case isNotFound(err) || (err == nil && t.MerchantID != merchantID):
		return nil, invalid("token", "no such token: %s", id)
	case err != nil:
		return nil, err
	case t.Status != plugin.TokenActive:
		return nil, invalid("token", "token %s is %s; only an active token can pay", id, t.Status)
	}
	return t, nil
}

// validateCard checks card data, when sent: a number that passes the Luhn
// check, an expiry that has not passed, a CVC of 3 or 4 digits. Errors
// never repeat the number or the CVC.
func (h *Host) validateCard(param string, c *api.Card) error {
	if c == nil {
		return nil
	}
	now := h.opts.Clock().UTC()
	switch {
	case c.Number.IsEmpty():
		return invalid(param+".number", "the card number is missing")
	case !c.Number.LuhnValid():
		return invalid(param+".number", "the card number is not a valid card number (12 to 19 digits passing the Luhn check)")
	case c.ExpMonth < 1 || c.ExpMonth > 12:
		return invalid(param+".exp_month", "exp_month must be a month from 1 to 12")
	case c.ExpYear < 1000 || c.ExpYear > 9999:
		return invalid(param+".exp_year", "exp_year must have four digits")
	case c.ExpYear < now.Year() || (c.ExpYear == now.Year() && time.Month(c.ExpMonth) < now.Month()):
		return invalid(param+".exp_year", "the card has expired")
	case !c.CVC.IsEmpty() && !isDigits(c.CVC.Reveal(), 3, 4):
		return invalid(param+".cvc", "the CVC must be 3 or 4 digits")
	case len(c.HolderName) > maxTextLen:
		return invalid(param+".holder_name", "holder_name is longer than %d characters", maxTextLen)
	}
	return nil
}

// validateURL checks an optional absolute http(s) URL.
func validateURL(param, s string) error {
	if s == "" {
		return nil
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return invalid(param, "%s must be an absolute http or https URL", param)
	}
	return nil
}

func validateCustomer(c *api.Customer) error {
	if c == nil {
		return nil
	}
	switch {
	case c.Email != "" && (!strings.Contains(c.Email, "@") || len(c.Email) > maxTextLen):
		return invalid("customer.email", "customer.email is not an email address")
	case c.IP != "" && net.ParseIP(c.IP) == nil:
		return invalid("customer.ip", "customer.ip is not an IPv4 or IPv6 address")
	}
	return validateText("customer.name", c.Name)
}

func validateText(param, s string) error {
	if len(s) > maxTextLen {
		return invalid(param, "%s is longer than %d characters", param, maxTextLen)
	}
	return nil
}

// validateMap checks metadata or provider options: a bounded number of
// non-empty, short keys and bounded values.
func validateMap(param string, m map[string]string) error {
	if len(m) > maxMetadataKeys {
		return invalid(param, "%s has more than %d keys", param, maxMetadataKeys)
	}
	for k, v := range m {
		switch {
		case k == "" || len(k) > maxMetadataKey:
			return invalid(param, "%s keys must have 1 to %d characters", param, maxMetadataKey)
		case len(v) > maxTextLen:
			return invalid(param+"."+k, "the value is longer than %d characters", maxTextLen)
		}
	}
	return nil
}

func knownCurrency(code string) bool {
	_, ok := plugin.CurrencyExponent(code)
	return ok
}

func isCountry(s string) bool {
	return len(s) == 2 && s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' && s[1] <= 'Z'
}

// isDigits reports whether s is fewest to most ASCII digits.
func isDigits(s string, fewest, most int) bool {
	if len(s) < fewest || len(s) > most {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
