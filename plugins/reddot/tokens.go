package reddot

import (
	"context"

	"github.com/hashicorp/go-hclog"
	"github.com/payhost/payhost/plugin"
)

// The token API (§3.2): hosted and direct tokenization and removal on
// /service/token-api, and a token transaction's result on
// query_token_redirection.
//
// RDP keeps one active token per payer_id, so every token gets a payer_id
// of its own: the host's TokenID. It comes back as StoredToken.CustomerRef
// and in every token answer and notification, which maps them back to the
// token.

// Tokenize stores a card: directly (direct_token_api with the card; the
// token is active at once), or on RDP's hosted card page when req has no
// card (hosted_token_api; requires_action, and the result arrives as a
// token notification and through GetToken).
func (p *Provider) Tokenize(ctx context.Context, req *plugin.TokenizeRequest) (*plugin.TokenizeResponse, error) {
	in, err := p.configured()
	if err != nil {
		return nil, err
	}
	w, err := in.newTokenRequest(req)
	if err != nil {
		return nil, err
	}
	const what = "tokenize"
	logger := plugin.Logger(ctx).With("order_id", w.OrderID, "mid", w.MID, "api_mode", w.APIMode)
	ans, err := in.sendToken(ctx, w, logger, what)
	if err != nil {
		return nil, err
	}
	if w.APIMode == modeHostedToken {
		if ans.ResponseCode != codeOK || ans.PaymentURL == "" {
			return nil, gatewayError(tokenAPI, ans.ResponseCode, ans.ResponseMsg, what)
		}
		return &plugin.TokenizeResponse{TokenResult: plugin.TokenResult{
			Status:            plugin.TokenRequiresAction,
			CustomerRef:       w.PayerID,
			ProviderReference: string(ans.TransactionID),
			NextAction:        redirect(ans.PaymentURL, ans.ExpiredTimestamp),
			ProviderStatus:    string(ans.ResponseCode),
		}}, nil
	}
	res, err := directResult(ans, typeCreate, plugin.TokenActive, logger, what)
	if err != nil {
		return nil, err
	}
	return &plugin.TokenizeResponse{TokenResult: res}, nil
}

// newTokenRequest builds and signs the token-api request of req.
func (in *instance) newTokenRequest(req *plugin.TokenizeRequest) (*tokenRequest, error) {
	if req.TokenID == "" || len(req.TokenID) > maxPayerIDLength {
		return nil, plugin.InvalidRequest("token_id", "the token id must be 1 to %d characters", maxPayerIDLength)
	}
	if _, ok := plugin.CurrencyExponent(req.Currency); req.Currency != "" && !ok {
		return nil, plugin.InvalidRequest("currency", "currency %q is not an ISO 4217 code payhost knows", req.Currency)
	}
	w := &tokenRequest{
		MID:             in.cfg.midFor(req.Currency),
		OrderID:         tokenOrderID(req.TokenID),
		TransactionType: typeCreate,
		PayerID:         req.TokenID,
		PayerName:       truncate(req.Customer.Name, maxPayerName),
		Ccy:             req.Currency,
	}
	if len(req.Customer.Email) <= maxPayerEmail {
		w.PayerEmail = req.Customer.Email
	}
	if req.Card == nil {
		w.APIMode = modeHostedToken
		if req.ReturnURL == "" {
			return nil, plugin.InvalidRequest("return_url", "RDP's hosted card page needs a return URL")
		}
		notify, err := in.notifyURL()
		if err != nil {
			return nil, err
		}
		w.BackURL, w.RedirectURL, w.NotifyURL = req.ReturnURL, req.ReturnURL, notify
	} else {
		w.APIMode = modeDirectToken
		var err error
		if w.CardNo, w.ExpDate, w.CVV2, err = cardFields(req.Card); err != nil {
			return nil, err
		}
		if req.Card.HolderName != "" {
			w.PayerName = truncate(req.Card.HolderName, maxPayerName)
		}
		switch {
		case w.PayerName == "":
			return nil, plugin.InvalidRequest("card.holder_name", "RDP stores a card only with the cardholder's name (card holder name or customer name)")
		case w.PayerEmail == "":
			return nil, plugin.InvalidRequest("customer.email", "RDP stores a card only with the customer's e-mail address (at most %d characters)", maxPayerEmail)
		}
	}
	secret, _ := in.cfg.secretOf(w.MID)
	w.Signature = genericSignature(w, secret)
	return w, nil
}

// sendToken sends a token-api request and returns RDP's verified answer,
// or its error answer as an error.
func (in *instance) sendToken(ctx context.Context, w *tokenRequest, logger hclog.Logger, what string) (*tokenAnswer, error) {
	var ans tokenAnswer
	a, err := in.sendJSON(ctx, pathTokenAPI, w, &ans, what)
	if err != nil {
		return nil, err
	}
	if err := in.verifyGeneric(a, ans.ResponseCode, w.MID, what); err != nil {
		return nil, err
	}
	logger.Info("RDP answered", "transaction_id", string(ans.TransactionID), "response_code", string(ans.ResponseCode))
	if ans.isError() || ans.TransactionID == "" {
		return &ans, gatewayError(tokenAPI, ans.ResponseCode, ans.ResponseMsg, what)
	}
	return &ans, nil
}

// directResult maps a direct_token_api result of transaction type tt that
// should end as want: a bank rejection is a decline, and anything
// undecided an unknown outcome, to be resolved with GetToken.
func directResult(ans *tokenAnswer, tt string, want plugin.TokenStatus, logger hclog.Logger, what string) (plugin.TokenResult, error) {
	if ans.TransactionType == "" {
		// The direct answer is the result of this very request.
		ans.TransactionType = text(tt)
	}
	res := tokenResult(ans, logger)
	switch res.Status {
	case want:
		return res, nil
	case plugin.TokenFailed:
		return res, gatewayError(tokenAPI, ans.ResponseCode, text(res.FailureMessage), what)
	}
	return res, plugin.UnknownOutcome(nil, "%s: RDP did not decide (response_code %q)", what, string(ans.ResponseCode))
}

// GetToken asks query_token_redirection where a token stands: the result of
// its tokenization, found by its transaction_id (ProviderReference) or,
// with unique order ids, by the order id derived from the TokenID. RDP has
// no "token status" call; with unique order ids the removal's order id is
// looked up as well, so that a removed token reads deleted. Without them,
// a removal is seen only when ProviderReference names the removal.
func (p *Provider) GetToken(ctx context.Context, req *plugin.GetTokenRequest) (*plugin.GetTokenResponse, error) {
	in, err := p.configured()
	if err != nil {
		return nil, err
	}
	_, ans, err := in.findToken(ctx, req.TokenRef, plugin.Logger(ctx), "token status")
	if err != nil {
		return nil, err
	}
	return &plugin.GetTokenResponse{TokenResult: tokenResult(ans, plugin.Logger(ctx))}, nil
}

// findToken queries the token transaction ref names and, with unique order
// ids, the token's removal; it returns the MID that has the token and the
// answer that tells where it stands. A token RDP does not have is
// invalid_request with RDP's code (not_found is for payment queries only).
func (in *instance) findToken(ctx context.Context, ref plugin.TokenRef, logger hclog.Logger, what string) (string, *tokenAnswer, error) {
	id, err := in.lookupID(ref.ProviderReference, ref.TokenID, tokenOrderID)
	if err != nil {
		return "", nil, err
	}
	mid, ans, err := query[tokenAnswer](ctx, &in.client, pathQueryToken, in.cfg.candidateMIDs(""), id, what)
	if err != nil {
		return "", nil, plugin.NotFoundAsInvalid(err, "")
	}
	if !in.cfg.uniqueOrderID || ref.TokenID == "" || decide(ans.ResponseCode, ans.TransactionType, logger) != tokenStored {
		return mid, ans, nil
	}
	_, removal, err := query[tokenAnswer](ctx, &in.client, pathQueryToken, []string{mid}, removalOrderID(ref.TokenID), what)
	switch {
	case isNotFoundError(err):
		return mid, ans, nil
	case err != nil:
		return "", nil, err
	case decide(removal.ResponseCode, removal.TransactionType, logger) == tokenRemoved:
		return mid, removal, nil
	}
	return mid, ans, nil
}

// DeleteToken removes a stored card (direct_token_api, transaction type
// R). It first looks the token up, for the payer_email RDP requires and
// the MID that holds it. A token RDP no longer finds (-2015) is deleted
// already.
func (p *Provider) DeleteToken(ctx context.Context, req *plugin.DeleteTokenRequest) (*plugin.DeleteTokenResponse, error) {
	in, err := p.configured()
	if err != nil {
		return nil, err
	}
	if req.TokenID == "" {
		return nil, plugin.InvalidRequest("token_id", "the token id is required: it derives the removal's order id")
	}
	const what = "delete token"
	logger := plugin.Logger(ctx)
	mid, cur, err := in.findToken(ctx, req.TokenRef, logger, what)
	if err != nil {
		return nil, err
	}
	switch now := tokenResult(cur, logger); now.Status {
	case plugin.TokenDeleted:
		return &plugin.DeleteTokenResponse{TokenResult: now}, nil
	case plugin.TokenActive:
	default:
		return nil, plugin.InvalidRequest("token", "RDP holds no active token for this tokenization (response_code %s)", string(cur.ResponseCode))
	}
	w := &tokenRequest{
		MID: mid, OrderID: removalOrderID(req.TokenID), APIMode: modeDirectToken, TransactionType: typeRemove,
		PayerID: string(cur.PayerID), PayerEmail: string(cur.PayerEmail), TokenID: string(cur.TokenID),
	}
	secret, _ := in.cfg.secretOf(mid)
	w.Signature = genericSignature(w, secret)
	ans, err := in.sendToken(ctx, w, logger.With("order_id", w.OrderID, "mid", mid), what)
	switch {
	case ans != nil && ans.ResponseCode == "-2015":
		return &plugin.DeleteTokenResponse{TokenResult: plugin.TokenResult{
			Status: plugin.TokenDeleted, Token: w.TokenID, CustomerRef: w.PayerID, ProviderStatus: string(ans.ResponseCode),
		}}, nil
	case err != nil:
		return nil, err
	}
	res, err := directResult(ans, typeRemove, plugin.TokenDeleted, logger, what)
	if err != nil {
		return nil, err
	}
	return &plugin.DeleteTokenResponse{TokenResult: res}, nil
}
