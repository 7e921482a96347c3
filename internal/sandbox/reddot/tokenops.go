package reddot

// cardInput is card data sent for one operation. The full number lives
// only as long as the request; what is kept is a card (first 6, last 4,
// expiry, fingerprint).
type cardInput struct {
	PAN     string
	ExpDate string
}

// Messages of token results.
const (
	msgSuccessful    = "successful"
	msgBankRejected  = "Bank rejected the card"
	msgCardTokenised = "card is already tokenised for this mid"
	msgPayerIDUsed   = "payer_id has been used before for another token"
	msgTokenNotFound = "token_id not found for this mid and payer_id"
)

// applyTokenOpLocked performs op's create, modify or remove with the card
// in (empty PAN: keep the stored card) and finishes op. A refusal (-2015,
// -2016, -3001) finishes op as failed and is also returned, because the
// direct API answers it in the error shape; a bank decline (-1) is a
// result, not an error. The store's lock must be held.
func (s *Server) applyTokenOpLocked(op *tokenOp, in cardInput) *apiError {
	defer func() {
		s.kit.Logger.Info("token operation", "transaction_id", op.TxnID, "mid", op.Req.MID,
			"transaction_type", op.Req.Type, "status", op.Status, "response_code", op.Code)
	}()
	req := op.Req
	refuse := func(code, msg string) *apiError {
		op.finish(opFailed, code, msg, nil)
		return reject(code, "%s", msg)
	}
	var c card
	if in.PAN != "" {
		c = s.cards.newCard(in.PAN, in.ExpDate)
		if cardOutcome(c) == decline {
			op.Card = card{First6: c.First6, Last4: c.Last4, ExpDate: c.ExpDate}
			op.finish(opFailed, codeRejected, msgBankRejected, nil)
			return nil
		}
	}
	switch req.Type {
	case tokenCreate:
		if req.PayerID != "" && s.store.payerInUseLocked(req.MID, req.PayerID) {
			return refuse(codePayerIDUsed, msgPayerIDUsed)
		}
		if s.store.cardOwnerLocked(req.MID, c.Fingerprint) != nil {
			return refuse(codeCardTokenised, msgCardTokenised)
		}
		t := &token{
			ID: s.newTokenIDLocked(), MID: req.MID, PayerID: req.PayerID,
			PayerName: req.PayerName, PayerEmail: req.PayerEmail, Card: c,
		}
		if t.PayerID == "" {
			t.PayerID = s.kit.IDs.Next("PAYER")
		}
		s.store.createTokenLocked(t)
		op.finish(opSucceeded, codeOK, msgSuccessful, t)
	case tokenModify:
		t := s.store.activeTokenLocked(req.MID, req.TokenID, req.PayerID)
		if t == nil {
			return refuse(codeTokenNotFound, msgTokenNotFound)
		}
		if in.PAN != "" {
			if owner := s.store.cardOwnerLocked(req.MID, c.Fingerprint); owner != nil && owner != t {
				return refuse(codeCardTokenised, msgCardTokenised)
			}
			s.store.replaceCardLocked(t, c)
		} else if in.ExpDate != "" {
			t.Card.ExpDate = in.ExpDate
		}
		if req.PayerName != "" {
			t.PayerName = req.PayerName
		}
		if req.PayerEmail != "" {
			t.PayerEmail = req.PayerEmail
		}
		op.finish(opSucceeded, codeOK, msgSuccessful, t)
	case tokenRemove:
		t := s.store.activeTokenLocked(req.MID, req.TokenID, req.PayerID)
		if t == nil {
			return refuse(codeTokenNotFound, msgTokenNotFound)
		}
		s.store.removeTokenLocked(t)
		op.finish(opSucceeded, codeOK, msgSuccessful, t)
	}
	return nil
}

// newTokenIDLocked issues an unused 30-digit token_id.
func (s *Server) newTokenIDLocked() string {
	for {
		id := s.kit.IDs.Digits(30)
		if _, taken := s.store.tokens[id]; !taken {
			return id
		}
	}
}
