package redotpay

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/payhost/payhost/plugin"
)

// callback.go verifies and normalises the gateway's notifications: the
// Connect PAYMENT and REFUND webhooks (RSA, GATEWAYS.md §1.3, §1.5) and
// the seed's payment-result callback (HMAC, vector S-1). Errors never
// quote a signature or a key.

// handleCallback verifies a Connect webhook over its raw bytes, then turns
// it into an event, and acknowledges it as RedotPay expects: HTTP 200
// {"code":"SUCCESS"}.
func (g *connectGateway) handleCallback(ctx context.Context, req *plugin.HandleCallbackRequest) (*plugin.HandleCallbackResponse, error) {
	if err := g.verifyWebhook(req); err != nil {
		return nil, err
	}
	var wh connectWebhook
	if err := decodeCallback(req.Body, &wh); err != nil {
		return nil, err
	}
	events, err := g.webhookEvents(ctx, wh)
	if err != nil {
		return nil, err
	}
	return &plugin.HandleCallbackResponse{Events: events, Response: plugin.HTTPResponse{
		StatusCode: http.StatusOK, Header: map[string][]string{"Content-Type": {"application/json"}}, Body: connectAck,
	}}, nil
}

// verifyWebhook checks X-R-Ts against the tolerance, X-R-Key-Version
// against the configured platform key version (when sent), and
// X-R-Signature with the platform public key over appKey.ts.rawBody.
func (g *connectGateway) verifyWebhook(req *plugin.HandleCallbackRequest) error {
	sig := headerValue(req.Header, "X-R-Signature")
	if sig == "" {
		return plugin.AuthenticationFailed("", "webhook has no X-R-Signature header")
	}
	ts := headerValue(req.Header, "X-R-Ts")
	ms, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return plugin.AuthenticationFailed("", "webhook X-R-Ts header is not epoch milliseconds")
	}
	if skew := g.now().Sub(time.UnixMilli(ms)); skew > g.s.tolerance || skew < -g.s.tolerance {
		return plugin.AuthenticationFailed("", fmt.Sprintf("webhook X-R-Ts is %s from now, outside the tolerance of %s: stale or replayed", skew.Round(time.Second), g.s.tolerance))
	}
	if v := headerValue(req.Header, "X-R-Key-Version"); v != "" && v != strconv.FormatInt(g.s.platformKeyVersion, 10) {
		return plugin.AuthenticationFailed("", fmt.Sprintf("webhook is signed with platform key version %q; the configured platform_key_version is %d", v, g.s.platformKeyVersion))
	}
	if verifyRSA(g.s.platformKey, webhookStringToVerify(g.s.appKey, ts, req.Body), sig) != nil {
		return plugin.AuthenticationFailed("", "webhook signature does not verify with the platform public key")
	}
	return nil
}

// webhookEvents normalises a verified webhook. A webhook of an unknown
// actionType is acknowledged without events (and logged), so that the
// gateway stops sending it; the reconciler still sees the order.
func (g *connectGateway) webhookEvents(ctx context.Context, wh connectWebhook) ([]plugin.Event, error) {
	log := plugin.Logger(ctx)
	attempt := firstNonEmpty(wh.OuterOrderSn, wh.OuterOrder)
	amount, err := moneyFromDecimal(wh.OrderAmount, wh.OrderCurrency)
	if err != nil {
		return nil, plugin.InvalidRequest("body", "webhook orderAmount: %v", err)
	}
	switch wh.ActionType {
	case actionPay:
		// PAYMENT webhooks are sent only when an order is paid (§1.4);
		// an orderStatus that says otherwise wins.
		status := plugin.StatusSucceeded
		if wh.OrderStatus != "" {
			status = paymentFromOrderStatus(wh.OrderStatus, 0, g.now(), log)
		}
		log.Info("payment webhook", "orderSn", wh.OrderSn, "attempt", attempt, "status", status)
		return []plugin.Event{{
			ID:   "redotpay:payment:" + wh.OrderSn + ":" + firstNonEmpty(wh.TxID, "orderStatus"+string(wh.OrderStatus)),
			Type: plugin.EventPayment, AttemptID: attempt, ProviderReference: wh.OrderSn,
			Payment: &plugin.PaymentResult{
				Status: status, ProviderReference: wh.OrderSn, Amount: amount,
				ProviderStatus: wh.ActionType + " orderStatus " + string(wh.OrderStatus),
			},
			OccurredAt: millis(wh.OrderTime),
		}}, nil
	case actionRefund:
		refunded, err := moneyFromDecimal(wh.RefundAmount, wh.OrderCurrency)
		if err != nil {
			return nil, plugin.InvalidRequest("body", "webhook refundAmount: %v", err)
		}
		status := refundFromWebhookStatus(wh.RefundStatus, log)
		log.Info("refund webhook", "orderSn", wh.OrderSn, "refundSn", wh.RefundSn, "status", status)
		refund := &plugin.RefundResult{
			Status: status, ProviderRefundReference: wh.RefundSn, Amount: refunded, ProviderStatus: wh.RefundStatus,
		}
		if status == plugin.RefundFailed {
			refund.FailureCode, refund.FailureMessage = wh.RefundStatus, wh.FailReason
		}
		return []plugin.Event{{
			ID:   "redotpay:refund:" + wh.RefundSn + ":" + wh.RefundStatus,
			Type: plugin.EventRefund, AttemptID: attempt, ProviderReference: wh.OrderSn,
			Refund: refund, OccurredAt: millis(wh.RefundTime),
		}}, nil
	default:
		log.Warn("webhook of an unknown actionType acknowledged without events", "actionType", wh.ActionType, "orderSn", wh.OrderSn)
		return nil, nil
	}
}

// handleCallback verifies the seed's callback signature (S-1, with the
// configured merchant_code and merchant_order_sn as ref_no) and answers
// HTTP 200 "SUCCESS". The seed's callback carries no timestamp, so it
// cannot be checked for staleness; the host's dedup by event id covers
// replays.
func (g *seedGateway) handleCallback(ctx context.Context, req *plugin.HandleCallbackRequest) (*plugin.HandleCallbackResponse, error) {
	var cb seedCallback
	if err := decodeCallback(req.Body, &cb); err != nil {
		return nil, err
	}
	if cb.Signature == "" {
		return nil, plugin.AuthenticationFailed("", "callback has no signature")
	}
	fields := seedSignedFields{
		MerchantCode: g.s.merchantCode, OrderSn: cb.OrderSn, RefNo: cb.MerchantOrderSn,
		Amount: string(cb.Amount), Currency: cb.Currency, Status: cb.Status,
	}
	if verifySeedSignature(g.s.secretKey.Reveal(), fields, cb.Signature) != nil {
		return nil, plugin.AuthenticationFailed("", "callback signature does not verify with the secret key")
	}
	amount, err := moneyFromMinor(cb.Amount, cb.Currency)
	if err != nil {
		return nil, plugin.InvalidRequest("body", "callback amount: %v", err)
	}
	status := paymentFromSeedStatus(cb.Status, plugin.Logger(ctx))
	plugin.Logger(ctx).Info("order callback", "order_sn", cb.OrderSn, "seed_status", cb.Status, "status", status)
	return &plugin.HandleCallbackResponse{
		Events: []plugin.Event{{
			ID:   "redotpay:payment:" + cb.OrderSn + ":" + cb.Status,
			Type: plugin.EventPayment, AttemptID: cb.MerchantOrderSn, ProviderReference: cb.OrderSn,
			Payment: &plugin.PaymentResult{Status: status, ProviderReference: cb.OrderSn, Amount: amount, ProviderStatus: cb.Status},
		}},
		Response: plugin.HTTPResponse{
			StatusCode: http.StatusOK, Header: map[string][]string{"Content-Type": {"text/plain; charset=utf-8"}}, Body: seedAck,
		},
	}, nil
}

// decodeCallback decodes a callback body; one that does not decode is an
// invalid request, which the host answers with an error so that the
// gateway sends it again.
func decodeCallback(body []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		return plugin.InvalidRequest("body", "callback body is not the JSON expected: %v", err)
	}
	return nil
}
