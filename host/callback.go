package host

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"

	"github.com/payhost/payhost/api"
	"github.com/payhost/payhost/internal/store"
	"github.com/payhost/payhost/plugin"
)

// HandleCallback implements api.Service: the plugin of instance
// ("type.name") verifies the gateway's raw callback and returns the events
// in it. Each event is applied once (a repeated one is recognised by its
// id), in its own transaction: the payment, refund or token it is about
// moves as the state machine allows, never backwards out of a terminal
// status, and only when the amounts it reports are the payment's. The
// answer is the one the plugin wrote for the gateway. A callback that does
// not verify changes nothing and is refused with callback_rejected.
func (h *Host) HandleCallback(ctx context.Context, instance string, cb *plugin.HandleCallbackRequest, opts ...api.CallOption) (*plugin.HTTPResponse, error) {
	ctx = withCall(ctx, api.Options(opts...))
	prov := h.providers[instance]
	if prov == nil {
		return nil, api.Errorf(api.CodeNotFound, "", "there is no provider %s to take this callback", instance)
	}
	resp, err := call(h, ctx, prov, plugin.OpCallbacks, func(ctx context.Context, pp plugin.Provider) (*plugin.HandleCallbackResponse, error) {
		return pp.HandleCallback(ctx, cb)
	})
	if err != nil {
		return nil, callbackError(instance, err)
	}
	for _, ev := range resp.Events {
		if err := h.applyEvent(ctx, instance, ev); err != nil {
			// The gateway will send the callback again; what was applied
			// is recorded and will not be applied twice.
			return nil, h.answer(ctx, err)
		}
	}
	return &resp.Response, nil
}

// callbackError is the answer to a callback the plugin did not accept.
func callbackError(instance string, err error) *api.Error {
	perr := pluginError(err)
	switch perr.Kind {
	case plugin.KindAuthentication:
		return api.Errorf(api.CodeCallbackRejected, "", "provider %s rejected the callback: %s", instance, perr.Message)
	case plugin.KindInvalidRequest:
		return api.Errorf(api.CodeInvalidRequest, perr.Param, "provider %s could not read the callback: %s", instance, perr.Message)
	case plugin.KindUnsupported:
		return api.Errorf(api.CodeNotFound, "", "provider %s takes no callbacks", instance)
	}
	return providerError(err, instance, plugin.OpCallbacks, "")
}

// applyEvent applies one verified gateway event of instance, once.
func (h *Host) applyEvent(ctx context.Context, instance string, ev plugin.Event) error {
	id := ev.ID
	if id == "" {
		// A provider that gives no id: the event's content identifies it.
		b, err := json.Marshal(ev)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		id = "sha256:" + hex.EncodeToString(sum[:])
	}
	var (
		p     *store.Payment
		moved bool
	)
	err := h.inTx(ctx, func(tx store.Tx) error {
		p, moved = nil, false
		fresh, err := tx.RecordCallback(ctx, instance, id)
		if err != nil || !fresh {
			return err
		}
		switch ev.Type {
		case plugin.EventPayment:
			p, moved, err = h.paymentCallback(ctx, tx, instance, ev)
		case plugin.EventRefund:
			err = h.refundCallback(ctx, tx, instance, ev)
		case plugin.EventToken:
			err = h.tokenCallback(ctx, tx, instance, ev)
		default:
			h.logger(ctx).Warn("callback event not applied", "provider", instance, "event", id, "reason", "unknown event type", "type", ev.Type)
		}
		return err
	})
	if err == nil && p != nil {
		h.observe(p, moved)
	}
	return err
}

// errSkip ends the handling of an event that is about nothing of this
// instance's; it is logged and recorded as handled.
var errSkip = errors.New("the event is about no payment, refund or token of this provider")

// paymentCallback applies a payment event to the payment it is about.
func (h *Host) paymentCallback(ctx context.Context, tx store.Tx, instance string, ev plugin.Event) (*store.Payment, bool, error) {
	p, err := h.eventPayment(ctx, tx, instance, ev)
	if err != nil || ev.Payment == nil {
		return nil, false, h.skip(ctx, instance, ev, err)
	}
	attempts, err := tx.ListAttempts(ctx, p.ID)
	if err != nil {
		return nil, false, err
	}
	moved, err := h.move(ctx, tx, p, ev.Payment, captureAmount(attempts))
	var me *moveError
	if errors.As(err, &me) {
		h.refused(ctx, "callback "+ev.ID, p, me)
		return p, false, nil
	}
	return p, moved, err
}

// eventPayment finds and locks the payment an event of instance is about:
// by the attempt id the gateway echoed, else by its own reference.
func (h *Host) eventPayment(ctx context.Context, tx store.Tx, instance string, ev plugin.Event) (*store.Payment, error) {
	id := ""
	switch {
	case ev.AttemptID != "":
		a, err := tx.GetAttempt(ctx, ev.AttemptID)
		if err != nil {
			return nil, err
		}
		if a.ProviderInstance != instance {
			return nil, errSkip
		}
		id = a.PaymentID
	case ev.ProviderReference != "":
		p, err := tx.GetPaymentByProviderReference(ctx, instance, ev.ProviderReference)
		if err != nil {
			return nil, err
		}
		id = p.ID
	default:
		return nil, errSkip
	}
	p, err := tx.LockPayment(ctx, id)
	if err == nil && p.ProviderInstance != instance {
		return nil, errSkip
	}
	return p, err
}

// refundCallback settles the pending refund a refund event is about.
func (h *Host) refundCallback(ctx context.Context, tx store.Tx, instance string, ev plugin.Event) error {
	if ev.Refund == nil || ev.RefundID == "" {
		return h.skip(ctx, instance, ev, errSkip)
	}
	rf, err := tx.GetRefund(ctx, ev.RefundID)
	if err != nil {
		return h.skip(ctx, instance, ev, err)
	}
	p, err := tx.LockPayment(ctx, rf.PaymentID)
	if err == nil && p.ProviderInstance != instance {
		err = errSkip
	}
	if err != nil {
		return h.skip(ctx, instance, ev, err)
	}
	if rf.Status != plugin.RefundPending {
		h.logger(ctx).Info("refund update not applied", "refund", rf.ID, "status", rf.Status, "reported", ev.Refund.Status)
		return nil
	}
	_, err = h.settleRefund(ctx, tx, p.MerchantID, rf, ev.Refund)
	return err
}

// tokenCallback applies a token event to the token it is about.
func (h *Host) tokenCallback(ctx context.Context, tx store.Tx, instance string, ev plugin.Event) error {
	if ev.Token == nil || ev.TokenID == "" {
		return h.skip(ctx, instance, ev, errSkip)
	}
	t, err := tx.GetToken(ctx, ev.TokenID)
	if err == nil && t.ProviderInstance != instance {
		err = errSkip
	}
	if err != nil {
		return h.skip(ctx, instance, ev, err)
	}
	return h.applyToken(ctx, tx, t, ev.Token)
}

// skip logs an event that cannot be applied because what it is about is
// not found (err is errSkip or not found), and lets it be recorded; any
// other error is returned.
func (h *Host) skip(ctx context.Context, instance string, ev plugin.Event, err error) error {
	if err != nil && !errors.Is(err, errSkip) && !isNotFound(err) {
		return err
	}
	h.logger(ctx).Warn("callback event not applied", "provider", instance, "event", ev.ID, "type", ev.Type, "reason", "nothing of this provider matches it")
	return nil
}
