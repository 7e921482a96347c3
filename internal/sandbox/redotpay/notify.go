package redotpay

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"
	"time"

	"github.com/payhost/payhost/internal/sandbox/emukit"
)

// Webhook action types. ACQUIRER_PAY is documented; the refund one is the
// emulator's choice (doc.go).
const (
	actionPay    = "ACQUIRER_PAY"
	actionRefund = "ACQUIRER_REFUND"
)

// The emulator's settlement model for PAYMENT webhooks: the buyer pays
// the order amount in USDT at rate 1, and the merchant is billed net of a
// 1% fee (the documented example bills 0.99 for an order of 1).
const (
	billCoin      = "USDT"
	feePerHundred = 1
)

// payOrder records a payment on order sn and sends the notification it
// calls for. With honourMagic (the hosted page) an amount scripted to
// decline fails the attempt instead.
func (s *Server) payOrder(sn string, honourMagic bool) (order, error) {
	now := s.now()
	txID := s.newID("PAYH", 10)
	o, err := s.store.updateOrder(sn, anyOwner, now, func(o *order) error {
		if honourMagic && o.amount.magicTail() == magicDecline {
			return o.failAttempt()
		}
		return o.pay(now, txID)
	})
	if err == nil {
		s.notifyResult(o)
	}
	return o, err
}

// failOrder records a failed payment attempt on order sn.
func (s *Server) failOrder(sn string) (order, error) {
	o, err := s.store.updateOrder(sn, anyOwner, s.now(), (*order).failAttempt)
	if err == nil {
		s.notifyResult(o)
	}
	return o, err
}

// notifyResult sends what a payment outcome calls for: a PAYMENT webhook
// for a paid Connect order (Connect notifies successes only), a callback
// for every outcome of a seed order.
func (s *Server) notifyResult(o order) {
	s.kit.Logger.Info("order moved", "orderSn", o.sn, "orderStatus", o.status)
	switch {
	case o.profile == profileSeed:
		s.sendSeedCallback(o)
	case o.status == statusPaid:
		s.sendConnectWebhook(o, s.paymentWebhook(o))
	}
}

func (s *Server) paymentWebhook(o order) paymentWebhook {
	fee := o.amount.units * feePerHundred / 100
	amountText := json.Number(o.amount.String())
	return paymentWebhook{
		OuterOrder: o.merchantRef, OuterOrderSn: o.merchantRef, OrderSn: o.sn, PreSn: o.sn, TxID: o.txID,
		ActionType: actionPay, OrderStatus: o.status,
		OrderAmount: amountText, OrderCurrency: o.currency,
		BillAmount: json.Number(amount{o.amount.units - fee, o.amount.scale}.String()), BillCoin: billCoin,
		CryptoAmount: amountText, Rate: "1",
		RateExtra:  json.Number(formatFixed(o.rateExtra, microScale, true)),
		OuterUID:   o.outerUID,
		MerchantID: s.apps[o.owner].MerchantID,
		OrderTime:  o.paidAt.UnixMilli(),
	}
}

// sendConnectWebhook signs payload with the platform key over
// appKey.ts.body and queues it; it returns the callback id, or "" when the
// order has no notify URL.
func (s *Server) sendConnectWebhook(o order, payload any) string {
	body, err := json.Marshal(payload)
	if err != nil {
		s.kit.Logger.Error("encoding webhook", "orderSn", o.sn, "error", err)
		return ""
	}
	ts := strconv.FormatInt(s.now().UnixMilli(), 10)
	sig, err := signRSA(s.cfg.PlatformKey, webhookStringToSign(o.owner, ts, body))
	if err != nil {
		s.kit.Logger.Error("signing webhook", "orderSn", o.sn, "error", err)
		return ""
	}
	header := http.Header{}
	header.Set("Content-Type", "application/json")
	header.Set("X-R-Signature", sig)
	header.Set("X-R-Ts", ts)
	header.Set("X-R-Key-Version", strconv.Itoa(s.cfg.PlatformKeyVersion))
	return s.send(o, header, body, s.connectAcked)
}

// sendSeedCallback sends the seed's payment-result callback, signed with
// the merchant secret (vector S-1).
func (s *Server) sendSeedCallback(o order) {
	m := s.seeds[o.owner]
	status := seedStatus(o)
	amountText := o.amount.String()
	body, err := json.Marshal(seedCallbackBody{
		OrderSn: o.sn, MerchantOrderSn: o.merchantRef, Status: status,
		Amount: json.Number(amountText), Currency: o.currency,
		Signature: seedSignature(m.Secret, seedCallback{
			MerchantCode: m.Code, OrderSn: o.sn, RefNo: o.merchantRef,
			Amount: amountText, Currency: o.currency, Status: status,
		}),
	})
	if err != nil {
		s.kit.Logger.Error("encoding callback", "orderSn", o.sn, "error", err)
		return
	}
	header := http.Header{}
	header.Set("Content-Type", "application/json")
	s.send(o, header, body, s.seedAcked)
}

// send queues one notification for o's notify URL and returns its
// callback id.
func (s *Server) send(o order, header http.Header, body []byte, acked func(int, []byte) bool) string {
	if o.notifyURL == "" {
		s.kit.Logger.Warn("order has no notify URL; notification not sent", "orderSn", o.sn)
		return ""
	}
	id := s.kit.IDs.Next("cb_")
	s.kit.Callbacks.Send(emukit.Callback{ID: id, URL: o.notifyURL, Header: header, Body: body, Acked: acked})
	s.kit.Logger.Info("notification queued", "orderSn", o.sn, "callback", id)
	return id
}

// connectAcked recognises a webhook acknowledgement: HTTP 200 with
// {"code":"SUCCESS"}, or any HTTP 200 with AckAnyOK.
func (s *Server) connectAcked(status int, body []byte) bool {
	if status != http.StatusOK {
		return false
	}
	if s.cfg.AckAnyOK {
		return true
	}
	var ack struct {
		Code string `json:"code"`
	}
	return json.Unmarshal(body, &ack) == nil && ack.Code == "SUCCESS"
}

// seedAcked recognises the seed's acknowledgement: HTTP 200 with
// "SUCCESS" in the body, or any HTTP 200 with AckAnyOK.
func (s *Server) seedAcked(status int, body []byte) bool {
	return status == http.StatusOK && (s.cfg.AckAnyOK || bytes.Contains(body, []byte("SUCCESS")))
}

// refundWebhookFor describes a refund of units on o with its outcome.
func (s *Server) refundWebhookFor(o order, refundSn string, units int64, succeeded bool, reason string, at time.Time) refundWebhook {
	wh := refundWebhook{
		OuterOrder: o.merchantRef, OuterOrderSn: o.merchantRef, OrderSn: o.sn, RefundSn: refundSn,
		ActionType: actionRefund, RefundStatus: "SUCCESS",
		RefundAmount: json.Number(amount{units, o.amount.scale}.String()),
		OrderAmount:  json.Number(o.amount.String()), OrderCurrency: o.currency, OrderStatus: o.status,
		MerchantID: s.apps[o.owner].MerchantID, RefundTime: at.UnixMilli(),
	}
	if !succeeded {
		wh.RefundStatus, wh.FailReason = "FAIL", reason
	}
	return wh
}
