package appotapay

import (
	"bytes"
	"context"
	"crypto/subtle"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/payhost/payhost/plugin"
)

// AppotaPay reports a payment's result twice, signed the same way over
// the same thirteen members (GATEWAYS.md §2.5):
//
//   - the IPN: a POST of the result as flat JSON to notifyUrl, the
//     instance's callback URL, sent only for successful payments and
//     possibly more than once;
//   - the browser redirect: a GET of the merchant's return URL with the
//     result in the query, for every outcome (failures too).
//
// HandleCallback takes both. The IPN arrives on its own. The redirect
// reaches the merchant, not payhost: a merchant that wants it verified
// forwards the query it received, untouched, as a GET to the instance's
// callback URL (GET /v1/callbacks/appotapay/<name>?<query>). Either way
// the plugin checks the signature with the secret key (a missing or bad
// one is an authentication error), checks that the result is for this
// partner account, and reports one payment event. A result that is not
// final (a "red code", or a code it does not know) is checked with the
// status API, the source of truth; a signed success or failure is
// reported as signed.
//
// The event's id is the gateway's notification identity: the
// appotapayTransId and the result code. The same result, delivered again
// or by both channels, has the same id, so the host applies it once.

// handleCallback verifies and normalises one IPN or forwarded redirect.
func (c *client) handleCallback(ctx context.Context, req *plugin.HandleCallbackRequest) (*plugin.HandleCallbackResponse, error) {
	tr, source, err := notificationOf(req)
	if err != nil {
		return nil, err
	}
	switch {
	case tr.Signature == "":
		return nil, plugin.AuthenticationFailed("", "the AppotaPay "+source+" has no signature")
	case !verifyResult(c.cfg.secretKey, tr):
		return nil, plugin.AuthenticationFailed("", "the AppotaPay "+source+" signature does not verify with the configured secret_key")
	case tr.PartnerCode != c.cfg.partnerCode || subtle.ConstantTimeCompare([]byte(tr.APIKey), []byte(c.cfg.apiKey.Reveal())) != 1:
		return nil, plugin.AuthenticationFailed("", "the AppotaPay "+source+" is for partner "+strconv.Quote(tr.PartnerCode)+", not this instance's account")
	}
	res, err := paymentResultOf(ctx, tr)
	if err != nil {
		return nil, plugin.InvalidRequest("body", "the AppotaPay %s cannot be read: %v", source, err)
	}
	if res.Status == plugin.StatusProcessing {
		res = c.confirm(ctx, tr, res)
	}
	plugin.Logger(ctx).Info("AppotaPay "+source, "order_id", tr.OrderID, "trans_id", tr.AppotapayTransID, "error_code", tr.ErrorCode.String(), "status", res.Status)
	event := plugin.Event{
		ID:                "appotapay:" + tr.AppotapayTransID + ":" + res.ProviderStatus,
		Type:              plugin.EventPayment,
		AttemptID:         tr.OrderID,
		ProviderReference: tr.AppotapayTransID,
		Payment:           &res,
	}
	if ts, err := strconv.ParseInt(tr.TransactionTs.String(), 10, 64); err == nil {
		event.OccurredAt = time.Unix(ts, 0).UTC()
	}
	return &plugin.HandleCallbackResponse{
		Events: []plugin.Event{event},
		Response: plugin.HTTPResponse{
			StatusCode: http.StatusOK,
			Header:     map[string][]string{"Content-Type": {"application/json"}},
			Body:       ipnAck,
		},
	}, nil
}

// notificationOf reads the result from an IPN's JSON body or a redirect's
// query, and says which it was.
func notificationOf(req *plugin.HandleCallbackRequest) (*transactionResult, string, error) {
	switch {
	case req.Method == http.MethodPost && len(bytes.TrimSpace(req.Body)) > 0:
		var tr transactionResult
		if err := json.Unmarshal(req.Body, &tr); err != nil {
			return nil, "", plugin.InvalidRequest("body", "the AppotaPay IPN is not the JSON expected: %v", err)
		}
		return &tr, "IPN", nil
	case req.Method == http.MethodGet || req.Method == http.MethodPost:
		q, err := url.ParseQuery(req.RawQuery)
		if err != nil || len(q) == 0 {
			return nil, "", plugin.InvalidRequest("query", "expected an AppotaPay IPN body or a redirect query")
		}
		return resultFromQuery(q), "redirect", nil
	default:
		return nil, "", plugin.InvalidRequest("method", "AppotaPay notifications are POST (IPN) or GET (redirect), not %s", req.Method)
	}
}

// confirm asks the status API about a result that is not final, and
// answers what it says; when it cannot tell, the notification stands.
func (c *client) confirm(ctx context.Context, tr *transactionResult, notified plugin.PaymentResult) plugin.PaymentResult {
	res, err := c.status(ctx, tr.OrderID)
	if err != nil {
		plugin.Logger(ctx).Warn("AppotaPay status check after a notification failed; keeping the notified status", "order_id", tr.OrderID, "error", err)
		return notified
	}
	if res.ProviderReference == "" {
		res.ProviderReference = notified.ProviderReference
	}
	return res
}

// verifyResult checks a transaction result's signature over its thirteen
// members or, when it has a tokenResult, over the fourteen.
func verifyResult(secret plugin.Secret, tr *transactionResult) bool {
	return verify(secret, tr.signed(), tr.Signature) ||
		(tr.TokenResult != "" && verify(secret, tr.signedWithToken(), tr.Signature))
}
