package appotapay

import (
	"net/http"
	"slices"
	"time"
)

// The paymentMethod and bankCode values AppotaPay knows; a partner allowed
// nothing narrower (Partner.PaymentMethods, Partner.BankCodes) may use any.
var (
	knownPaymentMethods = []string{"ATM", "CC", "EWALLET", "VA", "MM", "ISTM", "ALL"}
	knownBankCodes      = []string{
		"ABB", "ACB", "AGRIBANK", "BAB", "BIDV", "BVB", "EIB", "GPB", "HDB", "KLB",
		"LPB", "MB", "MSB", "NAB", "NCB", "OCB", "OJB", "PGB", "PVCB", "SAIGONBANK",
		"SCB", "SEAB", "SHB", "STB", "TCB", "TPB", "VAB", "VCB", "VCCB", "VIB",
		"VIETINBANK", "VPB", "VISA", "MASTERCARD", "JCB", "AMEX",
	}
	knownActions = []string{actionPay, actionPayReturnToken, actionPayWithToken}
)

// defaultBank is the bank a customer "chooses" on the hosted page when the
// order left bankCode empty.
var defaultBank = map[string]string{paymentMethodATM: "MB", paymentMethodCreditCard: "MASTERCARD"}

// createPayment serves POST /api/v1.1/orders/payment/bank and, for
// version10, POST /api/v1/orders/payment/bank (no action or token).
func (s *Server) createPayment(version apiVersion) apiHandler {
	return func(r *http.Request, partner *Partner) (any, *apiError) {
		p, apiErr := readParams(r)
		if apiErr != nil {
			return nil, apiErr
		}
		o, signature, apiErr := parseCreate(p, version)
		if apiErr != nil {
			return nil, apiErr
		}
		if !s.createSignatureOK(p, version, partner.SecretKey, signature) {
			return nil, signatureError("create-payment fields (amount, bankCode, clientIp, extraData, notifyUrl, orderId, orderInfo, paymentMethod, redirectUrl[, token])")
		}
		o, apiErr = s.placeOrder(o, partner, version)
		if apiErr != nil {
			return nil, apiErr
		}
		resp := &createResponse{
			ErrorCode:  codeSuccess,
			Message:    messageSuccess,
			OrderID:    o.OrderID,
			Amount:     o.Amount,
			PaymentURL: s.paymentURL(&o),
		}
		resp.sign(partner.SecretKey)
		return resp, nil
	}
}

// placeOrder applies the partner's rules to a validated order and stores
// it, pending, under a new transaction id (duplicate orderId: 30).
func (s *Server) placeOrder(o order, partner *Partner, version apiVersion) (order, *apiError) {
	if apiErr := s.authorizeCreate(&o, partner); apiErr != nil {
		return o, apiErr
	}
	now := s.kit.Clock.Now()
	o.Partner, o.Version, o.State, o.CreatedAt, o.UpdatedAt = partner, version, statePending, now, now
	stored, ok := s.store.addOrder(o, func() string { return s.newTransID(now) })
	if !ok {
		return o, newError(codeDuplicateOrder, "Duplicate orderId: %q was already used", o.OrderID)
	}
	s.kit.Logger.Info("order created", "partner", partner.Code, "version", version, "order_id", stored.OrderID, "trans_id", stored.TransID, "amount", stored.Amount)
	return stored, nil
}

// parseCreate validates a create-payment body, naming every bad field, and
// returns the order it describes and the signature sent.
func parseCreate(p params, version apiVersion) (order, string, *apiError) {
	c := newChecker(p)
	o := order{
		OrderID:       c.str("orderId", true, 50),
		OrderInfo:     c.str("orderInfo", true, 150),
		Amount:        c.vnd("amount"),
		ClientIP:      c.str("clientIp", true, 45),
		NotifyURL:     c.str("notifyUrl", true, 500),
		RedirectURL:   c.str("redirectUrl", true, 500),
		PaymentMethod: c.str("paymentMethod", false, 20),
		BankCode:      c.str("bankCode", false, 20),
		ExtraData:     c.str("extraData", false, 200),
	}
	c.ip("clientIp", o.ClientIP)
	c.url("notifyUrl", o.NotifyURL)
	c.url("redirectUrl", o.RedirectURL)
	if version == version11 {
		o.Action = c.str("action", false, 30)
		o.Token = c.str("token", false, 100)
		c.oneOf("action", o.Action, knownActions)
		checkTokenUse(c, &o)
	}
	signature := c.signature()
	return o, signature, c.err()
}

// checkTokenUse checks that action and token fit together: a token only
// with PAY_WITH_TOKEN, and tokens only for card payments.
func checkTokenUse(c *checker, o *order) {
	switch o.Action {
	case actionPayWithToken:
		if o.Token == "" {
			c.fail("token", codeInvalidParams, "is required when action is %s", actionPayWithToken)
		}
	default:
		if o.Token != "" {
			c.fail("token", codeInvalidParams, "is only used with action %s", actionPayWithToken)
		}
	}
	if o.Action == actionPayWithToken || o.Action == actionPayReturnToken {
		switch o.PaymentMethod {
		case "", paymentMethodAll, paymentMethodATM, paymentMethodCreditCard:
		default:
			c.fail("paymentMethod", codeInvalidParams, "must be ATM or CC (or empty) for action %s: only cards are saved", o.Action)
		}
	}
}

// createSignatureOK verifies a create-payment signature: over the nine v1.0
// keys (AP-2) always; for v1.1 also over the nine keys plus token when the
// body has a token member (AP-3); and in lenient mode over every body key
// but signature (AP-4).
func (s *Server) createSignatureOK(p params, version apiVersion, secret, signature string) bool {
	values := p.texts(createTokenKeys)
	if verifyHex(secret, canonical(createKeys, values), signature) {
		return true
	}
	if version == version11 && p.has("token") && verifyHex(secret, canonical(createTokenKeys, values), signature) {
		return true
	}
	if !s.cfg.LenientSignatures {
		return false
	}
	keys := make([]string, 0, len(p))
	for k := range p {
		if k != "signature" {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	return verifyHex(secret, canonical(keys, p.texts(keys)), signature)
}

// authorizeCreate applies the partner's payment-method and bank rules
// (140, 141) and resolves a saved-card token.
func (s *Server) authorizeCreate(o *order, partner *Partner) *apiError {
	if !allowed(o.PaymentMethod, partner.PaymentMethods, knownPaymentMethods) {
		return newError(codeMethodNotAllowed, "Partner is not allowed to use paymentMethod %q", o.PaymentMethod)
	}
	if !allowed(o.BankCode, partner.BankCodes, knownBankCodes) {
		return newError(codeBankNotAllowed, "Partner is not allowed to use bankCode %q", o.BankCode)
	}
	if o.Action != actionPayWithToken {
		return nil
	}
	card, ok := s.store.tokenCard(partner.Code, o.Token)
	if !ok {
		return paramError([]fieldError{{Field: "token", Reason: "is not a saved-card token of this partner", code: codeInvalidParams}})
	}
	o.Card = card
	return nil
}

// allowed reports whether a non-empty value is in the partner's list, or
// in the known list when the partner has none.
func allowed(value string, partnerList, known []string) bool {
	if value == "" {
		return true
	}
	if partnerList == nil {
		partnerList = known
	}
	return slices.Contains(partnerList, value)
}

// newTransID returns an AppotaPay transaction id shaped like the
// documented ones: AP, the date as yymmdd, six digits and B
// (AP200910014125B).
func (s *Server) newTransID(now time.Time) string {
	return "AP" + now.Format("060102") + s.kit.IDs.Digits(6) + "B"
}
