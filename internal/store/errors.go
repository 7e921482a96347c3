package store

import (
	"errors"
	"fmt"
)

// The store's errors. Methods wrap them with the id concerned, so test with
// errors.Is.
var (
	// ErrNotFound: no such record.
	ErrNotFound = errors.New("not found")
	// ErrConflict: the write lost a race (the record changed since it was
	// read, is no longer in the state the write expects, or the caller's
	// lease was taken over) or would duplicate an existing record. Re-read
	// and decide again.
	ErrConflict = errors.New("conflict")
	// ErrInvariant: the write would break a money invariant; the error is
	// an *InvariantError that says which.
	ErrInvariant = errors.New("money invariant")
)

// InvariantError reports a write refused because it would break a money
// invariant of a payment: captured ≤ authorized, refunded ≤ captured.
type InvariantError struct {
	PaymentID string
	// Reason names the limit, in a sentence for people: "refund of 6.00
	// USD would exceed the captured amount 10.00 USD (already refunded 5.00
	// USD)".
	Reason string
}

// Error returns the payment id and the reason.
func (e *InvariantError) Error() string {
	return fmt.Sprintf("payment %s: %s", e.PaymentID, e.Reason)
}

// Is makes errors.Is(err, ErrInvariant) true.
func (e *InvariantError) Is(target error) bool { return target == ErrInvariant }
