package tinypay

// tinypay's wire format: JSON with snake_case names. Amounts are decimal
// strings in major units with exactly the currency's ISO 4217 decimals
// ("10.50" USD, "500" JPY); transform.go converts them.

// createPaymentRequest is the body of POST /v1/payments. tinypay creates
// one payment per order_id: the same order id again answers the payment
// already created.
type createPaymentRequest struct {
	OrderID     string `json:"order_id"`
	Amount      string `json:"amount"`
	Currency    string `json:"currency"`
	Method      string `json:"method"`
	Description string `json:"description,omitempty"`
	ReturnURL   string `json:"return_url"`
	NotifyURL   string `json:"notify_url"`
}

// payment is tinypay's payment, as the create and status calls answer it
// and callbacks carry it.
type payment struct {
	ID       string `json:"id"`
	OrderID  string `json:"order_id"`
	Status   string `json:"status"`
	Amount   string `json:"amount"`
	Refunded string `json:"refunded"`
	Currency string `json:"currency"`
	// PayURL is the hosted page, while the payment is pending.
	PayURL string `json:"pay_url,omitempty"`
}

// refundRequest is the body of POST /v1/payments/{id}/refunds. tinypay
// makes one refund per refund_id: the same id again answers the refund
// already made.
type refundRequest struct {
	RefundID string `json:"refund_id"`
	Amount   string `json:"amount"`
	Reason   string `json:"reason,omitempty"`
}

// refund is tinypay's answer to a refund.
type refund struct {
	ID       string `json:"id"`
	RefundID string `json:"refund_id"`
	Status   string `json:"status"`
	Amount   string `json:"amount"`
	Currency string `json:"currency"`
}

// errorAnswer is tinypay's answer to a refused request (HTTP 4xx).
type errorAnswer struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

// notification is the body of a callback tinypay posts to notify_url.
// The same notification delivered again has the same event_id.
type notification struct {
	EventID   string  `json:"event_id"`
	Type      string  `json:"type"`
	CreatedAt int64   `json:"created_at"`
	Payment   payment `json:"payment"`
}
