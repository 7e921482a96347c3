package host

import (
	"context"

	"github.com/payhost/payhost/api"
	"github.com/payhost/payhost/internal/store"
)

// GetPayment implements api.Service: the payment with its attempts and
// refunds, from one snapshot.
func (h *Host) GetPayment(ctx context.Context, merchantID, paymentID string, opts ...api.CallOption) (*api.Payment, error) {
	ctx = withCall(ctx, api.Options(opts...))
	if err := h.checkMerchant(merchantID); err != nil {
		return nil, err
	}
	var view *api.Payment
	err := h.store.View(ctx, func(r store.Reader) error {
		p, err := r.GetPayment(ctx, paymentID)
		if isNotFound(err) || (err == nil && p.MerchantID != merchantID) {
			return notFound("payment", paymentID)
		}
		if err != nil {
			return err
		}
		view, err = paymentView(ctx, r, p)
		return err
	})
	return view, h.answer(ctx, err)
}
