package store

import (
	"fmt"
	"time"

	"github.com/payhost/payhost/plugin"
)

// Operation is what an attempt asked a provider to do.
type Operation string

// The operations.
const (
	OpCreate  Operation = "create"
	OpCapture Operation = "capture"
	OpVoid    Operation = "void"
	OpReverse Operation = "reverse"
	OpRefund  Operation = "refund"
	OpSync    Operation = "sync"
)

// Operations lists every Operation.
var Operations = []Operation{OpCreate, OpCapture, OpVoid, OpReverse, OpRefund, OpSync}

// Valid reports whether o is one of Operations.
func (o Operation) Valid() bool { return oneOf(o, Operations) }

// AttemptStatus is where an attempt stands.
type AttemptStatus string

// The attempt statuses.
const (
	// AttemptStarted: written before the plugin is called; an attempt
	// still started after a crash may have reached the gateway.
	AttemptStarted AttemptStatus = "started"
	// AttemptSucceeded: the provider answered (processed or pending).
	AttemptSucceeded AttemptStatus = "succeeded"
	// AttemptFailed: the provider or gateway refused (declined, invalid).
	AttemptFailed AttemptStatus = "failed"
	// AttemptNotSent: the request certainly did not reach the gateway.
	AttemptNotSent AttemptStatus = "not_sent"
	// AttemptUnknown: the gateway may have acted.
	AttemptUnknown AttemptStatus = "unknown"
)

// AttemptStatuses lists every AttemptStatus.
var AttemptStatuses = []AttemptStatus{AttemptStarted, AttemptSucceeded, AttemptFailed, AttemptNotSent, AttemptUnknown}

// Valid reports whether s is one of AttemptStatuses.
func (s AttemptStatus) Valid() bool { return oneOf(s, AttemptStatuses) }

// Attempt is one call of a provider for a payment. The engine inserts it
// (AttemptStarted) before calling the plugin and finishes it after.
type Attempt struct {
	// ID is "att_…"; InsertAttempt assigns one when empty. Providers use
	// it as the gateway's order id.
	ID        string
	PaymentID string
	// RefundID is set for OpRefund attempts.
	RefundID string
	// ProviderInstance is the instance called, "type.name".
	ProviderInstance string
	Operation        Operation
	Status           AttemptStatus
	// Amount is the amount of the operation in the payment's minor units
	// (the capture or refund amount); zero when the operation has none.
	Amount int64
	// ErrorKind, ErrorCode and ErrorMessage say why an attempt did not
	// succeed: the plugin's error kind and the gateway's code and message.
	ErrorKind         plugin.ErrorKind
	ErrorCode         string
	ErrorMessage      string
	ProviderReference string
	StartedAt         time.Time
	// FinishedAt is zero while the attempt is started.
	FinishedAt time.Time
}

// Validate checks what InsertAttempt needs: a payment, a provider instance,
// a known operation and status, and a non-negative amount.
func (a *Attempt) Validate() error {
	switch {
	case a.PaymentID == "":
		return fmt.Errorf("attempt %s: payment id is empty", a.ID)
	case a.ProviderInstance == "":
		return fmt.Errorf("attempt %s: provider instance is empty", a.ID)
	case !a.Operation.Valid():
		return fmt.Errorf("attempt %s: operation %q is not an operation", a.ID, a.Operation)
	case !a.Status.Valid():
		return fmt.Errorf("attempt %s: status %q is not an attempt status", a.ID, a.Status)
	case a.Amount < 0:
		return fmt.Errorf("attempt %s: amount %d is negative", a.ID, a.Amount)
	}
	return nil
}

func oneOf[T comparable](v T, all []T) bool {
	for _, a := range all {
		if v == a {
			return true
		}
	}
	return false
}
