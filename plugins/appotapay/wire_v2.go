package appotapay

import "encoding/json"

// AppotaPay API v2 messages (GATEWAYS.md §2.1, §2.2): nested JSON, JWT
// only. API answers are not signed; notifications are, over their Base64
// data (vector AP-8).

// The v2 paths.
const (
	pathCreateV2       = "/api/v2/orders/payment"
	pathStatusV2       = "/api/v2/orders/transaction"
	pathRefundV2       = "/api/v2/transaction/refund"
	pathRefundLookupV2 = "/api/v2/transaction/refund/"
)

// referencePartnerOrderID makes a v2 lookup take the partner's id (order
// id, refund id) rather than AppotaPay's.
const referencePartnerOrderID = "PARTNER_ORDER_ID"

// createRequestV2 is the body of a v2 create-payment call.
type createRequestV2 struct {
	Transaction      transactionRequestV2 `json:"transaction"`
	PartnerReference partnerReferenceV2   `json:"partnerReference"`
}

// transactionRequestV2 is what is to be paid and how.
type transactionRequestV2 struct {
	Amount        json.Number `json:"amount"`
	Currency      string      `json:"currency"`
	BankCode      string      `json:"bankCode,omitempty"`
	PaymentMethod string      `json:"paymentMethod"`
	Action        string      `json:"action"`
}

// partnerReferenceV2 is the partner's order, sent and echoed.
type partnerReferenceV2 struct {
	Order              orderV2               `json:"order"`
	NotificationConfig *notificationConfigV2 `json:"notificationConfig,omitempty"`
}

type orderV2 struct {
	ID        string `json:"id"`
	Info      string `json:"info"`
	ExtraData string `json:"extraData"`
}

type notificationConfigV2 struct {
	NotifyURL   string `json:"notifyUrl"`
	RedirectURL string `json:"redirectUrl"`
}

// transactionV2 is a transaction as v2 answers and notifications report
// it. AppotaPay's older v2 examples name the ids orderId and
// appotapayTransId and the message message; both spellings are read.
type transactionV2 struct {
	TransactionID    string      `json:"transactionId"`
	AppotapayTransID string      `json:"appotapayTransId"`
	OrderID          string      `json:"orderId"`
	PartnerCode      string      `json:"partnerCode"`
	Status           string      `json:"status"`
	ErrorCode        json.Number `json:"errorCode"`
	ErrorMessage     string      `json:"errorMessage"`
	Message          string      `json:"message"`
	// OrderAmount is the merchant's order; Amount what was charged, which
	// discounts and fees may change. Payments reconcile on OrderAmount.
	OrderAmount json.Number `json:"orderAmount"`
	Amount      json.Number `json:"amount"`
	Currency    string      `json:"currency"`
	// UpdatedAt (RFC 3339), or TransactionTs (unix seconds) in the older
	// examples, is when the result was reached.
	UpdatedAt     string      `json:"updatedAt"`
	TransactionTs json.Number `json:"transactionTs"`
}

// resultV2 is a transaction with the partner's order: the status answer
// and a notification's decoded data.
type resultV2 struct {
	Transaction      transactionV2      `json:"transaction"`
	PartnerReference partnerReferenceV2 `json:"partnerReference"`
	CardInfo         *cardInfo          `json:"cardInfo"`
}

// createResponseV2 answers a v2 create-payment call.
type createResponseV2 struct {
	Transaction transactionV2 `json:"transaction"`
	Payment     struct {
		URL string `json:"url"`
	} `json:"payment"`
}

// refundRequestV2 is the body of a v2 refund call.
type refundRequestV2 struct {
	PartnerRefID  string      `json:"partnerRefId"`
	TransactionID string      `json:"transactionId"`
	Amount        json.Number `json:"amount"`
	Currency      string      `json:"currency"`
	Reason        string      `json:"reason"`
}

// refundV2 answers a v2 refund call and lookup.
type refundV2 struct {
	RefundID      string      `json:"refundId"`
	TransactionID string      `json:"transactionId"`
	PartnerRefID  string      `json:"partnerRefId"`
	Amount        json.Number `json:"amount"`
	Currency      string      `json:"currency"`
	Status        string      `json:"status"`
}

// notificationV2 is a v2 IPN body (and redirect query): data is the
// Base64 of a resultV2's JSON, signature its hex HMAC-SHA256.
type notificationV2 struct {
	Data      string `json:"data"`
	Signature string `json:"signature"`
}

// orderID is the partner's order id the result is about.
func (r *resultV2) orderID() string {
	return firstNonEmpty(r.PartnerReference.Order.ID, r.Transaction.OrderID)
}

// transID is AppotaPay's transaction id.
func (t *transactionV2) transID() string {
	return firstNonEmpty(t.TransactionID, t.AppotapayTransID)
}
