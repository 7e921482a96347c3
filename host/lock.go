package host

import (
	"context"
	"errors"
	"slices"

	"github.com/payhost/payhost/api"
	"github.com/payhost/payhost/internal/store"
	"github.com/payhost/payhost/plugin"
)

// errStale reports a blocking attempt started so long ago that the host
// that started it must have stopped: abandon it, then decide again.
var errStale = errors.New("an attempt on the payment was abandoned")

// blocks reports whether a started attempt of operation running keeps an
// operation op from starting on the same payment. Refunds may run side by
// side (the store caps their sum); anything else waits for the other to
// finish, so that a capture and a void, say, never both reach the
// gateway.
func blocks(running, op store.Operation) bool {
	return running != store.OpSync && (running != store.OpRefund || op != store.OpRefund)
}

// lockFor locks the merchant's payment id in tx for operation op, which
// needs the payment in one of statuses, the capability needs of its
// provider, and no blocking attempt running. It returns the payment and
// its attempts, or a refusal.
func (h *Host) lockFor(ctx context.Context, tx store.Tx, merchantID, id string, op store.Operation, needs plugin.Operation, statuses ...plugin.PaymentStatus) (*store.Payment, []store.Attempt, error) {
	d, err := tx.LockPaymentDetail(ctx, id)
	if isNotFound(err) || (err == nil && d.Payment.MerchantID != merchantID) {
		return nil, nil, notFound("payment", id)
	}
	if err != nil {
		return nil, nil, err
	}
	p, attempts := &d.Payment, d.Attempts
	stale := h.now().Add(-h.lease)
	for _, a := range attempts {
		if a.Status != store.AttemptStarted || !blocks(a.Operation, op) {
			continue
		}
		if a.StartedAt.Before(stale) {
			return nil, nil, errStale
		}
		return nil, nil, refuse(api.CodePaymentState, "", "payment %s has a %s in progress; wait for it to finish", id, a.Operation)
	}
	if !slices.Contains(statuses, p.Status) {
		return nil, nil, refuse(api.CodePaymentState, "", "payment %s is %s; %s needs it %s", id, p.Status, op, joinStatuses(statuses))
	}
	if prov := h.providers[p.ProviderInstance]; prov == nil || !prov.caps.Supports(needs) {
		return nil, nil, refuse(api.CodeUnsupported, "", "provider %s of payment %s does not support %s", p.ProviderInstance, id, needs)
	}
	return p, attempts, nil
}

// begin runs start, which locks the payment with lockFor and stores an
// attempt, in one transaction that also takes k's key when it is not
// taken yet (keyTx). When a blocking attempt was abandoned, it is
// recorded as such first and start runs again.
func (h *Host) begin(ctx context.Context, id string, k *keyed, start func(store.Tx) error) error {
	err := h.keyTx(ctx, k, start)
	if !errors.Is(err, errStale) {
		return err
	}
	if _, err := h.abandon(ctx, id, h.now().Add(-h.lease)); err != nil {
		return err
	}
	return h.keyTx(ctx, k, start)
}

func joinStatuses(statuses []plugin.PaymentStatus) string {
	s := ""
	for i, st := range statuses {
		switch {
		case i == 0:
		case i == len(statuses)-1:
			s += " or "
		default:
			s += ", "
		}
		s += string(st)
	}
	return s
}
