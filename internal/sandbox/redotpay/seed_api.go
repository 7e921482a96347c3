package redotpay

import (
	"encoding/json"
	"net/http"
	"time"
)

// seedCreate serves the seed's POST /openapi/v2/order/create.
func (s *Server) seedCreate(w http.ResponseWriter, r *http.Request, m SeedMerchant, body []byte) {
	var req seedCreateRequest
	if err := decodeJSON(body, &req); err != nil {
		writeSeedError(w, err)
		return
	}
	amt, err := req.validate(m)
	if err != nil {
		writeSeedError(w, err)
		return
	}
	if amt.magicTail() == magicReject {
		writeSeedError(w, errRiskRejected)
		return
	}
	now := s.now()
	o := order{
		sn: s.newID("SN", 9), profile: profileSeed, owner: m.Code, merchantRef: req.RefNo,
		amount: amt, currency: req.Currency, manual: req.Manual,
		redirectURL: req.RedirectURL, notifyURL: req.CallbackURL,
		status: statusPending, createdAt: now, expiresAt: now.Add(s.cfg.OrderTTL),
	}
	if err := s.store.addOrder(o); err != nil {
		writeSeedError(w, err)
		return
	}
	s.kit.Logger.Info("order created", "profile", o.profile, "orderSn", o.sn, "ref_no", o.merchantRef,
		"amount", o.amount.String(), "currency", o.currency)
	writeSeed(w, seedCreateData{
		OrderSn: o.sn, PaymentURL: s.linksFor(o.sn).page, Manual: o.manual,
		ExpireTime: int64(s.cfg.OrderTTL / time.Second),
	})
}

// seedPaymentMethod serves GET /openapi/v2/order/payment-method?order_sn=.
func (s *Server) seedPaymentMethod(w http.ResponseWriter, r *http.Request, m SeedMerchant, _ []byte) {
	sn := r.URL.Query().Get("order_sn")
	if sn == "" {
		writeSeedError(w, fieldErrorf("order_sn", "is required"))
		return
	}
	o, err := s.store.updateOrder(sn, m.Code, s.now(), (*order).payable)
	if err != nil {
		writeSeedError(w, err)
		return
	}
	links := s.linksFor(o.sn)
	writeSeed(w, seedPaymentData{
		OrderSn: o.sn, PaymentURL: links.page, QRCode: links.qr, DeepLink: links.deep,
		ExpireTime: s.secondsLeft(o),
	})
}

// seedOrder serves GET /openapi/v2/order/{sn}.
func (s *Server) seedOrder(w http.ResponseWriter, r *http.Request, m SeedMerchant, _ []byte) {
	o, err := s.store.updateOrder(r.PathValue("sn"), m.Code, s.now(), nil)
	if err != nil {
		writeSeedError(w, err)
		return
	}
	writeSeed(w, seedOrderData{
		OrderSn: o.sn, MerchantOrderSn: o.merchantRef, Status: seedStatus(o),
		Amount: json.Number(o.amount.String()), Currency: o.currency, ExpireTime: s.secondsLeft(o),
	})
}

// secondsLeft is how long the order stays payable, in whole seconds.
func (s *Server) secondsLeft(o order) int64 {
	if o.payable() != nil {
		return 0
	}
	return int64(o.expiresAt.Sub(s.now()) / time.Second)
}

// seedStatus is the seed's word for an order's status; "paid" is the one
// the seed shows.
func seedStatus(o order) string {
	switch o.status {
	case statusPaid:
		return "paid"
	case statusFailed:
		return "failed"
	case statusClosed:
		if o.expired {
			return "expired"
		}
		return "closed"
	}
	return "pending"
}
