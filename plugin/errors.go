package plugin

import (
	"errors"
	"fmt"
	"slices"
	"time"
)

// ErrorKind classifies a failure in the way the host must react to it. Kinds
// cross the plugin wire unchanged.
type ErrorKind string

// The error kinds.
const (
	// KindInvalidRequest: the request is wrong; fix it, do not retry as is.
	KindInvalidRequest ErrorKind = "invalid_request"
	// KindAuthentication: the gateway refused the credentials, or a
	// callback's signature did not verify.
	KindAuthentication ErrorKind = "authentication"
	// KindDeclined: the gateway or issuer said no. Code and Message are the
	// gateway's.
	KindDeclined ErrorKind = "declined"
	// KindNotSent: the request certainly did not reach the gateway
	// (connection refused, DNS or TLS failure before the request was
	// written). Safe to try again or elsewhere.
	KindNotSent ErrorKind = "not_sent"
	// KindUnknownOutcome: the gateway may have acted (timeout after the
	// request was sent, a 5xx, an unreadable answer, the plugin died
	// mid-call). Resolve with a status query; never retry blindly.
	KindUnknownOutcome ErrorKind = "unknown_outcome"
	// KindUnsupported: the provider or gateway does not do this.
	KindUnsupported ErrorKind = "unsupported"
	// KindRateLimited: the gateway asked to slow down; nothing was done.
	KindRateLimited ErrorKind = "rate_limited"
	// KindInternal: a bug or an unexpected state in the provider.
	KindInternal ErrorKind = "internal"
	// KindNotFound: the gateway answered a status query (GetPayment,
	// GetRefund) saying it has no record of what the query names: the
	// request that would have made it never reached the gateway, or not
	// yet. Only for the gateway's own "no such payment" answer; a query
	// that could not ask is unknown_outcome or not_sent as usual. The
	// host resolves a payment or refund whose outcome is unknown as never
	// received once the gateway has said this long enough after the call
	// (host.Options.NotFoundAfter).
	KindNotFound ErrorKind = "not_found"
)

// ErrorKinds lists every ErrorKind.
var ErrorKinds = []ErrorKind{
	KindInvalidRequest, KindAuthentication, KindDeclined, KindNotSent,
	KindUnknownOutcome, KindUnsupported, KindRateLimited, KindInternal,
	KindNotFound,
}

// Valid reports whether k is one of ErrorKinds.
func (k ErrorKind) Valid() bool { return oneOf(k, ErrorKinds) }

// Error is how providers report failures, and how the host receives them
// after they crossed the wire: recover it with errors.As.
//
// Messages must never carry secrets or full card numbers; the SDK masks
// anything that looks like a card number before an error leaves a plugin.
type Error struct {
	Kind ErrorKind
	// Code is the gateway's own error or decline code, if it gave one.
	Code string
	// Message is the gateway's message, or a sentence saying what failed.
	Message string
	// Param names the request field at fault, for invalid requests.
	Param string
	// RetryAfter is how long the gateway asked to wait, for rate limits.
	RetryAfter time.Duration
	// Err is the underlying cause, kept on the side that made the error; it
	// does not cross the wire.
	Err error
}

// Error renders the kind, the gateway's code and the message.
func (e *Error) Error() string {
	s := string(e.Kind)
	if e.Code != "" {
		s += " (code " + e.Code + ")"
	}
	if e.Message != "" {
		s += ": " + e.Message
	}
	if e.Param != "" {
		s += " [param " + e.Param + "]"
	}
	return s
}

// Unwrap returns the underlying cause.
func (e *Error) Unwrap() error { return e.Err }

// Is makes errors.Is(err, &plugin.Error{Kind: k}) match any Error of kind
// k, which is how the Err* sentinels below work.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Code == "" && t.Message == "" && t.Kind == e.Kind
}

// Sentinels for errors.Is: errors.Is(err, plugin.ErrDeclined) is true for
// every declined Error.
var (
	ErrInvalidRequest = &Error{Kind: KindInvalidRequest}
	ErrAuthentication = &Error{Kind: KindAuthentication}
	ErrDeclined       = &Error{Kind: KindDeclined}
	ErrNotSent        = &Error{Kind: KindNotSent}
	ErrUnknownOutcome = &Error{Kind: KindUnknownOutcome}
	ErrUnsupported    = &Error{Kind: KindUnsupported}
	ErrRateLimited    = &Error{Kind: KindRateLimited}
	ErrInternal       = &Error{Kind: KindInternal}
	ErrNotFound       = &Error{Kind: KindNotFound}
)

// KindOf returns the kind of err: its Error's kind, "" for nil, and
// KindInternal for any other error.
func KindOf(err error) ErrorKind {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return KindInternal
}

// InvalidRequest reports a request that names a bad field.
func InvalidRequest(param, format string, args ...any) *Error {
	return &Error{Kind: KindInvalidRequest, Param: param, Message: fmt.Sprintf(format, args...)}
}

// Declined reports a decline with the gateway's code and message.
func Declined(code, message string) *Error {
	return &Error{Kind: KindDeclined, Code: code, Message: message}
}

// NotSent reports a request that did not reach the gateway.
func NotSent(cause error, format string, args ...any) *Error {
	return &Error{Kind: KindNotSent, Message: fmt.Sprintf(format, args...), Err: cause}
}

// NotFound reports a status query the gateway answered with "no such
// payment" (or refund): code and message are the gateway's.
func NotFound(code, message string) *Error {
	return &Error{Kind: KindNotFound, Code: code, Message: message}
}

// AsNotFound returns err as kind not_found, the gateway's code and message
// kept, when it is an Error of kind invalid_request whose Code is one of
// codes: a status query's "no such payment" (or refund), which a
// provider's mapping of gateway answers reads as a refusal, as it must in
// any other call. Any other error, nil included, is returned as it is.
//
//	res, err := p.queryOrder(ctx, id)
//	return res, plugin.AsNotFound(err, "ORDER_NOT_FOUND")
func AsNotFound(err error, codes ...string) error {
	var e *Error
	if errors.As(err, &e) && e.Kind == KindInvalidRequest && slices.Contains(codes, e.Code) {
		return NotFound(e.Code, e.Message)
	}
	return err
}

// NotFoundAsInvalid returns err as kind invalid_request naming param, the
// gateway's code and message kept, when it is of kind not_found: for a
// call other than a status query (a capture, a refund, a token call) that
// looked up a payment the gateway does not have, which is the caller's
// mistake, not a payment never received. Any other error, nil included,
// is returned as it is.
func NotFoundAsInvalid(err error, param string) error {
	var e *Error
	if errors.As(err, &e) && e.Kind == KindNotFound {
		inv := GatewayError(KindInvalidRequest, e.Code, e.Message)
		inv.Param = param
		return inv
	}
	return err
}

// UnknownOutcome reports a request whose effect at the gateway is unknown.
func UnknownOutcome(cause error, format string, args ...any) *Error {
	return &Error{Kind: KindUnknownOutcome, Message: fmt.Sprintf(format, args...), Err: cause}
}

// Unsupported reports an operation the provider does not do.
func Unsupported(operation Operation) *Error {
	return &Error{Kind: KindUnsupported, Message: fmt.Sprintf("this provider does not support %s", operation)}
}

// AuthenticationFailed reports refused credentials or a bad signature.
func AuthenticationFailed(code, message string) *Error {
	return &Error{Kind: KindAuthentication, Code: code, Message: message}
}

// GatewayError reports a gateway answer with its code and message under the
// given kind.
func GatewayError(kind ErrorKind, code, message string) *Error {
	return &Error{Kind: kind, Code: code, Message: message}
}
