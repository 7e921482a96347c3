package reddot

import "net/http"

// The token API's api_mode values.
const (
	modeHostedToken = "hosted_token_api"
	modeDirectToken = "direct_token_api"
)

// firstPhase is the answer to a request that opens a hosted page (hosted
// tokenization, redirection_hosted payment), signed with sign_generic.
// response_code is the JSON number 0, as in RDP's example (RDP-1444).
type firstPhase struct {
	CreatedTimestamp int64  `json:"created_timestamp"`
	ExpiredTimestamp int64  `json:"expired_timestamp"`
	MID              string `json:"mid"`
	OrderID          string `json:"order_id"`
	TransactionID    string `json:"transaction_id"`
	PaymentURL       string `json:"payment_url"`
	ResponseCode     int    `json:"response_code"`
	ResponseMsg      string `json:"response_msg,omitempty"`
}

// handleTokenAPI serves POST /service/token-api, dispatching on api_mode.
func (s *Server) handleTokenAPI(w http.ResponseWriter, r *http.Request) {
	p, err := decodeParams(r)
	if err != nil {
		writeAPIError(w, reject(codeNotJSON, "request must be in JSON format"))
		return
	}
	m, req, e := s.checkTokenRequest(p)
	if e != nil {
		writeAPIError(w, e)
		return
	}
	if req.Hosted {
		s.openTokenSession(w, r, m, req)
		return
	}
	s.directToken(w, m, req, cardInput{PAN: p.str("card_no"), ExpDate: p.str("exp_date")})
}

// checkTokenRequest authenticates a token-api request and validates its
// fields, in the order RDP reports problems: mode, merchant, signature,
// tokenization, transaction type, then the fields.
func (s *Server) checkTokenRequest(p params) (Merchant, tokenRequest, *apiError) {
	if e := checkFields(p, []field{{"api_mode", true, 20}, {"mid", true, 20}}, tokenFieldCodes); e != nil {
		return Merchant{}, tokenRequest{}, e
	}
	mode := p.str("api_mode")
	if mode != modeHostedToken && mode != modeDirectToken {
		return Merchant{}, tokenRequest{}, reject(codeBadAPIMode, "The 'api_mode' parameter can only use 'direct_token_api' or 'hosted_token_api'.")
	}
	m, e := s.authenticate(p, "mid", tokenAuthCodes, signGeneric)
	if e != nil {
		return m, tokenRequest{}, e
	}
	if !m.Tokenization {
		return m, tokenRequest{}, reject(codeNoTokenization, "Your account is not setup to access RDP TOKENIZATION Feature")
	}
	req := tokenRequest{
		MID: m.MID, OrderID: p.str("order_id"), Type: p.str("transaction_type"), Hosted: mode == modeHostedToken,
		PayerID: p.str("payer_id"), PayerName: p.str("payer_name"), PayerEmail: p.str("payer_email"),
		Ccy: p.str("ccy"), TokenID: p.str("token_id"), MerchantRef: p.str("merchant_reference"),
		NotifyURL: p.str("notify_url"), RedirectURL: p.str("redirect_url"), BackURL: p.str("back_url"),
	}
	if !p.has("transaction_type") {
		if !p.has("type") {
			return m, req, reject(codeFieldMissing, "transaction_type is missing")
		}
		req.Type = p.str("type")
	}
	switch {
	case req.Type != tokenCreate && req.Type != tokenModify && req.Type != tokenRemove:
		return m, req, reject(codeBadTxnType, "transaction_type must be C (create), M (modify) or R (remove)")
	case req.Hosted && req.Type == tokenRemove:
		return m, req, reject(codeRemoveNeedsDirect, "token removal (transaction_type R) requires api_mode direct_token_api")
	}
	fields := directTokenFields(req.Type)
	if req.Hosted {
		fields = hostedTokenFields(req.Type)
	}
	if e := checkFields(p, fields, tokenFieldCodes); e != nil {
		return m, req, e
	}
	if e := firstError(checkOrderID(p), checkPayerEmail(p), checkURLs(p, codeFieldEmpty, "notify_url", "redirect_url", "back_url")); e != nil {
		return m, req, e
	}
	if !req.Hosted {
		return m, req, s.checkDirectCard(p, req.Type)
	}
	return m, req, nil
}

// hostedTokenFields are the field rules of a hosted_token_api request.
func hostedTokenFields(txnType string) []field {
	return []field{
		{"order_id", true, 0},
		{"payer_id", txnType == tokenModify, 100},
		{"payer_name", false, 45},
		{"payer_email", false, 60},
		{"ccy", false, 3},
		{"token_id", false, 30},
		{"back_url", true, 0},
		{"redirect_url", true, 0},
		{"notify_url", true, 0},
		{"merchant_reference", false, 100},
	}
}

// directTokenFields are the field rules of a direct_token_api request
// (RDP-620); card_no is checked by checkDirectCard.
func directTokenFields(txnType string) []field {
	return []field{
		{"order_id", true, 0},
		{"payer_id", txnType != tokenCreate, 100},
		{"payer_name", txnType != tokenRemove, 45},
		{"payer_email", true, 60},
		{"ccy", false, 3},
		{"token_id", txnType != tokenCreate, 30},
		{"card_no", false, 19},
		{"exp_date", txnType != tokenRemove, 6},
		{"cvv2", false, 4},
		{"merchant_reference", false, 100},
	}
}

// checkDirectCard validates the card fields of a direct token request: a
// card is needed to create (-2019), and any card sent must be valid.
func (s *Server) checkDirectCard(p params, txnType string) *apiError {
	pan := p.str("card_no")
	if pan == "" && txnType == tokenCreate {
		if p.str("wallet_id") != "" {
			return reject(codeNeedCardOrWallet, "wallet_id is not supported by the emulator; send card_no")
		}
		return reject(codeNeedCardOrWallet, "card_no is missing (or wallet_id)")
	}
	if pan != "" && !validCardNo(pan) {
		return reject(codeBadCardNo, "card_no is not a valid card number (12 to 19 digits passing the Luhn check)")
	}
	if exp := p.str("exp_date"); exp != "" {
		if reason := checkExpDate(exp, s.now()); reason != "" {
			return reject(codeBadExpDate, "%s", reason)
		}
	}
	return checkCVV2(p, codeBadCardNo)
}

// openTokenSession answers a hosted_token_api request: it stores a session
// awaiting the card and returns the page's payment_url.
func (s *Server) openTokenSession(w http.ResponseWriter, r *http.Request, m Merchant, req tokenRequest) {
	now := s.now()
	op := &tokenOp{TxnID: s.newTransactionID(req.OrderID), Req: req, Created: now,
		Expires: now.Add(s.cfg.SessionTTL), Status: opAwaitingCard, Code: codePending, Msg: "pending: waiting for the cardholder"}
	s.store.mu.Lock()
	e := s.checkOrderLocked(m, req.OrderID)
	switch {
	case e != nil:
	case req.Type == tokenCreate && req.PayerID != "" && s.store.payerInUseLocked(m.MID, req.PayerID):
		e = reject(codePayerIDUsed, msgPayerIDUsed)
	case req.Type == tokenModify && s.store.activeTokenLocked(m.MID, req.TokenID, req.PayerID) == nil:
		e = reject(codeTokenNotFound, msgTokenNotFound)
	default:
		s.store.addTokenOpLocked(op)
	}
	s.store.mu.Unlock()
	if e != nil {
		writeAPIError(w, e)
		return
	}
	writeSigned(w, firstPhase{
		CreatedTimestamp: op.Created.Unix(), ExpiredTimestamp: op.Expires.Unix(),
		MID: m.MID, OrderID: req.OrderID, TransactionID: op.TxnID,
		PaymentURL: s.baseURL(r) + pathTokenPage + op.TxnID, ResponseMsg: msgSuccessful,
	}, m.Secret)
}

// directToken answers a direct_token_api request synchronously with the
// token result.
func (s *Server) directToken(w http.ResponseWriter, m Merchant, req tokenRequest, in cardInput) {
	op := &tokenOp{TxnID: s.newTransactionID(req.OrderID), Req: req, Created: s.now()}
	s.store.mu.Lock()
	e := s.checkOrderLocked(m, req.OrderID)
	if e == nil {
		e = s.applyTokenOpLocked(op, in)
	}
	if e == nil {
		s.store.addTokenOpLocked(op)
	}
	s.store.mu.Unlock()
	if e != nil {
		writeAPIError(w, e)
		return
	}
	writeSigned(w, op.result(), m.Secret)
}

// checkOrderLocked refuses a reused order_id for a MID enforcing unique
// order ids (-2201). The store's lock must be held.
func (s *Server) checkOrderLocked(m Merchant, orderID string) *apiError {
	if m.UniqueOrderID && s.store.orderUsedLocked(m.MID, orderID) {
		return reject(codeDuplicateOrderID, "order_id %s has been used before and this mid enforces unique order ids", orderID)
	}
	return nil
}

// firstError returns the first non-nil error.
func firstError(errs ...*apiError) *apiError {
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}
