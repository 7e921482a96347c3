package store

import "context"

// PaymentDetail is a payment with its attempts and refunds, as
// GET /v1/payments/{id} shows it.
type PaymentDetail struct {
	Payment  Payment
	Attempts []Attempt
	Refunds  []Refund
}

// GetPaymentDetail reads payment id with its attempts and refunds from one
// snapshot, so that the refunds listed add up to the payment's
// AmountRefunded.
func GetPaymentDetail(ctx context.Context, st Store, id string) (*PaymentDetail, error) {
	var d PaymentDetail
	err := st.View(ctx, func(r Reader) error {
		p, err := r.GetPayment(ctx, id)
		if err != nil {
			return err
		}
		d.Payment = *p
		if d.Attempts, err = r.ListAttempts(ctx, id); err != nil {
			return err
		}
		d.Refunds, err = r.ListRefunds(ctx, id)
		return err
	})
	if err != nil {
		return nil, err
	}
	return &d, nil
}
