package host

import (
	"errors"
	"fmt"

	"github.com/payhost/payhost/api"
	"github.com/payhost/payhost/internal/store"
	"github.com/payhost/payhost/plugin"
)

// refusal is an *api.Error returned before the request did anything: its
// idempotency key is released, so that the request may be sent again.
type refusal struct{ err *api.Error }

func (r *refusal) Error() string { return r.err.Error() }
func (r *refusal) Unwrap() error { return r.err }

// refuse returns an error that refuses the request before any work.
func refuse(code api.ErrorCode, param, format string, args ...any) error {
	return &refusal{api.Errorf(code, param, format, args...)}
}

// notFound refuses a request about a record the merchant does not have.
func notFound(what, id string) error {
	return refuse(api.CodeNotFound, "", "no such %s: %s", what, id)
}

// isConflict reports whether err is the store's lost race.
func isConflict(err error) bool { return errors.Is(err, store.ErrConflict) }

// isNotFound reports whether err is the store's not found.
func isNotFound(err error) bool { return errors.Is(err, store.ErrNotFound) }

// outcome is what a provider call came to, as the engine must react to it.
type outcome int

const (
	// outcomeOK: the provider answered.
	outcomeOK outcome = iota
	// outcomeNotSent: nothing reached the gateway, or the gateway did
	// nothing (not_sent, rate_limited); safe to try again or elsewhere.
	outcomeNotSent
	// outcomeRefused: the gateway or provider said no and did nothing
	// (declined, invalid_request, unsupported, authentication).
	outcomeRefused
	// outcomeUnknown: the gateway may have acted (unknown_outcome, and
	// internal, which may come after the gateway answered); only a status
	// query can tell.
	outcomeUnknown
)

// classify returns the outcome of a provider call that returned err.
func classify(err error) outcome {
	switch plugin.KindOf(err) {
	case "":
		return outcomeOK
	case plugin.KindNotSent, plugin.KindRateLimited:
		return outcomeNotSent
	case plugin.KindDeclined, plugin.KindInvalidRequest, plugin.KindUnsupported, plugin.KindAuthentication,
		plugin.KindNotFound:
		// not_found is a status query's answer; from any other call it
		// still says the gateway has nothing to act on, so it did nothing.
		return outcomeRefused
	}
	return outcomeUnknown
}

// pluginError returns err as a *plugin.Error (an error that is not one is
// internal, with its text as the message).
func pluginError(err error) *plugin.Error {
	var perr *plugin.Error
	if errors.As(err, &perr) {
		return perr
	}
	return &plugin.Error{Kind: plugin.KindInternal, Message: err.Error()}
}

// failureOf returns the gateway's code (or the error kind) and message of
// a failed call.
func failureOf(err error) (code, message string) {
	perr := pluginError(err)
	code = perr.Code
	if code == "" {
		code = string(perr.Kind)
	}
	return code, perr.Message
}

// providerError is the API's answer to a follow-up operation (capture,
// refund, ...) on paymentID that the provider did not carry out.
func providerError(err error, provider string, op plugin.Operation, paymentID string) *api.Error {
	perr := pluginError(err)
	e := &api.Error{Code: api.CodeProviderError, PaymentID: paymentID}
	switch classify(err) {
	case outcomeNotSent:
		e.Code = api.CodeProviderUnavailable
	case outcomeUnknown:
		e.Code = api.CodeProviderTimeout
	}
	if perr.Kind == plugin.KindUnsupported {
		e.Code = api.CodeUnsupported
	}
	e.Message = fmt.Sprintf("provider %s did not %s: %s", provider, op, perr.Error())
	return e
}
