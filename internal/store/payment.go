package store

import (
	"fmt"
	"time"

	"github.com/payhost/payhost/plugin"
)

// Payment is one payment as the host keeps it. Amounts are int64 minor
// units of Currency.
type Payment struct {
	// ID is "pay_…"; InsertPayment assigns one when empty.
	ID         string
	MerchantID string
	// Amount is what the merchant asked for, in minor units of Currency.
	Amount   int64
	Currency string
	Method   plugin.PaymentMethod
	Capture  plugin.CaptureMode
	Status   plugin.PaymentStatus

	Reference   string
	Description string
	ReturnURL   string
	// Customer is nil when the merchant sent none.
	Customer *plugin.Customer
	// Card is what may be kept of the card: first six and last four
	// digits, expiry and brand. HolderName is not stored.
	Card *plugin.CardInfo
	// TokenID is the token paid with (method token).
	TokenID string

	// ProviderInstance is the provider instance's address, "type.name".
	ProviderInstance string
	// ProviderReference is the gateway's id for the payment.
	ProviderReference string
	// Route is the name of the merchant's route that chose the provider.
	Route      string
	NextAction *plugin.NextAction

	// AmountAuthorized is what the gateway holds or took; AmountCaptured ≤
	// AmountAuthorized; AmountRefunded ≤ AmountCaptured counts succeeded and
	// pending refunds. AmountRefunded is the store's: only ReserveRefund and
	// FinishRefund change it, UpdatePayment leaves it alone.
	AmountAuthorized int64
	AmountCaptured   int64
	AmountRefunded   int64

	FailureCode    string
	FailureMessage string
	Metadata       map[string]string

	// NextSyncAt is when the reconciler should next ask the provider where
	// the payment stands (status processing or unknown); zero when never.
	NextSyncAt time.Time
	// SyncAttempts counts the status queries so far (ClaimSyncDue adds one).
	SyncAttempts int

	// Version starts at 1 and grows with every write; UpdatePayment writes
	// only when it still matches.
	Version   int64
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Money returns amount minor units in the payment's currency.
func (p *Payment) Money(amount int64) plugin.Money {
	return plugin.Money{Amount: amount, Currency: p.Currency}
}

// Validate checks what every write of a payment must hold: a merchant, a
// known currency and a non-negative amount, a known method, capture mode and
// status, and the money invariants (which return an *InvariantError).
// InsertPayment and UpdatePayment call it.
func (p *Payment) Validate() error {
	if err := p.Money(p.Amount).Validate(); err != nil {
		return fmt.Errorf("payment %s: %w", p.ID, err)
	}
	switch {
	case p.MerchantID == "":
		return fmt.Errorf("payment %s: merchant id is empty", p.ID)
	case !p.Method.Valid():
		return fmt.Errorf("payment %s: method %q is not a payment method", p.ID, p.Method)
	case !p.Capture.Valid():
		return fmt.Errorf("payment %s: capture %q is not a capture mode", p.ID, p.Capture)
	case !p.Status.Valid():
		return fmt.Errorf("payment %s: status %q is not a payment status", p.ID, p.Status)
	}
	return p.checkAmounts()
}

// checkAmounts checks the money invariants of p as it would be written.
func (p *Payment) checkAmounts() error {
	switch {
	case p.AmountAuthorized < 0 || p.AmountCaptured < 0 || p.AmountRefunded < 0:
		return fmt.Errorf("payment %s: amounts must not be negative", p.ID)
	case p.AmountCaptured > p.AmountAuthorized:
		return &InvariantError{PaymentID: p.ID, Reason: fmt.Sprintf(
			"capture of %s would exceed the authorized amount %s",
			p.Money(p.AmountCaptured), p.Money(p.AmountAuthorized))}
	case p.AmountRefunded > p.AmountCaptured:
		return &InvariantError{PaymentID: p.ID, Reason: fmt.Sprintf(
			"captured amount %s would be less than the amount refunded %s",
			p.Money(p.AmountCaptured), p.Money(p.AmountRefunded))}
	}
	return nil
}
