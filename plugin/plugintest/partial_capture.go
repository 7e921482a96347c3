package plugintest

import (
	"context"
	"testing"

	"github.com/payhost/payhost/plugin"
)

// The partial_capture scenario: an authorization is captured for less
// than was authorized; the capture reports the amount taken, and, where
// the provider refunds, a refund of the whole authorized amount is
// refused while one of the captured amount goes through.

func init() {
	scenarios = append(scenarios, scenario{
		name:  "partial_capture",
		needs: []plugin.Operation{plugin.OpCreatePayment, plugin.OpAuthorize, plugin.OpCapture, plugin.OpPartialCapture},
		run:   scenarioPartialCapture,
	})
}

// scenarioPartialCapture: authorize, capture part, refund only what was
// captured.
func scenarioPartialCapture(ctx context.Context, t *testing.T, c *conformance) {
	req, ref := c.authorized(ctx, t)
	if req.Amount.Amount < 2 {
		t.Skipf("the Driver's payment of %v cannot be captured in part", req.Amount)
	}
	part := plugin.Money{Amount: req.Amount.Amount / 2, Currency: req.Amount.Currency}
	captured, err := c.provider().Capture(ctx, &plugin.CaptureRequest{
		PaymentRef: ref, IdempotencyKey: newID("idem"), Amount: part, AuthorizedAmount: req.Amount,
	})
	if err != nil {
		t.Fatalf("Capture of %v of %v authorized: %v", part, req.Amount, err)
	}
	checkPayment(t, "partial Capture", &captured.PaymentResult, plugin.StatusSucceeded, plugin.StatusProcessing)
	if got := captured.CapturedAmount; !got.IsZero() && got != part {
		t.Errorf("partial Capture reports %v captured, asked for %v", got, part)
	}
	if !c.info.Capabilities.Supports(plugin.OpRefund) || captured.Status != plugin.StatusSucceeded {
		return
	}
	_, err = c.refund(ctx, ref, req.Amount, part)
	if kind := plugin.KindOf(err); kind != plugin.KindInvalidRequest && kind != plugin.KindDeclined {
		t.Errorf("a refund of the %v authorized when %v was captured answered %v; want kind invalid_request or declined", req.Amount, part, err)
	}
	res, err := c.refund(ctx, ref, part, part)
	if err != nil {
		t.Fatalf("refund of the %v captured: %v", part, err)
	}
	checkRefund(t, "refund of the captured amount", res, part)
}
