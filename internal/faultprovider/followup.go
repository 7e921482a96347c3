package faultprovider

import (
	"context"
	"fmt"

	"github.com/payhost/payhost/plugin"
)

// follow runs operation op on the recorded payment of ref: change checks
// the record and updates it (a nil change only reads it), wrapped in the
// fault the payment's Metadata["fault.<op>"] selected.
func (p *Provider) follow(ctx context.Context, op plugin.Operation, ref plugin.PaymentRef, change func(r *record) error) (record, error) {
	p.calls.add(op, ref.AttemptID)
	if err := p.ready(); err != nil {
		return record{}, err
	}
	r, ok := p.table.get(ref.AttemptID)
	if !ok {
		return record{}, notFound(op, ref.AttemptID)
	}
	return inject(ctx, r.Faults[string(op)], func() (record, error) {
		if change == nil {
			return r, nil
		}
		var out record
		err := p.table.update(ref.AttemptID, func(r *record) (*record, error) {
			if err := change(r); err != nil {
				return nil, err
			}
			out = *r
			return r, nil
		})
		return out, err
	})
}

// transition returns a change that moves a payment from status from to
// status to.
func transition(from, to plugin.PaymentStatus, captured func(r *record) plugin.Money) func(r *record) error {
	return func(r *record) error {
		if r.Result.Status != from {
			return plugin.InvalidRequest("payment", "the payment is %s, not %s", r.Result.Status, from)
		}
		r.Result.Status = to
		r.Result.ProviderStatus = fmt.Sprintf("%s_FROM_%s", to, from)
		if captured != nil {
			r.Result.CapturedAmount = captured(r)
		}
		return nil
	}
}

// Capture moves an authorized payment to succeeded.
func (p *Provider) Capture(ctx context.Context, req *plugin.CaptureRequest) (*plugin.CaptureResponse, error) {
	r, err := p.follow(ctx, plugin.OpCapture, req.PaymentRef,
		transition(plugin.StatusAuthorized, plugin.StatusSucceeded, func(*record) plugin.Money { return req.Amount }))
	if err != nil {
		return nil, err
	}
	return &plugin.CaptureResponse{PaymentResult: r.Result}, nil
}

// Void moves an authorized payment to canceled.
func (p *Provider) Void(ctx context.Context, req *plugin.VoidRequest) (*plugin.VoidResponse, error) {
	r, err := p.follow(ctx, plugin.OpVoid, req.PaymentRef, transition(plugin.StatusAuthorized, plugin.StatusCanceled, nil))
	if err != nil {
		return nil, err
	}
	return &plugin.VoidResponse{PaymentResult: r.Result}, nil
}

// Reverse moves a succeeded payment to reversed.
func (p *Provider) Reverse(ctx context.Context, req *plugin.ReverseRequest) (*plugin.ReverseResponse, error) {
	r, err := p.follow(ctx, plugin.OpReverse, req.PaymentRef, transition(plugin.StatusSucceeded, plugin.StatusReversed, nil))
	if err != nil {
		return nil, err
	}
	return &plugin.ReverseResponse{PaymentResult: r.Result}, nil
}

// GetPayment answers what the table holds: the truth, even about a payment
// whose CreatePayment answer was lost in a crash. A payment the gateway
// never recorded is a not_found error (code "not_found").
func (p *Provider) GetPayment(ctx context.Context, req *plugin.GetPaymentRequest) (*plugin.GetPaymentResponse, error) {
	r, err := p.follow(ctx, plugin.OpGetPayment, req.PaymentRef, nil)
	if err != nil {
		return nil, err
	}
	return &plugin.GetPaymentResponse{PaymentResult: r.Result}, nil
}

// Refund records a succeeded refund of a succeeded payment, once per
// refund id.
func (p *Provider) Refund(ctx context.Context, req *plugin.RefundRequest) (*plugin.RefundResponse, error) {
	r, err := p.follow(ctx, plugin.OpRefund, req.PaymentRef, func(r *record) error {
		if _, done := r.Refunds[req.RefundID]; done {
			return nil
		}
		if r.Result.Status != plugin.StatusSucceeded {
			return plugin.InvalidRequest("payment", "the payment is %s, not succeeded", r.Result.Status)
		}
		if r.Refunds == nil {
			r.Refunds = map[string]plugin.RefundResult{}
		}
		r.Refunds[req.RefundID] = plugin.RefundResult{
			Status:                  plugin.RefundSucceeded,
			ProviderRefundReference: "fault_refund_" + req.RefundID,
			Amount:                  req.Amount,
			ProviderStatus:          "REFUNDED",
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &plugin.RefundResponse{RefundResult: r.Refunds[req.RefundID]}, nil
}

// GetRefund answers the recorded refund.
func (p *Provider) GetRefund(ctx context.Context, req *plugin.GetRefundRequest) (*plugin.GetRefundResponse, error) {
	r, err := p.follow(ctx, plugin.OpGetRefund, req.PaymentRef, nil)
	if err != nil {
		return nil, err
	}
	refund, ok := r.Refunds[req.RefundID]
	if !ok {
		return nil, plugin.NotFound("not_found", fmt.Sprintf("the gateway has no refund %q", req.RefundID))
	}
	return &plugin.GetRefundResponse{RefundResult: refund}, nil
}
