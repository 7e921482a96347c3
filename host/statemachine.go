package host

import (
	"fmt"
	"slices"
	"time"

	"github.com/payhost/payhost/internal/store"
	"github.com/payhost/payhost/plugin"
)

// The payment state machine. Every status change of a payment, whoever
// reports it (the answer to a call, a status query, a gateway callback),
// goes through apply, which allows only the moves declared here.

const (
	requiresAction = plugin.StatusRequiresAction
	processing     = plugin.StatusProcessing
	authorized     = plugin.StatusAuthorized
	succeeded      = plugin.StatusSucceeded
	failed         = plugin.StatusFailed
	canceled       = plugin.StatusCanceled
	reversed       = plugin.StatusReversed
	expired        = plugin.StatusExpired
	unknown        = plugin.StatusUnknown
)

// transitions declares, for each status, the statuses a payment in it may
// move to. Staying in a status is not a move. Terminal statuses (failed,
// canceled, reversed, expired) move nowhere; succeeded never moves back to
// authorized or processing.
var transitions = map[plugin.PaymentStatus][]plugin.PaymentStatus{
	// Pending at the gateway: anything it decides.
	requiresAction: {processing, authorized, succeeded, failed, canceled, expired, unknown},
	processing:     {requiresAction, authorized, succeeded, failed, canceled, expired, unknown},
	// Unknown: whatever the provider's truth is (see canMove for what a
	// payment's amounts rule out).
	unknown: {requiresAction, processing, authorized, succeeded, failed, canceled, expired, reversed},
	// Captured, voided or lost; unknown when a capture or void's outcome
	// is.
	authorized: {succeeded, canceled, failed, unknown},
	// Reversed; unknown when a reversal's outcome is.
	succeeded: {reversed, unknown},
	failed:    nil,
	canceled:  nil,
	reversed:  nil,
	expired:   nil,
}

// terminal reports whether a payment in status s never moves again.
func terminal(s plugin.PaymentStatus) bool { return len(transitions[s]) == 0 }

// pending reports whether the reconciler asks the provider about a payment
// in status s.
func pending(s plugin.PaymentStatus) bool { return s == processing || s == unknown }

// canMove reports whether payment p may move to status to. Besides the
// table, a payment left unknown by a capture, void or reversal cannot
// move back past what its amounts say it reached: money captured stays
// captured (succeeded or reversed), money authorized is never pending
// again.
func canMove(p *store.Payment, to plugin.PaymentStatus) bool {
	if !slices.Contains(transitions[p.Status], to) {
		return false
	}
	if p.Status == unknown {
		switch {
		case p.AmountCaptured > 0:
			return to == succeeded || to == reversed
		case p.AmountAuthorized > 0:
			return to != requiresAction && to != processing
		}
	}
	return true
}

// moveError is a status change the state machine does not allow, or a
// report it cannot trust.
type moveError struct {
	from, to plugin.PaymentStatus
	// reason is set for a report whose amounts are not the payment's.
	reason string
}

func (e *moveError) Error() string {
	if e.reason != "" {
		return e.reason
	}
	return fmt.Sprintf("a %s payment cannot become %s", e.from, e.to)
}

// apply moves p to the status r reports, with what comes with it: amounts,
// the gateway's reference, the next action, card details, failure. It
// returns whether the status changed, and a *moveError (p unchanged) when
// the move is not allowed or r's amounts are not p's. captured is the
// amount captured when r says succeeded without saying how much (the
// capture's amount); zero means all that is authorized. now and s schedule
// the status query of a payment left pending or waiting for its customer.
func apply(p *store.Payment, r *plugin.PaymentResult, captured int64, now time.Time, s schedule) (bool, error) {
	to := r.Status
	if !to.Valid() {
		return false, &moveError{from: p.Status, to: to, reason: fmt.Sprintf("the provider reports status %q, which is not a payment status", to)}
	}
	if err := checkAmounts(p, r); err != nil {
		return false, err
	}
	if to == p.Status {
		if !terminal(to) {
			details(p, r)
		}
		return false, nil
	}
	if !canMove(p, to) {
		return false, &moveError{from: p.Status, to: to}
	}
	next := *p
	next.Status = to
	details(&next, r)
	switch to {
	case authorized:
		next.AmountAuthorized = p.Amount
	case succeeded:
		if next.AmountAuthorized == 0 {
			next.AmountAuthorized = p.Amount
		}
		switch {
		case r.CapturedAmount.Amount > 0:
			next.AmountCaptured = r.CapturedAmount.Amount
		case captured > 0:
			next.AmountCaptured = captured
		default:
			next.AmountCaptured = next.AmountAuthorized
		}
	case failed:
		next.FailureCode, next.FailureMessage = r.FailureCode, r.FailureMessage
	}
	if next.AmountCaptured > next.AmountAuthorized || next.AmountCaptured < next.AmountRefunded {
		return false, &moveError{from: p.Status, to: to, reason: fmt.Sprintf(
			"the provider reports %s captured, but the payment has %s authorized and %s refunded",
			p.Money(next.AmountCaptured), p.Money(next.AmountAuthorized), p.Money(next.AmountRefunded))}
	}
	next.NextSyncAt, next.SyncAttempts = time.Time{}, 0
	switch {
	case pending(to):
		next.NextSyncAt = now.Add(s.firstSync)
	case to == requiresAction:
		next.NextSyncAt = actionDue(&next, now, s.actionAge)
	}
	*p = next
	return true, nil
}

// schedule is when a payment that moves is next asked about: firstSync
// after a move to processing or unknown; for one waiting for its
// customer, when its next action expires, else actionAge after the move.
type schedule struct {
	firstSync, actionAge time.Duration
}

// actionDue is when payment p, waiting for its customer, is asked about:
// when its next action expires, or age after now when it does not say.
func actionDue(p *store.Payment, now time.Time, age time.Duration) time.Time {
	if a := p.NextAction; a != nil && !a.ExpiresAt.IsZero() {
		return store.Timestamp(a.ExpiresAt)
	}
	return now.Add(age)
}

// details copies what comes with a provider's report, whatever the
// status: the gateway's reference, the next action, the card.
func details(p *store.Payment, r *plugin.PaymentResult) {
	if r.ProviderReference != "" {
		p.ProviderReference = r.ProviderReference
	}
	switch {
	case p.Status != requiresAction:
		p.NextAction = nil
	case r.NextAction != nil:
		p.NextAction = r.NextAction
	}
	if r.Card != nil && p.Card == nil {
		info := *r.Card
		info.HolderName = ""
		p.Card = &info
	}
}

// checkAmounts refuses a report whose amount or currency is not the
// payment's: the host does not trust it (a gateway's or plugin's bug, or
// a callback about another payment).
func checkAmounts(p *store.Payment, r *plugin.PaymentResult) error {
	mismatch := func(what string, m plugin.Money) error {
		return &moveError{from: p.Status, to: r.Status, reason: fmt.Sprintf(
			"the provider reports %s %s, but payment %s is %s", what, m, p.ID, p.Money(p.Amount))}
	}
	// A zero amount is one the gateway did not report.
	if a := r.Amount; a.Amount != 0 && (a.Currency != p.Currency || a.Amount != p.Amount) {
		return mismatch("amount", a)
	}
	if c := r.CapturedAmount; c.Amount != 0 && (c.Currency != p.Currency || c.Amount > p.Amount) {
		return mismatch("captured amount", c)
	}
	return nil
}

// eventType is the merchant event of a payment that moved to status s, or
// "" for none (processing is not news).
func eventType(s plugin.PaymentStatus) string {
	if s == processing {
		return ""
	}
	return "payment." + string(s)
}
