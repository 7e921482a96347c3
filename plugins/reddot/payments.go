package reddot

import (
	"context"
	"errors"

	"github.com/payhost/payhost/plugin"
)

// The payment API (§3.2): a payment's first phase on /service/payment-api
// and its status on query_redirection.

// The payer field limits of the payment and token APIs.
const (
	maxPayerName  = 45
	maxPayerEmail = 60
)

// CreatePayment starts a sale (payment_type S, automatic capture) or an
// authorization (A, manual capture): direct_n3d with a card or a saved
// token, or redirection_hosted, RDP's card page, for a card payment
// without card data (requires_action with the page to redirect to).
func (p *Provider) CreatePayment(ctx context.Context, req *plugin.CreatePaymentRequest) (*plugin.CreatePaymentResponse, error) {
	in, err := p.configured()
	if err != nil {
		return nil, err
	}
	w, err := in.newPaymentRequest(req)
	if err != nil {
		return nil, err
	}
	const what = "create payment"
	logger := plugin.Logger(ctx).With("order_id", w.OrderID, "mid", w.MID, "api_mode", w.APIMode, "payment_type", w.PaymentType)
	var ans paymentAnswer
	a, err := in.sendJSON(ctx, pathPaymentAPI, w, &ans, what)
	if err != nil {
		return nil, err
	}
	if err := in.verifyGeneric(a, ans.ResponseCode, w.MID, what); err != nil {
		return nil, err
	}
	logger.Info("RDP answered", "transaction_id", string(ans.TransactionID), "response_code", string(ans.ResponseCode))
	switch {
	case ans.isError() || ans.TransactionID == "":
		return nil, gatewayError(paymentAPI, ans.ResponseCode, ans.ResponseMsg, what)
	case w.APIMode == modeHostedPay && ans.ResponseCode == codeOK && ans.PaymentURL != "":
		return &plugin.CreatePaymentResponse{PaymentResult: plugin.PaymentResult{
			Status:            plugin.StatusRequiresAction,
			ProviderReference: string(ans.TransactionID),
			NextAction:        redirect(ans.PaymentURL, ans.ExpiredTimestamp),
			Amount:            req.Amount,
			ProviderStatus:    string(ans.ResponseCode),
		}}, nil
	case w.APIMode == modeHostedPay:
		return nil, gatewayError(paymentAPI, ans.ResponseCode, ans.ResponseMsg, what)
	}
	if ans.TransactionType == "" {
		// The direct answer is the result of this very request.
		ans.TransactionType = text(w.PaymentType)
	}
	res := paymentResult(&ans, logger)
	if res.Status == plugin.StatusFailed {
		return nil, gatewayError(paymentAPI, ans.ResponseCode, text(res.FailureMessage), what)
	}
	return &plugin.CreatePaymentResponse{PaymentResult: res}, nil
}

// newPaymentRequest builds and signs the payment-api request of req.
func (in *instance) newPaymentRequest(req *plugin.CreatePaymentRequest) (*paymentRequest, error) {
	if req.AttemptID == "" || len(req.AttemptID) > maxPayerIDLength {
		return nil, plugin.InvalidRequest("attempt_id", "the attempt id must be 1 to %d characters", maxPayerIDLength)
	}
	amount, err := amountString(req.Amount)
	if err != nil {
		return nil, err
	}
	w := &paymentRequest{
		MID:               in.cfg.midFor(req.Amount.Currency),
		PaymentType:       typeSale,
		OrderID:           paymentOrderID(req.AttemptID),
		Amount:            amount,
		Ccy:               req.Amount.Currency,
		PayerName:         truncate(req.Customer.Name, maxPayerName),
		MerchantReference: req.AttemptID,
		RedirectURL:       req.ReturnURL,
		BackURL:           req.ReturnURL,
		NotifyURL:         in.callbackURL,
	}
	if len(req.Customer.Email) <= maxPayerEmail {
		w.PayerEmail = req.Customer.Email
	}
	if req.Capture == plugin.CaptureManual {
		w.PaymentType = typeAuth
	}
	switch {
	case req.Method == plugin.MethodToken:
		if req.Token == nil || req.Token.Token == "" {
			return nil, plugin.InvalidRequest("token", "a token payment needs the token Tokenize returned")
		}
		w.APIMode, w.TokenID, w.PayerID = modeDirectPay, req.Token.Token, req.Token.CustomerRef
	case req.Method == plugin.MethodCard && req.Card != nil:
		w.APIMode = modeDirectPay
		if w.CardNo, w.ExpDate, w.CVV2, err = cardFields(req.Card); err != nil {
			return nil, err
		}
		if req.Card.HolderName != "" {
			w.PayerName = truncate(req.Card.HolderName, maxPayerName)
		}
	case req.Method == plugin.MethodCard:
		w.APIMode = modeHostedPay
		if req.ReturnURL == "" {
			return nil, plugin.InvalidRequest("return_url", "RDP's hosted payment page needs a return URL")
		}
		if _, err := in.notifyURL(); err != nil {
			return nil, err
		}
	default:
		return nil, plugin.InvalidRequest("method", "RDP takes card and token payments, not %q", req.Method)
	}
	secret, _ := in.cfg.secretOf(w.MID)
	w.Signature = paymentSignature(w, secret.Reveal())
	return w, nil
}

// cardFields are the card_no, exp_date and cvv2 of a card: the one place
// the full number is revealed, to be sent.
func cardFields(c *plugin.Card) (number, exp, cvv string, err error) {
	if !c.Number.LuhnValid() {
		return "", "", "", plugin.InvalidRequest("card.number", "the card number is not 12 to 19 digits passing the Luhn check")
	}
	if exp, err = expDate(c); err != nil {
		return "", "", "", err
	}
	return c.Number.Reveal(), exp, c.CVC.Reveal(), nil
}

// GetPayment asks query_redirection where a payment stands. It finds the
// payment by its transaction_id (ProviderReference) or, on MIDs with
// unique order ids, by the order id derived from the AttemptID, so that a
// payment whose CreatePayment answer was lost is found too. Without the
// currency, each configured MID is asked in turn. When none has it (-1008
// or -1009 from each) the answer is not_found with RDP's code.
func (p *Provider) GetPayment(ctx context.Context, req *plugin.GetPaymentRequest) (*plugin.GetPaymentResponse, error) {
	in, err := p.configured()
	if err != nil {
		return nil, err
	}
	_, ans, err := in.findPayment(ctx, req.PaymentRef, req.Amount.Currency, "payment status")
	if err != nil {
		return nil, err
	}
	return &plugin.GetPaymentResponse{PaymentResult: paymentResult(ans, plugin.Logger(ctx))}, nil
}

// findPayment queries a payment; it returns the MID that has it, or
// query's not_found when none does.
func (in *instance) findPayment(ctx context.Context, ref plugin.PaymentRef, currency, what string) (string, *paymentAnswer, error) {
	id, err := in.lookupID(ref.ProviderReference, ref.AttemptID, paymentOrderID)
	if err != nil {
		return "", nil, err
	}
	return query[paymentAnswer](ctx, &in.client, pathQueryPayment, in.cfg.candidateMIDs(currency), id, what)
}

// lookupID is what a query names a transaction by: its transaction_id
// when known, else, on MIDs with unique order ids, the order id derived
// from the host's id.
func (in *instance) lookupID(transactionID, hostID string, derive func(string) string) (string, error) {
	switch {
	case transactionID != "":
		return transactionID, nil
	case in.cfg.uniqueOrderID && hostID != "":
		return derive(hostID), nil
	}
	return "", plugin.InvalidRequest("provider_reference",
		"RDP finds a transaction by its transaction_id, which this request lacks (with unique_order_id set it would find it by order id)")
}

// isNotFoundError reports whether err is a query's "no such transaction".
func isNotFoundError(err error) bool {
	var pe *plugin.Error
	return errors.As(err, &pe) && isNotFound(text(pe.Code))
}
