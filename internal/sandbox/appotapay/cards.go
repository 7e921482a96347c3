package appotapay

import (
	"strings"

	"github.com/payhost/payhost/internal/sandbox/emukit"
)

// testCard is one of AppotaPay's published sandbox cards. The emulator
// "pays" with it on the hosted page; only its masked number ever leaves
// the emulator.
type testCard struct {
	number  string
	name    string
	expiry  string // MM/YY
	kind    string // card_type in token results
	country string
}

// The sandbox cards AppotaPay publishes (GATEWAYS.md §2.3).
var (
	atmTestCard    = &testCard{number: "9704229306604047", name: "ARTURO MOEN", expiry: "01/23", kind: "ATM_CARD", country: "VN"}
	creditTestCard = &testCard{number: "5123456789012346", name: "NGUYEN VAN A", expiry: "03/27", kind: "CREDIT_CARD", country: "VN"}
)

// cardFor returns the test card used to pay with paymentMethod, or nil
// for methods that use no card (e-wallet, virtual account, ...).
func cardFor(paymentMethod string) *testCard {
	switch paymentMethod {
	case paymentMethodATM:
		return atmTestCard
	case paymentMethodCreditCard:
		return creditTestCard
	default:
		return nil
	}
}

// masked is the card number the way AppotaPay shows it: first six and last
// four digits, the rest as x (970400xxxxxx0018).
func (c *testCard) masked() string {
	return strings.ReplaceAll(emukit.MaskPAN(c.number), "*", "x")
}

// cardInfo is the card block of a v1.x status answer.
type cardInfo struct {
	CardNumber  string `json:"cardNumber"`
	CardDate    string `json:"cardDate"`
	CardName    string `json:"cardName"`
	CountryCode string `json:"countryCode"`
}

func (c *testCard) info() *cardInfo {
	return &cardInfo{CardNumber: c.masked(), CardDate: c.expiry, CardName: c.name, CountryCode: c.country}
}

// tokenCard describes a saved-card token (token API and tokenResult).
type tokenCard struct {
	Status     string `json:"status"`
	Token      string `json:"token"`
	CardName   string `json:"card_name"`
	CardNumber string `json:"card_number"`
	CardDate   string `json:"card_date"`
	CardType   string `json:"card_type"`
}

func (c *testCard) saved(token string) tokenCard {
	return tokenCard{Status: "active", Token: token, CardName: c.name, CardNumber: c.masked(), CardDate: c.expiry, CardType: c.kind}
}

// tokenResultJSON is the tokenResult member of a v1.1 IPN or status
// answer: a JSON document carried as a string.
func tokenResultJSON(card tokenCard) string {
	return string(mustJSON(struct {
		Status  int       `json:"status"`
		Message string    `json:"message"`
		Card    tokenCard `json:"card"`
	}{codeSuccess, messageSuccess, card}))
}
