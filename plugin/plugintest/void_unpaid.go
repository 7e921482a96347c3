package plugintest

import (
	"context"
	"testing"

	"github.com/payhost/payhost/plugin"
)

// The void_unpaid scenario is for providers that void without
// authorizing, which the void scenario skips: for them Void can only
// cancel a payment the customer has not paid yet (an open order). A
// payment waiting for the customer is voided and ends canceled; a status
// query, where there is one, agrees.

func init() {
	scenarios = append(scenarios, scenario{
		name:  "void_unpaid",
		needs: []plugin.Operation{plugin.OpCreatePayment, plugin.OpVoid},
		run:   scenarioVoidUnpaid,
	})
}

// scenarioVoidUnpaid: create, leave it unpaid, void it.
func scenarioVoidUnpaid(ctx context.Context, t *testing.T, c *conformance) {
	if c.info.Capabilities.Supports(plugin.OpAuthorize) {
		t.Skip("the provider authorizes; the void scenario voids an authorization")
	}
	req, ref, res := c.mustCreate(ctx, t, OutcomeSucceed, plugin.CaptureAutomatic)
	if !pending(res.Status) {
		t.Skipf("the payment was decided at once (%s); there is nothing unpaid to void", res.Status)
	}
	voided, err := c.provider().Void(ctx, &plugin.VoidRequest{PaymentRef: ref, IdempotencyKey: newID("idem"), Amount: req.Amount})
	if err != nil {
		t.Fatalf("Void of an unpaid payment: %v", err)
	}
	checkPayment(t, "Void", &voided.PaymentResult, plugin.StatusCanceled, plugin.StatusProcessing)
	if voided.Status != plugin.StatusCanceled || !c.info.Capabilities.Supports(plugin.OpGetPayment) {
		return
	}
	got, err := c.provider().GetPayment(ctx, &plugin.GetPaymentRequest{PaymentRef: ref, Amount: req.Amount, Method: req.Method})
	if err != nil {
		t.Fatalf("GetPayment after the void: %v", err)
	}
	checkPayment(t, "GetPayment after the void", &got.PaymentResult, plugin.StatusCanceled)
}
