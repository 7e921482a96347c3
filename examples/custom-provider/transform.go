package tinypay

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"github.com/payhost/payhost/plugin"
)

// currencies are the currencies tinypay takes.
var currencies = []string{"EUR", "JPY", "SGD", "USD"}

// maxOrderID is the longest order id tinypay takes; the host's attempt
// ids (att_ and 26 characters) fit.
const maxOrderID = 64

// amountOf is m as tinypay's amount: a decimal string in major units with
// exactly the currency's decimals. Anything but a positive amount in a
// currency tinypay takes is invalid_request naming param (or currency).
func amountOf(m plugin.Money, param string) (string, error) {
	if !slices.Contains(currencies, m.Currency) {
		return "", plugin.InvalidRequest("currency", "tinypay takes %v, not %q", currencies, m.Currency)
	}
	if m.Amount <= 0 {
		return "", plugin.InvalidRequest(param, "%s must be above zero (got %s)", param, m)
	}
	d, err := m.Decimal()
	if err != nil {
		return "", plugin.InvalidRequest(param, "%s: %v", param, err)
	}
	return d, nil
}

// moneyOf reads an amount tinypay reports, exactly: never through a
// float, and an amount that would need rounding is an error.
func moneyOf(amount, currency string) (plugin.Money, error) {
	return plugin.ParseDecimal(amount, currency)
}

// createRequestOf maps a payment to tinypay's create request. The attempt
// id is the order id, so that a status query finds a payment whose create
// answer was lost. tinypay's page collects the card: a payment carrying
// card data is refused rather than the data dropped silently.
func createRequestOf(req *plugin.CreatePaymentRequest, notifyURL string) (*createPaymentRequest, error) {
	amount, err := amountOf(req.Amount, "amount")
	if err != nil {
		return nil, err
	}
	switch {
	case req.Method != plugin.MethodCard && req.Method != plugin.MethodWallet:
		return nil, plugin.InvalidRequest("method", "tinypay takes card and wallet payments, not %q", req.Method)
	case req.Card != nil:
		return nil, plugin.InvalidRequest("card", "tinypay collects the card on its hosted page; send the payment without card data")
	case req.AttemptID == "" || len(req.AttemptID) > maxOrderID:
		return nil, plugin.InvalidRequest("attempt_id", "the attempt id is tinypay's order id: 1 to %d characters", maxOrderID)
	case req.ReturnURL == "":
		return nil, plugin.InvalidRequest("return_url", "tinypay's page needs a return URL for the customer's browser")
	case notifyURL == "":
		return nil, plugin.InvalidRequest("callback_url", "the instance has no callback URL (payhost's public_url) for tinypay's callbacks")
	}
	description := req.Description
	if description == "" {
		description = req.Reference
	}
	return &createPaymentRequest{
		OrderID: req.AttemptID, Amount: amount, Currency: req.Amount.Currency, Method: string(req.Method),
		Description: description, ReturnURL: req.ReturnURL, NotifyURL: notifyURL,
	}, nil
}

// paymentStatusOf is the one place tinypay's payment statuses become
// payhost's. Only an explicit paid or failed is final; a status this
// provider does not know is processing, and known is false so that the
// caller logs it.
func paymentStatusOf(status string) (s plugin.PaymentStatus, known bool) {
	switch status {
	case "pending":
		return plugin.StatusRequiresAction, true
	case "paid", "partially_refunded", "refunded":
		// Refunds are the host's to track; the payment itself succeeded.
		return plugin.StatusSucceeded, true
	case "failed":
		return plugin.StatusFailed, true
	default:
		return plugin.StatusProcessing, false
	}
}

// paymentResultOf maps one of tinypay's payments. A pending payment must
// carry its page's URL: without one the customer cannot pay, and the
// answer cannot be trusted.
func paymentResultOf(ctx context.Context, p *payment) (plugin.PaymentResult, error) {
	status, known := paymentStatusOf(p.Status)
	if !known {
		plugin.Logger(ctx).Warn("unexpected tinypay status; the payment stays processing", "payment", p.ID, "order_id", p.OrderID, "status", p.Status)
	}
	amount, err := moneyOf(p.Amount, p.Currency)
	if err != nil {
		return plugin.PaymentResult{}, fmt.Errorf("payment %s: %w", p.ID, err)
	}
	res := plugin.PaymentResult{Status: status, ProviderReference: p.ID, Amount: amount, ProviderStatus: p.Status}
	switch status {
	case plugin.StatusSucceeded:
		res.CapturedAmount = amount
	case plugin.StatusFailed:
		res.FailureCode, res.FailureMessage = p.Status, "the customer did not pay on tinypay's page"
	case plugin.StatusRequiresAction:
		u, err := url.Parse(p.PayURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return plugin.PaymentResult{}, fmt.Errorf("pending payment %s has no usable pay_url", p.ID)
		}
		res.NextAction = &plugin.NextAction{Type: plugin.ActionRedirect, URL: p.PayURL}
	}
	return res, nil
}

// refundResultOf maps tinypay's answer to a refund.
func refundResultOf(r *refund) (plugin.RefundResult, error) {
	amount, err := moneyOf(r.Amount, r.Currency)
	if err != nil {
		return plugin.RefundResult{}, fmt.Errorf("refund %s: %w", r.ID, err)
	}
	res := plugin.RefundResult{ProviderRefundReference: r.ID, Amount: amount, ProviderStatus: r.Status}
	switch r.Status {
	case "succeeded":
		res.Status = plugin.RefundSucceeded
	case "failed":
		res.Status, res.FailureCode = plugin.RefundFailed, r.Status
	default:
		res.Status = plugin.RefundPending
	}
	return res, nil
}

// refusal is the error for tinypay's refusal of a request: HTTP status
// and tinypay's error code (empty when the body was not tinypay's). Only
// codes that say tinypay did nothing become refusals; anything else may
// hide an action, so its outcome is unknown.
func refusal(status int, code, message, what string) *plugin.Error {
	if message == "" {
		message = "tinypay refused the request with HTTP " + strconv.Itoa(status)
	}
	message = what + ": " + message
	kind := plugin.KindUnknownOutcome
	switch code {
	case "invalid_request", "not_found", "order_conflict", "not_paid", "amount_exceeds_refundable", "refund_conflict":
		kind = plugin.KindInvalidRequest
	case "unknown_key", "bad_signature", "stale_timestamp":
		kind = plugin.KindAuthentication
	case "":
		switch status {
		case http.StatusUnauthorized, http.StatusForbidden:
			kind = plugin.KindAuthentication
		case http.StatusBadRequest, http.StatusNotFound, http.StatusMethodNotAllowed:
			kind = plugin.KindInvalidRequest
		}
		code = "HTTP " + strconv.Itoa(status)
	}
	return plugin.GatewayError(kind, code, message)
}
