package reddot

import (
	"context"
	"net/http"

	"github.com/payhost/payhost/plugin"
)

// RDP pushes a payment's or a token's result to notify_url as JSON signed
// with sign_generic (with the secret of request_mid), and retries three
// times unless the answer is HTTP 200 (§3.5).

// acknowledgement is the answer RDP expects: HTTP 200 (its body is not
// read).
var acknowledgement = plugin.HTTPResponse{
	StatusCode: http.StatusOK,
	Header:     map[string][]string{"Content-Type": {"text/plain; charset=utf-8"}},
	Body:       []byte("OK"),
}

// notificationHead is what tells notifications apart and names the secret
// that signs them.
type notificationHead struct {
	MID             text `json:"mid"`
	RequestMID      text `json:"request_mid"`
	TransactionType text `json:"transaction_type"`
}

// HandleCallback verifies one of RDP's notifications and turns it into an
// event: a token event for a token transaction (transaction_type C, M or
// R), a payment event for a payment (S or A). Every notification must
// carry a signature that verifies, successes and failures alike: an
// unsigned one could come from anyone, and the status query tells the
// truth instead.
func (p *Provider) HandleCallback(ctx context.Context, req *plugin.HandleCallbackRequest) (*plugin.HandleCallbackResponse, error) {
	in, err := p.configured()
	if err != nil {
		return nil, err
	}
	if req.Method != http.MethodPost {
		return nil, plugin.InvalidRequest("method", "RDP notifications are POSTs, not %s", req.Method)
	}
	a, err := parseAnswer(req.Body)
	var head notificationHead
	if err == nil {
		err = a.decode(&head)
	}
	if err != nil {
		return nil, plugin.InvalidRequest("body", "the notification is not a JSON object of RDP's: %v", err)
	}
	mid := string(head.RequestMID)
	if mid == "" {
		mid = string(head.MID)
	}
	secret, ok := in.cfg.secretOf(mid)
	if !ok {
		return nil, plugin.AuthenticationFailed("", "the notification names mid "+mid+", which has no secret in this instance")
	}
	if err := checkSignature(a.signature(), true, signGeneric(a.fields, secret.Reveal()), mid, "notification", plugin.KindAuthentication); err != nil {
		return nil, err
	}
	logger := plugin.Logger(ctx)
	var e plugin.Event
	switch head.TransactionType {
	case typeCreate, typeModify, typeRemove:
		var ans tokenAnswer
		err = a.decode(&ans)
		res := tokenResult(&ans, logger)
		e = plugin.Event{
			ID: "token:" + string(ans.TransactionID) + ":" + string(ans.ResponseCode), Type: plugin.EventToken,
			TokenID: echoedID(ans.OrderID, ans.PayerID, tokenOrderID), ProviderReference: string(ans.TransactionID),
			Token: &res, OccurredAt: parseTimestamp(ans.CreatedTimestamp),
		}
	case typeSale, typeAuth:
		var ans paymentAnswer
		err = a.decode(&ans)
		res := paymentResult(&ans, logger)
		e = plugin.Event{
			ID: "payment:" + string(ans.TransactionID) + ":" + string(ans.ResponseCode), Type: plugin.EventPayment,
			AttemptID: echoedID(ans.OrderID, ans.MerchantReference, paymentOrderID), ProviderReference: string(ans.TransactionID),
			Payment: &res, OccurredAt: parseTimestamp(ans.CreatedTimestamp),
		}
	default:
		return nil, plugin.InvalidRequest("transaction_type", "the notification's transaction_type %q is neither a token's (C, M, R) nor a payment's (S, A)", string(head.TransactionType))
	}
	if err != nil {
		return nil, plugin.InvalidRequest("body", "the notification does not read as RDP's: %v", err)
	}
	logger.Info("RDP notification", "event", e.ID, "attempt_id", e.AttemptID, "token_id", e.TokenID)
	return &plugin.HandleCallbackResponse{Events: []plugin.Event{e}, Response: acknowledgement}, nil
}
