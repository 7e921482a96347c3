package redotpay

import (
	"encoding/json"
	"regexp"
)

// seedResponse is the seed profile's envelope: code 0 and data, or a
// non-zero code and a message (error codes in doc.go).
type seedResponse struct {
	Code    int    `json:"code"`
	Message string `json:"message,omitempty"`
	Data    any    `json:"data,omitempty"`
}

// seedCreateRequest is the seed's create body (redotpay-connect.txt).
// redirect_url is an emulator extension: the seed names no return URL for
// the hosted page.
type seedCreateRequest struct {
	MerchantCode string          `json:"merchant_code"`
	Amount       json.RawMessage `json:"amount"`
	Currency     string          `json:"currency"`
	RefNo        string          `json:"ref_no"`
	CallbackURL  string          `json:"callback_url"`
	RedirectURL  string          `json:"redirect_url"`
	Manual       bool            `json:"manual"`
}

// seedCreateData is the data of a successful seed create; expire_time is
// in seconds.
type seedCreateData struct {
	OrderSn    string `json:"order_sn"`
	PaymentURL string `json:"payment_url"`
	Manual     bool   `json:"manual"`
	ExpireTime int64  `json:"expire_time"`
}

// seedPaymentData answers GET /openapi/v2/order/payment-method; expire_time
// is the seconds left.
type seedPaymentData struct {
	OrderSn    string `json:"order_sn"`
	PaymentURL string `json:"payment_url"`
	QRCode     string `json:"qr_code"`
	DeepLink   string `json:"deep_link"`
	ExpireTime int64  `json:"expire_time"`
}

// seedOrderData answers GET /openapi/v2/order/{sn}.
type seedOrderData struct {
	OrderSn         string      `json:"order_sn"`
	MerchantOrderSn string      `json:"merchant_order_sn"`
	Status          string      `json:"status"`
	Amount          json.Number `json:"amount"`
	Currency        string      `json:"currency"`
	ExpireTime      int64       `json:"expire_time"`
}

// seedCallbackBody is the seed's payment-result callback, with the S-1
// HMAC in signature.
type seedCallbackBody struct {
	OrderSn         string      `json:"order_sn"`
	MerchantOrderSn string      `json:"merchant_order_sn"`
	Status          string      `json:"status"`
	Amount          json.Number `json:"amount"`
	Currency        string      `json:"currency"`
	Signature       string      `json:"signature"`
}

var refNoPattern = regexp.MustCompile(`^[A-Za-z0-9_\-]{1,64}$`)

// maxSeedAmountDigits bounds the seed's whole-number amount.
const maxSeedAmountDigits = 15

// validate checks a seed create request for merchant m.
func (r *seedCreateRequest) validate(m SeedMerchant) (amount, error) {
	switch {
	case r.MerchantCode == "":
		return amount{}, fieldErrorf("merchant_code", "is required")
	case r.MerchantCode != m.Code:
		return amount{}, fieldErrorf("merchant_code", "does not belong to this merchant key")
	}
	units, err := positiveNumber("amount", r.Amount, maxSeedAmountDigits, 0)
	if err != nil {
		return amount{}, err
	}
	if err := checkCurrency("currency", r.Currency); err != nil {
		return amount{}, err
	}
	switch {
	case r.RefNo == "":
		return amount{}, fieldErrorf("ref_no", "is required")
	case !refNoPattern.MatchString(r.RefNo):
		return amount{}, fieldErrorf("ref_no", "must be 1 to 64 characters of A-Z a-z 0-9 _ -")
	}
	if err := checkURL("callback_url", r.CallbackURL); err != nil {
		return amount{}, err
	}
	return amount{units: units}, checkURL("redirect_url", r.RedirectURL)
}
