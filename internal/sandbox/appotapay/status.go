package appotapay

import "net/http"

// checkStatus serves POST /api/v1.1/orders/transaction/bank/status and
// its v1.0 twin: the order's current result, signed like the IPN, plus
// cardInfo once paid by card and (v1.1) tokenResult.
func (s *Server) checkStatus(version apiVersion) apiHandler {
	return func(r *http.Request, partner *Partner) (any, *apiError) {
		p, apiErr := readParams(r)
		if apiErr != nil {
			return nil, apiErr
		}
		c := newChecker(p)
		orderID := c.str("orderId", true, 50)
		signature := c.signature()
		if apiErr := c.err(); apiErr != nil {
			return nil, apiErr
		}
		if !verifyHex(partner.SecretKey, canonical(statusKeys, p.texts(statusKeys)), signature) {
			return nil, signatureError("status-check fields (orderId)")
		}
		o, ok := s.store.order(partner.Code, orderID)
		if !ok {
			return nil, newError(codeNotFound, "Transaction is not found: orderId %q", orderID)
		}
		res := resultOf(&o, version == version11)
		if o.State == statePaid && o.Card != nil {
			res.CardInfo = o.Card.info()
		}
		return res, nil
	}
}

// savedToken serves GET /api/v1.1/token/{order_id}: the saved-card token
// issued when a PAY_WITH_RETURN_TOKEN order was paid.
func (s *Server) savedToken(r *http.Request, partner *Partner) (any, *apiError) {
	orderID := r.PathValue("order_id")
	o, ok := s.store.order(partner.Code, orderID)
	if !ok {
		return nil, newError(codeNotFound, "Transaction is not found: orderId %q", orderID)
	}
	if o.SavedToken == "" {
		return nil, newError(codeNotFound, "No saved-card token for orderId %q: it is %s and was created with action %q, not a paid %s", orderID, o.State, o.Action, actionPayReturnToken)
	}
	return tokenResponse{ErrorCode: codeSuccess, Message: messageSuccess, TokenResult: o.Card.saved(o.SavedToken)}, nil
}
