package api

import (
	"errors"
	"fmt"
	"net/http"
)

// ErrorCode is the machine-readable code of an API error.
type ErrorCode string

// The error codes. Each has one HTTP status (see Status).
const (
	// CodeInvalidRequest: a field is missing or wrong; Param names it.
	CodeInvalidRequest ErrorCode = "invalid_request"
	// CodeAuthentication: no or an unknown API key.
	CodeAuthentication ErrorCode = "authentication_failed"
	// CodeNotFound: no such payment, refund or token for this merchant.
	CodeNotFound ErrorCode = "not_found"
	// CodeIdempotencyInProgress: the key's first request is still running.
	CodeIdempotencyInProgress ErrorCode = "idempotency_in_progress"
	// CodeIdempotencyMismatch: the key was used with another request.
	CodeIdempotencyMismatch ErrorCode = "idempotency_mismatch"
	// CodePaymentState: the payment's status does not allow the operation
	// (capture of a payment that is not authorized, say).
	CodePaymentState ErrorCode = "payment_state"
	// CodeAmountTooLarge: a capture above what is authorized, or a refund
	// above what is captured and not yet refunded.
	CodeAmountTooLarge ErrorCode = "amount_too_large"
	// CodeNoRoute: no route or provider can take the payment.
	CodeNoRoute ErrorCode = "no_route"
	// CodeUnsupported: the payment's provider cannot do this.
	CodeUnsupported ErrorCode = "unsupported"
	// CodeCallbackRejected: a gateway callback did not verify.
	CodeCallbackRejected ErrorCode = "callback_rejected"
	// CodeProviderError: the gateway or plugin refused or failed; nothing
	// was done.
	CodeProviderError ErrorCode = "provider_error"
	// CodeProviderUnavailable: no provider could be reached; nothing was
	// sent.
	CodeProviderUnavailable ErrorCode = "provider_unavailable"
	// CodeProviderTimeout: the gateway may have acted; the payment is
	// unknown until the reconciler (or a sync) finds out.
	CodeProviderTimeout ErrorCode = "provider_timeout"
	// CodeInternal: a bug in payhost; the log has the request id.
	CodeInternal ErrorCode = "internal"
)

var codeStatus = map[ErrorCode]int{
	CodeInvalidRequest:        http.StatusBadRequest,
	CodeAuthentication:        http.StatusUnauthorized,
	CodeNotFound:              http.StatusNotFound,
	CodeIdempotencyInProgress: http.StatusConflict,
	CodeIdempotencyMismatch:   http.StatusUnprocessableEntity,
	CodePaymentState:          http.StatusConflict,
	CodeAmountTooLarge:        http.StatusUnprocessableEntity,
	CodeNoRoute:               http.StatusUnprocessableEntity,
	CodeUnsupported:           http.StatusUnprocessableEntity,
	CodeCallbackRejected:      http.StatusUnauthorized,
	CodeProviderError:         http.StatusBadGateway,
	CodeProviderUnavailable:   http.StatusServiceUnavailable,
	CodeProviderTimeout:       http.StatusGatewayTimeout,
	CodeInternal:              http.StatusInternalServerError,
}

// Error is every API error: a code, a sentence that says what to do, and
// the request field at fault.
type Error struct {
	Code    ErrorCode `json:"code"`
	Message string    `json:"message"`
	Param   string    `json:"param,omitempty"`
	// PaymentID is set when the error concerns a payment that was
	// recorded (a timeout leaves it unknown, say).
	PaymentID string `json:"payment_id,omitempty"`
}

// Error renders the code and message.
func (e *Error) Error() string {
	s := string(e.Code) + ": " + e.Message
	if e.Param != "" {
		s += " (param " + e.Param + ")"
	}
	return s
}

// Status is the error's HTTP status.
func (e *Error) Status() int {
	if s, ok := codeStatus[e.Code]; ok {
		return s
	}
	return http.StatusInternalServerError
}

// Errorf returns an *Error with a formatted message.
func Errorf(code ErrorCode, param, format string, args ...any) *Error {
	return &Error{Code: code, Param: param, Message: fmt.Sprintf(format, args...)}
}

// AsError returns err as an *Error, wrapping anything else as internal.
func AsError(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return &Error{Code: CodeInternal, Message: "internal error"}
}
