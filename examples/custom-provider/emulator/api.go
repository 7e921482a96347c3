package emulator

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// maxBody bounds the request bodies the emulator reads.
const maxBody = 1 << 20

// timestampTolerance is how far a request's timestamp may be from the
// emulator's clock.
const timestampTolerance = 5 * time.Minute

// signature is tinypay's signature: lowercase hex HMAC-SHA256 with the
// secret over lines joined by "\n". Requests sign the timestamp, method,
// request URI and body; callbacks the timestamp and body.
func signature(secret string, lines ...string) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(strings.Join(lines, "\n")))
	return hex.EncodeToString(mac.Sum(nil))
}

// authenticated checks a request's API key, timestamp and signature
// before h sees it.
func (e *Emulator) authenticated(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(io.LimitReader(r.Body, maxBody))
		if err != nil {
			refuse(w, http.StatusBadRequest, "invalid_request", "the body could not be read")
			return
		}
		ts := r.Header.Get("Tinypay-Timestamp")
		unix, tsErr := strconv.ParseInt(ts, 10, 64)
		want := signature(e.cfg.Secret, ts, r.Method, r.RequestURI, string(body))
		switch {
		case subtle.ConstantTimeCompare([]byte(r.Header.Get("Tinypay-Key")), []byte(e.cfg.APIKey)) != 1:
			refuse(w, http.StatusUnauthorized, "unknown_key", "Tinypay-Key is not a key of this merchant")
		case tsErr != nil || time.Since(time.Unix(unix, 0)).Abs() > timestampTolerance:
			refuse(w, http.StatusUnauthorized, "stale_timestamp", "Tinypay-Timestamp must be the Unix time, within 5 minutes")
		case !hmac.Equal([]byte(r.Header.Get("Tinypay-Signature")), []byte(want)):
			refuse(w, http.StatusUnauthorized, "bad_signature", "Tinypay-Signature does not verify")
		default:
			r.Body = io.NopCloser(bytes.NewReader(body))
			h(w, r)
		}
	}
}

// paymentJSON is a payment on the wire.
type paymentJSON struct {
	ID       string `json:"id"`
	OrderID  string `json:"order_id"`
	Status   string `json:"status"`
	Amount   string `json:"amount"`
	Refunded string `json:"refunded"`
	Currency string `json:"currency"`
	PayURL   string `json:"pay_url,omitempty"`
}

// view is p on the wire; base, when set, is the emulator's URL as the
// client reached it, for the hosted page's URL of a pending payment.
func (p *payment) view(base string) paymentJSON {
	v := paymentJSON{
		ID: p.id, OrderID: p.orderID, Status: p.status, Currency: p.currency,
		Amount: formatAmount(p.amount, p.currency), Refunded: formatAmount(p.refunded, p.currency),
	}
	if p.status == statusPending && base != "" {
		v.PayURL = base + "/pay/" + url.PathEscape(p.id)
	}
	return v
}

// baseURL is the emulator's URL as the client reached it.
func baseURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// createPayment is POST /v1/payments: one payment per order id.
func (e *Emulator) createPayment(w http.ResponseWriter, r *http.Request) {
	var req struct {
		OrderID     string `json:"order_id"`
		Amount      string `json:"amount"`
		Currency    string `json:"currency"`
		Method      string `json:"method"`
		Description string `json:"description"`
		ReturnURL   string `json:"return_url"`
		NotifyURL   string `json:"notify_url"`
	}
	if !decode(w, r, &req) {
		return
	}
	amount, ok := parseAmount(req.Amount, req.Currency)
	switch {
	case req.OrderID == "" || len(req.OrderID) > 64:
		refuse(w, http.StatusBadRequest, "invalid_request", "order_id must be 1 to 64 characters")
	case !ok:
		refuse(w, http.StatusBadRequest, "invalid_request", "amount must be positive, in EUR, JPY, SGD or USD, with exactly the currency's decimals")
	case req.Method != "card" && req.Method != "wallet":
		refuse(w, http.StatusBadRequest, "invalid_request", "method must be card or wallet")
	case !absoluteURL(req.ReturnURL) || !absoluteURL(req.NotifyURL):
		refuse(w, http.StatusBadRequest, "invalid_request", "return_url and notify_url must be absolute http(s) URLs")
	default:
		e.mu.Lock()
		defer e.mu.Unlock()
		if p, ok := e.orders[req.OrderID]; ok {
			if p.amount != amount || p.currency != req.Currency {
				refuse(w, http.StatusConflict, "order_conflict", "order_id was used for another amount")
				return
			}
			answer(w, http.StatusOK, p.view(baseURL(r)))
			return
		}
		p := &payment{
			id: newID("tp_"), orderID: req.OrderID, status: statusPending, currency: req.Currency, method: req.Method,
			description: req.Description, returnURL: req.ReturnURL, notifyURL: req.NotifyURL, amount: amount,
		}
		e.payments[p.id], e.orders[p.orderID] = p, p
		answer(w, http.StatusCreated, p.view(baseURL(r)))
	}
}

// getPayment is GET /v1/payments/{id}.
func (e *Emulator) getPayment(w http.ResponseWriter, r *http.Request) {
	e.answerPayment(w, r, e.payments, r.PathValue("id"))
}

// getOrder is GET /v1/orders/{order_id}.
func (e *Emulator) getOrder(w http.ResponseWriter, r *http.Request) {
	e.answerPayment(w, r, e.orders, r.PathValue("order_id"))
}

func (e *Emulator) answerPayment(w http.ResponseWriter, r *http.Request, index map[string]*payment, key string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	p, ok := index[key]
	if !ok {
		refuse(w, http.StatusNotFound, "not_found", "no such payment")
		return
	}
	answer(w, http.StatusOK, p.view(baseURL(r)))
}

// createRefund is POST /v1/payments/{id}/refunds: one refund per refund
// id, never above what is left.
func (e *Emulator) createRefund(w http.ResponseWriter, r *http.Request) {
	var req struct {
		RefundID string `json:"refund_id"`
		Amount   string `json:"amount"`
		Reason   string `json:"reason"`
	}
	if !decode(w, r, &req) {
		return
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	p, ok := e.payments[r.PathValue("id")]
	if !ok {
		refuse(w, http.StatusNotFound, "not_found", "no such payment")
		return
	}
	amount, ok := parseAmount(req.Amount, p.currency)
	switch prior, seen := e.refunds[req.RefundID]; {
	case req.RefundID == "" || len(req.RefundID) > 64:
		refuse(w, http.StatusBadRequest, "invalid_request", "refund_id must be 1 to 64 characters")
	case !ok:
		refuse(w, http.StatusBadRequest, "invalid_request", "amount must be positive, in the payment's currency, with exactly its decimals")
	case seen && (prior.paymentID != p.id || prior.amount != amount):
		refuse(w, http.StatusConflict, "refund_conflict", "refund_id was used for another refund")
	case seen:
		answer(w, http.StatusOK, prior.view(p.currency))
	case p.status != statusPaid && p.status != statusPartiallyRefunded:
		refuse(w, http.StatusConflict, "not_paid", "only a paid payment can be refunded; this one is "+p.status)
	case amount > p.amount-p.refunded:
		refuse(w, http.StatusUnprocessableEntity, "amount_exceeds_refundable", "the refund is above what is left to refund: "+formatAmount(p.amount-p.refunded, p.currency)+" "+p.currency)
	default:
		rf := &refund{id: newID("tr_"), refundID: req.RefundID, paymentID: p.id, amount: amount}
		e.refunds[rf.refundID] = rf
		p.refunded += amount
		p.status = statusPartiallyRefunded
		if p.refunded == p.amount {
			p.status = statusRefunded
		}
		answer(w, http.StatusCreated, rf.view(p.currency))
	}
}

// refundJSON is a refund on the wire; the emulator's refunds succeed at
// once.
type refundJSON struct {
	ID       string `json:"id"`
	RefundID string `json:"refund_id"`
	Status   string `json:"status"`
	Amount   string `json:"amount"`
	Currency string `json:"currency"`
}

func (rf *refund) view(currency string) refundJSON {
	return refundJSON{ID: rf.id, RefundID: rf.refundID, Status: "succeeded", Amount: formatAmount(rf.amount, currency), Currency: currency}
}

// decode reads a JSON body strictly, or refuses the request.
func decode(w http.ResponseWriter, r *http.Request, v any) bool {
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		refuse(w, http.StatusBadRequest, "invalid_request", "the body is not the JSON expected: "+err.Error())
		return false
	}
	return true
}

// answer writes v as JSON.
func answer(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// refuse writes tinypay's error answer.
func refuse(w http.ResponseWriter, status int, code, message string) {
	var body struct {
		Error struct {
			Code    string `json:"code"`
			Message string `json:"message"`
		} `json:"error"`
	}
	body.Error.Code, body.Error.Message = code, message
	answer(w, status, body)
}

func absoluteURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}
