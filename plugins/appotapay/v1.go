package appotapay

import (
	"context"
	"net/http"
	"net/url"

	"github.com/payhost/payhost/plugin"
)

// v1API is AppotaPay's API v1.1 or v1.0 (the seed): flat JSON bodies
// signed with the sorted-parameter HMAC, answers signed the same way. An
// answer that says success but whose signature does not verify is an
// unknown outcome, never a success.
type v1API struct{ *client }

// createPayment creates the order and answers requires_action with the
// paymentUrl.
func (a v1API) createPayment(ctx context.Context, req *plugin.CreatePaymentRequest) (plugin.PaymentResult, error) {
	w, err := createRequestOf(req, a.cfg)
	if err != nil {
		return plugin.PaymentResult{}, err
	}
	w.Signature = sign(a.cfg.secretKey, w.signed())
	var resp createResponse
	if err := a.call(ctx, opCreate, http.MethodPost, a.cfg.path(pathCreateV10, pathCreateV11), w, &resp); err != nil {
		return plugin.PaymentResult{}, err
	}
	code := resp.ErrorCode.String()
	plugin.Logger(ctx).Info("AppotaPay create payment", "order_id", w.OrderID, "error_code", code)
	switch code {
	case codeSuccess:
		return a.createdPayment(w, &resp)
	case "":
		return plugin.PaymentResult{}, plugin.UnknownOutcome(nil, "%s: the answer has no errorCode", opCreate)
	default:
		return plugin.PaymentResult{}, rejectionError(opCreate, code, resp.Message)
	}
}

// createdPayment checks a create answer that says success: signed, about
// this order, with a usable paymentUrl.
func (a v1API) createdPayment(w *createRequest, resp *createResponse) (plugin.PaymentResult, error) {
	if !verify(a.cfg.secretKey, resp.signed(), resp.Signature) {
		return plugin.PaymentResult{}, plugin.UnknownOutcome(nil, "%s: the answer's signature does not verify; the order may exist", opCreate)
	}
	if resp.OrderID != w.OrderID {
		return plugin.PaymentResult{}, plugin.UnknownOutcome(nil, "%s: the answer is about order %q, not %q", opCreate, resp.OrderID, w.OrderID)
	}
	amount, err := moneyOf(resp.Amount)
	if err != nil {
		return plugin.PaymentResult{}, plugin.UnknownOutcome(err, "%s: the answer's amount cannot be read", opCreate)
	}
	return awaitingCustomer(plugin.PaymentResult{Amount: amount, ProviderStatus: codeSuccess}, resp.PaymentURL)
}

// paymentStatus checks the order. A signed result is the payment's
// status; an unsigned "red code" says to ask again (processing); other
// unsigned answers are rejections.
func (a v1API) paymentStatus(ctx context.Context, orderID string) (plugin.PaymentResult, error) {
	w := &statusRequest{OrderID: orderID}
	w.Signature = sign(a.cfg.secretKey, w.signed())
	var tr transactionResult
	if err := a.call(ctx, opStatus, http.MethodPost, a.cfg.path(pathStatusV10, pathStatusV11), w, &tr); err != nil {
		return plugin.PaymentResult{}, err
	}
	code := tr.ErrorCode.String()
	plugin.Logger(ctx).Info("AppotaPay payment status", "order_id", orderID, "trans_id", tr.AppotapayTransID, "error_code", code)
	if tr.Signature == "" {
		status, known := paymentStatusOf(code)
		switch {
		case code == "" || status == plugin.StatusSucceeded:
			return plugin.PaymentResult{}, plugin.UnknownOutcome(nil, "%s: the answer (errorCode %q) is not signed", opStatus, code)
		case known && status == plugin.StatusProcessing:
			return plugin.PaymentResult{Status: plugin.StatusProcessing, ProviderStatus: code}, nil
		}
		return plugin.PaymentResult{}, rejectionError(opStatus, code, tr.Message)
	}
	if !verifyResult(a.cfg.secretKey, &tr) {
		return plugin.PaymentResult{}, plugin.UnknownOutcome(nil, "%s: the answer's signature does not verify", opStatus)
	}
	if tr.OrderID != orderID || tr.PartnerCode != a.cfg.partnerCode {
		return plugin.PaymentResult{}, plugin.UnknownOutcome(nil, "%s: the answer is about order %q of partner %q", opStatus, tr.OrderID, tr.PartnerCode)
	}
	res, err := paymentResultOf(ctx, &tr)
	if err != nil {
		return plugin.PaymentResult{}, plugin.UnknownOutcome(err, "%s: the answer cannot be read: %v", opStatus, err)
	}
	return res, nil
}

// refund asks for the refund (the v1.0 path: AppotaPay documents no v1.1
// one).
func (a v1API) refund(ctx context.Context, r *refundOrder) (refundState, error) {
	w, err := refundRequestOf(r)
	if err != nil {
		return refundState{}, err
	}
	w.Signature = sign(a.cfg.secretKey, w.signed())
	var rr refundResponse
	if err := a.call(ctx, opRefund, http.MethodPost, pathRefund, w, &rr); err != nil {
		return refundState{}, err
	}
	plugin.Logger(ctx).Info("AppotaPay refund", "refund_id", w.RefundID, "trans_id", w.AppotapayTransID, "error_code", rr.ErrorCode.String(), "status", rr.Data.Status)
	return a.refundAnswer(ctx, opRefund, &rr, w.RefundID)
}

// refundStatus looks the refund up by the partner's refundId.
func (a v1API) refundStatus(ctx context.Context, refundID string) (refundState, error) {
	var rr refundResponse
	if err := a.call(ctx, opRefundLookup, http.MethodGet, pathRefundLookup+url.PathEscape(refundID), nil, &rr); err != nil {
		return refundState{}, err
	}
	plugin.Logger(ctx).Info("AppotaPay refund status", "refund_id", refundID, "error_code", rr.ErrorCode.String(), "status", rr.Data.Status)
	return a.refundAnswer(ctx, opRefundLookup, &rr, refundID)
}

// refundAnswer reads a refund answer: a success must be signed (8 keys)
// and about refundID.
func (a v1API) refundAnswer(ctx context.Context, op operation, rr *refundResponse, refundID string) (refundState, error) {
	switch code := rr.ErrorCode.String(); {
	case code == "":
		return refundState{}, plugin.UnknownOutcome(nil, "%s: the answer has no errorCode", op)
	case code != codeSuccess:
		return refundState{}, rejectionError(op, code, rr.Message)
	case !verify(a.cfg.secretKey, rr.signed(), rr.Signature):
		return refundState{}, plugin.UnknownOutcome(nil, "%s: the answer's signature does not verify", op)
	case rr.Data.RefundOriginalID != refundID:
		return refundState{}, plugin.UnknownOutcome(nil, "%s: the answer is about refund %q, not %q", op, rr.Data.RefundOriginalID, refundID)
	}
	res, err := refundResultOf(ctx, rr.Data.Status, rr.Data.RefundID, rr.Data.Amount)
	if err != nil {
		return refundState{}, plugin.UnknownOutcome(err, "%s: the answer cannot be read: %v", op, err)
	}
	return refundState{RefundResult: res, transID: rr.Data.AppotapayTransID}, nil
}

// path picks the v1.0 or v1.1 path of a call.
func (s *settings) path(v10, v11 string) string {
	if s.version == version10 {
		return v10
	}
	return v11
}
