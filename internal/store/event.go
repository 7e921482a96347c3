package store

import (
	"encoding/json"
	"time"
)

// Event is a merchant event in the outbox. It is appended in the same
// transaction as the change it reports, then claimed, delivered and retried
// by internal/webhook until the merchant answers 2xx or delivery is given
// up. It keeps its id across retries.
type Event struct {
	// ID is "evt_…"; AppendEvent assigns one when empty.
	ID         string
	MerchantID string
	// Type is what happened: "payment.succeeded", "refund.succeeded", ….
	Type string
	// Payload is the event's data, JSON, kept byte for byte.
	Payload   json.RawMessage
	CreatedAt time.Time
	// NextAttemptAt is when the event is due; AppendEvent makes a zero one
	// now.
	NextAttemptAt time.Time
	// Attempts counts the delivery attempts so far.
	Attempts int
	// DeliveredAt is when the merchant answered 2xx; zero until then.
	DeliveredAt time.Time
	// FailedAt is when delivery was given up; zero otherwise.
	FailedAt time.Time
	// LeaseOwner is the deliverer that claimed the event, until
	// LeaseExpiresAt; empty when unclaimed.
	LeaseOwner     string
	LeaseExpiresAt time.Time
}

// DeliveryAttempt is one try to deliver an event.
type DeliveryAttempt struct {
	EventID string
	// Attempt is 1 for the first try.
	Attempt int
	At      time.Time
	// HTTPStatus is the merchant's answer; 0 when there was none.
	HTTPStatus int
	// Error says why the attempt failed (no secret in it); empty on 2xx.
	Error    string
	Duration time.Duration
}

// DeliveryResult is what a delivery attempt came to, for RecordDelivery
// and RecordDeliveries.
type DeliveryResult struct {
	EventID string
	// Owner is the lease owner that claimed the event.
	Owner      string
	HTTPStatus int
	Error      string
	Duration   time.Duration
	// Delivered is set when the merchant answered 2xx.
	Delivered bool
	// RetryAt is when to try again when not delivered; zero gives up.
	RetryAt time.Time
}
