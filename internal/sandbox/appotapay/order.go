package appotapay

import (
	"fmt"
	"slices"
	"time"
)

// orderState is where a payment order is in its life. AppotaPay itself
// only reports errorCodes; the states are the emulator's model of them.
type orderState string

const (
	// statePending: created, the customer has not paid (errorCode 35).
	statePending orderState = "pending"
	// stateProcessing: the customer paid but the bank has not confirmed
	// (errorCode 34).
	stateProcessing orderState = "processing"
	// statePaid: the payment succeeded (errorCode 0). Terminal.
	statePaid orderState = "paid"
	// stateFailed: the payment was declined (errorCode 33). Terminal.
	stateFailed orderState = "failed"
	// stateCancelled: the customer cancelled on the payment page
	// (errorCode 33). Terminal.
	stateCancelled orderState = "cancelled"
	// stateExpired: the payment link expired unpaid (errorCode 33).
	// Terminal.
	stateExpired orderState = "expired"
)

// transitions are the moves the order state machine allows; terminal
// states have none.
var transitions = map[orderState][]orderState{
	statePending:    {stateProcessing, statePaid, stateFailed, stateCancelled, stateExpired},
	stateProcessing: {statePaid, stateFailed, stateExpired},
}

// apiVersion says which API version created an order; it decides the
// shape of its notifications.
type apiVersion string

const (
	version10 apiVersion = "1.0"
	version11 apiVersion = "1.1"
	version20 apiVersion = "2.0"
)

// Create-payment actions (v1.1 and v2).
const (
	actionPay            = "PAY"
	actionPayReturnToken = "PAY_WITH_RETURN_TOKEN"
	actionPayWithToken   = "PAY_WITH_TOKEN"
)

// Fixed values of AppotaPay's wire format.
const (
	currencyVND             = "VND"
	paymentTypeWeb          = "WEB"
	paymentMethodAll        = "ALL"
	paymentMethodATM        = "ATM"
	paymentMethodCreditCard = "CC"
)

// order is one payment order. Values of this type are copies handed out
// by the store; only the store mutates its own.
type order struct {
	Partner       *Partner
	Version       apiVersion
	OrderID       string
	TransID       string
	Amount        int64
	OrderInfo     string
	ClientIP      string
	NotifyURL     string
	RedirectURL   string
	PaymentMethod string
	BankCode      string
	Action        string
	Token         string
	ExtraData     string
	State         orderState
	CreatedAt     time.Time
	UpdatedAt     time.Time
	// Card is the test card the customer paid with (card methods only).
	Card *testCard
	// SavedToken is the token issued when a PAY_WITH_RETURN_TOKEN order
	// was paid.
	SavedToken string
}

// moveTo moves the order to state to at now, if the state machine allows.
func (o *order) moveTo(to orderState, now time.Time) error {
	if !slices.Contains(transitions[o.State], to) {
		return fmt.Errorf("order %q is %s and cannot become %s", o.OrderID, o.State, to)
	}
	o.State = to
	o.UpdatedAt = now
	return nil
}

// result is the errorCode and message a status check, IPN or redirect
// reports for the order's state. Codes 34 and 35 are AppotaPay's "not
// final yet, ask again" codes; any other non-zero code is a failure.
func (o *order) result() (int, string) {
	switch o.State {
	case statePaid:
		return codeSuccess, messageSuccess
	case stateProcessing:
		return codeProcessing, "The transaction is being processed, please check again later"
	case stateFailed:
		return codeTransactionFailed, "Transaction failed: the card was declined"
	case stateCancelled:
		return codeTransactionFailed, "Transaction failed: cancelled by the customer"
	case stateExpired:
		return codeTransactionFailed, "Transaction failed: the payment link expired"
	default:
		return codePending, "The transaction is pending payment"
	}
}

// transactionTs is the time the result refers to: payment (or failure)
// time once the order has moved, else creation time.
func (o *order) transactionTs() int64 {
	if o.State == statePending {
		return o.CreatedAt.Unix()
	}
	return o.UpdatedAt.Unix()
}

// refund is one refund of a paid order.
type refund struct {
	// ID is AppotaPay's refund id (refundId in answers).
	ID string
	// PartnerRefID is the partner's refund id (refundOriginalId).
	PartnerRefID string
	PartnerCode  string
	TransID      string
	Amount       int64
	Reason       string
	Status       string
	CreatedAt    time.Time
	// Outcome is the status the refund settles to: success or error.
	Outcome string
	// SettleAt is when it settles on its own; zero means only through the
	// control API.
	SettleAt time.Time
	// SettledAt is when it reached success or error.
	SettledAt time.Time
}

// final reports whether the refund has settled.
func (r *refund) final() bool {
	return r.Status == RefundSuccess || r.Status == RefundError
}

// settle moves a refund whose time has come to its outcome.
func (r *refund) settle(now time.Time) {
	if !r.final() && !r.SettleAt.IsZero() && !now.Before(r.SettleAt) {
		r.Status, r.SettledAt = r.Outcome, r.SettleAt
	}
}
