package redotpay

import "encoding/json"

// The wire structs of the seed protocol: the order API exactly as
// redotpay-connect.txt shows it (snake_case, code 0 for success), and the
// /v1 card endpoints, whose request bodies the seed names and whose
// answers are the emulator's design (GATEWAYS.md §1.2, "S: seed fields").

// The seed paths. An order's status is read at pathSeedOrder + order_sn.
const (
	pathSeedCreate        = "/openapi/v2/order/create"
	pathSeedPaymentMethod = "/openapi/v2/order/payment-method"
	pathSeedOrder         = "/openapi/v2/order/"
	pathCardAuthorize     = "/v1/authorize"
	pathCardCapture       = "/v1/capture"
	pathCardRefund        = "/v1/refund"
	pathCardVoid          = "/v1/void"
	pathCardReversal      = "/v1/reversal"
)

// seedAck is the answer the seed requires to a callback, with HTTP 200.
var seedAck = []byte("SUCCESS")

// seedEnvelope is every seed order answer: code 0 and data, or a non-zero
// code and a message.
type seedEnvelope struct {
	Code    json.Number     `json:"code"`
	Message string          `json:"message"`
	Data    json.RawMessage `json:"data"`
}

// seedCreateRequest is the seed's create body. redirect_url is not in the
// seed (the emulator takes it as the hosted page's return URL); a server
// that does not know it ignores it.
type seedCreateRequest struct {
	MerchantCode string      `json:"merchant_code"`
	Amount       json.Number `json:"amount"`
	Currency     string      `json:"currency"`
	RefNo        string      `json:"ref_no"`
	CallbackURL  string      `json:"callback_url,omitempty"`
	RedirectURL  string      `json:"redirect_url,omitempty"`
	Manual       bool        `json:"manual"`
}

// seedCreateData is the data of a successful create (which also echoes
// manual); expire_time is in seconds.
type seedCreateData struct {
	OrderSn    string `json:"order_sn"`
	PaymentURL string `json:"payment_url"`
	ExpireTime int64  `json:"expire_time"`
}

// seedPaymentData answers GET /openapi/v2/order/payment-method.
type seedPaymentData struct {
	PaymentURL string `json:"payment_url"`
	QRCode     string `json:"qr_code"`
	DeepLink   string `json:"deep_link"`
	ExpireTime int64  `json:"expire_time"`
}

// seedOrder answers GET /openapi/v2/order/{order_sn} (which also echoes
// merchant_order_sn and expire_time).
type seedOrder struct {
	OrderSn  string     `json:"order_sn"`
	Status   string     `json:"status"`
	Amount   flexNumber `json:"amount"`
	Currency string     `json:"currency"`
}

// seedCallback is the seed's payment-result callback.
type seedCallback struct {
	OrderSn         string     `json:"order_sn"`
	MerchantOrderSn string     `json:"merchant_order_sn"`
	Status          string     `json:"status"`
	Amount          flexNumber `json:"amount"`
	Currency        string     `json:"currency"`
	Signature       string     `json:"signature"`
}

// cardAuthorizeRequest is the body of POST /v1/authorize. currency is
// not in the seed (the emulator takes it, USD when absent).
type cardAuthorizeRequest struct {
	Amount     string `json:"amount"`
	CardNumber string `json:"card_number"`
	Currency   string `json:"currency"`
}

// cardTxnRequest is the body of /v1/capture ({transaction_id, amount,
// currency}), /v1/refund ({transaction_id, amount}), /v1/void and
// /v1/reversal ({transaction_id}).
type cardTxnRequest struct {
	TransactionID string `json:"transaction_id"`
	Amount        string `json:"amount,omitempty"`
	Currency      string `json:"currency,omitempty"`
}

// cardTxn is what the provider reads of a card transaction, as every /v1
// success answers it (with authorized_amount, refunded_amount and
// timestamps besides).
type cardTxn struct {
	TransactionID  string `json:"transaction_id"`
	Status         string `json:"status"`
	Currency       string `json:"currency"`
	Card           string `json:"card"`
	Amount         string `json:"amount"`
	CapturedAmount string `json:"captured_amount"`
	DeclineCode    string `json:"decline_code"`
}

// cardError is what the provider reads of a /v1 error answer (a decline
// also names the declined transaction and its status).
type cardError struct {
	Code        string `json:"code"`
	Message     string `json:"message"`
	Param       string `json:"param"`
	DeclineCode string `json:"decline_code"`
}
