package redotpay

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// The wire structs of the Connect protocol (GATEWAYS.md §1.2), camelCase
// as RedotPay writes them. Field order is the order on the wire, which
// matters: the body's exact bytes are signed.

// The Connect paths.
const (
	pathCreate        = "/openapi/v2/order/create"
	pathPaymentMethod = "/openapi/v2/order/payment-method"
	pathDetail        = "/openapi/v2/order/detail"
	pathClose         = "/openapi/v2/order/close"
)

// connectSuccess is the code of every successful Connect answer.
const connectSuccess = "SUCCESS"

// Webhook action types: ACQUIRER_PAY is documented; ACQUIRER_REFUND is
// the emulator's name for the REFUND webhook, whose real name was not
// found.
const (
	actionPay    = "ACQUIRER_PAY"
	actionRefund = "ACQUIRER_REFUND"
)

// connectEnvelope is every Connect answer: code SUCCESS and data, or
// another code and a message.
type connectEnvelope struct {
	Code string          `json:"code"`
	Msg  string          `json:"msg"`
	Data json.RawMessage `json:"data"`
}

// connectCreateRequest is the body of POST /openapi/v2/order/create.
type connectCreateRequest struct {
	OuterOrderSn  string         `json:"outerOrderSn"`
	OuterUID      string         `json:"outerUid"`
	OrderAmount   json.Number    `json:"orderAmount"`
	OrderCurrency string         `json:"orderCurrency"`
	Env           string         `json:"env"`
	OrderDesc     string         `json:"orderDesc"`
	Goods         []connectGoods `json:"goods"`
	RedirectURL   string         `json:"redirectUrl,omitempty"`
	NotifyURL     string         `json:"notifyUrl,omitempty"`
	Manual        bool           `json:"manual,omitempty"`
}

// connectGoods is one item of connectCreateRequest.Goods.
type connectGoods struct {
	GoodsType     string      `json:"goodsType"`
	GoodsCategory string      `json:"goodsCategory"`
	GoodsCode     string      `json:"goodsCode"`
	GoodsName     string      `json:"goodsName"`
	GoodsCount    int64       `json:"goodsCount"`
	GoodsAmount   json.Number `json:"goodsAmount"`
	GoodsCoin     string      `json:"goodsCoin"`
}

// connectCreateData is what the provider reads of a successful create
// (which also carries outerOrderSn, orderStatus and the payment-method
// list). A manual order has no checkout URLs: its payment info comes from
// /payment-method.
type connectCreateData struct {
	OrderSn       string     `json:"orderSn"`
	OrderAmount   flexNumber `json:"orderAmount"`
	OrderCurrency string     `json:"orderCurrency"`
	TimeExpire    int64      `json:"timeExpire"`
	WebURL        string     `json:"webUrl"`
	H5URL         string     `json:"h5Url"`
	AppURL        string     `json:"appUrl"`
}

// connectOrderRef names an order for detail and close: by orderSn, or by
// the merchant's outerOrderSn when the orderSn is not known.
type connectOrderRef struct {
	OrderSn      string `json:"orderSn,omitempty"`
	OuterOrderSn string `json:"outerOrderSn,omitempty"`
}

// connectPaymentMethodRequest is the body of POST
// /openapi/v2/order/payment-method (the manual flow).
type connectPaymentMethodRequest struct {
	OrderSn       string `json:"orderSn"`
	PaymentMethod string `json:"paymentMethod"`
}

// connectPaymentMethodData is the payment info of a manual order.
type connectPaymentMethodData struct {
	PayURL     string `json:"payUrl"`
	QRCode     string `json:"qrCode"`
	DeepLink   string `json:"deepLink"`
	TimeExpire int64  `json:"timeExpire"`
}

// connectDetail is what the provider reads of an order snapshot, as
// detail and close answer it.
type connectDetail struct {
	OrderSn       string     `json:"orderSn"`
	OrderAmount   flexNumber `json:"orderAmount"`
	OrderCurrency string     `json:"orderCurrency"`
	OrderStatus   flexNumber `json:"orderStatus"`
	TimeExpire    int64      `json:"timeExpire"`
}

// connectWebhook is what the provider reads of both webhooks: PAYMENT
// (actionType ACQUIRER_PAY; it also carries preSn, billAmount, billCoin,
// cryptoAmount, rate, rateExtra, outerUid, merchantId) and REFUND (the
// refund fields).
type connectWebhook struct {
	OuterOrder    string     `json:"outerOrder"`
	OuterOrderSn  string     `json:"outerOrderSn"`
	OrderSn       string     `json:"orderSn"`
	TxID          string     `json:"txId"`
	ActionType    string     `json:"actionType"`
	OrderStatus   flexNumber `json:"orderStatus"`
	OrderAmount   flexNumber `json:"orderAmount"`
	OrderCurrency string     `json:"orderCurrency"`
	OrderTime     int64      `json:"orderTime"`
	RefundSn      string     `json:"refundSn"`
	RefundStatus  string     `json:"refundStatus"`
	RefundAmount  flexNumber `json:"refundAmount"`
	RefundTime    int64      `json:"refundTime"`
	FailReason    string     `json:"failReason"`
}

// connectAck is the answer RedotPay expects to a webhook, with HTTP 200.
var connectAck = []byte(`{"code":"SUCCESS"}`)

// flexNumber is a number's exact text, read from a JSON number or a JSON
// string (RedotPay sends amounts both ways: 10.5 and "10.00"). It is never
// turned into a float.
type flexNumber string

// UnmarshalJSON keeps the text of a number or string; null leaves it
// empty.
func (n *flexNumber) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case string(b) == "null":
		*n = ""
	case len(b) > 0 && b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*n = flexNumber(s)
	default:
		var num json.Number
		dec := json.NewDecoder(bytes.NewReader(b))
		dec.UseNumber()
		if err := dec.Decode(&num); err != nil {
			return fmt.Errorf("not a number: %w", err)
		}
		*n = flexNumber(num)
	}
	return nil
}
