package api

import (
	"context"
	"encoding/json"
	"time"

	"github.com/payhost/payhost/plugin"
)

// Service is every operation the payhost host offers a merchant service,
// in Go. host.Host implements it; the HTTP API (internal/httpapi) is a thin
// translation of it, so that an embedding service and a remote one see the
// same behaviour, idempotency included.
//
// Every method is scoped to one merchant: a payment or token of another
// merchant is not found. Every operation takes CallOptions: writes an
// idempotency key, all a request id for their log lines; errors are
// *Error.
type Service interface {
	// Merchant returns the id of the merchant whose API key this is
	// (compared in constant time), or false.
	Merchant(apiKey string) (merchantID string, ok bool)

	CreatePayment(ctx context.Context, merchantID string, req *CreatePaymentRequest, opts ...CallOption) (*Payment, error)
	GetPayment(ctx context.Context, merchantID, paymentID string, opts ...CallOption) (*Payment, error)
	CapturePayment(ctx context.Context, merchantID, paymentID string, req *CaptureRequest, opts ...CallOption) (*Payment, error)
	RefundPayment(ctx context.Context, merchantID, paymentID string, req *RefundRequest, opts ...CallOption) (*Refund, error)
	VoidPayment(ctx context.Context, merchantID, paymentID string, opts ...CallOption) (*Payment, error)
	ReversePayment(ctx context.Context, merchantID, paymentID string, opts ...CallOption) (*Payment, error)
	// SyncPayment asks the payment's provider for its status now and
	// applies the answer.
	SyncPayment(ctx context.Context, merchantID, paymentID string, opts ...CallOption) (*Payment, error)

	CreateToken(ctx context.Context, merchantID string, req *CreateTokenRequest, opts ...CallOption) (*Token, error)
	GetToken(ctx context.Context, merchantID, tokenID string, opts ...CallOption) (*Token, error)
	DeleteToken(ctx context.Context, merchantID, tokenID string, opts ...CallOption) (*Token, error)

	// ListEvents returns the merchant's events (those its webhook is
	// sent), newest first, a page at a time.
	ListEvents(ctx context.Context, merchantID string, req *ListEventsRequest, opts ...CallOption) (*EventList, error)
	// GetEvent returns one of the merchant's events with its delivery
	// log.
	GetEvent(ctx context.Context, merchantID, eventID string, opts ...CallOption) (*Event, error)

	// HandleCallback hands a gateway's raw callback to the plugin of
	// instance "type.name", applies the events it verified (each once) and
	// returns the HTTP answer the gateway expects. A callback whose
	// signature does not verify changes nothing and returns an *Error with
	// a 4xx status.
	HandleCallback(ctx context.Context, instance string, cb *plugin.HandleCallbackRequest, opts ...CallOption) (*plugin.HTTPResponse, error)
}

// CallOption adjusts one API call.
type CallOption func(*CallOptions)

// CallOptions are the options of one call, as a Service implementation
// reads them with Options.
type CallOptions struct {
	IdempotencyKey string
	RequestID      string
}

// Options applies opts.
func Options(opts ...CallOption) CallOptions {
	var o CallOptions
	for _, opt := range opts {
		opt(&o)
	}
	return o
}

// WithIdempotencyKey makes a write idempotent under key, scoped to the
// merchant: the same key with the same request replays the first answer;
// with a different request it fails with status 422; while the first is
// still running, with status 409. Records are kept at least 24 hours.
func WithIdempotencyKey(key string) CallOption {
	return func(o *CallOptions) { o.IdempotencyKey = key }
}

// WithRequestID tags the call's log lines with the caller's request id.
func WithRequestID(id string) CallOption {
	return func(o *CallOptions) { o.RequestID = id }
}

// Customer is who pays.
type Customer struct {
	ID    string `json:"id,omitempty"`
	Email string `json:"email,omitempty"`
	Name  string `json:"name,omitempty"`
	IP    string `json:"ip,omitempty"`
}

// Card is card data as a merchant sends it. It is passed to the provider
// and never stored: only its CardInfo (first six, last four, expiry,
// brand) is kept.
type Card struct {
	Number     plugin.CardNumber `json:"number"`
	ExpMonth   int               `json:"exp_month"`
	ExpYear    int               `json:"exp_year"`
	CVC        plugin.Secret     `json:"cvc"`
	HolderName string            `json:"holder_name,omitempty"`
}

// CreatePaymentRequest is the body of POST /v1/payments.
type CreatePaymentRequest struct {
	// Amount in minor units of Currency (cents, whole dong, whole yen).
	Amount   int64                `json:"amount"`
	Currency string               `json:"currency"`
	Method   plugin.PaymentMethod `json:"method"`
	// Capture is automatic (a sale) unless manual (authorize only).
	Capture     plugin.CaptureMode `json:"capture,omitempty"`
	Reference   string             `json:"reference,omitempty"`
	Description string             `json:"description,omitempty"`
	ReturnURL   string             `json:"return_url,omitempty"`
	Customer    *Customer          `json:"customer,omitempty"`
	// Country is the customer's ISO 3166 alpha-2 country, for routing.
	Country string `json:"country,omitempty"`
	// Card is set for method card with card data.
	Card *Card `json:"card,omitempty"`
	// Token is a token id (tok_…) for method token; the payment goes to
	// the provider instance that issued it.
	Token string `json:"token,omitempty"`
	// Provider ("type.name") bypasses routing.
	Provider        string            `json:"provider,omitempty"`
	ProviderOptions map[string]string `json:"provider_options,omitempty"`
	Metadata        map[string]string `json:"metadata,omitempty"`
}

// CaptureRequest is the body of POST /v1/payments/{id}/capture.
type CaptureRequest struct {
	// Amount to capture; zero captures everything authorized.
	Amount int64 `json:"amount,omitempty"`
}

// RefundRequest is the body of POST /v1/payments/{id}/refunds.
type RefundRequest struct {
	// Amount to refund; zero refunds everything captured and not yet
	// refunded.
	Amount int64  `json:"amount,omitempty"`
	Reason string `json:"reason,omitempty"`
}

// CreateTokenRequest is the body of POST /v1/tokens.
type CreateTokenRequest struct {
	// Provider ("type.name") that stores the card; optional when routing
	// can pick one that tokenizes.
	Provider string               `json:"provider,omitempty"`
	Method   plugin.PaymentMethod `json:"method"`
	// Card tokenizes directly; without it the answer has a hosted-page
	// next_action.
	Card      *Card             `json:"card,omitempty"`
	Customer  *Customer         `json:"customer,omitempty"`
	ReturnURL string            `json:"return_url,omitempty"`
	Currency  string            `json:"currency,omitempty"`
	Metadata  map[string]string `json:"metadata,omitempty"`
}

// NextAction is what the customer must do.
type NextAction struct {
	Type      plugin.NextActionType `json:"type"`
	URL       string                `json:"url,omitempty"`
	QRCode    string                `json:"qr_code,omitempty"`
	DeepLink  string                `json:"deep_link,omitempty"`
	ExpiresAt *time.Time            `json:"expires_at,omitempty"`
}

// Failure is why a payment, refund or token failed, in the gateway's words.
type Failure struct {
	Code    string `json:"code,omitempty"`
	Message string `json:"message,omitempty"`
}

// Payment is a payment as the API shows it.
type Payment struct {
	ID       string               `json:"id"`
	Status   plugin.PaymentStatus `json:"status"`
	Amount   int64                `json:"amount"`
	Currency string               `json:"currency"`
	Method   plugin.PaymentMethod `json:"method"`
	Capture  plugin.CaptureMode   `json:"capture"`
	// AmountAuthorized, AmountCaptured and AmountRefunded are in minor
	// units; refunded counts pending refunds too.
	AmountAuthorized  int64             `json:"amount_authorized"`
	AmountCaptured    int64             `json:"amount_captured"`
	AmountRefunded    int64             `json:"amount_refunded"`
	Reference         string            `json:"reference,omitempty"`
	Description       string            `json:"description,omitempty"`
	ReturnURL         string            `json:"return_url,omitempty"`
	Customer          *Customer         `json:"customer,omitempty"`
	Card              *plugin.CardInfo  `json:"card,omitempty"`
	Token             string            `json:"token,omitempty"`
	Provider          string            `json:"provider,omitempty"`
	ProviderReference string            `json:"provider_reference,omitempty"`
	Route             string            `json:"route,omitempty"`
	NextAction        *NextAction       `json:"next_action,omitempty"`
	Failure           *Failure          `json:"failure,omitempty"`
	Metadata          map[string]string `json:"metadata,omitempty"`
	Attempts          []Attempt         `json:"attempts"`
	Refunds           []Refund          `json:"refunds"`
	CreatedAt         time.Time         `json:"created_at"`
	UpdatedAt         time.Time         `json:"updated_at"`
}

// Attempt is one call to a provider on a payment's behalf.
type Attempt struct {
	ID                string     `json:"id"`
	Provider          string     `json:"provider"`
	Operation         string     `json:"operation"`
	Status            string     `json:"status"`
	ErrorKind         string     `json:"error_kind,omitempty"`
	ErrorCode         string     `json:"error_code,omitempty"`
	ErrorMessage      string     `json:"error_message,omitempty"`
	ProviderReference string     `json:"provider_reference,omitempty"`
	StartedAt         time.Time  `json:"started_at"`
	FinishedAt        *time.Time `json:"finished_at,omitempty"`
}

// Refund is a refund as the API shows it.
type Refund struct {
	ID                      string              `json:"id"`
	PaymentID               string              `json:"payment_id"`
	Status                  plugin.RefundStatus `json:"status"`
	Amount                  int64               `json:"amount"`
	Currency                string              `json:"currency"`
	Reason                  string              `json:"reason,omitempty"`
	ProviderRefundReference string              `json:"provider_reference,omitempty"`
	Failure                 *Failure            `json:"failure,omitempty"`
	CreatedAt               time.Time           `json:"created_at"`
	UpdatedAt               time.Time           `json:"updated_at"`
}

// Token is a stored card as the API shows it. The gateway's token itself
// is never shown; payments use the token's id.
type Token struct {
	ID         string             `json:"id"`
	Status     plugin.TokenStatus `json:"status"`
	Provider   string             `json:"provider"`
	Card       *plugin.CardInfo   `json:"card,omitempty"`
	Customer   *Customer          `json:"customer,omitempty"`
	NextAction *NextAction        `json:"next_action,omitempty"`
	Failure    *Failure           `json:"failure,omitempty"`
	Metadata   map[string]string  `json:"metadata,omitempty"`
	CreatedAt  time.Time          `json:"created_at"`
	UpdatedAt  time.Time          `json:"updated_at"`
}

// Event delivery statuses.
const (
	// DeliveryPending: not delivered yet; retried until NextAttemptAt.
	DeliveryPending = "pending"
	// DeliveryDelivered: the merchant's endpoint answered 2xx.
	DeliveryDelivered = "delivered"
	// DeliveryFailed: given up, after retrying for at least 24 hours.
	DeliveryFailed = "failed"
)

// Event is a merchant event: the body its webhook delivery sends (id,
// type, created_at and data, as received), and where its delivery
// stands.
type Event struct {
	ID   string `json:"id"`
	Type string `json:"type"`
	// CreatedAt is in Unix seconds, as in the webhook body.
	CreatedAt int64 `json:"created_at"`
	// Data is the payment, refund or token the event is about, as it
	// stood then.
	Data     json.RawMessage `json:"data"`
	Delivery EventDelivery   `json:"delivery"`
}

// EventDelivery is where an event's delivery to the merchant's webhook
// stands.
type EventDelivery struct {
	// Status is DeliveryPending, DeliveryDelivered or DeliveryFailed.
	Status   string `json:"status"`
	Attempts int    `json:"attempts"`
	// NextAttemptAt is when a pending event is sent (again).
	NextAttemptAt *time.Time `json:"next_attempt_at,omitempty"`
	DeliveredAt   *time.Time `json:"delivered_at,omitempty"`
	FailedAt      *time.Time `json:"failed_at,omitempty"`
	// Log lists the attempts, first first; only GetEvent fills it.
	Log []DeliveryAttempt `json:"log,omitempty"`
}

// DeliveryAttempt is one try to deliver an event.
type DeliveryAttempt struct {
	// Attempt is 1 for the first try.
	Attempt int       `json:"attempt"`
	At      time.Time `json:"at"`
	// HTTPStatus is the merchant's answer; absent when there was none.
	HTTPStatus int `json:"http_status,omitempty"`
	// Error says why the attempt failed; absent on 2xx.
	Error      string `json:"error,omitempty"`
	DurationMS int64  `json:"duration_ms"`
}

// ListEventsRequest selects a page of events.
type ListEventsRequest struct {
	// Limit is how many events at most: 1 to 100; 0 means 20.
	Limit int
	// StartingAfter, an event id, lists the events older than it: the
	// last id of the page before.
	StartingAfter string
}

// EventList is a page of events, newest first.
type EventList struct {
	Data []Event `json:"data"`
	// HasMore is set when older events follow: ask again with
	// StartingAfter the last id of Data.
	HasMore bool `json:"has_more"`
}
