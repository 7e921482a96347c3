package appotapay

// Magic amounts script outcomes that a real sandbox would need a real bank
// for. Every other amount behaves normally: Pay succeeds, refunds succeed.
// doc.go lists them for users.
const (
	// AmountDecline makes Pay on the hosted page fail: the order becomes
	// failed (errorCode 33), no IPN is sent, and the browser returns to
	// redirectUrl with errorCode 33.
	AmountDecline int64 = 10_402
	// AmountStayPending makes Pay leave the order processing (errorCode
	// 34, a "red code": ask again later) with no IPN, until the control
	// API completes or fails it.
	AmountStayPending int64 = 10_034
	// RefundAmountWait makes a refund answer errorCode 129 (wait before
	// another refund).
	RefundAmountWait int64 = 10_129
	// RefundAmountNotRefundable makes a refund answer errorCode 135 (the
	// transaction does not support refund).
	RefundAmountNotRefundable int64 = 10_135
	// RefundAmountFails makes a refund be accepted and then settle as
	// error instead of success.
	RefundAmountFails int64 = 10_500
)

// refundScenario answers the refund amounts that are refused outright.
func refundScenario(amount int64) *apiError {
	switch amount {
	case RefundAmountWait:
		return newError(codeRefundWait, "Please wait 5 minutes before making another refund for this transaction")
	case RefundAmountNotRefundable:
		return newError(codeNotRefundable, "Transaction does not support refund")
	}
	return nil
}

// refundOutcome is the status an accepted refund settles to.
func refundOutcome(amount int64) string {
	if amount == RefundAmountFails {
		return RefundError
	}
	return RefundSuccess
}
