package plugin

import "time"

// The request and response of every Provider method. Each method has its
// own pair so that fields can be added without breaking providers. Ids
// named ...ID are the host's; ids named Provider... are the gateway's.

// GetInfoRequest asks a provider to describe itself.
type GetInfoRequest struct{}

// GetInfoResponse describes a provider.
type GetInfoResponse struct {
	// Type is the provider type used in HCL: provider "<type>" "<name>".
	Type string
	// Version is the provider's semantic version.
	Version      string
	Description  string
	Capabilities Capabilities
	Schema       Schema
}

// ConfigureRequest configures one provider instance. It is sent once after
// launch, and again after a restart, before any other call.
type ConfigureRequest struct {
	// Instance is the instance's address, "type.name".
	Instance string
	Config   Config
	// CallbackURL is where this instance's gateway callbacks reach the host
	// (public_url + /v1/callbacks/<type>/<name>).
	CallbackURL string
}

// ConfigureResponse answers Configure.
type ConfigureResponse struct {
	// Warnings are shown to the operator; an error fails the instance.
	Warnings []string
	// Capabilities, when set, narrows what this configured instance can do
	// below what GetInfo declared (a provider whose configuration selects
	// a protocol with fewer operations, say). It must be a subset of the
	// declared capabilities; the host routes, and the SDK answers
	// unsupported, by it. Nil keeps GetInfo's.
	Capabilities *Capabilities
}

// Customer is who pays.
type Customer struct {
	ID    string
	Email string
	Name  string
	IP    string
	Phone string
}

// StoredToken is a card stored at the gateway by Tokenize, as
// TokenizeResponse returned it.
type StoredToken struct {
	// Token is the gateway's token.
	Token string
	// CustomerRef is the gateway's customer or payer id, when the gateway
	// has one.
	CustomerRef string
}

// NextAction is what the customer must do for a payment or token to go on.
type NextAction struct {
	Type NextActionType
	// URL to send the customer's browser to (ActionRedirect).
	URL string
	// QRCode is the content to render as a QR code (ActionQRCode).
	QRCode string
	// DeepLink opens the customer's app (ActionDeepLink).
	DeepLink string
	// ExpiresAt is when the action stops working; zero when not known.
	ExpiresAt time.Time
}

// PaymentResult is where a payment stands at the gateway, as every payment
// operation and payment callback reports it.
type PaymentResult struct {
	Status PaymentStatus
	// ProviderReference is the gateway's id for the payment.
	ProviderReference string
	NextAction        *NextAction
	// Amount is the amount the gateway reports for the payment (the host
	// checks it against its own); zero when the gateway did not say.
	Amount Money
	// CapturedAmount is the amount captured so far, when known.
	CapturedAmount Money
	Card           *CardInfo
	// ProviderStatus is the gateway's raw status, for logs and support.
	ProviderStatus string
	// FailureCode and FailureMessage are the gateway's, for failed payments.
	FailureCode    string
	FailureMessage string
}

// RefundResult is where a refund stands at the gateway.
type RefundResult struct {
	Status RefundStatus
	// ProviderRefundReference is the gateway's id for the refund.
	ProviderRefundReference string
	Amount                  Money
	ProviderStatus          string
	FailureCode             string
	FailureMessage          string
}

// TokenResult is where a stored card stands at the gateway.
type TokenResult struct {
	Status TokenStatus
	// Token and CustomerRef identify the stored card for later payments.
	Token       string
	CustomerRef string
	// ProviderReference is the gateway's id of the tokenization request
	// (used to query a hosted tokenization's result).
	ProviderReference string
	NextAction        *NextAction
	Card              *CardInfo
	ProviderStatus    string
	FailureCode       string
	FailureMessage    string
}

// CreatePaymentRequest starts a payment: a sale (CaptureAutomatic) or an
// authorization (CaptureManual).
type CreatePaymentRequest struct {
	PaymentID string
	// AttemptID is unique per attempt of a payment at a provider; providers
	// use it as the gateway's order id, so that GetPayment can find the
	// payment even when this call's answer was lost.
	AttemptID string
	// IdempotencyKey is stable across retries of this same call; send it to
	// gateways that take one.
	IdempotencyKey string
	Amount         Money
	Method         PaymentMethod
	Capture        CaptureMode
	Reference      string
	Description    string
	// ReturnURL is where the customer's browser goes after a hosted page.
	ReturnURL string
	Customer  Customer
	// Card is set for MethodCard payments with card data.
	Card *Card
	// Token is set for MethodToken payments.
	Token    *StoredToken
	Country  string
	Metadata map[string]string
	// Options are the merchant's provider_options, passed through.
	Options map[string]string
}

// CreatePaymentResponse answers CreatePayment.
type CreatePaymentResponse struct{ PaymentResult }

// PaymentRef identifies a payment at a provider in follow-up calls.
type PaymentRef struct {
	PaymentID         string
	AttemptID         string
	ProviderReference string
}

// CaptureRequest captures an authorized payment.
type CaptureRequest struct {
	PaymentRef
	IdempotencyKey string
	// Amount to capture; less than authorized for a partial capture.
	Amount Money
	// AuthorizedAmount is what was authorized.
	AuthorizedAmount Money
}

// CaptureResponse answers Capture.
type CaptureResponse struct{ PaymentResult }

// RefundRequest refunds part or all of a captured payment.
type RefundRequest struct {
	PaymentRef
	// RefundID is the host's id of this refund; providers send it as the
	// gateway's refund id where there is one.
	RefundID       string
	IdempotencyKey string
	Amount         Money
	// CapturedAmount is the payment's captured amount.
	CapturedAmount Money
	Reason         string
}

// RefundResponse answers Refund.
type RefundResponse struct{ RefundResult }

// VoidRequest cancels an authorization before capture, or an unpaid order.
type VoidRequest struct {
	PaymentRef
	IdempotencyKey string
	Amount         Money
}

// VoidResponse answers Void.
type VoidResponse struct{ PaymentResult }

// ReverseRequest undoes a processed payment where the gateway can.
type ReverseRequest struct {
	PaymentRef
	IdempotencyKey string
	Amount         Money
}

// ReverseResponse answers Reverse.
type ReverseResponse struct{ PaymentResult }

// GetPaymentRequest asks the gateway where a payment stands.
type GetPaymentRequest struct {
	PaymentRef
	Amount Money
	Method PaymentMethod
}

// GetPaymentResponse answers GetPayment.
type GetPaymentResponse struct{ PaymentResult }

// GetRefundRequest asks the gateway where a refund stands.
type GetRefundRequest struct {
	PaymentRef
	RefundID                string
	ProviderRefundReference string
	Amount                  Money
}

// GetRefundResponse answers GetRefund.
type GetRefundResponse struct{ RefundResult }

// TokenizeRequest stores a card at the gateway: directly with Card, or
// through the gateway's hosted page (Card nil; the answer has a NextAction).
type TokenizeRequest struct {
	// TokenID is the host's id of the token; providers use it as the
	// gateway's order id.
	TokenID        string
	IdempotencyKey string
	Customer       Customer
	Card           *Card
	ReturnURL      string
	Currency       string
	Metadata       map[string]string
}

// TokenizeResponse answers Tokenize.
type TokenizeResponse struct{ TokenResult }

// TokenRef identifies a stored card in follow-up calls.
type TokenRef struct {
	TokenID           string
	Token             string
	CustomerRef       string
	ProviderReference string
}

// GetTokenRequest asks the gateway where a stored card stands.
type GetTokenRequest struct{ TokenRef }

// GetTokenResponse answers GetToken.
type GetTokenResponse struct{ TokenResult }

// DeleteTokenRequest removes a stored card at the gateway.
type DeleteTokenRequest struct {
	TokenRef
	IdempotencyKey string
}

// DeleteTokenResponse answers DeleteToken.
type DeleteTokenResponse struct{ TokenResult }

// HandleCallbackRequest is a gateway's callback as the host received it,
// untouched, so that the provider can verify its signature over the raw
// bytes.
type HandleCallbackRequest struct {
	Method   string
	Path     string
	RawQuery string
	Header   map[string][]string
	Body     []byte
}

// HandleCallbackResponse holds the verified, normalised events and the
// exact HTTP answer the gateway expects.
type HandleCallbackResponse struct {
	Events   []Event
	Response HTTPResponse
}

// HTTPResponse is an HTTP answer the host sends on the provider's behalf.
type HTTPResponse struct {
	StatusCode int
	Header     map[string][]string
	Body       []byte
}

// EventType says what an Event is about.
type EventType string

// The event types.
const (
	EventPayment EventType = "payment"
	EventRefund  EventType = "refund"
	EventToken   EventType = "token"
)

// EventTypes lists every EventType.
var EventTypes = []EventType{EventPayment, EventRefund, EventToken}

// Valid reports whether t is one of EventTypes.
func (t EventType) Valid() bool { return oneOf(t, EventTypes) }

// Event is one verified change a gateway reported in a callback. The host
// applies each event once: ID must identify the gateway's notification
// (the same callback delivered twice gives the same ID).
type Event struct {
	ID   string
	Type EventType
	// AttemptID is the host's attempt id as the gateway echoed it (the
	// gateway's order id), when it did.
	AttemptID         string
	ProviderReference string
	// Payment is set for EventPayment.
	Payment *PaymentResult
	// RefundID is the host's refund id as echoed, and Refund the result,
	// for EventRefund.
	RefundID string
	Refund   *RefundResult
	// TokenID is the host's token id as echoed, and Token the result, for
	// EventToken.
	TokenID    string
	Token      *TokenResult
	OccurredAt time.Time
}
