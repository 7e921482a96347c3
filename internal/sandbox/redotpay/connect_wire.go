package redotpay

import "encoding/json"

// connectResponse is the Connect envelope: code "SUCCESS" and data, or
// another code and a message.
type connectResponse struct {
	Code string `json:"code"`
	Msg  string `json:"msg"`
	Data any    `json:"data,omitempty"`
}

// createRequest is the body of POST /openapi/v2/order/create (GATEWAYS.md
// §1.2). Amounts stay raw JSON so that they are read exactly.
type createRequest struct {
	OuterOrderSn  string          `json:"outerOrderSn"`
	OuterOrder    string          `json:"outerOrder"` // deprecated name of outerOrderSn
	OuterUID      string          `json:"outerUid"`
	OrderAmount   json.RawMessage `json:"orderAmount"`
	OrderCurrency string          `json:"orderCurrency"`
	TimeExpire    *int64          `json:"timeExpire"`
	Env           string          `json:"env"`
	RateExtra     json.RawMessage `json:"rateExtra"`
	OrderDesc     string          `json:"orderDesc"`
	Goods         []goodsItem     `json:"goods"`
	Buyer         *buyerInfo      `json:"buyer"`
	RedirectURL   string          `json:"redirectUrl"`
	NotifyURL     string          `json:"notifyUrl"`
	Manual        bool            `json:"manual"`
}

// goodsItem is one entry of createRequest.Goods.
type goodsItem struct {
	GoodsType     string          `json:"goodsType"`
	GoodsCategory string          `json:"goodsCategory"`
	GoodsCode     string          `json:"goodsCode"`
	GoodsName     string          `json:"goodsName"`
	GoodsCount    *int64          `json:"goodsCount"`
	GoodsAmount   json.RawMessage `json:"goodsAmount"`
	GoodsCoin     string          `json:"goodsCoin"`
}

// buyerInfo is the optional buyer object; one client nests redirectUrl in
// it, another sends it at the top level. Both are accepted.
type buyerInfo struct {
	RedirectURL string `json:"redirectUrl"`
}

// orderQuery names an order for detail, close and payment-method: by
// orderSn or by the merchant's outerOrderSn.
type orderQuery struct {
	OrderSn       string `json:"orderSn"`
	OuterOrderSn  string `json:"outerOrderSn"`
	PaymentMethod string `json:"paymentMethod"`
}

// paymentMethodInfo is one entry of the create answer's paymentMethods.
type paymentMethodInfo struct {
	PaymentMethod string `json:"paymentMethod"`
	Name          string `json:"name"`
}

// createData is the data of a successful create. The checkout URLs are
// left out for manual orders, whose payment info comes from
// /payment-method.
type createData struct {
	OrderSn        string              `json:"orderSn"`
	OuterOrderSn   string              `json:"outerOrderSn"`
	OrderAmount    json.Number         `json:"orderAmount"`
	OrderCurrency  string              `json:"orderCurrency"`
	OrderStatus    orderStatus         `json:"orderStatus"`
	TimeExpire     int64               `json:"timeExpire"`
	Manual         bool                `json:"manual"`
	WebURL         string              `json:"webUrl,omitempty"`
	H5URL          string              `json:"h5Url,omitempty"`
	AppURL         string              `json:"appUrl,omitempty"`
	PaymentMethods []paymentMethodInfo `json:"paymentMethods"`
}

// detailData is the order snapshot that detail and close answer with.
type detailData struct {
	OrderSn        string      `json:"orderSn"`
	OuterOrderSn   string      `json:"outerOrderSn"`
	OuterUID       string      `json:"outerUid"`
	OrderAmount    json.Number `json:"orderAmount"`
	OrderCurrency  string      `json:"orderCurrency"`
	OrderStatus    orderStatus `json:"orderStatus"`
	Env            string      `json:"env"`
	CreateTime     int64       `json:"createTime"`
	TimeExpire     int64       `json:"timeExpire"`
	PayTime        int64       `json:"payTime,omitempty"`
	TxID           string      `json:"txId,omitempty"`
	RefundedAmount json.Number `json:"refundedAmount,omitempty"`
}

// paymentMethodData is the manual-flow answer for one payment method.
type paymentMethodData struct {
	OrderSn       string `json:"orderSn"`
	OuterOrderSn  string `json:"outerOrderSn"`
	PaymentMethod string `json:"paymentMethod"`
	PayURL        string `json:"payUrl,omitempty"`
	QRCode        string `json:"qrCode,omitempty"`
	DeepLink      string `json:"deepLink,omitempty"`
	TimeExpire    int64  `json:"timeExpire"`
}

// paymentWebhook is the PAYMENT webhook body (GATEWAYS.md §1.2), sent
// only when an order is paid.
type paymentWebhook struct {
	OuterOrder    string      `json:"outerOrder"`
	OuterOrderSn  string      `json:"outerOrderSn"`
	OrderSn       string      `json:"orderSn"`
	PreSn         string      `json:"preSn"`
	TxID          string      `json:"txId"`
	ActionType    string      `json:"actionType"`
	OrderStatus   orderStatus `json:"orderStatus"`
	OrderAmount   json.Number `json:"orderAmount"`
	OrderCurrency string      `json:"orderCurrency"`
	BillAmount    json.Number `json:"billAmount"`
	BillCoin      string      `json:"billCoin"`
	CryptoAmount  json.Number `json:"cryptoAmount"`
	Rate          json.Number `json:"rate"`
	RateExtra     json.Number `json:"rateExtra"`
	OuterUID      string      `json:"outerUid"`
	MerchantID    int64       `json:"merchantId"`
	OrderTime     int64       `json:"orderTime"`
}

// refundWebhook is the REFUND webhook body. The official field list was
// not found; these names follow the PAYMENT webhook's style (doc.go).
type refundWebhook struct {
	OuterOrder    string      `json:"outerOrder"`
	OuterOrderSn  string      `json:"outerOrderSn"`
	OrderSn       string      `json:"orderSn"`
	RefundSn      string      `json:"refundSn"`
	ActionType    string      `json:"actionType"`
	RefundStatus  string      `json:"refundStatus"`
	RefundAmount  json.Number `json:"refundAmount"`
	OrderAmount   json.Number `json:"orderAmount"`
	OrderCurrency string      `json:"orderCurrency"`
	OrderStatus   orderStatus `json:"orderStatus"`
	MerchantID    int64       `json:"merchantId"`
	RefundTime    int64       `json:"refundTime"`
	FailReason    string      `json:"failReason,omitempty"`
}
