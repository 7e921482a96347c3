package host

import (
	"context"
	"net/http"

	"github.com/payhost/payhost/api"
	"github.com/payhost/payhost/internal/store"
	"github.com/payhost/payhost/plugin"
)

// followUp is an operation on an existing payment that moves it: capture,
// void or reversal.
type followUp struct {
	op store.Operation
	// needs is the capability the payment's provider must have.
	needs plugin.Operation
	// from are the statuses the operation applies to.
	from []plugin.PaymentStatus
	// send calls the provider for payment p with attempt a of amount.
	send func(ctx context.Context, pp plugin.Provider, ref plugin.PaymentRef, a *store.Attempt, p *store.Payment) (*plugin.PaymentResult, error)
}

var (
	captureOp = followUp{op: store.OpCapture, needs: plugin.OpCapture, from: []plugin.PaymentStatus{authorized},
		send: func(ctx context.Context, pp plugin.Provider, ref plugin.PaymentRef, a *store.Attempt, p *store.Payment) (*plugin.PaymentResult, error) {
			resp, err := pp.Capture(ctx, &plugin.CaptureRequest{PaymentRef: ref, IdempotencyKey: a.ID,
				Amount: p.Money(a.Amount), AuthorizedAmount: p.Money(p.AmountAuthorized)})
			return resultOf(resp, err, func(r *plugin.CaptureResponse) *plugin.PaymentResult { return &r.PaymentResult })
		}}
	voidOp = followUp{op: store.OpVoid, needs: plugin.OpVoid, from: []plugin.PaymentStatus{authorized, requiresAction},
		send: func(ctx context.Context, pp plugin.Provider, ref plugin.PaymentRef, a *store.Attempt, p *store.Payment) (*plugin.PaymentResult, error) {
			resp, err := pp.Void(ctx, &plugin.VoidRequest{PaymentRef: ref, IdempotencyKey: a.ID, Amount: p.Money(a.Amount)})
			return resultOf(resp, err, func(r *plugin.VoidResponse) *plugin.PaymentResult { return &r.PaymentResult })
		}}
	reverseOp = followUp{op: store.OpReverse, needs: plugin.OpReverse, from: []plugin.PaymentStatus{succeeded},
		send: func(ctx context.Context, pp plugin.Provider, ref plugin.PaymentRef, a *store.Attempt, p *store.Payment) (*plugin.PaymentResult, error) {
			resp, err := pp.Reverse(ctx, &plugin.ReverseRequest{PaymentRef: ref, IdempotencyKey: a.ID, Amount: p.Money(a.Amount)})
			return resultOf(resp, err, func(r *plugin.ReverseResponse) *plugin.PaymentResult { return &r.PaymentResult })
		}}
)

// resultOf unwraps a provider's payment answer.
func resultOf[R any](resp *R, err error, result func(*R) *plugin.PaymentResult) (*plugin.PaymentResult, error) {
	if err != nil {
		return nil, err
	}
	return result(resp), nil
}

// CapturePayment implements api.Service: it captures all or part of an
// authorized payment.
func (h *Host) CapturePayment(ctx context.Context, merchantID, paymentID string, req *api.CaptureRequest, opts ...api.CallOption) (*api.Payment, error) {
	r := api.CaptureRequest{}
	if req != nil {
		r = *req
	}
	if r.Amount < 0 {
		return nil, invalid("amount", "amount must be a positive whole number of minor units, or 0 to capture everything authorized")
	}
	return h.followUp(ctx, merchantID, paymentID, captureOp, &r, r.Amount, opts)
}

// VoidPayment implements api.Service: it cancels an authorization, or a
// payment still waiting for the customer.
func (h *Host) VoidPayment(ctx context.Context, merchantID, paymentID string, opts ...api.CallOption) (*api.Payment, error) {
	return h.followUp(ctx, merchantID, paymentID, voidOp, struct{}{}, 0, opts)
}

// ReversePayment implements api.Service: it undoes a processed payment
// that nothing was refunded of, where the provider can.
func (h *Host) ReversePayment(ctx context.Context, merchantID, paymentID string, opts ...api.CallOption) (*api.Payment, error) {
	return h.followUp(ctx, merchantID, paymentID, reverseOp, struct{}{}, 0, opts)
}

// followUp runs operation f on a payment: in one transaction it takes the
// idempotency key, locks the payment, checks its status, amounts and that
// nothing else runs on it, and stores the attempt; then it calls the
// provider and, in one transaction, records the answer and stores it as
// the key's. Of a capture and a void racing on one authorization exactly
// one starts; the other is refused with payment_state.
func (h *Host) followUp(ctx context.Context, merchantID, paymentID string, f followUp, body any, amount int64, opts []api.CallOption) (*api.Payment, error) {
	ctx = withCall(ctx, api.Options(opts...))
	if err := h.checkMerchant(merchantID); err != nil {
		return nil, err
	}
	w := write{merchant: merchantID, opts: api.Options(opts...), op: string(f.op), pathID: paymentID, body: body, status: http.StatusOK, inRun: true}
	return idempotent(h, ctx, w, func(ctx context.Context, k *keyed) (*api.Payment, error) {
		var (
			p   *store.Payment
			a   *store.Attempt
			ref plugin.PaymentRef
		)
		err := h.begin(ctx, paymentID, k, func(tx store.Tx) error {
			var attempts []store.Attempt
			var err error
			if p, attempts, err = h.lockFor(ctx, tx, merchantID, paymentID, f.op, f.needs, f.from...); err != nil {
				return err
			}
			if a, err = h.followUpAttempt(p, f, amount); err != nil {
				return err
			}
			ref = paymentRef(p, attempts)
			return tx.InsertAttempt(ctx, a)
		})
		if err != nil {
			return nil, err
		}
		result, callErr := call(h, ctx, h.providers[p.ProviderInstance], f.needs, func(ctx context.Context, pp plugin.Provider) (*plugin.PaymentResult, error) {
			return f.send(ctx, pp, ref, a, p)
		})
		return h.finishFollowUp(ctx, p, a, f, result, callErr, k)
	})
}

// followUpAttempt returns the attempt of f on p, checking the amount: a
// capture takes what is asked (everything authorized for 0), at most what
// is authorized; a reversal undoes what was captured, and only when
// nothing was refunded.
func (h *Host) followUpAttempt(p *store.Payment, f followUp, amount int64) (*store.Attempt, error) {
	switch f.op {
	case store.OpCapture:
		if amount == 0 {
			amount = p.AmountAuthorized
		}
		if amount > p.AmountAuthorized {
			return nil, refuse(api.CodeAmountTooLarge, "amount", "capture of %s exceeds the authorized amount %s", p.Money(amount), p.Money(p.AmountAuthorized))
		}
		if amount < p.AmountAuthorized && !h.providers[p.ProviderInstance].caps.Supports(plugin.OpPartialCapture) {
			return nil, refuse(api.CodeUnsupported, "amount", "provider %s cannot capture part of a payment; capture %s", p.ProviderInstance, p.Money(p.AmountAuthorized))
		}
	case store.OpVoid:
		amount = p.Amount
	case store.OpReverse:
		if p.AmountRefunded > 0 {
			return nil, refuse(api.CodePaymentState, "", "payment %s has %s refunded; refund the rest instead of reversing it", p.ID, p.Money(p.AmountRefunded))
		}
		amount = p.AmountCaptured
	}
	return startedAttempt(p, p.ProviderInstance, f.op, amount), nil
}

// finishFollowUp records the answer to attempt a of f and moves the
// payment: as the provider reports, to unknown when the outcome is, not at
// all when the provider refused or nothing was sent (then the answer is an
// error). The same transaction stores the answer as k's, but for a call
// not sent: that refusal frees the key (settleKey, after), and freeing it
// must not be able to fail the transaction that records the attempt.
func (h *Host) finishFollowUp(ctx context.Context, p *store.Payment, a *store.Attempt, f followUp, result *plugin.PaymentResult, callErr error, k *keyed) (*api.Payment, error) {
	o := classify(callErr)
	var reference string
	var captured int64
	if f.op == store.OpCapture {
		captured = a.Amount
	}
	switch o {
	case outcomeOK:
		reference = result.ProviderReference
	case outcomeUnknown:
		result = statusOf(unknown, "", "")
	}
	finish(a, callErr, reference)
	var (
		moved bool
		view  *api.Payment
		// refused is the answer when the provider refused or nothing
		// was sent.
		refused *api.Error
	)
	err := h.inTx(ctx, func(tx store.Tx) (err error) {
		moved, refused = false, nil
		d, err := tx.LockPaymentDetail(ctx, p.ID)
		if err != nil {
			return err
		}
		p = &d.Payment
		if err := h.finishAttempt(ctx, tx, *a, d, false); err != nil {
			return err
		}
		if result == nil {
			view = viewOf(p, d.Attempts, d.Refunds)
		} else if moved, view, err = h.moveOrUnknown(ctx, tx, p, result, captured, d); err != nil {
			return err
		}
		switch o {
		case outcomeNotSent:
			refused = providerError(callErr, p.ProviderInstance, f.needs, p.ID)
			return nil
		case outcomeRefused:
			refused = providerError(callErr, p.ProviderInstance, f.needs, p.ID)
			return h.completeKey(ctx, tx, k, refused.Status(), errorBody(refused))
		}
		return h.completeKey(ctx, tx, k, k.status, view)
	})
	if err != nil {
		return nil, err
	}
	k.settled = o != outcomeNotSent
	h.observe(p, moved)
	switch o {
	case outcomeNotSent:
		return nil, &refusal{refused}
	case outcomeRefused:
		return nil, refused
	}
	return view, nil
}
