package plugintest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/payhost/payhost/plugin"
)

// The refund_after_sale scenario is for sale-only gateways, which the
// authorize_capture_refund scenario skips: the customer pays (a sale,
// captured at once), then the payment is refunded in part twice (or once
// in full without partial_refund), a refund above what is left is
// refused, and, with get_refund, the first refund's status is followed
// until it is final.

// RefundSettler is implemented by Drivers whose gateway (or emulator)
// leaves refunds pending until someone acts, as a gateway whose refunds
// are handled by hand does. It enables the refund scenario to see a
// refund through to succeeded without waiting on the gateway's clock.
type RefundSettler interface {
	// SettleRefund makes the gateway complete the refund the host knows
	// as refundID (RefundRequest.RefundID; refund is what Refund
	// answered), successfully. It returns once the gateway has done so.
	SettleRefund(ctx context.Context, refundID string, refund *plugin.RefundResult) error
}

func init() {
	scenarios = append(scenarios, scenario{
		name:  "refund_after_sale",
		needs: []plugin.Operation{plugin.OpCreatePayment, plugin.OpRefund},
		run:   scenarioRefundAfterSale,
	})
}

// scenarioRefundAfterSale: pay, refund (two parts, or all), refuse a
// refund above what is left, and follow the first refund to succeeded.
func scenarioRefundAfterSale(ctx context.Context, t *testing.T, c *conformance) {
	req, ref, res := c.mustCreate(ctx, t, OutcomeSucceed, plugin.CaptureAutomatic)
	paid, _ := c.settle(ctx, t, ref, res, OutcomeSucceed)
	checkPayment(t, "sale", paid, plugin.StatusSucceeded)
	if t.Failed() {
		t.FailNow()
	}
	if ref.ProviderReference == "" {
		ref.ProviderReference = paid.ProviderReference
	}

	amount := req.Amount
	partial := c.info.Capabilities.Supports(plugin.OpPartialRefund) && amount.Amount >= 4
	parts := []plugin.Money{amount}
	if partial {
		quarter := plugin.Money{Amount: amount.Amount / 4, Currency: amount.Currency}
		parts = []plugin.Money{quarter, quarter}
	}
	var firstID string
	var first *plugin.RefundResult
	left := amount.Amount
	for i, part := range parts {
		id := newID("ref")
		resp, err := c.provider().Refund(ctx, &plugin.RefundRequest{
			PaymentRef: ref, RefundID: id, IdempotencyKey: newID("idem"),
			Amount: part, CapturedAmount: amount, Reason: "conformance",
		})
		if err != nil {
			t.Fatalf("refund %d of %v (of %v paid): %v", i+1, part, amount, err)
		}
		checkRefund(t, fmt.Sprintf("refund %d", i+1), &resp.RefundResult, part)
		if i == 0 {
			firstID, first = id, &resp.RefundResult
		}
		left -= part.Amount
	}

	// One unit above what is left; without partial refunds, the whole
	// amount again (a smaller refund would be a partial one).
	above := plugin.Money{Amount: left + 1, Currency: amount.Currency}
	if !partial {
		above = amount
	}
	_, err := c.provider().Refund(ctx, &plugin.RefundRequest{
		PaymentRef: ref, RefundID: newID("ref"), IdempotencyKey: newID("idem"),
		Amount: above, CapturedAmount: amount, Reason: "conformance",
	})
	if kind := plugin.KindOf(err); kind != plugin.KindInvalidRequest && kind != plugin.KindDeclined {
		t.Errorf("a refund of %v with %v left answered %v; want kind invalid_request or declined", above, plugin.Money{Amount: left, Currency: amount.Currency}, err)
	}

	if !c.info.Capabilities.Supports(plugin.OpGetRefund) {
		return
	}
	final := c.followRefund(ctx, t, ref, firstID, first)
	if final.Status != plugin.RefundSucceeded {
		t.Errorf("refund %s ended %q (%s %s), want succeeded", firstID, final.Status, final.FailureCode, final.FailureMessage)
	}
	if !final.Amount.IsZero() && final.Amount != parts[0] {
		t.Errorf("GetRefund reports amount %v, the refund was for %v", final.Amount, parts[0])
	}
	if first.ProviderRefundReference != "" && final.ProviderRefundReference != first.ProviderRefundReference {
		t.Errorf("GetRefund found provider refund reference %q, Refund said %q", final.ProviderRefundReference, first.ProviderRefundReference)
	}
}

// followRefund asks GetRefund about a refund, has the Driver settle it
// when it can, and asks again until the refund is final.
func (c *conformance) followRefund(ctx context.Context, t *testing.T, ref plugin.PaymentRef, refundID string, refund *plugin.RefundResult) *plugin.RefundResult {
	t.Helper()
	get := func() *plugin.RefundResult {
		t.Helper()
		resp, err := c.provider().GetRefund(ctx, &plugin.GetRefundRequest{
			PaymentRef: ref, RefundID: refundID, ProviderRefundReference: refund.ProviderRefundReference,
		})
		if err != nil {
			t.Fatalf("GetRefund of refund %s: %v", refundID, err)
		}
		if !resp.Status.Valid() {
			t.Fatalf("GetRefund: status %q is not one payhost knows", resp.Status)
		}
		return &resp.RefundResult
	}
	got := get()
	if settler, ok := c.suite.Driver.(RefundSettler); ok && got.Status == plugin.RefundPending {
		if err := settler.SettleRefund(ctx, refundID, got); err != nil {
			t.Fatalf("Driver.SettleRefund: %v", err)
		}
	}
	for got.Status == plugin.RefundPending {
		select {
		case <-time.After(pollInterval):
		case <-ctx.Done():
			t.Fatalf("refund %s still pending: %v", refundID, ctx.Err())
		}
		got = get()
	}
	return got
}
