package appotapay

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/payhost/payhost/internal/sandbox/emukit"
)

// The hosted payment pages, as in the documented payment links.
const (
	payPagePath   = "/bank/payment/process"
	payPagePathV2 = "/v2/bank/payment/process"
)

// paymentURL is the hosted-page link for o: tran is the base64 of
// tid=<appotapayTransId>&orderId=<orderId>&ts=<unix> (the seed's shape)
// and sign its HMAC-SHA256 under the partner's secret key. v2 links live
// under /v2 and carry lang=vi.
func (s *Server) paymentURL(o *order) string {
	plain := "tid=" + url.QueryEscape(o.TransID) + "&orderId=" + url.QueryEscape(o.OrderID) + "&ts=" + strconv.FormatInt(o.CreatedAt.Unix(), 10)
	tran := base64.RawURLEncoding.EncodeToString([]byte(plain))
	link := s.cfg.BaseURL + payPagePath + "?tran=" + tran + "&sign=" + hmacHex(o.Partner.SecretKey, tran)
	if o.Version == version20 {
		link = s.cfg.BaseURL + payPagePathV2 + "?tran=" + tran + "&sign=" + hmacHex(o.Partner.SecretKey, tran) + "&lang=vi"
	}
	return link
}

// pageOrder resolves a hosted-page link to its order, checking the sign.
func (s *Server) pageOrder(tran, sign string) (order, error) {
	raw, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(tran, "="))
	if err != nil {
		if raw, err = base64.RawStdEncoding.DecodeString(strings.TrimRight(tran, "=")); err != nil {
			return order{}, fmt.Errorf("the tran parameter is not base64")
		}
	}
	q, err := url.ParseQuery(string(raw))
	if err != nil || q.Get("tid") == "" {
		return order{}, fmt.Errorf("the tran parameter does not name a transaction")
	}
	o, ok := s.store.orderByTrans(q.Get("tid"))
	if !ok || !verifyHex(o.Partner.SecretKey, tran, sign) {
		return order{}, fmt.Errorf("this payment link is not valid")
	}
	return o, nil
}

// showPayPage serves GET /bank/payment/process: the order and the Pay,
// Fail and Cancel buttons.
func (s *Server) showPayPage(w http.ResponseWriter, r *http.Request) {
	tran, sign := r.URL.Query().Get("tran"), r.URL.Query().Get("sign")
	o, err := s.pageOrder(tran, sign)
	if err != nil {
		emukit.ErrorPage(w, http.StatusNotFound, err.Error())
		return
	}
	if o.State != statePending {
		emukit.ErrorPage(w, http.StatusGone, fmt.Sprintf("This payment link is no longer valid: the order is %s.", o.State))
		return
	}
	emukit.RenderPayPage(w, emukit.PayPage{
		Gateway:     "AppotaPay",
		Title:       "Thanh toán đơn hàng",
		OrderID:     o.OrderID,
		Amount:      strconv.FormatInt(o.Amount, 10),
		Currency:    currencyVND,
		Description: o.OrderInfo,
		ActionURL:   r.URL.Path,
		Hidden:      map[string]string{"tran": tran, "sign": sign},
	})
}

// submitPayPage serves the page's buttons (POST action=pay|fail|cancel):
// it moves the order, then sends the browser to redirectUrl with the
// signed result. Magic amounts (scenario.go) turn Pay into a decline or
// leave the order processing.
func (s *Server) submitPayPage(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		emukit.ErrorPage(w, http.StatusBadRequest, "The form could not be read.")
		return
	}
	o, err := s.pageOrder(r.PostForm.Get("tran"), r.PostForm.Get("sign"))
	if err != nil {
		emukit.ErrorPage(w, http.StatusNotFound, err.Error())
		return
	}
	var to orderState
	switch action := r.PostForm.Get("action"); action {
	case "pay":
		to = payOutcome(o.Amount)
	case "fail":
		to = stateFailed
	case "cancel":
		to = stateCancelled
	default:
		emukit.ErrorPage(w, http.StatusBadRequest, fmt.Sprintf("Unknown action %q: want pay, fail or cancel.", action))
		return
	}
	moved, err := s.moveOrder(o.TransID, to)
	if err != nil {
		emukit.ErrorPage(w, http.StatusConflict, "This payment link is no longer valid: "+err.Error()+".")
		return
	}
	http.Redirect(w, r, s.redirectTo(&moved), http.StatusSeeOther)
}

// payOutcome is the state Pay leads to for an order of amount.
func payOutcome(amount int64) orderState {
	switch amount {
	case AmountDecline:
		return stateFailed
	case AmountStayPending:
		return stateProcessing
	default:
		return statePaid
	}
}
