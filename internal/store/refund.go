package store

import (
	"time"

	"github.com/payhost/payhost/plugin"
)

// Refund is part or all of a payment's captured amount given back. A
// refund is created pending by ReserveRefund, which counts its amount in
// the payment's AmountRefunded at once, and settled by FinishRefund.
type Refund struct {
	// ID is "re_…"; ReserveRefund assigns one when empty.
	ID        string
	PaymentID string
	// Amount is in minor units of Currency, which must be the payment's.
	Amount   int64
	Currency string
	Status   plugin.RefundStatus
	Reason   string
	// ProviderRefundReference is the gateway's id for the refund.
	ProviderRefundReference string
	FailureCode             string
	FailureMessage          string
	// NextSyncAt is when the reconciler next asks the provider about a
	// pending refund (ClaimRefundsDue); zero: never. ReserveRefund keeps
	// the caller's; ScheduleRefund changes it.
	NextSyncAt time.Time
	// SyncAttempts counts the claims of the refund for a status query.
	SyncAttempts int
	CreatedAt    time.Time
	UpdatedAt    time.Time
}
