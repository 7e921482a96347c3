package reddot

import (
	"net/http"
	"time"
)

// paymentRequest is a validated payment-api request.
type paymentRequest struct {
	pay  *payment
	card cardInput // empty when paying with a token or on the hosted page
}

// handlePaymentAPI serves POST /service/payment-api: redirection_hosted
// opens a hosted card page, direct_n3d charges a card or token at once.
func (s *Server) handlePaymentAPI(w http.ResponseWriter, r *http.Request) {
	p, err := decodeParams(r)
	if err != nil {
		// Without a JSON body RDP cannot read a mid either.
		writeAPIError(w, reject(codePayMIDNotFound, "request must be in JSON format; no mid found"))
		return
	}
	m, req, e := s.checkPaymentRequest(p)
	if e != nil {
		writeAPIError(w, e)
		return
	}
	s.store.mu.Lock()
	body, resolveAt, e := s.createPaymentLocked(m, req, s.baseURL(r))
	s.store.mu.Unlock()
	if e != nil {
		writeAPIError(w, e)
		return
	}
	s.scheduleResolution(req.pay.TxnID, resolveAt)
	writeBody(w, body)
}

// createPaymentLocked stores a validated payment and sets it going. It
// returns the signed answer (the first phase of a hosted page, or the
// result of a direct payment) and, for a pending payment, when it
// resolves by itself. The store's lock must be held.
func (s *Server) createPaymentLocked(m Merchant, req paymentRequest, base string) ([]byte, time.Time, *apiError) {
	pay := req.pay
	if e := s.checkOrderLocked(m, pay.OrderID); e != nil {
		return nil, time.Time{}, e
	}
	if req.card.PAN == "" && (pay.TokenID != "" || pay.PayerID != "") {
		if e := s.chargeTokenLocked(pay); e != nil {
			return nil, time.Time{}, e
		}
	}
	s.startPaymentLocked(pay, req.card)
	s.store.addPaymentLocked(pay)
	if pay.Mode == modeHosted {
		return signedBody(pay.firstPhase(base+pathPaymentPage+pay.TxnID), m.Secret), time.Time{}, nil
	}
	return signedBody(pay.result(), m.Secret), pay.ResolveAt, nil
}

// checkPaymentRequest authenticates a payment-api request and validates
// its fields.
func (s *Server) checkPaymentRequest(p params) (Merchant, paymentRequest, *apiError) {
	if e := checkFields(p, []field{{"api_mode", true, 20}}, paymentFieldCodes); e != nil {
		return Merchant{}, paymentRequest{}, e
	}
	switch mode := p.str("api_mode"); mode {
	case modeHosted, modeDirect:
	case "redirection_sop", "direct_3d":
		return Merchant{}, paymentRequest{}, reject(codePayModeNotSetUp, "Merchant account is not setup to use %s api_mode.", mode)
	default:
		return Merchant{}, paymentRequest{}, reject(codePayBadAPIMode, "The 'api_mode' parameter can only use these following values: 'redirection_hosted', 'redirection_sop', 'direct_3d' or 'direct_n3d'.")
	}
	m, e := s.authenticate(p, "mid", paymentAuthCodes, paymentSignature)
	if e != nil {
		return m, paymentRequest{}, e
	}
	if t := p.str("payment_type"); t != paymentSale && t != paymentAuth {
		return m, paymentRequest{}, reject(codePayBadPaymentType, "The 'payment_type' parameter can only have values either \"S\" (for sales) or \"A\" (for authorize).")
	}
	hosted := p.str("api_mode") == modeHosted
	if e := checkFields(p, paymentFields(hosted), paymentFieldCodes); e != nil {
		return m, paymentRequest{}, e
	}
	if e := firstError(checkOrderID(p), checkPayerEmail(p), checkURLs(p, codeFieldEmpty, "notify_url", "redirect_url", "back_url")); e != nil {
		return m, paymentRequest{}, e
	}
	ccy := p.str("ccy")
	if _, ok := currencyExponent[ccy]; !ok {
		return m, paymentRequest{}, reject(codePayBadCurrency, "ccy must be a supported ISO 4217 alphabetic code such as SGD, USD or IDR")
	}
	amount, err := parseAmount("amount", p.str("amount"), ccy)
	if err != nil {
		return m, paymentRequest{}, reject(codePayBadFormat, "%s", err.Error())
	}
	req := paymentRequest{pay: &payment{
		TxnID: s.newTransactionID(p.str("order_id")), OrderID: p.str("order_id"), MID: m.MID,
		Mode: p.str("api_mode"), Type: p.str("payment_type"), Ccy: ccy, Amount: amount,
		PayerID: p.str("payer_id"), PayerName: p.str("payer_name"), PayerEmail: p.str("payer_email"),
		TokenID: p.str("token_id"), MerchantRef: p.str("merchant_reference"),
		NotifyURL: p.str("notify_url"), RedirectURL: p.str("redirect_url"), BackURL: p.str("back_url"),
		Created: s.now(),
	}}
	if hosted {
		return m, req, nil
	}
	req.card, e = s.checkPaymentInstrument(p)
	return m, req, e
}

// paymentFields are the field rules of a payment-api request (RDP-231,
// RDP-1444); a hosted page needs the three merchant URLs.
func paymentFields(hosted bool) []field {
	return []field{
		{"order_id", true, 0},
		{"payment_type", true, 1},
		{"amount", true, 0},
		{"ccy", true, 3},
		{"redirect_url", hosted, 0},
		{"back_url", hosted, 0},
		{"notify_url", hosted, 0},
		{"merchant_reference", false, 100},
		{"payer_id", false, 100},
		{"payer_name", false, 45},
		{"payer_email", false, 60},
		{"card_no", false, 19},
		{"exp_date", false, 6},
		{"cvv2", false, 4},
		{"token_id", false, 30},
	}
}

// checkPaymentInstrument validates what a direct payment charges: a card
// (card_no with exp_date) or a saved token (token_id or payer_id, looked
// up later); it returns the card, if any.
func (s *Server) checkPaymentInstrument(p params) (cardInput, *apiError) {
	pan := p.str("card_no")
	if pan == "" {
		if p.str("token_id") == "" && p.str("payer_id") == "" {
			return cardInput{}, reject(codePayNeedsInstrument, "It is required to supply either 'card_no' or 'token_id' or 'payer_id'.")
		}
		return cardInput{}, checkCVV2(p, codeBadCardNo)
	}
	if !validCardNo(pan) {
		return cardInput{}, reject(codeBadCardNo, "card_no is not a valid card number (12 to 19 digits passing the Luhn check)")
	}
	exp := p.str("exp_date")
	if exp == "" {
		return cardInput{}, reject(codeFieldMissing, "exp_date is missing; it is required with card_no")
	}
	if reason := checkExpDate(exp, s.now()); reason != "" {
		return cardInput{}, reject(codeBadExpDate, "%s", reason)
	}
	return cardInput{PAN: pan, ExpDate: exp}, checkCVV2(p, codeBadCardNo)
}

// chargeTokenLocked points a direct payment at the saved card of its
// token_id or payer_id (-100 when there is no such active token).
func (s *Server) chargeTokenLocked(pay *payment) *apiError {
	t := s.store.activeTokenLocked(pay.MID, pay.TokenID, pay.PayerID)
	if t == nil {
		return reject(codePayTokenNotAllowed, "Token is not authorized for doing transaction.")
	}
	pay.Card, pay.TokenID, pay.PayerID = t.Card, t.ID, t.PayerID
	if pay.PayerName == "" {
		pay.PayerName = t.PayerName
	}
	return nil
}

// startPaymentLocked sets a new payment going: a hosted one waits for the
// cardholder; a direct one is settled by the emulated acquirer now.
func (s *Server) startPaymentLocked(pay *payment, in cardInput) {
	if pay.Mode == modeHosted {
		pay.Expires = pay.Created.Add(s.cfg.SessionTTL)
		pay.Status, pay.Code, pay.Msg = payAwaitingCard, codePending, msgAwaitingCard
		return
	}
	if in.PAN != "" {
		pay.Card = s.cards.newCard(in.PAN, in.ExpDate)
		pay.Card.Fingerprint = ""
	}
	s.settleLocked(pay, paymentOutcome(pay.Card, pay.Amount, pay.Ccy))
}

// settleLocked applies an acquirer outcome to pay with fresh acquirer ids.
func (s *Server) settleLocked(pay *payment, o outcome) {
	pay.settle(o, s.now(), s.cfg.PendingDelay, s.kit.IDs.Digits(7), s.kit.IDs.Digits(6))
	s.logPayment("payment settled", pay)
}

// logPayment logs a payment's new state; it carries no card data.
func (s *Server) logPayment(event string, pay *payment) {
	s.kit.Logger.Info(event, "transaction_id", pay.TxnID, "mid", pay.MID, "payment_type", pay.Type,
		"status", pay.Status, "response_code", pay.Code)
}
