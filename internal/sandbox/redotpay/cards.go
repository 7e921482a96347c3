package redotpay

import (
	"errors"
	"fmt"
	"time"
)

// cardStatus is the status of a seed-profile card transaction, as the
// /v1/* answers show it.
type cardStatus string

// The card states: pending and authorized lead on; declined, voided,
// refunded and reversed are terminal.
const (
	cardPending           cardStatus = "pending"
	cardAuthorized        cardStatus = "authorized"
	cardDeclined          cardStatus = "declined"
	cardCaptured          cardStatus = "captured"
	cardPartiallyRefunded cardStatus = "partially_refunded"
	cardRefunded          cardStatus = "refunded"
	cardVoided            cardStatus = "voided"
	cardReversed          cardStatus = "reversed"
)

// Card errors, mapped to /v1 error codes by the handlers.
var (
	errTxnNotFound    = errors.New("transaction not found")
	errInvalidState   = errors.New("invalid transaction state")
	errAmountTooLarge = errors.New("amount too large")
)

// Magic card numbers (documented in doc.go). All pass the Luhn check.
const (
	panDeclined          = "4000000000000002"
	panInsufficientFunds = "4000000000009995"
	panPending           = "4000000000000259"
)

// Decline codes a declined authorization carries.
const (
	declineDoNotHonor        = "do_not_honor"
	declineInsufficientFunds = "insufficient_funds"
)

// cardTxn is one card transaction of the seed profile. Amounts are in the
// currency's minor units; the card number is kept masked only.
type cardTxn struct {
	id          string
	owner       string
	currency    string
	maskedPAN   string
	status      cardStatus
	declineCode string
	requested   int64 // the amount asked for at authorization
	authorized  int64
	captured    int64
	refunded    int64
	createdAt   time.Time
	updatedAt   time.Time
}

// authorizeOutcome decides how a new authorization ends, from the magic
// card numbers and amount tails.
func authorizeOutcome(pan string, amt amount) (cardStatus, string) {
	switch {
	case pan == panDeclined:
		return cardDeclined, declineDoNotHonor
	case pan == panInsufficientFunds, amt.magicTail() == magicDecline:
		return cardDeclined, declineInsufficientFunds
	case pan == panPending:
		return cardPending, ""
	}
	return cardAuthorized, ""
}

// stateError explains why op is not allowed from the current status.
func (t *cardTxn) stateError(op string, allowed ...cardStatus) error {
	return fmt.Errorf("%w: cannot %s a transaction that is %s (allowed from %v)", errInvalidState, op, t.status, allowed)
}

func (t *cardTxn) in(states ...cardStatus) bool {
	for _, s := range states {
		if t.status == s {
			return true
		}
	}
	return false
}

// resolve settles a pending authorization: approved → authorized,
// otherwise declined.
func (t *cardTxn) resolve(approved bool) error {
	if !t.in(cardPending) {
		return t.stateError("resolve", cardPending)
	}
	if approved {
		t.status, t.authorized = cardAuthorized, t.requested
	} else {
		t.status, t.declineCode = cardDeclined, declineDoNotHonor
	}
	return nil
}

// capture takes amount (at most the authorized amount) from an
// authorized transaction: authorized → captured.
func (t *cardTxn) capture(units int64) error {
	if !t.in(cardAuthorized) {
		return t.stateError("capture", cardAuthorized)
	}
	if units > t.authorized {
		return fmt.Errorf("%w: capture amount exceeds the authorized amount", errAmountTooLarge)
	}
	t.captured, t.status = units, cardCaptured
	return nil
}

// void cancels an authorization before capture: authorized → voided.
func (t *cardTxn) void() error {
	if !t.in(cardAuthorized) {
		return t.stateError("void", cardAuthorized)
	}
	t.status = cardVoided
	return nil
}

// refund returns part or all of the captured amount: captured or
// partially refunded → partially refunded or refunded. The refunds never
// add up to more than was captured.
func (t *cardTxn) refund(units int64) error {
	if !t.in(cardCaptured, cardPartiallyRefunded) {
		return t.stateError("refund", cardCaptured, cardPartiallyRefunded)
	}
	if units > t.captured-t.refunded {
		return fmt.Errorf("%w: refunds would exceed the captured amount", errAmountTooLarge)
	}
	t.refunded += units
	t.status = cardPartiallyRefunded
	if t.refunded == t.captured {
		t.status = cardRefunded
	}
	return nil
}

// reverse undoes a captured transaction that has no refunds: captured →
// reversed.
func (t *cardTxn) reverse() error {
	if !t.in(cardCaptured) {
		return t.stateError("reverse", cardCaptured)
	}
	t.status = cardReversed
	return nil
}
