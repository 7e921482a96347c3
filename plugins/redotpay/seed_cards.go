package redotpay

import (
	"context"
	"net/http"

	"github.com/payhost/payhost/plugin"
)

// The seed's /v1 card endpoints: authorize, capture (partial), refund
// (partial, repeated), void and reversal. The seed gives their request
// bodies only; the answers are the emulator's design: the transaction on
// success (202 for a pending authorization), {"code", "message", "param"}
// on error, 402 card_declined with a decline_code for a decline. There is
// no status query and no callback for card transactions.

// cardErrorKinds classifies the /v1 error codes; any other code is an
// unknown outcome.
var cardErrorKinds = map[string]plugin.ErrorKind{
	"invalid_request":      plugin.KindInvalidRequest,
	"not_found":            plugin.KindInvalidRequest,
	"invalid_state":        plugin.KindInvalidRequest,
	"amount_exceeds_limit": plugin.KindInvalidRequest,
	"unauthorized":         plugin.KindAuthentication,
	"card_declined":        plugin.KindDeclined,
}

// cardCall POSTs payload to a /v1 path and returns the transaction of a
// 2xx answer; other answers are errors by cardErrorKinds.
func (g *seedGateway) cardCall(ctx context.Context, path string, payload any, what string) (*plugin.PaymentResult, cardTxn, error) {
	body, err := encodeBody(payload)
	if err != nil {
		return nil, cardTxn{}, err
	}
	resp, err := g.c.do(ctx, http.MethodPost, path, nil, body, g.bearer, what)
	if err != nil {
		return nil, cardTxn{}, err
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		var e cardError
		if err := decodeData(resp, resp.Body, &e, what); err != nil {
			return nil, cardTxn{}, err
		}
		return nil, cardTxn{}, gatewayError(ctx, what, cardErrorKinds, e.Code, e.DeclineCode, e.Message, e.Param)
	}
	var t cardTxn
	if err := decodeData(resp, resp.Body, &t, what); err != nil {
		return nil, cardTxn{}, err
	}
	res, err := cardResult(t, plugin.Logger(ctx))
	if err != nil {
		return nil, cardTxn{}, notUnderstood(what, err)
	}
	plugin.Logger(ctx).Info("card transaction", "call", what, "transaction_id", t.TransactionID, "card_status", t.Status, "status", res.Status)
	return res, t, nil
}

// authorize authorizes a card payment and, for an automatic capture,
// captures it in full. When that capture fails the authorization stands
// and is reported: authorized when the capture surely did not happen,
// unknown when it may have.
func (g *seedGateway) authorize(ctx context.Context, req *plugin.CreatePaymentRequest) (*plugin.PaymentResult, error) {
	if req.Card == nil || req.Card.Number.IsEmpty() {
		return nil, plugin.InvalidRequest("card", "a card payment needs the card's number")
	}
	amount, err := cardAmount(req.Amount)
	if err != nil {
		return nil, err
	}
	res, _, err := g.cardCall(ctx, pathCardAuthorize, cardAuthorizeRequest{
		Amount: amount, CardNumber: req.Card.Number.Reveal(), Currency: req.Amount.Currency,
	}, "authorize card")
	if err != nil {
		return nil, err
	}
	info := req.Card.Info()
	res.Card = &info
	if res.Status == plugin.StatusProcessing {
		plugin.Logger(ctx).Warn("card authorization pending; the seed API has no status query or callback to learn its result",
			"transaction_id", res.ProviderReference)
	}
	if req.Capture != plugin.CaptureAutomatic || res.Status != plugin.StatusAuthorized {
		return res, nil
	}
	captured, err := g.captureTxn(ctx, res.ProviderReference, req.Amount)
	if err != nil {
		plugin.Logger(ctx).Warn("capture after authorization failed; the authorization stands",
			"transaction_id", res.ProviderReference, "kind", plugin.KindOf(err), "error", err)
		if plugin.KindOf(err) == plugin.KindUnknownOutcome {
			res.Status = plugin.StatusUnknown
		}
		return res, nil
	}
	captured.Card = &info
	return captured, nil
}

// capture captures all or part of an authorization.
func (g *seedGateway) capture(ctx context.Context, req *plugin.CaptureRequest) (*plugin.PaymentResult, error) {
	id, err := transactionID(req.PaymentRef)
	if err != nil {
		return nil, err
	}
	return g.captureTxn(ctx, id, req.Amount)
}

func (g *seedGateway) captureTxn(ctx context.Context, id string, m plugin.Money) (*plugin.PaymentResult, error) {
	amount, err := cardAmount(m)
	if err != nil {
		return nil, err
	}
	res, _, err := g.cardCall(ctx, pathCardCapture, cardTxnRequest{TransactionID: id, Amount: amount, Currency: m.Currency}, "capture")
	return res, err
}

// refund refunds part or all of what is left of a captured payment. The
// gateway gives a refund no id of its own.
func (g *seedGateway) refund(ctx context.Context, req *plugin.RefundRequest) (*plugin.RefundResult, error) {
	id, err := transactionID(req.PaymentRef)
	if err != nil {
		return nil, err
	}
	amount, err := cardAmount(req.Amount)
	if err != nil {
		return nil, err
	}
	_, t, err := g.cardCall(ctx, pathCardRefund, cardTxnRequest{TransactionID: id, Amount: amount}, "refund")
	if err != nil {
		return nil, err
	}
	return &plugin.RefundResult{
		Status: refundFromCardStatus(t.Status, plugin.Logger(ctx)), Amount: req.Amount, ProviderStatus: t.Status,
	}, nil
}

// void cancels an authorization before capture.
func (g *seedGateway) void(ctx context.Context, req *plugin.VoidRequest) (*plugin.PaymentResult, error) {
	return g.wholeTxnCall(ctx, pathCardVoid, req.PaymentRef, "void")
}

// reverse undoes a captured transaction that has no refunds; it always
// acts on the whole transaction.
func (g *seedGateway) reverse(ctx context.Context, req *plugin.ReverseRequest) (*plugin.PaymentResult, error) {
	return g.wholeTxnCall(ctx, pathCardReversal, req.PaymentRef, "reversal")
}

func (g *seedGateway) wholeTxnCall(ctx context.Context, path string, ref plugin.PaymentRef, what string) (*plugin.PaymentResult, error) {
	id, err := transactionID(ref)
	if err != nil {
		return nil, err
	}
	res, _, err := g.cardCall(ctx, path, cardTxnRequest{TransactionID: id}, what)
	return res, err
}

// transactionID is the card transaction a follow-up call acts on; the
// /v1 API knows no merchant reference, so it must be the gateway's id.
func transactionID(ref plugin.PaymentRef) (string, error) {
	if ref.ProviderReference == "" {
		return "", plugin.InvalidRequest("provider_reference", "the card transaction id (provider reference) is required")
	}
	return ref.ProviderReference, nil
}
