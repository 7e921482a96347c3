package reddot

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/payhost/payhost/internal/sandbox/emukit"
)

// pageAction is what the cardholder (or the control API) does on a hosted
// page.
type pageAction string

// The hosted page actions: the page's three buttons, and expiry.
const (
	actionPay    pageAction = "pay"
	actionFail   pageAction = "fail"
	actionCancel pageAction = "cancel"
	actionExpire pageAction = "expire"
)

// errSessionOver is returned for a hosted page that can no longer be used.
var errSessionOver = errors.New("the session is over")

// gatewayName is how the hosted pages name the gateway.
const gatewayName = "Red Dot Payment"

// cardInputs are the card-entry fields of a hosted page. The card number
// is never written back into the page.
func cardInputs(payerName string) []emukit.Input {
	return []emukit.Input{
		{Name: "card_no", Label: "Card number", Placeholder: CardApprove},
		{Name: "exp_date", Label: "Expiry (MMYYYY)", Placeholder: "122031"},
		{Name: "cvv2", Label: "CVV2", Type: "password", Placeholder: "123"},
		{Name: "payer_name", Label: "Cardholder name", Value: payerName},
	}
}

// readCardForm reads and validates the card fields of a submitted page;
// the message is empty when they are good.
func (s *Server) readCardForm(r *http.Request) (cardInput, string) {
	in := cardInput{PAN: r.PostFormValue("card_no"), ExpDate: r.PostFormValue("exp_date")}
	if !validCardNo(in.PAN) {
		return in, "card_no is not a valid card number (12 to 19 digits passing the Luhn check)"
	}
	if reason := checkExpDate(in.ExpDate, s.now()); reason != "" {
		return in, reason
	}
	if c := r.PostFormValue("cvv2"); c != "" && (!allDigits(c) || len(c) < 3 || len(c) > 4) {
		return in, "cvv2 must be 3 or 4 digits"
	}
	return in, ""
}

// formAction reads the pressed button; ok is false for anything else.
func formAction(r *http.Request) (pageAction, bool) {
	switch a := pageAction(r.PostFormValue("action")); a {
	case actionPay, actionFail, actionCancel:
		return a, true
	}
	return "", false
}

// redirectWithTxn sends the browser to target with transaction_id added
// to its query, as RDP does after a hosted page (RDP-615).
func redirectWithTxn(w http.ResponseWriter, r *http.Request, target, txnID string) {
	u, err := url.Parse(target)
	if err != nil {
		emukit.ErrorPage(w, http.StatusBadGateway, "the merchant's redirect_url is not a valid URL")
		return
	}
	q := u.Query()
	q.Set("transaction_id", txnID)
	u.RawQuery = q.Encode()
	http.Redirect(w, r, u.String(), http.StatusFound)
}

// pageError answers a page request for a session that is unknown (404)
// or over (410).
func pageError(w http.ResponseWriter, err error) {
	if errors.Is(err, emukit.ErrNotFound) {
		emukit.ErrorPage(w, http.StatusNotFound, "There is no such payment page.")
		return
	}
	emukit.ErrorPage(w, http.StatusGone, "This page can no longer be used: "+err.Error()+".")
}

// checkSessionOpen reports whether a hosted session in state may still be
// used, marking it expired with expire once its time is up.
func checkSessionOpen(state string, awaiting, expired bool, expire func()) error {
	if !awaiting {
		return fmt.Errorf("%w: it is %s", errSessionOver, strings.ReplaceAll(state, "_", " "))
	}
	if expired {
		expire()
		return fmt.Errorf("%w: it has expired", errSessionOver)
	}
	return nil
}
