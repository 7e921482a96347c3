package plugintest

import (
	"context"
	"testing"

	"github.com/payhost/payhost/plugin"
)

// The reverse scenario: a captured payment (authorized and captured when
// the provider authorizes, else a sale the customer pays) is reversed;
// a status query, where there is one, finds it reversed, and a refund of
// a reversed payment is refused, since nothing is left to give back.

func init() {
	scenarios = append(scenarios, scenario{
		name:  "reverse",
		needs: []plugin.Operation{plugin.OpCreatePayment, plugin.OpReverse},
		run:   scenarioReverse,
	})
}

// scenarioReverse: captured → reversed.
func scenarioReverse(ctx context.Context, t *testing.T, c *conformance) {
	req, ref := c.capturedForReverse(ctx, t)
	resp, err := c.provider().Reverse(ctx, &plugin.ReverseRequest{PaymentRef: ref, IdempotencyKey: newID("idem"), Amount: req.Amount})
	if err != nil {
		t.Fatalf("Reverse of a captured payment: %v", err)
	}
	checkPayment(t, "Reverse", &resp.PaymentResult, plugin.StatusReversed, plugin.StatusProcessing)
	if resp.Status != plugin.StatusReversed {
		return
	}
	if c.info.Capabilities.Supports(plugin.OpGetPayment) {
		got, err := c.provider().GetPayment(ctx, &plugin.GetPaymentRequest{PaymentRef: ref, Amount: req.Amount, Method: req.Method})
		if err != nil {
			t.Fatalf("GetPayment after the reversal: %v", err)
		}
		checkPayment(t, "GetPayment after the reversal", &got.PaymentResult, plugin.StatusReversed)
	}
	if c.info.Capabilities.Supports(plugin.OpRefund) {
		_, err := c.refund(ctx, ref, req.Amount, req.Amount)
		if kind := plugin.KindOf(err); kind != plugin.KindInvalidRequest && kind != plugin.KindDeclined {
			t.Errorf("a refund of a reversed payment answered %v; want kind invalid_request or declined", err)
		}
	}
}

// capturedForReverse returns a payment whose funds are captured: an
// authorization captured in full where the provider authorizes, else a
// sale the customer pays.
func (c *conformance) capturedForReverse(ctx context.Context, t *testing.T) (*plugin.CreatePaymentRequest, plugin.PaymentRef) {
	t.Helper()
	caps := c.info.Capabilities
	if caps.Supports(plugin.OpAuthorize) && caps.Supports(plugin.OpCapture) {
		req, ref := c.authorized(ctx, t)
		captured, err := c.provider().Capture(ctx, &plugin.CaptureRequest{
			PaymentRef: ref, IdempotencyKey: newID("idem"), Amount: req.Amount, AuthorizedAmount: req.Amount,
		})
		if err != nil {
			t.Fatalf("Capture: %v", err)
		}
		checkPayment(t, "Capture", &captured.PaymentResult, plugin.StatusSucceeded)
		if t.Failed() {
			t.FailNow()
		}
		return req, ref
	}
	req, ref, res := c.mustCreate(ctx, t, OutcomeSucceed, plugin.CaptureAutomatic)
	paid, _ := c.settle(ctx, t, ref, res, OutcomeSucceed)
	checkPayment(t, "sale", paid, plugin.StatusSucceeded)
	if t.Failed() {
		t.FailNow()
	}
	if ref.ProviderReference == "" {
		ref.ProviderReference = paid.ProviderReference
	}
	return req, ref
}
