package appotapay

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"time"

	"github.com/payhost/payhost/internal/sandbox/emukit"
)

// ipnContentType is the Content-Type AppotaPay's v1.x IPN carries, with
// the documentation's spelling.
const ipnContentType = "applicaton/json"

// moveOrder moves the order with transaction id transID to state to. A
// payment records how it was paid (method, bank, card, saved token) and
// sends the IPN; no other move notifies the merchant.
func (s *Server) moveOrder(transID string, to orderState) (order, error) {
	var token string
	o, err := s.store.update(transID, func(o *order, now time.Time) error {
		if err := o.moveTo(to, now); err != nil {
			return err
		}
		if to == statePaid {
			token = s.recordPayment(o)
		}
		return nil
	})
	if err != nil {
		return o, err
	}
	if token != "" {
		s.store.saveToken(token, o.Partner.Code, o.Card)
	}
	s.kit.Logger.Info("order moved", "partner", o.Partner.Code, "order_id", o.OrderID, "trans_id", o.TransID, "state", o.State)
	if o.State == statePaid {
		s.sendIPN(&o)
	}
	return o, nil
}

// recordPayment fills in what the customer chose on the hosted page where
// the order left it open, and issues a saved-card token for
// PAY_WITH_RETURN_TOKEN. It returns the new token, if any.
func (s *Server) recordPayment(o *order) string {
	if o.PaymentMethod == "" || o.PaymentMethod == paymentMethodAll {
		o.PaymentMethod = paymentMethodATM
		if o.Card == creditTestCard {
			o.PaymentMethod = paymentMethodCreditCard
		}
	}
	if o.BankCode == "" {
		o.BankCode = defaultBank[o.PaymentMethod]
	}
	if o.Card == nil {
		o.Card = cardFor(o.PaymentMethod)
	}
	if o.Action != actionPayReturnToken || o.Card == nil {
		return ""
	}
	o.SavedToken = s.kit.IDs.Digits(16)
	return o.SavedToken
}

// sendIPN posts the signed result of a paid order to its notifyUrl, with
// AppotaPay's retry policy, until the merchant answers HTTP 200 with
// {"status":"ok"} or {"errorCode":0}.
func (s *Server) sendIPN(o *order) {
	body, err := marshalJSON(resultOf(o, true))
	if err != nil {
		s.kit.Logger.Error("encoding IPN", "trans_id", o.TransID, "error", err)
		return
	}
	s.kit.Callbacks.Send(emukit.Callback{
		ID:     "ipn_" + o.TransID,
		URL:    o.NotifyURL,
		Header: http.Header{"Content-Type": {ipnContentType}},
		Body:   bytes.TrimSuffix(body, []byte("\n")),
		Acked:  ipnAcked,
	})
}

// ipnAcked recognises a merchant's acknowledgement of an IPN: HTTP 200 and
// {"status":"ok"} (the documented answer) or {"errorCode":0} (what some
// v1 integrations answer).
func ipnAcked(status int, body []byte) bool {
	if status != http.StatusOK {
		return false
	}
	var ack struct {
		Status    *string      `json:"status"`
		ErrorCode *json.Number `json:"errorCode"`
	}
	if json.Unmarshal(body, &ack) != nil {
		return false
	}
	return (ack.Status != nil && *ack.Status == "ok") || (ack.ErrorCode != nil && *ack.ErrorCode == "0")
}

// redirectTo is the order's redirectUrl with its signed result added to
// the query, where the browser returns after the hosted page.
func redirectTo(o *order) string {
	u, err := url.Parse(o.RedirectURL)
	if err != nil {
		// Validated at create time; unreachable for stored orders.
		return o.RedirectURL
	}
	q := u.Query()
	res := resultOf(o, true)
	for k, v := range res.query() {
		q[k] = v
	}
	u.RawQuery = q.Encode()
	return u.String()
}
