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
	d, err := store.GetPaymentDetail(ctx, h.store, paymentID)
	if isNotFound(err) || (err == nil && d.Payment.MerchantID != merchantID) {
		return nil, notFound("payment", paymentID)
	}
	if err != nil {
		return nil, h.answer(ctx, err)
	}
	return viewOf(&d.Payment, d.Attempts, d.Refunds), nil
}
