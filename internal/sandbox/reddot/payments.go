package reddot

import "time"

// The payment API's payment_type values.
const (
	paymentSale = "S"
	paymentAuth = "A"
)

// The payment API's api_mode values the emulator serves.
const (
	modeHosted = "redirection_hosted"
	modeDirect = "direct_n3d"
)

// payStatus is where a payment stands.
type payStatus string

// The payment statuses. Authorized and captured are the two successes of
// the first phase (payment_type A and S); the Merchant API moves them on.
const (
	payAwaitingCard payStatus = "awaiting_card" // hosted page not completed yet
	payPending      payStatus = "pending"       // -01, resolves later
	payAuthorized   payStatus = "authorized"
	payCaptured     payStatus = "captured"
	payRefunded     payStatus = "refunded" // fully refunded
	payVoided       payStatus = "voided"
	payDeclined     payStatus = "declined"
	payCancelled    payStatus = "cancelled"
	payExpired      payStatus = "expired"
)

// payment is one payment-api transaction and what the Merchant API did to
// it since. Amounts are minor units of Ccy.
type payment struct {
	TxnID       string
	OrderID     string
	MID         string
	Mode        string
	Type        string // S or A
	Ccy         string
	Amount      int64
	PayerID     string
	PayerName   string
	PayerEmail  string
	TokenID     string
	MerchantRef string
	NotifyURL   string
	RedirectURL string
	BackURL     string
	Created     time.Time
	Expires     time.Time // hosted page sessions only

	Status      payStatus
	Code        string
	Msg         string
	Card        card
	Outcome     outcome   // what a pending payment resolves to
	ResolveAt   time.Time // when a pending payment resolves by itself
	AcquirerTxn string
	AuthCode    string
	Captured    int64
	Refunded    int64
}

// paymentResult is RDP's payment query answer and push notification
// (RDP-514, RDP-PHP, the omnipay-rdp mock), signed with sign_generic.
type paymentResult struct {
	MID                       string `json:"mid"`
	RequestMID                string `json:"request_mid"`
	TransactionID             string `json:"transaction_id"`
	OrderID                   string `json:"order_id"`
	AcquirerTransactionID     string `json:"acquirer_transaction_id"`
	RequestAmount             string `json:"request_amount"`
	RequestCcy                string `json:"request_ccy"`
	AuthorizedAmount          string `json:"authorized_amount"`
	AuthorizedCcy             string `json:"authorized_ccy"`
	ResponseCode              string `json:"response_code"`
	ResponseMsg               string `json:"response_msg"`
	AcquirerResponseCode      string `json:"acquirer_response_code"`
	AcquirerResponseMsg       string `json:"acquirer_response_msg"`
	AcquirerAuthorizationCode string `json:"acquirer_authorization_code"`
	CreatedTimestamp          string `json:"created_timestamp"`
	AcquirerCreatedTimestamp  string `json:"acquirer_created_timestamp"`
	RequestTimestamp          string `json:"request_timestamp"`
	First6                    string `json:"first_6"`
	Last4                     string `json:"last_4"`
	PayerName                 string `json:"payer_name"`
	ExpDate                   string `json:"exp_date"`
	PayerID                   string `json:"payer_id"`
	PayerEmail                string `json:"payer_email"`
	TokenID                   string `json:"token_id"`
	MerchantReference         string `json:"merchant_reference"`
	TransactionType           string `json:"transaction_type"`
	PaymentMode               string `json:"payment_mode"`
}

// paymentModeCard is payment_mode for card payments, as in RDP's answers.
const paymentModeCard = "1"

// result is the query/notification view of p.
func (p *payment) result() paymentResult {
	acqCode, acqMsg := acquirerResult(p.Code)
	authorized := ""
	if p.Code == codeOK {
		authorized = formatAmount(p.Amount, p.Ccy)
	}
	ts := rdpTimestamp(p.Created)
	return paymentResult{
		MID: p.MID, RequestMID: p.MID, TransactionID: p.TxnID, OrderID: p.OrderID,
		AcquirerTransactionID: p.AcquirerTxn,
		RequestAmount:         formatAmount(p.Amount, p.Ccy), RequestCcy: p.Ccy,
		AuthorizedAmount: authorized, AuthorizedCcy: p.Ccy,
		ResponseCode: p.Code, ResponseMsg: p.Msg,
		AcquirerResponseCode: acqCode, AcquirerResponseMsg: acqMsg, AcquirerAuthorizationCode: p.AuthCode,
		CreatedTimestamp: ts, AcquirerCreatedTimestamp: ts, RequestTimestamp: ts,
		First6: p.Card.First6, Last4: p.Card.Last4, ExpDate: p.Card.ExpDate,
		PayerName: p.PayerName, PayerID: p.PayerID, PayerEmail: p.PayerEmail, TokenID: p.TokenID,
		MerchantReference: p.MerchantRef, TransactionType: p.Type, PaymentMode: paymentModeCard,
	}
}

// firstPhase is the answer that sends the customer to p's hosted page.
func (p *payment) firstPhase(pageURL string) firstPhase {
	return firstPhase{
		CreatedTimestamp: p.Created.Unix(), ExpiredTimestamp: p.Expires.Unix(),
		MID: p.MID, OrderID: p.OrderID, TransactionID: p.TxnID, PaymentURL: pageURL,
	}
}

// Messages of payment results.
const (
	msgPending          = "pending"
	msgAwaitingCard     = "pending: waiting for the cardholder"
	msgCancelled        = "cancelled by the cardholder"
	msgExpired          = "the payment page session has expired"
	msgPaymentSucceeded = "successful"
)

// settle applies the acquirer's outcome o to a payment holding card c,
// at time now: approved (captured for a sale, authorized for a pre-auth),
// declined, or pending until pendingDelay has passed (never when it is
// negative).
func (p *payment) settle(o outcome, now time.Time, pendingDelay time.Duration, acquirerTxn, authCode string) {
	switch o {
	case approve:
		p.Code, p.Msg, p.AcquirerTxn, p.AuthCode = codeOK, msgPaymentSucceeded, acquirerTxn, authCode
		p.Status = payAuthorized
		if p.Type == paymentSale {
			p.Status, p.Captured = payCaptured, p.Amount
		}
	case decline:
		p.Status, p.Code, p.Msg, p.AcquirerTxn = payDeclined, codeRejected, msgBankRejected, acquirerTxn
	case pendingApprove, pendingDecline:
		p.Status, p.Code, p.Msg, p.Outcome = payPending, codePending, msgPending, o
		p.ResolveAt = time.Time{}
		if pendingDelay >= 0 {
			p.ResolveAt = now.Add(pendingDelay)
		}
	}
}

// resolve ends a pending payment with its final outcome; it reports false
// when p is not pending.
func (p *payment) resolve(approved bool, acquirerTxn, authCode string) bool {
	if p.Status != payPending {
		return false
	}
	o := decline
	if approved {
		o = approve
	}
	p.settle(o, time.Time{}, 0, acquirerTxn, authCode)
	return true
}

// due reports whether a pending p resolves by itself at now.
func (p *payment) due(now time.Time) bool {
	return p.Status == payPending && !p.ResolveAt.IsZero() && !now.Before(p.ResolveAt)
}

// end closes a hosted page session without payment (cancel or expiry).
func (p *payment) end(status payStatus, msg string) {
	p.Status, p.Code, p.Msg = status, codeRejected, msg
}
