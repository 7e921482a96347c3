package reddot

import (
	"encoding/json"
	"mime"
	"net/http"
	"time"
)

// The Merchant API's action_type values.
const (
	actionCapture         = "capture"
	actionVoid            = "void"
	actionRefund          = "refund"
	actionRequestedRefund = "requested_refund"
)

// Merchant API result_status values.
const (
	resultAccepted = "accepted"
	resultFailed   = "failed"
)

// merchantRequest is a Merchant API request's fields by name.
type merchantRequest map[string]string

// handleMerchantAPI serves POST /instanpanel/api/payment, RDP's Merchant
// API (RDP-554): capture, void and refund of a payment, form-encoded (or
// JSON), signed and answered with the MD5 scheme of RDP-1425.
func (s *Server) handleMerchantAPI(w http.ResponseWriter, r *http.Request) {
	req, ok := readMerchantRequest(r)
	if !ok {
		writeMerchant(w, merchantAnswer(req, "", "", s.now(), refuse(reasonBadRequest, "request body must be form-encoded (or a JSON object)")), "")
		return
	}
	m, known := s.merchant(req["mid"])
	if !known {
		writeMerchant(w, merchantAnswer(req, "", "", s.now(), refuse(reasonUnknownMID, "mid %q is not found", req["mid"])), "")
		return
	}
	var (
		n   notification
		out merchantOutcome
		le  *ledgerError
	)
	if !signatureMatches(req["signature"], merchantSignature(req, m.Secret)) {
		le = refuse(reasonBadSig, "invalid signature")
	} else {
		s.store.mu.Lock()
		n, out, le = s.applyMerchantLocked(m, req)
		s.store.mu.Unlock()
	}
	s.notify(n)
	answer := merchantAnswer(req, out.amount, out.currency, s.now(), le)
	s.kit.Logger.Info("merchant api", "action_type", req["action_type"], "transaction_id", req["transaction_id"],
		"result_status", answer["result_status"], "reason_code", answer["reason_code"])
	writeMerchant(w, answer, m.Secret)
}

// merchantOutcome is the amount and currency a Merchant API call acted on.
type merchantOutcome struct {
	amount, currency string
}

// applyMerchantLocked validates req and applies it to its payment. It
// returns what it acted on, and the notification of a pending payment
// that resolved on the way. The store's lock must be held.
func (s *Server) applyMerchantLocked(m Merchant, req merchantRequest) (notification, merchantOutcome, *ledgerError) {
	var none merchantOutcome
	for _, f := range []string{"response_type", "action_type", "order_number", "transaction_id"} {
		if req[f] == "" {
			return notification{}, none, refuse(reasonBadRequest, "%s is missing", f)
		}
	}
	action := req["action_type"]
	switch {
	case req["response_type"] != "json":
		return notification{}, none, refuse(reasonBadRequest, "response_type must be json")
	case action == actionRequestedRefund:
		return notification{}, none, refuse(reasonUnsupported, "requested_refund (batch refund) is not emulated; use refund")
	case action != actionCapture && action != actionVoid && action != actionRefund:
		return notification{}, none, refuse(reasonBadRequest, "action_type must be capture, void or refund")
	}
	pay := s.store.payments[req["transaction_id"]]
	if pay == nil || pay.MID != m.MID || pay.OrderID != req["order_number"] {
		return notification{}, none, refuse(reasonNotFound, "no transaction %s with order_number %s for this mid", req["transaction_id"], req["order_number"])
	}
	n := s.resolveIfDueLocked(pay)
	if action == actionVoid {
		return n, merchantOutcome{formatAmount(pay.Amount, pay.Ccy), pay.Ccy}, pay.void()
	}
	switch {
	case req["currency"] == "":
		return n, none, refuse(reasonBadRequest, "currency is missing; it is required to %s", action)
	case req["currency"] != pay.Ccy:
		return n, none, refuse(reasonBadCurrency, "currency %s is not the transaction's currency %s", req["currency"], pay.Ccy)
	case req["amount"] == "":
		return n, none, refuse(reasonBadRequest, "amount is missing; it is required to %s", action)
	}
	minor, err := parseAmount("amount", req["amount"], pay.Ccy)
	if err != nil {
		return n, none, refuse(reasonBadRequest, "%s", err.Error())
	}
	out := merchantOutcome{req["amount"], pay.Ccy}
	if action == actionCapture {
		return n, out, pay.capture(minor)
	}
	return n, out, pay.refund(minor)
}

// readMerchantRequest reads the POSTed fields: a JSON object when the
// content type says JSON, form fields otherwise.
func readMerchantRequest(r *http.Request) (merchantRequest, bool) {
	req := merchantRequest{}
	if ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); ct == "application/json" {
		p, err := decodeParams(r)
		if err != nil {
			return req, false
		}
		for k := range p {
			req[k] = p.str(k)
		}
		return req, true
	}
	r.Body = http.MaxBytesReader(nil, r.Body, maxBodyBytes)
	if err := r.ParseForm(); err != nil {
		return req, false
	}
	for k, v := range r.PostForm {
		req[k] = v[0]
	}
	return req, true
}

// merchantAnswer builds the response fields of RDP-1425: result_status,
// reason_code, order_number, amount, currency and timestamp, plus
// reason_msg when the request failed. An empty currency echoes the
// request's.
func merchantAnswer(req merchantRequest, amount, currency string, now time.Time, le *ledgerError) map[string]string {
	if currency == "" {
		currency = req["currency"]
	}
	a := map[string]string{
		"result_status": resultAccepted,
		"reason_code":   reasonAccepted,
		"order_number":  req["order_number"],
		"amount":        amount,
		"currency":      currency,
		"timestamp":     rdpTimestamp(now),
	}
	if le != nil {
		a["result_status"], a["reason_code"], a["reason_msg"] = resultFailed, le.reason, le.msg
	}
	return a
}

// writeMerchant answers fields as JSON, MD5-signed with secret unless the
// secret is unknown (an unknown mid).
func writeMerchant(w http.ResponseWriter, fields map[string]string, secret string) {
	if secret != "" {
		fields["signature"] = merchantSignature(fields, secret)
	}
	body, _ := json.Marshal(fields)
	writeBody(w, body)
}
