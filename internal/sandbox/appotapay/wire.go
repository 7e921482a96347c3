package appotapay

import (
	"net/url"
	"strconv"
)

// errorResponse is every v1.x rejection: {"errorCode":N,"message":"..."}.
type errorResponse struct {
	ErrorCode int    `json:"errorCode"`
	Message   string `json:"message"`
}

// createResponse answers a create-payment call; its signature covers
// createResponseKeys.
type createResponse struct {
	ErrorCode  int    `json:"errorCode"`
	Message    string `json:"message"`
	OrderID    string `json:"orderId"`
	Amount     int64  `json:"amount"`
	PaymentURL string `json:"paymentUrl"`
	Signature  string `json:"signature"`
}

func (r *createResponse) sign(secret string) {
	r.Signature = signFields(secret, createResponseKeys, map[string]string{
		"amount":     strconv.FormatInt(r.Amount, 10),
		"errorCode":  strconv.Itoa(r.ErrorCode),
		"message":    r.Message,
		"orderId":    r.OrderID,
		"paymentUrl": r.PaymentURL,
	})
}

// transactionResult is a v1.x transaction result: the IPN body, the
// redirect query and the status answer. Its signature covers the 13
// resultKeys; tokenResult and cardInfo are not signed.
type transactionResult struct {
	ErrorCode        int       `json:"errorCode"`
	Message          string    `json:"message"`
	PartnerCode      string    `json:"partnerCode"`
	APIKey           string    `json:"apiKey"`
	Amount           int64     `json:"amount"`
	Currency         string    `json:"currency"`
	OrderID          string    `json:"orderId"`
	BankCode         string    `json:"bankCode"`
	PaymentMethod    string    `json:"paymentMethod"`
	PaymentType      string    `json:"paymentType"`
	AppotapayTransID string    `json:"appotapayTransId"`
	TransactionTs    int64     `json:"transactionTs"`
	ExtraData        string    `json:"extraData"`
	TokenResult      string    `json:"tokenResult,omitempty"`
	CardInfo         *cardInfo `json:"cardInfo,omitempty"`
	Signature        string    `json:"signature"`
}

// resultOf builds the signed result of o. withToken adds tokenResult for
// a paid PAY_WITH_RETURN_TOKEN order (v1.1 only).
func resultOf(o *order, withToken bool) transactionResult {
	code, message := o.result()
	r := transactionResult{
		ErrorCode:        code,
		Message:          message,
		PartnerCode:      o.Partner.Code,
		APIKey:           o.Partner.APIKey,
		Amount:           o.Amount,
		Currency:         currencyVND,
		OrderID:          o.OrderID,
		BankCode:         o.BankCode,
		PaymentMethod:    o.PaymentMethod,
		PaymentType:      paymentTypeWeb,
		AppotapayTransID: o.TransID,
		TransactionTs:    o.transactionTs(),
		ExtraData:        o.ExtraData,
	}
	if withToken && o.SavedToken != "" && o.Version == version11 {
		r.TokenResult = tokenResultJSON(o.Card.saved(o.SavedToken))
	}
	r.Signature = signFields(o.Partner.SecretKey, resultKeys, r.signedValues())
	return r
}

// signedValues are the 13 signed members as text.
func (r *transactionResult) signedValues() map[string]string {
	return map[string]string{
		"amount":           strconv.FormatInt(r.Amount, 10),
		"apiKey":           r.APIKey,
		"appotapayTransId": r.AppotapayTransID,
		"bankCode":         r.BankCode,
		"currency":         r.Currency,
		"errorCode":        strconv.Itoa(r.ErrorCode),
		"extraData":        r.ExtraData,
		"message":          r.Message,
		"orderId":          r.OrderID,
		"partnerCode":      r.PartnerCode,
		"paymentMethod":    r.PaymentMethod,
		"paymentType":      r.PaymentType,
		"transactionTs":    strconv.FormatInt(r.TransactionTs, 10),
	}
}

// query is the result as the redirect's query string: the 13 members,
// tokenResult when present, and the signature.
func (r *transactionResult) query() url.Values {
	q := url.Values{}
	for k, v := range r.signedValues() {
		q.Set(k, v)
	}
	if r.TokenResult != "" {
		q.Set("tokenResult", r.TokenResult)
	}
	q.Set("signature", r.Signature)
	return q
}

// refundData is the data block of a refund answer.
type refundData struct {
	AppotapayTransID string `json:"appotapayTransId"`
	RefundID         string `json:"refundId"`
	RefundOriginalID string `json:"refundOriginalId"`
	Amount           int64  `json:"amount"`
	Reason           string `json:"reason"`
	Status           string `json:"status"`
	TransactionTs    int64  `json:"transactionTs"`
}

// refundResponse answers a refund call or a refund lookup; its signature
// covers refundResponseKeys.
type refundResponse struct {
	ErrorCode int        `json:"errorCode"`
	Message   string     `json:"message"`
	Data      refundData `json:"data"`
	Signature string     `json:"signature"`
}

func refundResponseOf(r *refund, secret string) refundResponse {
	resp := refundResponse{
		ErrorCode: codeSuccess,
		Message:   messageSuccess,
		Data: refundData{
			AppotapayTransID: r.TransID,
			RefundID:         r.ID,
			RefundOriginalID: r.PartnerRefID,
			Amount:           r.Amount,
			Reason:           r.Reason,
			Status:           r.Status,
			TransactionTs:    r.CreatedAt.Unix(),
		},
	}
	d := resp.Data
	resp.Signature = signFields(secret, refundResponseKeys, map[string]string{
		"amount":           strconv.FormatInt(d.Amount, 10),
		"appotapayTransId": d.AppotapayTransID,
		"errorCode":        strconv.Itoa(resp.ErrorCode),
		"reason":           d.Reason,
		"refundId":         d.RefundID,
		"refundOriginalId": d.RefundOriginalID,
		"status":           d.Status,
		"transactionTs":    strconv.FormatInt(d.TransactionTs, 10),
	})
	return resp
}

// tokenResponse answers the saved-card token API.
type tokenResponse struct {
	ErrorCode   int       `json:"errorCode"`
	Message     string    `json:"message"`
	TokenResult tokenCard `json:"tokenResult"`
}
