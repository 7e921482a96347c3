package redotpay

import (
	"encoding/json"
	"net/http"
)

// The payment methods of the manual flow. RedotPay's real list was not
// found; these three cover the answer kinds the docs name (URL, QR code,
// deep link).
const (
	methodWeb      = "WEB"
	methodQRCode   = "QRCODE"
	methodDeepLink = "DEEPLINK"
)

var paymentMethods = []paymentMethodInfo{
	{PaymentMethod: methodWeb, Name: "Hosted checkout page"},
	{PaymentMethod: methodQRCode, Name: "QR code for the RedotPay app"},
	{PaymentMethod: methodDeepLink, Name: "Open the RedotPay app"},
}

// connectCreate serves POST /openapi/v2/order/create.
func (s *Server) connectCreate(w http.ResponseWriter, r *http.Request, app *App, body []byte) {
	var req createRequest
	if err := decodeJSON(body, &req); err != nil {
		writeConnectError(w, err)
		return
	}
	now := s.now()
	v, err := req.validate(now, s.cfg.OrderTTL)
	if err != nil {
		writeConnectError(w, err)
		return
	}
	if v.amount.magicTail() == magicReject {
		writeConnectError(w, errRiskRejected)
		return
	}
	notifyURL := v.notifyURL
	if notifyURL == "" {
		notifyURL = app.NotifyURL
	}
	o := order{
		sn: s.newID("RAP", 10), profile: profileConnect, owner: app.AppKey,
		merchantRef: v.outerOrderSn, outerUID: v.outerUID, amount: v.amount, rateExtra: v.rateExtra,
		currency: v.currency, env: v.env, desc: v.desc, manual: v.manual,
		redirectURL: v.redirectURL, notifyURL: notifyURL,
		status: statusPending, createdAt: now, expiresAt: v.expiresAt,
	}
	if err := s.store.addOrder(o); err != nil {
		writeConnectError(w, err)
		return
	}
	s.kit.Logger.Info("order created", "profile", o.profile, "orderSn", o.sn, "outerOrderSn", o.merchantRef,
		"amount", o.amount.String(), "currency", o.currency)
	data := createData{
		OrderSn: o.sn, OuterOrderSn: o.merchantRef, OrderAmount: json.Number(o.amount.String()),
		OrderCurrency: o.currency, OrderStatus: o.status, TimeExpire: o.expiresAt.UnixMilli(),
		Manual: o.manual, PaymentMethods: paymentMethods,
	}
	if !o.manual {
		links := s.linksFor(o.sn)
		data.WebURL, data.H5URL, data.AppURL = links.page, links.page+"?env=H5", links.page+"?env=APP"
	}
	writeConnect(w, data)
}

// connectPaymentMethod serves /openapi/v2/order/payment-method: POST with
// {"orderSn", "paymentMethod"} or, as the seed has it, GET ?order_sn=.
func (s *Server) connectPaymentMethod(w http.ResponseWriter, r *http.Request, app *App, body []byte) {
	q, err := parseOrderQuery(r, body)
	if err != nil {
		writeConnectError(w, err)
		return
	}
	method := q.PaymentMethod
	if method == "" {
		method = methodWeb
	}
	switch method {
	case methodWeb, methodQRCode, methodDeepLink:
	default:
		writeConnectError(w, fieldErrorf("paymentMethod", "must be one of WEB, QRCODE, DEEPLINK"))
		return
	}
	o, err := s.connectOrder(app, q, (*order).payable)
	if err != nil {
		writeConnectError(w, err)
		return
	}
	links := s.linksFor(o.sn)
	data := paymentMethodData{OrderSn: o.sn, OuterOrderSn: o.merchantRef, PaymentMethod: method, TimeExpire: o.expiresAt.UnixMilli()}
	switch method {
	case methodWeb:
		data.PayURL = links.page
	case methodQRCode:
		data.QRCode = links.qr
	case methodDeepLink:
		data.DeepLink, data.PayURL = links.deep, links.page
	}
	writeConnect(w, data)
}

// connectDetail serves POST /openapi/v2/order/detail.
func (s *Server) connectDetail(w http.ResponseWriter, r *http.Request, app *App, body []byte) {
	s.connectOrderCall(w, r, app, body, nil)
}

// connectClose serves POST /openapi/v2/order/close; a paid order cannot
// be closed.
func (s *Server) connectClose(w http.ResponseWriter, r *http.Request, app *App, body []byte) {
	s.connectOrderCall(w, r, app, body, (*order).close)
}

// connectOrderCall applies move (nil to read) to the order the body names
// and answers the order's detail.
func (s *Server) connectOrderCall(w http.ResponseWriter, r *http.Request, app *App, body []byte, move func(*order) error) {
	q, err := parseOrderQuery(r, body)
	if err != nil {
		writeConnectError(w, err)
		return
	}
	o, err := s.connectOrder(app, q, move)
	if err != nil {
		writeConnectError(w, err)
		return
	}
	writeConnect(w, newDetail(o))
}

// connectOrder finds app's order by orderSn or outerOrderSn (both must
// agree when both are given) and applies move to it.
func (s *Server) connectOrder(app *App, q orderQuery, move func(*order) error) (order, error) {
	sn := q.OrderSn
	if sn == "" {
		if q.OuterOrderSn == "" {
			return order{}, fieldErrorf("orderSn", "is required (or outerOrderSn)")
		}
		var err error
		if sn, err = s.store.orderSnByRef(app.AppKey, q.OuterOrderSn); err != nil {
			return order{}, err
		}
	}
	return s.store.updateOrder(sn, app.AppKey, s.now(), func(o *order) error {
		if q.OuterOrderSn != "" && q.OuterOrderSn != o.merchantRef {
			return errOrderNotFound
		}
		if move == nil {
			return nil
		}
		return move(o)
	})
}

// parseOrderQuery reads the order reference from a JSON body, or from the
// query string of a GET (order_sn or orderSn, payment_method or
// paymentMethod).
func parseOrderQuery(r *http.Request, body []byte) (orderQuery, error) {
	var q orderQuery
	if r.Method == http.MethodGet {
		v := r.URL.Query()
		q.OrderSn = firstNonEmpty(v.Get("order_sn"), v.Get("orderSn"))
		q.OuterOrderSn = v.Get("outerOrderSn")
		q.PaymentMethod = firstNonEmpty(v.Get("payment_method"), v.Get("paymentMethod"))
		return q, nil
	}
	return q, decodeJSON(body, &q)
}

func newDetail(o order) detailData {
	d := detailData{
		OrderSn: o.sn, OuterOrderSn: o.merchantRef, OuterUID: o.outerUID,
		OrderAmount: json.Number(o.amount.String()), OrderCurrency: o.currency, OrderStatus: o.status,
		Env: o.env, CreateTime: o.createdAt.UnixMilli(), TimeExpire: o.expiresAt.UnixMilli(), TxID: o.txID,
	}
	if o.status == statusPaid {
		d.PayTime = o.paidAt.UnixMilli()
	}
	if o.refunded > 0 {
		d.RefundedAmount = json.Number(amount{o.refunded, o.amount.scale}.String())
	}
	return d
}

// orderLinks are the ways to reach an order's hosted page.
type orderLinks struct {
	page string // hosted page URL
	qr   string // QR content: the hosted page, marked as scanned
	deep string // deep link into the RedotPay app
}

func (s *Server) linksFor(sn string) orderLinks {
	page := s.cfg.BaseURL + "/pay/" + sn
	return orderLinks{page: page, qr: page + "?via=qr", deep: "redotpay://connect/pay?orderSn=" + sn}
}

func firstNonEmpty(values ...string) string {
	for _, v := range values {
		if v != "" {
			return v
		}
	}
	return ""
}

// newID makes an order-style id: prefix, the date on the emulator's clock
// and n digits, like RAP20260318… or SN20260318….
func (s *Server) newID(prefix string, n int) string {
	return prefix + s.now().UTC().Format("20060102") + s.kit.IDs.Digits(n)
}
