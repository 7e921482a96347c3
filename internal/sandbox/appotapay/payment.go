package appotapay

import (
	"encoding/json"
	"net/http"
	"net/url"
	"time"

	"github.com/payhost/payhost/internal/sandbox/emukit"
)

// ipnContentTypeV1 is the Content-Type AppotaPay's v1.x IPN carries, with
// the documentation's spelling.
const ipnContentTypeV1 = "applicaton/json"

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

// notification is the signed result of o as its version sends it: the IPN
// body and the redirect query. v1.x: the flat 13-key signed result
// (+ tokenResult); v2: {data, signature, time}.
func (s *Server) notification(o *order) ([]byte, url.Values) {
	if o.Version == version20 {
		n := v2NotificationOf(o, s.kit.Clock.Now())
		return mustJSON(n), n.query()
	}
	res := resultOf(o, true)
	return mustJSON(res), res.query()
}

// sendIPN posts the signed result of a paid order to its notifyUrl, with
// the retry policy, until the merchant acknowledges it.
func (s *Server) sendIPN(o *order) {
	body, _ := s.notification(o)
	cb := emukit.Callback{
		ID:     "ipn_" + o.TransID,
		URL:    o.NotifyURL,
		Header: http.Header{"Content-Type": {ipnContentTypeV1}},
		Body:   body,
		Acked:  ipnAckedV1,
	}
	if o.Version == version20 {
		cb.Header.Set("Content-Type", "application/json")
		cb.Acked = ipnAckedV2
	}
	s.kit.Callbacks.Send(cb)
}

// ipnAck is the part of a merchant's answer that acknowledges an IPN.
type ipnAck struct {
	Status    *string      `json:"status"`
	ErrorCode *json.Number `json:"errorCode"`
}

func readAck(status int, body []byte) (ipnAck, bool) {
	var ack ipnAck
	if status != http.StatusOK || json.Unmarshal(body, &ack) != nil {
		return ack, false
	}
	return ack, true
}

// ipnAckedV2 recognises the documented acknowledgement: HTTP 200 and
// {"status":"ok"}.
func ipnAckedV2(status int, body []byte) bool {
	ack, ok := readAck(status, body)
	return ok && ack.Status != nil && *ack.Status == "ok"
}

// ipnAckedV1 also accepts {"errorCode":0}, which some v1 integrations
// answer.
func ipnAckedV1(status int, body []byte) bool {
	ack, ok := readAck(status, body)
	return ipnAckedV2(status, body) || (ok && ack.ErrorCode != nil && *ack.ErrorCode == "0")
}

// redirectTo is the order's redirectUrl with its signed result added to
// the query, where the browser returns after the hosted page.
func (s *Server) redirectTo(o *order) string {
	u, err := url.Parse(o.RedirectURL)
	if err != nil {
		// Validated at create time; unreachable for stored orders.
		return o.RedirectURL
	}
	_, result := s.notification(o)
	q := u.Query()
	for k, v := range result {
		q[k] = v
	}
	u.RawQuery = q.Encode()
	return u.String()
}
