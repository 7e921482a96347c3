package redotpay

import (
	"errors"
	"html/template"
	"net/http"

	"github.com/payhost/payhost/internal/sandbox/emukit"
)

// handlePayPage serves GET /pay/{sn}: the hosted checkout page of a
// payable order of either profile.
func (s *Server) handlePayPage(w http.ResponseWriter, r *http.Request) {
	o, err := s.store.updateOrder(r.PathValue("sn"), anyOwner, s.now(), (*order).payable)
	if err != nil {
		payPageError(w, err)
		return
	}
	var message string
	if o.status == statusFailed {
		message = "The last payment attempt failed. You can try again."
	}
	title := o.desc
	if title == "" {
		title = "Order " + o.merchantRef
	}
	emukit.RenderPayPage(w, emukit.PayPage{
		Gateway: "RedotPay", Title: title, OrderID: o.sn,
		Amount: o.amount.String(), Currency: o.currency,
		Description: "Merchant order " + o.merchantRef,
		ActionURL:   "/pay/" + o.sn,
		Message:     message,
	})
}

// handlePayAction serves POST /pay/{sn}: Pay pays the order (and
// notifies the merchant), Fail records a failed attempt, Cancel leaves it
// unpaid. The browser then returns to the merchant's redirect URL.
func (s *Server) handlePayAction(w http.ResponseWriter, r *http.Request) {
	sn := r.PathValue("sn")
	var (
		o   order
		err error
	)
	switch r.FormValue("action") {
	case "pay":
		o, err = s.payOrder(sn, true)
	case "fail":
		o, err = s.failOrder(sn)
	case "cancel":
		o, err = s.store.updateOrder(sn, anyOwner, s.now(), nil)
	default:
		emukit.ErrorPage(w, http.StatusBadRequest, "action must be pay, fail or cancel")
		return
	}
	if err != nil {
		payPageError(w, err)
		return
	}
	if o.redirectURL != "" {
		http.Redirect(w, r, o.redirectURL, http.StatusSeeOther)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_ = resultPage.Execute(w, struct{ OrderSn, Status string }{o.sn, seedStatus(o)})
}

func payPageError(w http.ResponseWriter, err error) {
	status := http.StatusConflict
	if errors.Is(err, errOrderNotFound) {
		status = http.StatusNotFound
	}
	emukit.ErrorPage(w, status, err.Error())
}

// resultPage ends the hosted flow of an order that gave no redirect URL.
var resultPage = template.Must(template.New("result").Parse(`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>RedotPay sandbox</title></head>
<body style="font-family:system-ui,sans-serif;padding:2rem">
<h1>Order <span id="order-sn">{{.OrderSn}}</span> is <span id="status">{{.Status}}</span></h1>
<p>The merchant gave no return URL; you can close this window.</p></body></html>
`))
