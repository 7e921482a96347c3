package appotapay

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/payhost/payhost/plugin"
)

// API v2's side of transform.go: its requests, and its statuses, which
// are words where v1.x has codes.

// createRequestV2Of is the v2 create request.
func createRequestV2Of(req *plugin.CreatePaymentRequest, cfg *settings) (*createRequestV2, error) {
	o, err := orderFieldsOf(req, cfg)
	if err != nil {
		return nil, err
	}
	return &createRequestV2{
		Transaction: transactionRequestV2{
			Amount: o.amount, Currency: currencyVND, BankCode: o.bankCode, PaymentMethod: o.paymentMethod, Action: actionPay,
		},
		PartnerReference: partnerReferenceV2{
			Order:              orderV2{ID: o.orderID, Info: o.info},
			NotificationConfig: &notificationConfigV2{NotifyURL: o.notifyURL, RedirectURL: o.redirectURL},
		},
	}, nil
}

// paymentStatusV2Of is the one place AppotaPay v2's transaction statuses
// become payment statuses: success and error are final, pending and
// processing wait. Any other status is unexpected: processing, and known
// is false so that the caller logs it.
func paymentStatusV2Of(status string) (plugin.PaymentStatus, bool) {
	switch status {
	case "success":
		return plugin.StatusSucceeded, true
	case "error":
		return plugin.StatusFailed, true
	case "pending", "processing":
		return plugin.StatusProcessing, true
	default:
		return plugin.StatusProcessing, false
	}
}

// paymentResultV2Of maps a v2 transaction; its amount is the order's.
func paymentResultV2Of(ctx context.Context, tx *transactionV2, card *cardInfo) (plugin.PaymentResult, error) {
	status, known := paymentStatusV2Of(tx.Status)
	if !known {
		plugin.Logger(ctx).Warn("unexpected AppotaPay transaction status; the payment stays processing", "trans_id", tx.transID(), "status", tx.Status, "error_code", tx.ErrorCode.String())
	}
	res := plugin.PaymentResult{
		Status:            status,
		ProviderReference: tx.transID(),
		ProviderStatus:    tx.Status,
		Card:              cardInfoOf(card),
	}
	if tx.Currency != "" && tx.Currency != currencyVND {
		return res, fmt.Errorf("the transaction is in %q, not VND", tx.Currency)
	}
	amount, err := moneyOf(json.Number(firstNonEmpty(tx.OrderAmount.String(), tx.Amount.String())))
	if err != nil {
		return res, err
	}
	res.Amount = amount
	switch status {
	case plugin.StatusSucceeded:
		res.CapturedAmount = amount
	case plugin.StatusFailed:
		res.FailureCode, res.FailureMessage = tx.ErrorCode.String(), firstNonEmpty(tx.ErrorMessage, tx.Message)
	}
	return res, nil
}

// refundRequestV2Of is the v2 refund request.
func refundRequestV2Of(r *refundOrder) (*refundRequestV2, error) {
	amount, err := vndAmount(r.amount, "amount")
	if err != nil {
		return nil, err
	}
	return &refundRequestV2{PartnerRefID: r.refundID, TransactionID: r.transID, Amount: amount, Currency: currencyVND, Reason: r.reason}, nil
}
