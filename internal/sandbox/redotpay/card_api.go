package redotpay

import (
	"net/http"

	"github.com/payhost/payhost/internal/sandbox/emukit"
)

// cardAuthorize serves POST /v1/authorize. An approval answers 200, a
// pending authorization 202, a decline 402 with the stored transaction.
func (s *Server) cardAuthorize(w http.ResponseWriter, r *http.Request, m SeedMerchant, body []byte) {
	var req authorizeRequest
	if err := decodeJSON(body, &req); err != nil {
		writeCardError(w, err)
		return
	}
	units, err := req.validate()
	if err != nil {
		writeCardError(w, err)
		return
	}
	now := s.now()
	status, decline := authorizeOutcome(req.CardNumber, amount{units, currencyExponent(req.Currency)})
	t := cardTxn{
		id: s.kit.IDs.Digits(12), owner: m.Code, currency: req.Currency,
		maskedPAN: emukit.MaskPAN(req.CardNumber), status: status, declineCode: decline,
		requested: units, createdAt: now, updatedAt: now,
	}
	if status == cardAuthorized {
		t.authorized = units
	}
	s.store.addCard(t)
	s.kit.Logger.Info("card authorization", "transaction_id", t.id, "card", t.maskedPAN, "status", t.status)
	switch status {
	case cardDeclined:
		writeJSON(w, http.StatusPaymentRequired, cardError{
			Code: cardCodeDeclined, Message: "the card was declined: " + decline,
			TransactionID: t.id, Status: t.status, DeclineCode: decline,
		})
	case cardPending:
		writeJSON(w, http.StatusAccepted, newTxnResponse(t))
	default:
		writeJSON(w, http.StatusOK, newTxnResponse(t))
	}
}

// cardCapture serves POST /v1/capture: the whole authorization, or the
// amount given (at most the authorized amount).
func (s *Server) cardCapture(w http.ResponseWriter, r *http.Request, m SeedMerchant, body []byte) {
	s.cardOp(w, m, body, "capture", func(t *cardTxn, req txnRequest) error {
		units, err := req.amountFor(t, t.authorized)
		if err != nil {
			return err
		}
		return t.capture(units)
	})
}

// cardRefund serves POST /v1/refund: what is left to refund, or the
// amount given; refunds never add up to more than was captured.
func (s *Server) cardRefund(w http.ResponseWriter, r *http.Request, m SeedMerchant, body []byte) {
	s.cardOp(w, m, body, "refund", func(t *cardTxn, req txnRequest) error {
		units, err := req.amountFor(t, t.captured-t.refunded)
		if err != nil {
			return err
		}
		return t.refund(units)
	})
}

// cardVoid serves POST /v1/void, allowed only before capture.
func (s *Server) cardVoid(w http.ResponseWriter, r *http.Request, m SeedMerchant, body []byte) {
	s.cardOp(w, m, body, "void", func(t *cardTxn, req txnRequest) error {
		if err := req.noAmount(); err != nil {
			return err
		}
		return t.void()
	})
}

// cardReversal serves POST /v1/reversal, allowed only on a captured
// transaction without refunds.
func (s *Server) cardReversal(w http.ResponseWriter, r *http.Request, m SeedMerchant, body []byte) {
	s.cardOp(w, m, body, "reversal", func(t *cardTxn, req txnRequest) error {
		if err := req.noAmount(); err != nil {
			return err
		}
		return t.reverse()
	})
}

// cardOp decodes a transaction request, applies op to the merchant's
// transaction and answers the transaction as it then is.
func (s *Server) cardOp(w http.ResponseWriter, m SeedMerchant, body []byte, name string, op func(*cardTxn, txnRequest) error) {
	var req txnRequest
	if err := decodeJSON(body, &req); err != nil {
		writeCardError(w, err)
		return
	}
	if req.TransactionID == "" {
		writeCardError(w, fieldErrorf("transaction_id", "is required"))
		return
	}
	t, err := s.store.updateCard(req.TransactionID, m.Code, s.now(), func(t *cardTxn) error { return op(t, req) })
	if err != nil {
		writeCardError(w, err)
		return
	}
	s.kit.Logger.Info("card "+name, "transaction_id", t.id, "status", t.status)
	writeJSON(w, http.StatusOK, newTxnResponse(t))
}

// amountFor reads the request's amount in t's currency; without one it is
// all of remaining.
func (req txnRequest) amountFor(t *cardTxn, remaining int64) (int64, error) {
	if req.Currency != "" && req.Currency != t.currency {
		return 0, fieldErrorf("currency", "must match the transaction's currency %s", t.currency)
	}
	units, err := decimalString("amount", req.Amount, t.currency, false)
	if err != nil {
		return 0, err
	}
	if units < 0 {
		return remaining, nil
	}
	return units, nil
}

// noAmount rejects an amount on calls that act on the whole transaction.
func (req txnRequest) noAmount() error {
	if req.Amount != "" {
		return fieldErrorf("amount", "is not accepted; the call acts on the whole transaction")
	}
	return nil
}
