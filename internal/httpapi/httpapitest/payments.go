package httpapitest

import (
	"context"
	"slices"

	"github.com/payhost/payhost/api"
	"github.com/payhost/payhost/plugin"
)

// CreatePayment implements api.Service: a payment needs a positive amount
// and a currency, and succeeds at once (automatic capture) or is
// authorized (manual).
func (s *Service) CreatePayment(ctx context.Context, merchantID string, req *api.CreatePaymentRequest, opts ...api.CallOption) (*api.Payment, error) {
	if err := s.begin(ctx, Call{Op: "CreatePayment", Merchant: merchantID, Options: api.Options(opts...), Request: req}); err != nil {
		return nil, err
	}
	switch {
	case req.Amount <= 0:
		return nil, api.Errorf(api.CodeInvalidRequest, "amount", "amount must be a positive number of minor units")
	case req.Currency == "":
		return nil, api.Errorf(api.CodeInvalidRequest, "currency", "currency is required")
	}
	p := &api.Payment{
		Status: plugin.StatusSucceeded, Amount: req.Amount, Currency: req.Currency,
		Method: req.Method, Capture: plugin.CaptureAutomatic, AmountAuthorized: req.Amount,
		AmountCaptured: req.Amount, Reference: req.Reference, Description: req.Description,
		ReturnURL: req.ReturnURL, Customer: req.Customer, Card: cardInfo(req.Card), Token: req.Token,
		Provider: req.Provider, Metadata: req.Metadata, Attempts: []api.Attempt{}, Refunds: []api.Refund{},
		CreatedAt: now(), UpdatedAt: now(),
	}
	if req.Capture == plugin.CaptureManual {
		p.Status, p.Capture, p.AmountCaptured = plugin.StatusAuthorized, plugin.CaptureManual, 0
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	p.ID = s.newID("pay")
	s.payments[p.ID], s.owner[p.ID] = p, merchantID
	return clonePayment(p), nil
}

// GetPayment implements api.Service.
func (s *Service) GetPayment(ctx context.Context, merchantID, paymentID string, opts ...api.CallOption) (*api.Payment, error) {
	return s.movePayment(ctx, Call{Op: "GetPayment", Merchant: merchantID, ID: paymentID, Options: api.Options(opts...)}, nil)
}

// CapturePayment implements api.Service: an authorized payment succeeds.
func (s *Service) CapturePayment(ctx context.Context, merchantID, paymentID string, req *api.CaptureRequest, opts ...api.CallOption) (*api.Payment, error) {
	c := Call{Op: "CapturePayment", Merchant: merchantID, ID: paymentID, Options: api.Options(opts...), Request: req}
	return s.movePayment(ctx, c, func(p *api.Payment) error {
		amount := req.Amount
		if amount == 0 {
			amount = p.AmountAuthorized
		}
		if err := requireStatus(p, plugin.StatusAuthorized); err != nil {
			return err
		}
		if amount > p.AmountAuthorized {
			return api.Errorf(api.CodeAmountTooLarge, "amount", "amount is above the %d authorized", p.AmountAuthorized)
		}
		p.Status, p.AmountCaptured = plugin.StatusSucceeded, amount
		return nil
	})
}

// VoidPayment implements api.Service: an authorized payment is canceled.
func (s *Service) VoidPayment(ctx context.Context, merchantID, paymentID string, opts ...api.CallOption) (*api.Payment, error) {
	c := Call{Op: "VoidPayment", Merchant: merchantID, ID: paymentID, Options: api.Options(opts...)}
	return s.movePayment(ctx, c, func(p *api.Payment) error {
		if err := requireStatus(p, plugin.StatusAuthorized); err != nil {
			return err
		}
		p.Status = plugin.StatusCanceled
		return nil
	})
}

// ReversePayment implements api.Service: a succeeded payment is reversed.
func (s *Service) ReversePayment(ctx context.Context, merchantID, paymentID string, opts ...api.CallOption) (*api.Payment, error) {
	c := Call{Op: "ReversePayment", Merchant: merchantID, ID: paymentID, Options: api.Options(opts...)}
	return s.movePayment(ctx, c, func(p *api.Payment) error {
		if err := requireStatus(p, plugin.StatusSucceeded); err != nil {
			return err
		}
		p.Status = plugin.StatusReversed
		return nil
	})
}

// SyncPayment implements api.Service: the payment as it is.
func (s *Service) SyncPayment(ctx context.Context, merchantID, paymentID string, opts ...api.CallOption) (*api.Payment, error) {
	return s.movePayment(ctx, Call{Op: "SyncPayment", Merchant: merchantID, ID: paymentID, Options: api.Options(opts...)}, nil)
}

// RefundPayment implements api.Service: refunds of a succeeded payment
// succeed at once, up to what was captured.
func (s *Service) RefundPayment(ctx context.Context, merchantID, paymentID string, req *api.RefundRequest, opts ...api.CallOption) (*api.Refund, error) {
	c := Call{Op: "RefundPayment", Merchant: merchantID, ID: paymentID, Options: api.Options(opts...), Request: req}
	var refund api.Refund
	_, err := s.movePayment(ctx, c, func(p *api.Payment) error {
		if err := requireStatus(p, plugin.StatusSucceeded); err != nil {
			return err
		}
		left := p.AmountCaptured - p.AmountRefunded
		amount := req.Amount
		if amount == 0 {
			amount = left
		}
		if amount > left {
			return api.Errorf(api.CodeAmountTooLarge, "amount", "amount is above the %d left to refund", left)
		}
		refund = api.Refund{
			ID: s.newID("re"), PaymentID: p.ID, Status: plugin.RefundSucceeded, Amount: amount,
			Currency: p.Currency, Reason: req.Reason, CreatedAt: now(), UpdatedAt: now(),
		}
		p.AmountRefunded += amount
		p.Refunds = append(p.Refunds, refund)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &refund, nil
}

// movePayment records c, finds the merchant's payment and, with move set,
// applies it under the lock.
func (s *Service) movePayment(ctx context.Context, c Call, move func(*api.Payment) error) (*api.Payment, error) {
	if err := s.begin(ctx, c); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.payments[c.ID]
	if !ok || s.owner[c.ID] != c.Merchant {
		return nil, notFound("payment", c.ID)
	}
	if move != nil {
		if err := move(p); err != nil {
			return nil, err
		}
		p.UpdatedAt = now()
	}
	return clonePayment(p), nil
}

func requireStatus(p *api.Payment, want plugin.PaymentStatus) error {
	if p.Status != want {
		return api.Errorf(api.CodePaymentState, "", "payment %s is %s, not %s", p.ID, p.Status, want)
	}
	return nil
}

// clonePayment copies p's slices, so that callers never share them.
func clonePayment(p *api.Payment) *api.Payment {
	c := *p
	c.Attempts, c.Refunds = slices.Clone(p.Attempts), slices.Clone(p.Refunds)
	return &c
}
