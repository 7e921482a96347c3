package redotpay

import (
	"time"

	"github.com/payhost/payhost/internal/sandbox/emukit"
)

// The seed names the /v1/* request bodies but gives no answers; these
// answer shapes are the emulator's design (doc.go). Amounts are decimal
// strings with the currency's minor-unit decimals, as in the seed's
// requests.

// authorizeRequest is the body of POST /v1/authorize. currency is an
// emulator extension (default USD); the seed sends only amount and
// card_number.
type authorizeRequest struct {
	Amount     string `json:"amount"`
	CardNumber string `json:"card_number"`
	Currency   string `json:"currency"`
}

// txnRequest is the body of /v1/capture, /v1/refund, /v1/void and
// /v1/reversal. amount is optional for capture and refund (the whole
// remaining amount); currency, when sent, must match the transaction's.
type txnRequest struct {
	TransactionID string `json:"transaction_id"`
	Amount        string `json:"amount"`
	Currency      string `json:"currency"`
}

// txnResponse is a card transaction as every /v1/* success answers it.
type txnResponse struct {
	TransactionID    string     `json:"transaction_id"`
	Status           cardStatus `json:"status"`
	Currency         string     `json:"currency"`
	Card             string     `json:"card"`
	Amount           string     `json:"amount"`
	AuthorizedAmount string     `json:"authorized_amount"`
	CapturedAmount   string     `json:"captured_amount"`
	RefundedAmount   string     `json:"refunded_amount"`
	DeclineCode      string     `json:"decline_code,omitempty"`
	CreatedAt        string     `json:"created_at"`
	UpdatedAt        string     `json:"updated_at"`
}

// cardError is every /v1/* error answer. A decline also carries the
// stored transaction's id and status.
type cardError struct {
	Code          string     `json:"code"`
	Message       string     `json:"message"`
	Param         string     `json:"param,omitempty"`
	TransactionID string     `json:"transaction_id,omitempty"`
	Status        cardStatus `json:"status,omitempty"`
	DeclineCode   string     `json:"decline_code,omitempty"`
}

// The /v1/* error codes.
const (
	cardCodeInvalidRequest = "invalid_request"
	cardCodeUnauthorized   = "unauthorized"
	cardCodeNotFound       = "not_found"
	cardCodeInvalidState   = "invalid_state"
	cardCodeAmountTooLarge = "amount_exceeds_limit"
	cardCodeDeclined       = "card_declined"
)

func newTxnResponse(t cardTxn) txnResponse {
	scale := currencyExponent(t.currency)
	return txnResponse{
		TransactionID:    t.id,
		Status:           t.status,
		Currency:         t.currency,
		Card:             t.maskedPAN,
		Amount:           formatFixed(t.requested, scale, false),
		AuthorizedAmount: formatFixed(t.authorized, scale, false),
		CapturedAmount:   formatFixed(t.captured, scale, false),
		RefundedAmount:   formatFixed(t.refunded, scale, false),
		DeclineCode:      t.declineCode,
		CreatedAt:        t.createdAt.UTC().Format(time.RFC3339),
		UpdatedAt:        t.updatedAt.UTC().Format(time.RFC3339),
	}
}

// validate checks an authorization and returns the amount in minor units.
func (r *authorizeRequest) validate() (int64, error) {
	if r.Currency == "" {
		r.Currency = "USD"
	}
	if err := checkCurrency("currency", r.Currency); err != nil {
		return 0, err
	}
	units, err := decimalString("amount", r.Amount, r.Currency, true)
	if err != nil {
		return 0, err
	}
	return units, checkCardNumber(r.CardNumber)
}

// decimalString parses a /v1 decimal-string amount in currency's minor
// units. An absent optional amount is returned as -1.
func decimalString(field, s, currency string, required bool) (int64, error) {
	if s == "" {
		if required {
			return 0, fieldErrorf(field, "is required")
		}
		return -1, nil
	}
	units, err := parseFixed(s, maxIntDigits, currencyExponent(currency))
	if err != nil {
		return 0, &fieldError{field: field, msg: err.Error()}
	}
	if units == 0 {
		return 0, fieldErrorf(field, "must be greater than zero")
	}
	return units, nil
}

// checkCardNumber requires 12 to 19 digits that pass the Luhn check. Its
// errors never repeat the number.
func checkCardNumber(pan string) error {
	switch {
	case pan == "":
		return fieldErrorf("card_number", "is required")
	case len(pan) < 12 || len(pan) > 19 || !allDigits(pan):
		return fieldErrorf("card_number", "must be 12 to 19 digits")
	case !emukit.LuhnValid(pan):
		return fieldErrorf("card_number", "fails the Luhn check")
	}
	return nil
}
