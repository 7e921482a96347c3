package reddot

import "time"

// Token transaction types (transaction_type, or its deprecated alias type).
const (
	tokenCreate = "C"
	tokenModify = "M"
	tokenRemove = "R"
)

// opStatus is where a token transaction stands.
type opStatus string

// The token transaction statuses.
const (
	opAwaitingCard opStatus = "awaiting_card" // hosted page not completed yet
	opSucceeded    opStatus = "succeeded"
	opFailed       opStatus = "failed" // declined (-1) or refused (-3001, -2016, -2015)
	opCancelled    opStatus = "cancelled"
	opExpired      opStatus = "expired"
)

// token is one stored card token. It keeps no full card number.
type token struct {
	ID         string // 30 digits
	MID        string
	PayerID    string
	PayerName  string
	PayerEmail string
	Card       card
	Removed    bool
}

// tokenRequest is what a token-api call asked for.
type tokenRequest struct {
	MID         string
	OrderID     string
	Type        string
	Hosted      bool
	PayerID     string
	PayerName   string
	PayerEmail  string
	Ccy         string
	TokenID     string
	MerchantRef string
	NotifyURL   string
	RedirectURL string
	BackURL     string
}

// tokenOp is one token transaction (create, modify or remove), direct or
// hosted, kept for queries and notifications.
type tokenOp struct {
	TxnID   string
	Req     tokenRequest
	Created time.Time
	Expires time.Time // hosted sessions only

	Status opStatus
	Code   string
	Msg    string
	// What the result reports, copied when the operation completes.
	TokenID    string
	PayerID    string
	PayerName  string
	PayerEmail string
	Card       card
}

// tokenResult is RDP's token query answer and push notification (SEED-RDP,
// RDP-613), signed with sign_generic.
type tokenResult struct {
	ResponseCode         string `json:"response_code"`
	ResponseMsg          string `json:"response_msg"`
	MID                  string `json:"mid"`
	OrderID              string `json:"order_id"`
	TransactionID        string `json:"transaction_id"`
	CreatedTimestamp     string `json:"created_timestamp"`
	AcquirerResponseCode string `json:"acquirer_response_code"`
	AcquirerResponseMsg  string `json:"acquirer_response_msg"`
	MerchantReference    string `json:"merchant_reference"`
	First6               string `json:"first_6"`
	Last4                string `json:"last_4"`
	ExpDate              string `json:"exp_date"`
	PayerID              string `json:"payer_id"`
	PayerName            string `json:"payer_name"`
	PayerEmail           string `json:"payer_email"`
	Ccy                  string `json:"ccy"`
	TransactionType      string `json:"transaction_type"`
	TokenID              string `json:"token_id"`
}

// result is the query/notification view of op.
func (op *tokenOp) result() tokenResult {
	acqCode, acqMsg := acquirerResult(op.Code)
	return tokenResult{
		ResponseCode:         op.Code,
		ResponseMsg:          op.Msg,
		MID:                  op.Req.MID,
		OrderID:              op.Req.OrderID,
		TransactionID:        op.TxnID,
		CreatedTimestamp:     rdpTimestamp(op.Created),
		AcquirerResponseCode: acqCode,
		AcquirerResponseMsg:  acqMsg,
		MerchantReference:    op.Req.MerchantRef,
		First6:               op.Card.First6,
		Last4:                op.Card.Last4,
		ExpDate:              op.Card.ExpDate,
		PayerID:              op.PayerID,
		PayerName:            op.PayerName,
		PayerEmail:           op.PayerEmail,
		Ccy:                  op.Req.Ccy,
		TransactionType:      op.Req.Type,
		TokenID:              op.TokenID,
	}
}

// finish records the outcome of op and copies what its result reports:
// the token's data, or without a token what the request sent.
func (op *tokenOp) finish(status opStatus, code, msg string, t *token) {
	op.Status, op.Code, op.Msg = status, code, msg
	if t == nil {
		op.PayerID, op.PayerName, op.PayerEmail = op.Req.PayerID, op.Req.PayerName, op.Req.PayerEmail
		return
	}
	op.TokenID, op.PayerID, op.PayerName, op.PayerEmail, op.Card = t.ID, t.PayerID, t.PayerName, t.PayerEmail, t.Card
}

// acquirerResult is the acquirer code and message the emulator reports
// with an RDP response code.
func acquirerResult(code string) (string, string) {
	switch code {
	case codeOK:
		return "00", "Approved"
	case codeRejected:
		return "05", "Do not honour"
	case codePending:
		return "", "Pending"
	}
	return "", ""
}
