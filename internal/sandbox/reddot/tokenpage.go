package reddot

import (
	"fmt"
	"net/http"

	"github.com/payhost/payhost/internal/sandbox/emukit"
)

// showTokenPage serves GET /service/token-page/{id}: the hosted
// tokenization page a payment_url of hosted_token_api points at.
func (s *Server) showTokenPage(w http.ResponseWriter, r *http.Request) {
	s.renderTokenPage(w, r.PathValue("id"), "")
}

// renderTokenPage writes the page of token session id, with message shown
// above the buttons when it is not empty.
func (s *Server) renderTokenPage(w http.ResponseWriter, id, message string) {
	s.store.mu.Lock()
	op, err := s.openTokenSessionLocked(id)
	var page emukit.PayPage
	if err == nil {
		page = tokenPage(op, message)
	}
	s.store.mu.Unlock()
	if err != nil {
		pageError(w, err)
		return
	}
	emukit.RenderPayPage(w, page)
}

// submitTokenPage serves POST /service/token-page/{id}: Pay stores the
// card, Fail declines, Cancel returns to back_url. Pay and Fail push the
// result to notify_url and redirect to redirect_url?transaction_id=….
func (s *Server) submitTokenPage(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	action, ok := formAction(r)
	if !ok {
		http.Error(w, "action must be pay, fail or cancel", http.StatusBadRequest)
		return
	}
	var in cardInput
	if action == actionPay {
		var msg string
		if in, msg = s.readCardForm(r); msg != "" {
			s.renderTokenPage(w, id, msg)
			return
		}
	}
	s.store.mu.Lock()
	var (
		n    notification
		req  tokenRequest
		err  = fmt.Errorf("token transaction %q: %w", id, emukit.ErrNotFound)
		op   = s.store.tokenOps[id]
		name = r.PostFormValue("payer_name")
	)
	if op != nil {
		if action == actionPay && name != "" && op.Status == opAwaitingCard {
			op.Req.PayerName = name
		}
		n, err = s.completeTokenPageLocked(op, action, in)
		req = op.Req
	}
	s.store.mu.Unlock()
	if err != nil {
		pageError(w, err)
		return
	}
	s.notify(n)
	if action == actionCancel {
		http.Redirect(w, r, req.BackURL, http.StatusFound)
		return
	}
	redirectWithTxn(w, r, req.RedirectURL, id)
}

// openTokenSessionLocked finds a token session still waiting for its card.
func (s *Server) openTokenSessionLocked(id string) (*tokenOp, error) {
	op := s.store.tokenOps[id]
	if op == nil || !op.Req.Hosted {
		return nil, fmt.Errorf("token transaction %q: %w", id, emukit.ErrNotFound)
	}
	err := checkSessionOpen(string(op.Status), op.Status == opAwaitingCard, !s.now().Before(op.Expires), func() {
		op.finish(opExpired, codeRejected, msgExpired, nil)
	})
	return op, err
}

// completeTokenPageLocked applies a page action to a token session and
// returns the notification to push (none for cancel and expiry).
func (s *Server) completeTokenPageLocked(op *tokenOp, action pageAction, in cardInput) (notification, error) {
	if _, err := s.openTokenSessionLocked(op.TxnID); err != nil {
		return notification{}, err
	}
	switch action {
	case actionPay:
		// A refusal (-3001, -2016, -2015) is recorded on op and pushed.
		_ = s.applyTokenOpLocked(op, in)
	case actionFail:
		op.finish(opFailed, codeRejected, msgBankRejected, nil)
	case actionCancel:
		op.finish(opCancelled, codeRejected, msgCancelled, nil)
		return notification{}, nil
	case actionExpire:
		op.finish(opExpired, codeRejected, msgExpired, nil)
		return notification{}, nil
	}
	return s.tokenNotificationLocked(op), nil
}

// tokenPage is the hosted tokenization page of op.
func tokenPage(op *tokenOp, message string) emukit.PayPage {
	title, desc := "Save your card", "Your card will be stored as a token for future payments."
	if op.Req.Type == tokenModify {
		title, desc = "Update your saved card", "The card saved for "+op.Req.PayerID+" will be replaced."
	}
	return emukit.PayPage{
		Gateway:     gatewayName,
		Title:       title,
		OrderID:     op.Req.OrderID,
		Description: desc,
		ActionURL:   pathTokenPage + op.TxnID,
		Inputs:      cardInputs(op.Req.PayerName),
		Message:     message,
	}
}
