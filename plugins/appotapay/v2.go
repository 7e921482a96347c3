package appotapay

import (
	"context"
	"net/http"
	"net/url"

	"github.com/payhost/payhost/plugin"
)

// v2API is AppotaPay's API v2: nested JSON, authenticated by the JWT
// alone. Its answers are not signed (TLS and the JWT are the protection);
// its rejections come with HTTP 400, 401 or 404 and an errorCode; its
// notifications are signed over their Base64 data.
type v2API struct{ *client }

// createPayment creates the order; the answer has the transaction id and
// the payment page's URL.
func (a v2API) createPayment(ctx context.Context, req *plugin.CreatePaymentRequest) (plugin.PaymentResult, error) {
	w, err := createRequestV2Of(req, a.cfg)
	if err != nil {
		return plugin.PaymentResult{}, err
	}
	var resp createResponseV2
	if err := a.call(ctx, opCreate, http.MethodPost, pathCreateV2, w, &resp); err != nil {
		return plugin.PaymentResult{}, err
	}
	plugin.Logger(ctx).Info("AppotaPay create payment", "order_id", req.AttemptID, "trans_id", resp.Transaction.TransactionID, "status", resp.Transaction.Status)
	res, err := paymentResultV2Of(ctx, &resp.Transaction, nil)
	if err != nil {
		return res, plugin.UnknownOutcome(err, "%s: the answer cannot be read: %v", opCreate, err)
	}
	if res.Status != plugin.StatusProcessing {
		return res, nil
	}
	return awaitingCustomer(res, resp.Payment.URL)
}

// paymentStatus looks the order up by the partner's order id.
func (a v2API) paymentStatus(ctx context.Context, orderID string) (plugin.PaymentResult, error) {
	q := url.Values{"referenceId": {orderID}, "type": {referencePartnerOrderID}}
	var resp resultV2
	if err := a.call(ctx, opStatus, http.MethodGet, pathStatusV2+"?"+q.Encode(), nil, &resp); err != nil {
		return plugin.PaymentResult{}, err
	}
	plugin.Logger(ctx).Info("AppotaPay payment status", "order_id", orderID, "trans_id", resp.Transaction.TransactionID, "status", resp.Transaction.Status)
	if got := resp.orderID(); got != orderID {
		return plugin.PaymentResult{}, plugin.UnknownOutcome(nil, "%s: the answer is about order %q, not %q", opStatus, got, orderID)
	}
	res, err := paymentResultV2Of(ctx, &resp.Transaction, resp.CardInfo)
	if err != nil {
		return res, plugin.UnknownOutcome(err, "%s: the answer cannot be read: %v", opStatus, err)
	}
	return res, nil
}

// refund asks for the refund.
func (a v2API) refund(ctx context.Context, r *refundOrder) (refundState, error) {
	w, err := refundRequestV2Of(r)
	if err != nil {
		return refundState{}, err
	}
	var resp refundV2
	if err := a.call(ctx, opRefund, http.MethodPost, pathRefundV2, w, &resp); err != nil {
		return refundState{}, err
	}
	plugin.Logger(ctx).Info("AppotaPay refund", "refund_id", r.refundID, "trans_id", r.transID, "status", resp.Status)
	return refundAnswerV2(ctx, opRefund, &resp, r.refundID)
}

// refundStatus looks the refund up by the partner's refund id.
func (a v2API) refundStatus(ctx context.Context, refundID string) (refundState, error) {
	q := url.Values{"type": {referencePartnerOrderID}}
	var resp refundV2
	if err := a.call(ctx, opRefundLookup, http.MethodGet, pathRefundLookupV2+url.PathEscape(refundID)+"?"+q.Encode(), nil, &resp); err != nil {
		return refundState{}, err
	}
	plugin.Logger(ctx).Info("AppotaPay refund status", "refund_id", refundID, "status", resp.Status)
	return refundAnswerV2(ctx, opRefundLookup, &resp, refundID)
}

// refundAnswerV2 reads a refund answer, which must be about refundID.
func refundAnswerV2(ctx context.Context, op operation, resp *refundV2, refundID string) (refundState, error) {
	if resp.PartnerRefID != refundID {
		return refundState{}, plugin.UnknownOutcome(nil, "%s: the answer is about refund %q, not %q", op, resp.PartnerRefID, refundID)
	}
	if resp.Currency != "" && resp.Currency != currencyVND {
		return refundState{}, plugin.UnknownOutcome(nil, "%s: the answer is in %q, not VND", op, resp.Currency)
	}
	res, err := refundResultOf(ctx, resp.Status, resp.RefundID, resp.Amount)
	if err != nil {
		return refundState{}, plugin.UnknownOutcome(err, "%s: the answer cannot be read: %v", op, err)
	}
	return refundState{RefundResult: res, transID: resp.TransactionID}, nil
}
