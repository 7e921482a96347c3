package store

import (
	"fmt"
	"time"

	"github.com/payhost/payhost/plugin"
)

// Token is a card stored at a gateway, usable later as method token. A
// token is bound to the provider instance that issued it.
type Token struct {
	// ID is "tok_…"; InsertToken assigns one when empty.
	ID               string
	MerchantID       string
	ProviderInstance string
	Status           plugin.TokenStatus
	// ProviderToken is the gateway's token. It can charge the card, so it
	// prints as REDACTED everywhere.
	ProviderToken plugin.Secret
	// CustomerRef is the gateway's customer or payer id, when it has one.
	CustomerRef string
	// ProviderReference is the gateway's id of the tokenization request.
	ProviderReference string
	// Card is what may be kept of the card (no holder name, see Payment).
	Card           *plugin.CardInfo
	NextAction     *plugin.NextAction
	Customer       *plugin.Customer
	FailureCode    string
	FailureMessage string
	// Metadata is the merchant's, from the creation request; nil when
	// none (an empty map is stored as none, and tokens stored before
	// migration 0007 have none). UpdateToken writes it as it writes the
	// other fields, so an update of the token as read keeps it.
	Metadata map[string]string
	// Version starts at 1 and grows with every write; UpdateToken writes
	// only when it still matches.
	Version   int64
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Validate checks what InsertToken and UpdateToken need: a merchant, a
// provider instance and a known status.
func (t *Token) Validate() error {
	switch {
	case t.MerchantID == "":
		return fmt.Errorf("token %s: merchant id is empty", t.ID)
	case t.ProviderInstance == "":
		return fmt.Errorf("token %s: provider instance is empty", t.ID)
	case !t.Status.Valid():
		return fmt.Errorf("token %s: status %q is not a token status", t.ID, t.Status)
	}
	return nil
}
