package reddot

import "net/http"

// handleQueryToken serves POST
// /service/Merchant_processor/query_token_redirection: the result of a
// token transaction (SEED-RDP).
func (s *Server) handleQueryToken(w http.ResponseWriter, r *http.Request) {
	s.handleQuery(w, r, func(m Merchant, id string) ([]byte, notification) {
		op := s.store.tokenOps[id]
		if op == nil || op.Req.MID != m.MID {
			return nil, notification{}
		}
		return signedBody(op.result(), m.Secret), notification{}
	})
}

// handleQueryPayment serves POST
// /service/Merchant_processor/query_redirection: the result of a payment
// (RDP-1538, RDP-464). A pending payment that is due resolves first, and
// its notification is pushed.
func (s *Server) handleQueryPayment(w http.ResponseWriter, r *http.Request) {
	s.handleQuery(w, r, func(m Merchant, id string) ([]byte, notification) {
		pay := s.store.payments[id]
		if pay == nil || pay.MID != m.MID {
			return nil, notification{}
		}
		n := s.resolveIfDueLocked(pay)
		return signedBody(pay.result(), m.Secret), n
	})
}

// handleQuery verifies a query ({request_mid, transaction_id, signature},
// sign_generic) and answers what lookup finds, signed with the secret of
// request_mid; lookup runs with the store locked and returns a nil body
// for an unknown transaction, which is answered in the error shape without
// a signature.
func (s *Server) handleQuery(w http.ResponseWriter, r *http.Request, lookup func(m Merchant, id string) ([]byte, notification)) {
	p, err := decodeParams(r)
	if err != nil {
		writeAPIError(w, reject(codeNotJSON, "request must be in JSON format"))
		return
	}
	m, e := s.authenticate(p, "request_mid", queryAuthCodes, signGeneric)
	if e == nil {
		e = checkFields(p, []field{{"transaction_id", true, 32}}, tokenFieldCodes)
	}
	if e != nil {
		writeAPIError(w, e)
		return
	}
	id := p.str("transaction_id")
	s.store.mu.Lock()
	body, n := lookup(m, s.store.resolveTxnIDLocked(m, id))
	s.store.mu.Unlock()
	s.notify(n)
	if body == nil {
		writeAPIError(w, reject(codeQueryNotFound, "cannot find request for mid : %s with transaction-id: %s", m.MID, id))
		return
	}
	writeBody(w, body)
}
