package appotapay

import (
	"encoding/json"
	"net/url"
)

// AppotaPay API v1.0 and v1.1 messages, member for member as they travel
// (GATEWAYS.md §2.2), and the members each signature covers (§2.3).
// Amounts, codes and timestamps are json.Number so that they keep the
// exact text the gateway sent, which is also the text that was signed.

// The API paths. Refunds have only the v1 paths in both versions.
const (
	pathCreateV10    = "/api/v1/orders/payment/bank"
	pathCreateV11    = "/api/v1.1/orders/payment/bank"
	pathStatusV10    = "/api/v1/orders/transaction/bank/status"
	pathStatusV11    = "/api/v1.1/orders/transaction/bank/status"
	pathRefund       = "/api/v1/transaction/refund"
	pathRefundLookup = "/api/v1/transaction/refund/"
)

// authHeader carries the JWT, after "Bearer ".
const authHeader = "X-APPOTAPAY-AUTH"

// actionPay is the v1.1 action of a plain payment (no saved card).
const actionPay = "PAY"

// param is one signed member: its key and its text as it enters the
// signature string.
type param struct{ key, value string }

// createRequest is the body of a create-payment call. v1.0 has no action.
type createRequest struct {
	Amount        json.Number `json:"amount"`
	OrderID       string      `json:"orderId"`
	OrderInfo     string      `json:"orderInfo"`
	BankCode      string      `json:"bankCode"`
	PaymentMethod string      `json:"paymentMethod"`
	ClientIP      string      `json:"clientIp"`
	ExtraData     string      `json:"extraData"`
	Action        string      `json:"action,omitempty"`
	NotifyURL     string      `json:"notifyUrl"`
	RedirectURL   string      `json:"redirectUrl"`
	Signature     string      `json:"signature"`
}

// signed lists the nine members the create signature covers (vector
// AP-2). The seed's v1.1 string repeats redirectUrl and appends token: the
// repetition is a typo, and token is signed only when one is sent, which
// this provider never does (GATEWAYS.md §2.7). action is not signed.
func (r *createRequest) signed() []param {
	return []param{
		{"amount", r.Amount.String()},
		{"bankCode", r.BankCode},
		{"clientIp", r.ClientIP},
		{"extraData", r.ExtraData},
		{"notifyUrl", r.NotifyURL},
		{"orderId", r.OrderID},
		{"orderInfo", r.OrderInfo},
		{"paymentMethod", r.PaymentMethod},
		{"redirectUrl", r.RedirectURL},
	}
}

// createResponse answers a create-payment call. A rejection carries only
// errorCode and message.
type createResponse struct {
	ErrorCode  json.Number `json:"errorCode"`
	Message    string      `json:"message"`
	OrderID    string      `json:"orderId"`
	Amount     json.Number `json:"amount"`
	PaymentURL string      `json:"paymentUrl"`
	Signature  string      `json:"signature"`
}

// signed lists the five members the create answer's signature covers.
func (r *createResponse) signed() []param {
	return []param{
		{"amount", r.Amount.String()},
		{"errorCode", r.ErrorCode.String()},
		{"message", r.Message},
		{"orderId", r.OrderID},
		{"paymentUrl", r.PaymentURL},
	}
}

// statusRequest is the body of a status check.
type statusRequest struct {
	OrderID   string `json:"orderId"`
	Signature string `json:"signature"`
}

// signed lists the one member the status request's signature covers
// (vector AP-6).
func (r *statusRequest) signed() []param {
	return []param{{"orderId", r.OrderID}}
}

// transactionResult is a payment's result as the status check answers it,
// the IPN posts it and the browser redirect carries it in its query. A
// status rejection carries only errorCode and message.
type transactionResult struct {
	ErrorCode        json.Number `json:"errorCode"`
	Message          string      `json:"message"`
	PartnerCode      string      `json:"partnerCode"`
	APIKey           string      `json:"apiKey"`
	Amount           json.Number `json:"amount"`
	Currency         string      `json:"currency"`
	OrderID          string      `json:"orderId"`
	BankCode         string      `json:"bankCode"`
	PaymentMethod    string      `json:"paymentMethod"`
	PaymentType      string      `json:"paymentType"`
	AppotapayTransID string      `json:"appotapayTransId"`
	TransactionTs    json.Number `json:"transactionTs"`
	ExtraData        string      `json:"extraData"`
	// TokenResult (v1.1, saved cards) is a JSON document in a string.
	TokenResult string `json:"tokenResult"`
	// CardInfo comes with status answers for card payments.
	CardInfo  *cardInfo `json:"cardInfo"`
	Signature string    `json:"signature"`
}

// signed lists the thirteen members the result's signature covers (vector
// AP-5).
func (r *transactionResult) signed() []param {
	return []param{
		{"amount", r.Amount.String()},
		{"apiKey", r.APIKey},
		{"appotapayTransId", r.AppotapayTransID},
		{"bankCode", r.BankCode},
		{"currency", r.Currency},
		{"errorCode", r.ErrorCode.String()},
		{"extraData", r.ExtraData},
		{"message", r.Message},
		{"orderId", r.OrderID},
		{"partnerCode", r.PartnerCode},
		{"paymentMethod", r.PaymentMethod},
		{"paymentType", r.PaymentType},
		{"transactionTs", r.TransactionTs.String()},
	}
}

// signedWithToken is the variant that also covers tokenResult: whether
// AppotaPay signs it is undocumented (GATEWAYS.md §2.7), so a result with
// a tokenResult verifies under either.
func (r *transactionResult) signedWithToken() []param {
	return append(r.signed(), param{"tokenResult", r.TokenResult})
}

// resultFromQuery reads a transaction result from the browser redirect's
// query, whose values are the signed texts once URL-decoded.
func resultFromQuery(q url.Values) *transactionResult {
	return &transactionResult{
		ErrorCode:        json.Number(q.Get("errorCode")),
		Message:          q.Get("message"),
		PartnerCode:      q.Get("partnerCode"),
		APIKey:           q.Get("apiKey"),
		Amount:           json.Number(q.Get("amount")),
		Currency:         q.Get("currency"),
		OrderID:          q.Get("orderId"),
		BankCode:         q.Get("bankCode"),
		PaymentMethod:    q.Get("paymentMethod"),
		PaymentType:      q.Get("paymentType"),
		AppotapayTransID: q.Get("appotapayTransId"),
		TransactionTs:    json.Number(q.Get("transactionTs")),
		ExtraData:        q.Get("extraData"),
		TokenResult:      q.Get("tokenResult"),
		Signature:        q.Get("signature"),
	}
}

// cardInfo is the card a status answer reports, its number masked by
// AppotaPay (512345xxxxxx2346) and its expiry as MM/YY.
type cardInfo struct {
	CardNumber  string `json:"cardNumber"`
	CardDate    string `json:"cardDate"`
	CardName    string `json:"cardName"`
	CountryCode string `json:"countryCode"`
}

// refundRequest is the body of a refund call; refundId is the partner's.
type refundRequest struct {
	RefundID         string      `json:"refundId"`
	AppotapayTransID string      `json:"appotapayTransId"`
	Amount           json.Number `json:"amount"`
	Reason           string      `json:"reason"`
	Signature        string      `json:"signature"`
}

// signed lists the four members the refund signature covers (vector
// AP-7).
func (r *refundRequest) signed() []param {
	return []param{
		{"amount", r.Amount.String()},
		{"appotapayTransId", r.AppotapayTransID},
		{"reason", r.Reason},
		{"refundId", r.RefundID},
	}
}

// refundResponse answers a refund call and a refund lookup. A rejection
// carries only errorCode and message.
type refundResponse struct {
	ErrorCode json.Number `json:"errorCode"`
	Message   string      `json:"message"`
	Data      refundData  `json:"data"`
	Signature string      `json:"signature"`
}

// refundData is a refund as AppotaPay reports it: refundId is AppotaPay's
// id, refundOriginalId the partner's.
type refundData struct {
	AppotapayTransID string      `json:"appotapayTransId"`
	RefundID         string      `json:"refundId"`
	RefundOriginalID string      `json:"refundOriginalId"`
	Amount           json.Number `json:"amount"`
	Reason           string      `json:"reason"`
	Status           string      `json:"status"`
	TransactionTs    json.Number `json:"transactionTs"`
}

// signed lists the eight members the refund answer's signature covers.
func (r *refundResponse) signed() []param {
	return []param{
		{"amount", r.Data.Amount.String()},
		{"appotapayTransId", r.Data.AppotapayTransID},
		{"errorCode", r.ErrorCode.String()},
		{"reason", r.Data.Reason},
		{"refundId", r.Data.RefundID},
		{"refundOriginalId", r.Data.RefundOriginalID},
		{"status", r.Data.Status},
		{"transactionTs", r.Data.TransactionTs.String()},
	}
}

// rejection is what every rejection has: AppotaPay's errorCode and
// message; v2 adds the fields at fault.
type rejection struct {
	ErrorCode json.Number `json:"errorCode"`
	Message   string      `json:"message"`
	Errors    []struct {
		Field string `json:"field"`
	} `json:"errors"`
}

// ipnAck is the answer AppotaPay expects to an IPN (GATEWAYS.md §2.5).
var ipnAck = []byte(`{"status":"ok"}`)
