package reddot

import (
	"fmt"
	"net/http"
	"time"

	"github.com/payhost/payhost/internal/sandbox/emukit"
)

// showPaymentPage serves GET /service/secure-payment/{id}: the hosted
// payment page (HOP) a payment_url of redirection_hosted points at.
func (s *Server) showPaymentPage(w http.ResponseWriter, r *http.Request) {
	s.renderPaymentPage(w, r.PathValue("id"), "")
}

// renderPaymentPage writes the page of payment id, with message shown
// above the buttons when it is not empty.
func (s *Server) renderPaymentPage(w http.ResponseWriter, id, message string) {
	s.store.mu.Lock()
	pay, err := s.openPaymentSessionLocked(id)
	var page emukit.PayPage
	if err == nil {
		page = paymentPage(pay, message)
	}
	s.store.mu.Unlock()
	if err != nil {
		pageError(w, err)
		return
	}
	emukit.RenderPayPage(w, page)
}

// submitPaymentPage serves POST /service/secure-payment/{id}: Pay charges
// the card entered (or the saved card), Fail declines, Cancel returns to
// back_url. Pay and Fail push the result to notify_url (a pending result
// only once it resolves) and redirect to redirect_url?transaction_id=….
func (s *Server) submitPaymentPage(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	action, ok := formAction(r)
	if !ok {
		http.Error(w, "action must be pay, fail or cancel", http.StatusBadRequest)
		return
	}
	s.store.mu.Lock()
	pay := s.store.payments[id]
	savedCard := pay != nil && pay.TokenID != ""
	s.store.mu.Unlock()
	var in cardInput
	if action == actionPay && !savedCard {
		var msg string
		if in, msg = s.readCardForm(r); msg != "" {
			s.renderPaymentPage(w, id, msg)
			return
		}
	}
	s.store.mu.Lock()
	var (
		n         notification
		resolveAt time.Time
		backURL   string
		returnURL string
		err       = fmt.Errorf("payment %q: %w", id, emukit.ErrNotFound)
	)
	if pay != nil {
		if name := r.PostFormValue("payer_name"); name != "" && pay.Status == payAwaitingCard && !savedCard {
			pay.PayerName = name
		}
		n, err = s.completePaymentPageLocked(pay, action, in)
		resolveAt, backURL, returnURL = pay.ResolveAt, pay.BackURL, pay.RedirectURL
	}
	s.store.mu.Unlock()
	if err != nil {
		pageError(w, err)
		return
	}
	s.notify(n)
	s.scheduleResolution(id, resolveAt)
	if action == actionCancel {
		http.Redirect(w, r, backURL, http.StatusFound)
		return
	}
	redirectWithTxn(w, r, returnURL, id)
}

// openPaymentSessionLocked finds a hosted payment still waiting for the
// cardholder.
func (s *Server) openPaymentSessionLocked(id string) (*payment, error) {
	pay := s.store.payments[id]
	if pay == nil || pay.Mode != modeHosted {
		return nil, fmt.Errorf("payment %q: %w", id, emukit.ErrNotFound)
	}
	err := checkSessionOpen(string(pay.Status), pay.Status == payAwaitingCard, !s.now().Before(pay.Expires), func() {
		pay.end(payExpired, msgExpired)
	})
	return pay, err
}

// completePaymentPageLocked applies a page action to a hosted payment and
// returns the notification to push: none for cancel, expiry, or a result
// still pending.
func (s *Server) completePaymentPageLocked(pay *payment, action pageAction, in cardInput) (notification, error) {
	if _, err := s.openPaymentSessionLocked(pay.TxnID); err != nil {
		return notification{}, err
	}
	if in.PAN != "" && pay.TokenID == "" {
		pay.Card = s.cards.newCard(in.PAN, in.ExpDate)
		pay.Card.Fingerprint = ""
	}
	switch action {
	case actionPay:
		s.settleLocked(pay, paymentOutcome(pay.Card, pay.Amount, pay.Ccy))
	case actionFail:
		s.settleLocked(pay, decline)
	case actionCancel:
		pay.end(payCancelled, msgCancelled)
	case actionExpire:
		pay.end(payExpired, msgExpired)
	}
	if pay.Status == payCancelled || pay.Status == payExpired || pay.Status == payPending {
		return notification{}, nil
	}
	return s.paymentNotificationLocked(pay), nil
}

// paymentPage is the hosted payment page of pay.
func paymentPage(pay *payment, message string) emukit.PayPage {
	page := emukit.PayPage{
		Gateway:   gatewayName,
		Title:     "Pay",
		OrderID:   pay.OrderID,
		Amount:    formatAmount(pay.Amount, pay.Ccy),
		Currency:  pay.Ccy,
		ActionURL: pathPaymentPage + pay.TxnID,
		Message:   message,
	}
	if pay.Type == paymentAuth {
		page.Description = "The amount will be reserved on your card and charged later."
	}
	if pay.TokenID != "" {
		page.Description += " Paying with your saved card " + pay.Card.First6 + "******" + pay.Card.Last4 + "."
		return page
	}
	page.Inputs = cardInputs(pay.PayerName)
	return page
}
