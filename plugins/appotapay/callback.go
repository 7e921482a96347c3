package appotapay

import (
	"bytes"
	"context"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/payhost/payhost/plugin"
)

// AppotaPay reports a payment's result twice, signed the same way
// (GATEWAYS.md §2.5):
//
//   - the IPN: a POST to notifyUrl, the instance's callback URL, sent only
//     for successful payments and possibly more than once;
//   - the browser redirect: a GET of the merchant's return URL with the
//     result in the query, for every outcome (failures too).
//
// v1.x sends the result as flat members (JSON body, query) signed over
// thirteen of them; v2 sends {data, signature}: data is the Base64 of the
// result's JSON and signature its HMAC.
//
// HandleCallback takes both. The IPN arrives on its own. The redirect
// reaches the merchant, not payhost: a merchant that wants it verified
// forwards the query it received, untouched, as a GET to the instance's
// callback URL (GET /v1/callbacks/appotapay/<name>?<query>). Either way
// the plugin checks the signature with the secret key (a missing or bad
// one is an authentication error), checks that the result is for this
// partner account, and reports one payment event. A result that is not
// final is checked with the status API, the source of truth; a signed
// success or failure is reported as signed.
//
// The event's id is the gateway's notification identity: the transaction
// id and the reported status (v1.x: the errorCode). The same result,
// delivered again or by both channels, has the same id, so the host
// applies it once.

// handleCallback verifies and normalises one IPN or forwarded redirect.
func handleCallback(ctx context.Context, a api, req *plugin.HandleCallbackRequest) (*plugin.HandleCallbackResponse, error) {
	n, err := a.notification(ctx, req)
	if err != nil {
		return nil, err
	}
	res := n.result
	if res.Status == plugin.StatusProcessing {
		res = confirm(ctx, a, n)
	}
	plugin.Logger(ctx).Info("AppotaPay "+n.source, "order_id", n.orderID, "trans_id", n.transID, "provider_status", n.result.ProviderStatus, "status", res.Status)
	return &plugin.HandleCallbackResponse{
		Events: []plugin.Event{{
			ID:                "appotapay:" + n.transID + ":" + res.ProviderStatus,
			Type:              plugin.EventPayment,
			AttemptID:         n.orderID,
			ProviderReference: n.transID,
			Payment:           &res,
			OccurredAt:        n.occurredAt,
		}},
		Response: plugin.HTTPResponse{
			StatusCode: http.StatusOK,
			Header:     map[string][]string{"Content-Type": {"application/json"}},
			Body:       ipnAck,
		},
	}, nil
}

// confirm asks the status API about a notified result that is not final,
// and answers what it says; when it cannot tell, the notification stands.
func confirm(ctx context.Context, a api, n *notice) plugin.PaymentResult {
	res, err := a.paymentStatus(ctx, n.orderID)
	if err != nil {
		plugin.Logger(ctx).Warn("AppotaPay status check after a notification failed; keeping the notified status", "order_id", n.orderID, "error", err)
		return n.result
	}
	if res.ProviderReference == "" {
		res.ProviderReference = n.transID
	}
	return res
}

// callbackSource tells an IPN (a POST with a body) from a forwarded
// redirect (a query), and returns the query of a redirect.
func callbackSource(req *plugin.HandleCallbackRequest) (string, url.Values, error) {
	switch {
	case req.Method == http.MethodPost && len(bytes.TrimSpace(req.Body)) > 0:
		return "IPN", nil, nil
	case req.Method == http.MethodGet || req.Method == http.MethodPost:
		q, err := url.ParseQuery(req.RawQuery)
		if err != nil || len(q) == 0 {
			return "", nil, plugin.InvalidRequest("query", "expected an AppotaPay IPN body or a redirect query")
		}
		return "redirect", q, nil
	default:
		return "", nil, plugin.InvalidRequest("method", "AppotaPay notifications are POST (IPN) or GET (redirect), not %s", req.Method)
	}
}

// notification reads a v1.x result and checks its signature (13 members,
// or 14 with tokenResult), partner code and API key.
func (a v1API) notification(ctx context.Context, req *plugin.HandleCallbackRequest) (*notice, error) {
	source, q, err := callbackSource(req)
	if err != nil {
		return nil, err
	}
	tr := &transactionResult{}
	if q != nil {
		tr = resultFromQuery(q)
	} else if err := json.Unmarshal(req.Body, tr); err != nil {
		return nil, plugin.InvalidRequest("body", "the AppotaPay IPN is not the JSON expected: %v", err)
	}
	switch {
	case tr.Signature == "":
		return nil, plugin.AuthenticationFailed("", "the AppotaPay "+source+" has no signature")
	case !verifyResult(a.cfg.secretKey, tr):
		return nil, plugin.AuthenticationFailed("", "the AppotaPay "+source+" signature does not verify with the configured secret_key")
	case tr.PartnerCode != a.cfg.partnerCode || subtle.ConstantTimeCompare([]byte(tr.APIKey), []byte(a.cfg.apiKey.Reveal())) != 1:
		return nil, plugin.AuthenticationFailed("", "the AppotaPay "+source+" is for partner "+strconv.Quote(tr.PartnerCode)+", not this instance's account")
	}
	res, err := paymentResultOf(ctx, tr)
	if err != nil {
		return nil, plugin.InvalidRequest("body", "the AppotaPay %s cannot be read: %v", source, err)
	}
	n := &notice{source: source, orderID: tr.OrderID, transID: tr.AppotapayTransID, result: res}
	if ts, err := strconv.ParseInt(tr.TransactionTs.String(), 10, 64); err == nil {
		n.occurredAt = time.Unix(ts, 0).UTC()
	}
	return n, nil
}

// notification reads a v2 {data, signature}: the HMAC over the exact data
// string first, then data's Base64 and JSON, then the partner code.
func (a v2API) notification(ctx context.Context, req *plugin.HandleCallbackRequest) (*notice, error) {
	source, q, err := callbackSource(req)
	if err != nil {
		return nil, err
	}
	var nv notificationV2
	if q != nil {
		nv = notificationV2{Data: q.Get("data"), Signature: q.Get("signature")}
	} else if err := json.Unmarshal(req.Body, &nv); err != nil {
		return nil, plugin.InvalidRequest("body", "the AppotaPay IPN is not the JSON expected: %v", err)
	}
	switch {
	case nv.Signature == "" || nv.Data == "":
		return nil, plugin.AuthenticationFailed("", "the AppotaPay "+source+" has no signed data")
	case !verifyMessage(a.cfg.secretKey, nv.Data, nv.Signature):
		return nil, plugin.AuthenticationFailed("", "the AppotaPay "+source+" signature does not verify with the configured secret_key")
	}
	raw, err := base64.StdEncoding.DecodeString(nv.Data)
	if err != nil {
		return nil, plugin.InvalidRequest("data", "the AppotaPay %s data is not Base64", source)
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var r resultV2
	if err := dec.Decode(&r); err != nil {
		return nil, plugin.InvalidRequest("data", "the AppotaPay %s data is not the JSON expected: %v", source, err)
	}
	if r.Transaction.PartnerCode != a.cfg.partnerCode {
		return nil, plugin.AuthenticationFailed("", "the AppotaPay "+source+" is for partner "+strconv.Quote(r.Transaction.PartnerCode)+", not this instance's account")
	}
	res, err := paymentResultV2Of(ctx, &r.Transaction, nil)
	if err != nil {
		return nil, plugin.InvalidRequest("data", "the AppotaPay %s cannot be read: %v", source, err)
	}
	return &notice{source: source, orderID: r.orderID(), transID: r.Transaction.transID(), result: res, occurredAt: occurredAtV2(&r.Transaction)}, nil
}

// occurredAtV2 is when a v2 result was reached, when it says.
func occurredAtV2(tx *transactionV2) time.Time {
	if t, err := time.Parse(time.RFC3339, tx.UpdatedAt); err == nil {
		return t.UTC()
	}
	if ts, err := strconv.ParseInt(strings.TrimSpace(tx.TransactionTs.String()), 10, 64); err == nil {
		return time.Unix(ts, 0).UTC()
	}
	return time.Time{}
}

// verifyResult checks a v1.x result's signature over its thirteen members
// or, when it has a tokenResult, over the fourteen.
func verifyResult(secret plugin.Secret, tr *transactionResult) bool {
	return verify(secret, tr.signed(), tr.Signature) ||
		(tr.TokenResult != "" && verify(secret, tr.signedWithToken(), tr.Signature))
}
