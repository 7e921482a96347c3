package routing

import (
	"github.com/zclconf/go-cty/cty"

	"github.com/payhost/payhost/internal/config"
	"github.com/payhost/payhost/plugin"
)

// Payment is what routing decides on: the fields a route's when can read,
// and the operation the provider must support.
type Payment struct {
	// ID is the payment id; it picks the split deterministically.
	ID string `json:"id"`
	// Amount is in minor units of Currency.
	Amount    int64                `json:"amount"`
	Currency  string               `json:"currency"`
	Method    plugin.PaymentMethod `json:"method"`
	Capture   plugin.CaptureMode   `json:"capture"`
	Country   string               `json:"country,omitempty"`
	Reference string               `json:"reference,omitempty"`
	Metadata  map[string]string    `json:"metadata,omitempty"`
	// Operation is what the provider must support; empty means
	// create_payment, or authorize when Capture is manual. Set
	// plugin.OpTokenize to route a tokenization (with no Currency).
	Operation plugin.Operation `json:"operation,omitempty"`
}

// operation is the operation the payment needs.
func (p Payment) operation() plugin.Operation {
	if p.Operation != "" {
		return p.Operation
	}
	return config.OperationFor(p.Capture)
}

// Value is the payment as when expressions see it: a value of
// config.PaymentType.
func (p Payment) Value() cty.Value {
	metadata := cty.MapValEmpty(cty.String)
	if len(p.Metadata) > 0 {
		m := make(map[string]cty.Value, len(p.Metadata))
		for k, v := range p.Metadata {
			m[k] = cty.StringVal(v)
		}
		metadata = cty.MapVal(m)
	}
	return cty.ObjectVal(map[string]cty.Value{
		config.FieldID:        cty.StringVal(p.ID),
		config.FieldAmount:    cty.NumberIntVal(p.Amount),
		config.FieldCurrency:  cty.StringVal(p.Currency),
		config.FieldMethod:    cty.StringVal(string(p.Method)),
		config.FieldCapture:   cty.StringVal(string(p.Capture)),
		config.FieldCountry:   cty.StringVal(p.Country),
		config.FieldReference: cty.StringVal(p.Reference),
		config.FieldMetadata:  metadata,
	})
}
