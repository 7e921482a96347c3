package appotapay

import (
	"encoding/base64"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// vietnamTime is the +07:00 zone AppotaPay v2 writes timestamps in.
var vietnamTime = time.FixedZone("ICT", 7*60*60)

func rfc3339(t time.Time) string { return t.In(vietnamTime).Format(time.RFC3339) }

// v2Status is the v2 transaction status of an order state.
func v2Status(s orderState) string {
	switch s {
	case statePending:
		return "pending"
	case stateProcessing:
		return "processing"
	case statePaid:
		return "success"
	default:
		return "error"
	}
}

// v2Transaction is the transaction object of v2 answers and notifications.
type v2Transaction struct {
	TransactionID    string `json:"transactionId"`
	ReconciliationID string `json:"reconciliationId,omitempty"`
	PartnerCode      string `json:"partnerCode"`
	Status           string `json:"status"`
	ErrorCode        int    `json:"errorCode"`
	ErrorMessage     string `json:"errorMessage"`
	OrderAmount      int64  `json:"orderAmount"`
	Amount           int64  `json:"amount"`
	DiscountAmount   int64  `json:"discountAmount"`
	Currency         string `json:"currency"`
	BankCode         string `json:"bankCode"`
	PaymentMethod    string `json:"paymentMethod"`
	Action           string `json:"action"`
	ClientIP         string `json:"clientIp"`
	Version          string `json:"version"`
	Fee              v2Fee  `json:"fee"`
	CreatedAt        string `json:"createdAt"`
	UpdatedAt        string `json:"updatedAt"`
}

type v2Fee struct {
	CustomerFee int64 `json:"customer_fee"`
}

// v2PartnerReference echoes the partner's order.
type v2PartnerReference struct {
	Order v2Order `json:"order"`
}

type v2Order struct {
	ID        string `json:"id"`
	Info      string `json:"info"`
	ExtraData string `json:"extraData"`
}

func v2TransactionOf(o *order) v2Transaction {
	code, message := o.result()
	tx := v2Transaction{
		TransactionID: o.TransID,
		PartnerCode:   o.Partner.Code,
		Status:        v2Status(o.State),
		ErrorCode:     code,
		ErrorMessage:  message,
		OrderAmount:   o.Amount,
		Amount:        o.Amount,
		Currency:      currencyVND,
		BankCode:      o.BankCode,
		PaymentMethod: o.PaymentMethod,
		Action:        o.Action,
		ClientIP:      o.ClientIP,
		Version:       string(version20),
		CreatedAt:     rfc3339(o.CreatedAt),
		UpdatedAt:     rfc3339(o.UpdatedAt),
	}
	if o.State == statePaid {
		tx.ReconciliationID = o.TransID
	}
	return tx
}

func v2ReferenceOf(o *order) v2PartnerReference {
	return v2PartnerReference{Order: v2Order{ID: o.OrderID, Info: o.OrderInfo, ExtraData: o.ExtraData}}
}

// v2Result is what a v2 notification's data decodes to.
type v2Result struct {
	Transaction      v2Transaction      `json:"transaction"`
	PartnerReference v2PartnerReference `json:"partnerReference"`
	TokenResult      string             `json:"tokenResult,omitempty"`
}

// v2Notification is a v2 IPN body and redirect query: data is the Base64
// of the JSON result, signature its HMAC-SHA256 under the secret key
// (vector AP-8), time the unix time of sending.
type v2Notification struct {
	Data      string `json:"data"`
	Signature string `json:"signature"`
	Time      string `json:"time"`
}

// v2NotificationOf encodes and signs the result of o at now.
func v2NotificationOf(o *order, now time.Time) v2Notification {
	res := v2Result{Transaction: v2TransactionOf(o), PartnerReference: v2ReferenceOf(o)}
	if o.SavedToken != "" {
		res.TokenResult = tokenResultJSON(o.Card.saved(o.SavedToken))
	}
	data := base64.StdEncoding.EncodeToString(mustJSON(res))
	return v2Notification{Data: data, Signature: hmacHex(o.Partner.SecretKey, data), Time: strconv.FormatInt(now.Unix(), 10)}
}

func (n v2Notification) query() url.Values {
	return url.Values{"data": {n.Data}, "signature": {n.Signature}, "time": {n.Time}}
}

// v2CreateResponse answers POST /api/v2/orders/payment.
type v2CreateResponse struct {
	Transaction v2Transaction `json:"transaction"`
	Payment     v2Payment     `json:"payment"`
}

type v2Payment struct {
	URL         string    `json:"url"`
	QRCode      *struct{} `json:"qrCode"`
	DeepLinkURL string    `json:"deepLinkUrl"`
}

// v2StatusResponse answers GET /api/v2/orders/transaction.
type v2StatusResponse struct {
	Transaction      v2Transaction      `json:"transaction"`
	PartnerReference v2PartnerReference `json:"partnerReference"`
	CardInfo         *cardInfo          `json:"cardInfo,omitempty"`
	TokenInfo        *tokenCard         `json:"tokenInfo,omitempty"`
}

// v2Refund answers the v2 refund calls.
type v2Refund struct {
	RefundID      string `json:"refundId"`
	TransactionID string `json:"transactionId"`
	PartnerRefID  string `json:"partnerRefId"`
	Amount        int64  `json:"amount"`
	Currency      string `json:"currency"`
	Reason        string `json:"reason"`
	Status        string `json:"status"`
	CreatedAt     string `json:"createdAt"`
	RefundedAt    string `json:"refundedAt,omitempty"`
}

func v2RefundOf(r *refund) v2Refund {
	out := v2Refund{
		RefundID: r.ID, TransactionID: r.TransID, PartnerRefID: r.PartnerRefID, Amount: r.Amount,
		Currency: currencyVND, Reason: r.Reason, Status: r.Status, CreatedAt: rfc3339(r.CreatedAt),
	}
	if r.Status == RefundSuccess {
		out.RefundedAt = rfc3339(r.SettledAt)
	}
	return out
}

// v2ErrorResponse is every v2 rejection, with HTTP status other than 200.
type v2ErrorResponse struct {
	ErrorCode int          `json:"errorCode"`
	Message   string       `json:"message"`
	Errors    []fieldError `json:"errors,omitempty"`
}

// writeV2Error answers a v2 rejection: 401 for authentication, 404 for an
// unknown transaction, 400 for everything else.
func writeV2Error(w http.ResponseWriter, e *apiError) {
	status := http.StatusBadRequest
	switch {
	case e.status == http.StatusUnauthorized:
		status = http.StatusUnauthorized
	case e.code == codeNotFound:
		status = http.StatusNotFound
	}
	writeJSON(w, status, v2ErrorResponse{ErrorCode: e.code, Message: e.message, Errors: e.fields})
}
