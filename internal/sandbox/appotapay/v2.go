package appotapay

import (
	"net"
	"net/http"
)

// Reference types for the v2 status and refund lookups.
const (
	referenceTransactionID  = "TRANSACTION_ID"
	referencePartnerOrderID = "PARTNER_ORDER_ID"
)

// createPaymentV2 serves POST /api/v2/orders/payment: nested body, JWT
// only (no body signature).
func (s *Server) createPaymentV2(r *http.Request, partner *Partner) (any, *apiError) {
	p, apiErr := readParams(r)
	if apiErr != nil {
		return nil, apiErr
	}
	o, apiErr := parseCreateV2(p)
	if apiErr != nil {
		return nil, apiErr
	}
	o.ClientIP = remoteIP(r)
	o, apiErr = s.placeOrder(o, partner, version20)
	if apiErr != nil {
		return nil, apiErr
	}
	return v2CreateResponse{Transaction: v2TransactionOf(&o), Payment: v2Payment{URL: s.paymentURL(&o)}}, nil
}

// parseCreateV2 validates a v2 create body, naming every bad field by its
// path (transaction.amount, partnerReference.order.id, ...).
func parseCreateV2(p params) (order, *apiError) {
	c := newChecker(p)
	tx := c.nested("transaction")
	ref := c.nested("partnerReference")
	ord, notify := ref.nested("order"), ref.nested("notificationConfig")
	o := order{
		Amount:        tx.vnd("amount"),
		PaymentMethod: tx.str("paymentMethod", true, 20),
		BankCode:      tx.str("bankCode", false, 20),
		Action:        tx.str("action", true, 30),
		Token:         tx.str("token", false, 100),
		OrderID:       ord.str("id", true, 50),
		OrderInfo:     ord.str("info", true, 150),
		ExtraData:     ord.str("extraData", false, 200),
		NotifyURL:     notify.str("notifyUrl", true, 500),
		RedirectURL:   notify.str("redirectUrl", true, 500),
	}
	tx.oneOf("currency", tx.str("currency", true, 3), []string{currencyVND})
	tx.oneOf("action", o.Action, knownActions)
	checkTokenUse(tx, &o)
	notify.url("notifyUrl", o.NotifyURL)
	notify.url("redirectUrl", o.RedirectURL)
	return o, c.err()
}

// remoteIP is the caller's address, recorded as the order's clientIp.
func remoteIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// statusV2 serves GET /api/v2/orders/transaction?referenceId=..&type=..,
// type being TRANSACTION_ID (the default) or PARTNER_ORDER_ID.
func (s *Server) statusV2(r *http.Request, partner *Partner) (any, *apiError) {
	q, p := r.URL.Query(), params{}
	for _, k := range []string{"referenceId", "type"} {
		if q.Has(k) {
			p[k] = q.Get(k)
		}
	}
	c := newChecker(p)
	id := c.str("referenceId", true, 50)
	kind := c.str("type", false, 20)
	c.oneOf("type", kind, []string{referenceTransactionID, referencePartnerOrderID})
	if apiErr := c.err(); apiErr != nil {
		return nil, apiErr
	}
	var o order
	var ok bool
	if kind == referencePartnerOrderID {
		o, ok = s.store.order(partner.Code, id)
	} else {
		o, ok = s.store.orderByTrans(id)
		ok = ok && o.Partner.Code == partner.Code
	}
	if !ok {
		return nil, newError(codeNotFound, "Transaction is not found: %s %q", orDefault(kind, referenceTransactionID), id)
	}
	resp := v2StatusResponse{Transaction: v2TransactionOf(&o), PartnerReference: v2ReferenceOf(&o)}
	if o.State == statePaid && o.Card != nil {
		resp.CardInfo = o.Card.info()
	}
	if o.SavedToken != "" {
		saved := o.Card.saved(o.SavedToken)
		resp.TokenInfo = &saved
	}
	return resp, nil
}

// refundV2 serves POST /api/v2/transaction/refund.
func (s *Server) refundV2(r *http.Request, partner *Partner) (any, *apiError) {
	p, apiErr := readParams(r)
	if apiErr != nil {
		return nil, apiErr
	}
	c := newChecker(p)
	req := refundRequest{
		Partner:      partner,
		PartnerRefID: c.str("partnerRefId", true, 50),
		TransID:      c.str("transactionId", true, 50),
		Amount:       c.vnd("amount"),
		Reason:       c.str("reason", true, 100),
	}
	c.oneOf("currency", c.str("currency", true, 3), []string{currencyVND})
	if apiErr := c.err(); apiErr != nil {
		return nil, apiErr
	}
	rf, apiErr := s.acceptRefund(req)
	if apiErr != nil {
		return nil, apiErr
	}
	return v2RefundOf(&rf), nil
}

// refundDetailV2 serves GET /api/v2/transaction/refund/{id}: id is
// AppotaPay's refundId, or the partner's partnerRefId with
// type=PARTNER_ORDER_ID.
func (s *Server) refundDetailV2(r *http.Request, partner *Partner) (any, *apiError) {
	id, kind := r.PathValue("id"), r.URL.Query().Get("type")
	lookup := s.store.refundByID
	if kind == referencePartnerOrderID {
		lookup = s.store.refund
	}
	rf, ok := lookup(partner.Code, id)
	if !ok {
		return nil, newError(codeNotFound, "Transaction is not found: refund %q", id)
	}
	return v2RefundOf(&rf), nil
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
