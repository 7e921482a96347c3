package redotpay

import (
	"errors"
	"time"
)

// orderStatus is the Connect orderStatus value (GATEWAYS.md §1.4).
type orderStatus int

// The order states. Paid and closed are terminal; a failed attempt leaves
// the order payable.
const (
	statusPending orderStatus = 1
	statusPaid    orderStatus = 2
	statusFailed  orderStatus = 3
	statusClosed  orderStatus = 4
)

// profile says which API an order was created through; it decides the
// shape of its webhook.
type profile string

const (
	profileConnect profile = "connect"
	profileSeed    profile = "seed"
)

// Order errors, mapped to each profile's error codes by its handlers.
var (
	errOrderNotFound  = errors.New("order not found")
	errOrderPaid      = errors.New("order is already paid")
	errOrderClosed    = errors.New("order is closed")
	errOrderNotPaid   = errors.New("order is not paid")
	errDuplicateOrder = errors.New("an order with this merchant order id already exists")
	errRefundTooLarge = errors.New("refund amount exceeds what is left to refund")
)

// amount is exact: units / 10^scale major units. Connect amounts have
// scale 6; the seed's integer amounts have scale 0.
type amount struct {
	units int64
	scale int
}

// String renders the amount as Connect and the seed write it: a plain
// decimal without trailing zeros.
func (a amount) String() string { return formatFixed(a.units, a.scale, true) }

// magicTail is the pair of digits that selects a scripted outcome: the
// cents of a decimal amount (10.51 gives 51), or the last two digits of a
// whole-number amount (1051 gives 51).
func (a amount) magicTail() int64 {
	if a.scale < 2 {
		return a.units % 100
	}
	return a.units / pow10(a.scale-2) % 100
}

// Magic amount tails (documented in doc.go).
const (
	magicDecline = 51 // every payment attempt on the hosted page fails
	magicReject  = 52 // the create call is refused by risk control
)

// order is one payment order of either profile.
type order struct {
	sn          string
	profile     profile
	owner       string // Connect appKey or seed merchant code
	merchantRef string // outerOrderSn or ref_no
	outerUID    string
	amount      amount
	rateExtra   int64 // micro-units
	currency    string
	env         string
	desc        string
	manual      bool
	redirectURL string
	notifyURL   string

	status    orderStatus
	expired   bool // closed by timeExpire rather than by the merchant
	txID      string
	createdAt time.Time
	expiresAt time.Time
	paidAt    time.Time
	refunded  int64 // units, same scale as amount
}

// expireIfDue closes a payable order whose expiry has passed on the
// emulator's clock.
func (o *order) expireIfDue(now time.Time) {
	if o.payable() == nil && !now.Before(o.expiresAt) {
		o.status, o.expired = statusClosed, true
	}
}

// payable reports why the order cannot take a payment, or nil.
func (o *order) payable() error {
	switch o.status {
	case statusPaid:
		return errOrderPaid
	case statusClosed:
		return errOrderClosed
	}
	return nil
}

// pay records a successful payment: 1 or 3 → 2.
func (o *order) pay(now time.Time, txID string) error {
	if err := o.payable(); err != nil {
		return err
	}
	o.status, o.paidAt, o.txID = statusPaid, now, txID
	return nil
}

// failAttempt records a failed payment attempt: 1 or 3 → 3.
func (o *order) failAttempt() error {
	if err := o.payable(); err != nil {
		return err
	}
	o.status = statusFailed
	return nil
}

// close is the merchant's close: 1 or 3 → 4. Closing a closed order again
// succeeds; closing a paid one fails.
func (o *order) close() error {
	if o.status == statusPaid {
		return errOrderPaid
	}
	o.status = statusClosed
	return nil
}

// expire makes timeExpire pass now: 1 or 3 → 4.
func (o *order) expire(now time.Time) error {
	if err := o.payable(); err != nil {
		return err
	}
	o.expiresAt = now
	o.status, o.expired = statusClosed, true
	return nil
}

// refund books a refund of units against a paid order.
func (o *order) refund(units int64) error {
	if o.status != statusPaid {
		return errOrderNotPaid
	}
	if units <= 0 || units > o.amount.units-o.refunded {
		return errRefundTooLarge
	}
	o.refunded += units
	return nil
}

func pow10(n int) int64 {
	p := int64(1)
	for ; n > 0; n-- {
		p *= 10
	}
	return p
}
