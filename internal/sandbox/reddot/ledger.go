package reddot

import "fmt"

// Merchant API reason codes. RDP documents only "00" (accepted); the
// failure codes are the emulator's own, each paired with a reason_msg.
const (
	reasonAccepted    = "00"
	reasonBadRequest  = "01" // missing or malformed field
	reasonBadSig      = "02"
	reasonUnknownMID  = "03"
	reasonNotFound    = "04" // no such transaction for this mid and order
	reasonWrongState  = "05" // the operation is not allowed now
	reasonOverAmount  = "06" // more than can be captured or refunded
	reasonBadCurrency = "07" // not the transaction's currency
	reasonUnsupported = "08" // action the emulator does not offer
)

// ledgerError is a refused Merchant API operation.
type ledgerError struct {
	reason, msg string
}

// Error returns the reason code and message.
func (e *ledgerError) Error() string { return e.reason + ": " + e.msg }

func refuse(reason, format string, args ...any) *ledgerError {
	return &ledgerError{reason: reason, msg: fmt.Sprintf(format, args...)}
}

// capture settles amount (at most what was authorized; partial allowed,
// once) of an authorized pre-auth.
func (p *payment) capture(amount int64) *ledgerError {
	if p.Status != payAuthorized {
		return refuse(reasonWrongState, "only an authorized pre-auth (payment_type A) can be captured; this transaction is %s", p.stateName())
	}
	if amount > p.Amount {
		return refuse(reasonOverAmount, "amount %s is more than the authorized %s", formatAmount(amount, p.Ccy), formatAmount(p.Amount, p.Ccy))
	}
	p.Status, p.Captured = payCaptured, amount
	return nil
}

// void cancels an authorized pre-auth before capture.
func (p *payment) void() *ledgerError {
	if p.Status != payAuthorized {
		return refuse(reasonWrongState, "only an authorized pre-auth not yet captured can be voided; this transaction is %s", p.stateName())
	}
	p.Status = payVoided
	return nil
}

// refund returns amount of what was captured; refunds add up to at most
// the captured amount, and partial and repeated refunds are allowed.
func (p *payment) refund(amount int64) *ledgerError {
	if p.Status != payCaptured {
		return refuse(reasonWrongState, "only a captured transaction can be refunded; this transaction is %s", p.stateName())
	}
	if left := p.Captured - p.Refunded; amount > left {
		return refuse(reasonOverAmount, "amount %s is more than the %s left to refund", formatAmount(amount, p.Ccy), formatAmount(left, p.Ccy))
	}
	p.Refunded += amount
	if p.Refunded == p.Captured {
		p.Status = payRefunded
	}
	return nil
}

// stateName describes p's status for messages.
func (p *payment) stateName() string {
	if p.Status == payRefunded {
		return "fully refunded"
	}
	return string(p.Status)
}
