package store

import "context"

// PaymentDetail is a payment with its attempts and refunds, as
// GET /v1/payments/{id} shows it.
type PaymentDetail struct {
	Payment  Payment
	Attempts []Attempt
	Refunds  []Refund
}

// Clone returns a copy of d that shares nothing with it that a write
// changes: the payment and the attempt and refund lists are copied.
func (d *PaymentDetail) Clone() *PaymentDetail {
	c := &PaymentDetail{Payment: d.Payment}
	c.Attempts = append(make([]Attempt, 0, len(d.Attempts)), d.Attempts...)
	c.Refunds = append(make([]Refund, 0, len(d.Refunds)), d.Refunds...)
	return c
}

// DetailReader reads a payment's detail itself, in fewer round trips
// than three reads (PostgreSQL: one). A Store may be one (then
// GetPaymentDetail reads from one snapshot), and so may the Reader or Tx
// it hands a View or InTx (then ReadPaymentDetail uses it).
type DetailReader interface {
	// PaymentDetail is GetPaymentDetail (of a Store) or
	// ReadPaymentDetail (of a Reader).
	PaymentDetail(ctx context.Context, id string) (*PaymentDetail, error)
}

// GetPaymentDetail reads payment id with its attempts and refunds from one
// snapshot, so that the refunds listed add up to the payment's
// AmountRefunded: through st's PaymentDetail when it is a DetailReader.
func GetPaymentDetail(ctx context.Context, st Store, id string) (*PaymentDetail, error) {
	if dr, ok := st.(DetailReader); ok {
		return dr.PaymentDetail(ctx, id)
	}
	var d *PaymentDetail
	err := st.View(ctx, func(r Reader) (err error) {
		d, err = ReadPaymentDetail(ctx, r, id)
		return err
	})
	if err != nil {
		return nil, err
	}
	return d, nil
}

// ReadPaymentDetail reads payment id with its attempts and refunds in r,
// a View's Reader or a transaction (whose writes it sees): through r's
// PaymentDetail when it is a DetailReader, else with three reads.
func ReadPaymentDetail(ctx context.Context, r Reader, id string) (*PaymentDetail, error) {
	if dr, ok := r.(DetailReader); ok {
		return dr.PaymentDetail(ctx, id)
	}
	p, err := r.GetPayment(ctx, id)
	if err != nil {
		return nil, err
	}
	d := &PaymentDetail{Payment: *p}
	if d.Attempts, err = r.ListAttempts(ctx, id); err != nil {
		return nil, err
	}
	if d.Refunds, err = r.ListRefunds(ctx, id); err != nil {
		return nil, err
	}
	return d, nil
}
