package plugintest

import (
	"context"
	"testing"

	"github.com/payhost/payhost/plugin"
)

// The partial_capture scenario: an authorization is captured in part;
// the capture reports what it captured, and, where the provider refunds,
// a refund of the whole authorized amount is refused, since less was
// captured.

func init() {
	scenarios = append(scenarios, scenario{
		name:  "partial_capture",
		needs: []plugin.Operation{plugin.OpCreatePayment, plugin.OpAuthorize, plugin.OpCapture, plugin.OpPartialCapture},
		run:   scenarioPartialCapture,
	})
}

// scenarioPartialCapture: authorize, capture half, and no more than half
// can be refunded.
func scenarioPartialCapture(ctx context.Context, t *testing.T, c *conformance) {
	req, ref := c.authorized(ctx, t)
	if req.Amount.Amount < 2 {
		t.Skipf("the Driver's amount %v cannot be split", req.Amount)
	}
	half := plugin.Money{Amount: req.Amount.Amount / 2, Currency: req.Amount.Currency}
	captured, err := c.provider().Capture(ctx, &plugin.CaptureRequest{
		PaymentRef: ref, IdempotencyKey: newID("idem"), Amount: half, AuthorizedAmount: req.Amount,
	})
	if err != nil {
		t.Fatalf("Capture of %v out of %v: %v", half, req.Amount, err)
	}
	checkPayment(t, "partial Capture", &captured.PaymentResult, plugin.StatusSucceeded, plugin.StatusProcessing)
	if got := captured.CapturedAmount; !got.IsZero() && got != half {
		t.Errorf("partial Capture reports %v captured, asked for %v", got, half)
	}
	if !c.info.Capabilities.Supports(plugin.OpRefund) || captured.Status != plugin.StatusSucceeded {
		return
	}
	_, err = c.refund(ctx, ref, req.Amount, half)
	if kind := plugin.KindOf(err); kind != plugin.KindInvalidRequest && kind != plugin.KindDeclined {
		t.Errorf("a refund of the whole authorized %v after capturing %v answered %v; want kind invalid_request or declined", req.Amount, half, err)
	}
}
