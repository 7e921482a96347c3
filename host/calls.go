package host

import (
	"context"
	"time"

	"github.com/payhost/payhost/internal/store"
	"github.com/payhost/payhost/plugin"
)

// call runs one call of a provider's plugin and reports it to the
// observer. The call is detached from ctx's cancellation: a caller that
// stops waiting must not cut a payment call in half, which would leave its
// outcome unknown. The plugin host's call timeout bounds it.
func call[Resp any](h *Host, ctx context.Context, p *provider, op plugin.Operation, send func(context.Context, plugin.Provider) (Resp, error)) (Resp, error) {
	h.opts.Hooks.beforeCall(p.addr, op)
	start := time.Now()
	resp, err := send(context.WithoutCancel(ctx), p.inst)
	result := ResultOK
	if err != nil {
		result = string(plugin.KindOf(err))
		h.logger(ctx).Info("provider call failed", "provider", p.addr, "operation", op, "kind", result, "error", err)
	}
	h.observer.ProviderCall(p.addr, op, result, time.Since(start))
	return resp, err
}

// startedAttempt returns a new attempt of operation op on payment p at
// provider, to insert before the call.
func startedAttempt(p *store.Payment, provider string, op store.Operation, amount int64) *store.Attempt {
	return &store.Attempt{
		ID:               store.NewID(store.PrefixAttempt),
		PaymentID:        p.ID,
		ProviderInstance: provider,
		Operation:        op,
		Status:           store.AttemptStarted,
		Amount:           amount,
	}
}

// finish records on a what its call came to: err (nil for an answer)
// and the gateway's reference for the payment.
func finish(a *store.Attempt, err error, reference string) {
	a.ProviderReference = reference
	a.Status = store.AttemptSucceeded
	if err == nil {
		return
	}
	switch classify(err) {
	case outcomeNotSent:
		a.Status = store.AttemptNotSent
	case outcomeRefused:
		a.Status = store.AttemptFailed
	default:
		a.Status = store.AttemptUnknown
	}
	perr := pluginError(err)
	a.ErrorKind, a.ErrorCode, a.ErrorMessage = perr.Kind, perr.Code, perr.Message
}

// paymentRef identifies payment p at its provider: by the attempt that
// created it there (the gateway's order id) and the gateway's reference.
func paymentRef(p *store.Payment, attempts []store.Attempt) plugin.PaymentRef {
	ref := plugin.PaymentRef{PaymentID: p.ID, ProviderReference: p.ProviderReference}
	if a := createAttempt(attempts); a != nil {
		ref.AttemptID = a.ID
	}
	return ref
}

// createAttempt returns the create attempt that reached (or may have
// reached) the payment's provider: the last one that was not refused as
// not sent. Nil when there is none.
func createAttempt(attempts []store.Attempt) *store.Attempt {
	for i := len(attempts) - 1; i >= 0; i-- {
		if a := &attempts[i]; a.Operation == store.OpCreate && a.Status != store.AttemptNotSent {
			return a
		}
	}
	return nil
}
