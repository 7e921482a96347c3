package reddot

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
)

// RDP's wire format: the requests payhost sends and the answers and
// notifications it reads (GATEWAYS.md §3.2). Field order in the request
// structs is the order of the JSON sent; empty optional fields are left
// out, which signs the same in sign_generic (empty values add nothing).

// The api_mode values.
const (
	modeHostedToken = "hosted_token_api"
	modeDirectToken = "direct_token_api"
	modeHostedPay   = "redirection_hosted"
	modeDirectPay   = "direct_n3d"
)

// The transaction_type values of token and payment results, and the
// payment_type values of payment requests.
const (
	typeCreate = "C"
	typeModify = "M"
	typeRemove = "R"
	typeSale   = "S"
	typeAuth   = "A"
)

// The response_code values with a meaning of their own; every other
// negative code is a request error.
const (
	codeOK       = "0"
	codePending  = "-01"
	codeRejected = "-1"
)

// The Merchant API's action_type and result_status values.
const (
	actionCapture  = "capture"
	actionVoid     = "void"
	actionRefund   = "refund"
	resultAccepted = "accepted"
	resultFailed   = "failed"
)

// tokenRequest is a /service/token-api request: hosted_token_api (create)
// or direct_token_api (create or remove), signed with sign_generic.
type tokenRequest struct {
	MID             string `json:"mid"`
	OrderID         string `json:"order_id"`
	APIMode         string `json:"api_mode"`
	TransactionType string `json:"transaction_type"`
	PayerID         string `json:"payer_id,omitempty"`
	PayerName       string `json:"payer_name,omitempty"`
	PayerEmail      string `json:"payer_email,omitempty"`
	Ccy             string `json:"ccy,omitempty"`
	CardNo          string `json:"card_no,omitempty"`
	ExpDate         string `json:"exp_date,omitempty"`
	CVV2            string `json:"cvv2,omitempty"`
	TokenID         string `json:"token_id,omitempty"`
	BackURL         string `json:"back_url,omitempty"`
	RedirectURL     string `json:"redirect_url,omitempty"`
	NotifyURL       string `json:"notify_url,omitempty"`
	Signature       string `json:"signature"`
}

// paymentRequest is a /service/payment-api request, signed with the
// payment first-phase signature.
type paymentRequest struct {
	MID               string `json:"mid"`
	APIMode           string `json:"api_mode"`
	PaymentType       string `json:"payment_type"`
	OrderID           string `json:"order_id"`
	Amount            string `json:"amount"`
	Ccy               string `json:"ccy"`
	CardNo            string `json:"card_no,omitempty"`
	ExpDate           string `json:"exp_date,omitempty"`
	CVV2              string `json:"cvv2,omitempty"`
	PayerID           string `json:"payer_id,omitempty"`
	TokenID           string `json:"token_id,omitempty"`
	PayerName         string `json:"payer_name,omitempty"`
	PayerEmail        string `json:"payer_email,omitempty"`
	MerchantReference string `json:"merchant_reference,omitempty"`
	RedirectURL       string `json:"redirect_url,omitempty"`
	BackURL           string `json:"back_url,omitempty"`
	NotifyURL         string `json:"notify_url,omitempty"`
	Signature         string `json:"signature"`
}

// queryRequest asks query_redirection or query_token_redirection for a
// transaction, signed with sign_generic.
type queryRequest struct {
	RequestMID    string `json:"request_mid"`
	TransactionID string `json:"transaction_id"`
	Signature     string `json:"signature"`
}

// merchantRequest is a Merchant API request, form-encoded and MD5-signed.
// Amount and Currency are left out of a void.
type merchantRequest struct {
	ActionType    string
	OrderNumber   string
	MID           string
	TransactionID string
	Amount        string
	Currency      string
}

// form is the request's fields without the signature.
func (r merchantRequest) form() url.Values {
	f := url.Values{
		"response_type":  {"json"},
		"action_type":    {r.ActionType},
		"order_number":   {r.OrderNumber},
		"mid":            {r.MID},
		"transaction_id": {r.TransactionID},
	}
	if r.Amount != "" {
		f.Set("amount", r.Amount)
		f.Set("currency", r.Currency)
	}
	return f
}

// text is a value in an RDP answer. RDP sends most values as JSON strings
// and some as numbers (response_code 0 of a first phase, epoch
// timestamps); text keeps a number's literal, so that "-01" (pending) and
// "-1" (declined) stay apart and amounts stay exact. true is "1"; false
// and null are empty, as in PHP.
type text string

// UnmarshalJSON reads a JSON string, number, boolean or null.
func (t *text) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case len(b) == 0:
		return fmt.Errorf("empty value")
	case b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*t = text(s)
	case string(b) == "true":
		*t = "1"
	case string(b) == "false", string(b) == "null":
		*t = ""
	case b[0] == '-' || (b[0] >= '0' && b[0] <= '9'):
		*t = text(b)
	default:
		return fmt.Errorf("want a string or a number, got %.20s", b)
	}
	return nil
}

// answerStatus is in every answer of the token, payment and query APIs;
// an error answer is exactly these fields, with response_status "error"
// and usually no signature.
type answerStatus struct {
	ResponseStatus text `json:"response_status"`
	ResponseCode   text `json:"response_code"`
	ResponseMsg    text `json:"response_msg"`
}

// paymentAnswer is what the payment API says of a payment: the first phase
// of a hosted page (payment_url), a direct payment's result, a
// query_redirection answer, or a payment notification. Only the fields
// payhost reads are listed; the signature covers them all.
type paymentAnswer struct {
	answerStatus
	TransactionID        text `json:"transaction_id"`
	OrderID              text `json:"order_id"`
	TransactionType      text `json:"transaction_type"`
	RequestAmount        text `json:"request_amount"`
	RequestCcy           text `json:"request_ccy"`
	AuthorizedAmount     text `json:"authorized_amount"`
	AuthorizedCcy        text `json:"authorized_ccy"`
	AcquirerResponseCode text `json:"acquirer_response_code"`
	AcquirerResponseMsg  text `json:"acquirer_response_msg"`
	CreatedTimestamp     text `json:"created_timestamp"`
	ExpiredTimestamp     text `json:"expired_timestamp"`
	PaymentURL           text `json:"payment_url"`
	First6               text `json:"first_6"`
	Last4                text `json:"last_4"`
	ExpDate              text `json:"exp_date"`
	MerchantReference    text `json:"merchant_reference"`
}

// tokenAnswer is what the token API says of a token transaction: the first
// phase of a hosted page (payment_url), a direct answer, a
// query_token_redirection answer, or a token notification (fields payhost
// reads only).
type tokenAnswer struct {
	answerStatus
	OrderID              text `json:"order_id"`
	TransactionID        text `json:"transaction_id"`
	TransactionType      text `json:"transaction_type"`
	TokenID              text `json:"token_id"`
	PayerID              text `json:"payer_id"`
	PayerEmail           text `json:"payer_email"`
	AcquirerResponseCode text `json:"acquirer_response_code"`
	AcquirerResponseMsg  text `json:"acquirer_response_msg"`
	CreatedTimestamp     text `json:"created_timestamp"`
	ExpiredTimestamp     text `json:"expired_timestamp"`
	PaymentURL           text `json:"payment_url"`
	First6               text `json:"first_6"`
	Last4                text `json:"last_4"`
	ExpDate              text `json:"exp_date"`
}

// merchantAnswer is the Merchant API's answer, MD5-signed; it also
// echoes order_number and carries a timestamp.
type merchantAnswer struct {
	ResultStatus text `json:"result_status"`
	ReasonCode   text `json:"reason_code"`
	ReasonMsg    text `json:"reason_msg"`
	Amount       text `json:"amount"`
	Currency     text `json:"currency"`
}
