package plugin

// PaymentStatus is where a payment stands. The list is exhaustive; a
// provider that cannot tell maps the gateway's answer to StatusProcessing or
// StatusUnknown, never to success.
type PaymentStatus string

// The payment statuses.
const (
	// StatusRequiresAction: the customer must act (NextAction says how).
	StatusRequiresAction PaymentStatus = "requires_action"
	// StatusProcessing: the gateway has the payment and has not decided.
	StatusProcessing PaymentStatus = "processing"
	// StatusAuthorized: funds are held, waiting for capture or void.
	StatusAuthorized PaymentStatus = "authorized"
	// StatusSucceeded: funds are captured.
	StatusSucceeded PaymentStatus = "succeeded"
	// StatusFailed: declined or failed; nothing was charged.
	StatusFailed PaymentStatus = "failed"
	// StatusCanceled: voided, or closed before payment.
	StatusCanceled PaymentStatus = "canceled"
	// StatusReversed: a processed payment was undone.
	StatusReversed PaymentStatus = "reversed"
	// StatusExpired: the customer did not act in time.
	StatusExpired PaymentStatus = "expired"
	// StatusUnknown: the gateway may have acted; only a status query can
	// tell. Never retried blindly.
	StatusUnknown PaymentStatus = "unknown"
)

// PaymentStatuses lists every PaymentStatus.
var PaymentStatuses = []PaymentStatus{
	StatusRequiresAction, StatusProcessing, StatusAuthorized, StatusSucceeded,
	StatusFailed, StatusCanceled, StatusReversed, StatusExpired, StatusUnknown,
}

// Valid reports whether s is one of PaymentStatuses.
func (s PaymentStatus) Valid() bool { return oneOf(s, PaymentStatuses) }

// RefundStatus is where a refund stands.
type RefundStatus string

// The refund statuses.
const (
	RefundPending   RefundStatus = "pending"
	RefundSucceeded RefundStatus = "succeeded"
	RefundFailed    RefundStatus = "failed"
)

// RefundStatuses lists every RefundStatus.
var RefundStatuses = []RefundStatus{RefundPending, RefundSucceeded, RefundFailed}

// Valid reports whether s is one of RefundStatuses.
func (s RefundStatus) Valid() bool { return oneOf(s, RefundStatuses) }

// TokenStatus is where a stored card token stands.
type TokenStatus string

// The token statuses.
const (
	// TokenRequiresAction: the customer must enter the card on the
	// gateway's hosted page (NextAction).
	TokenRequiresAction TokenStatus = "requires_action"
	TokenActive         TokenStatus = "active"
	TokenFailed         TokenStatus = "failed"
	TokenDeleted        TokenStatus = "deleted"
)

// TokenStatuses lists every TokenStatus.
var TokenStatuses = []TokenStatus{TokenRequiresAction, TokenActive, TokenFailed, TokenDeleted}

// Valid reports whether s is one of TokenStatuses.
func (s TokenStatus) Valid() bool { return oneOf(s, TokenStatuses) }

// PaymentMethod is how the customer pays.
type PaymentMethod string

// The payment methods.
const (
	MethodCard   PaymentMethod = "card"
	MethodBank   PaymentMethod = "bank"
	MethodWallet PaymentMethod = "wallet"
	MethodQR     PaymentMethod = "qr"
	// MethodToken pays with a card stored earlier by Tokenize.
	MethodToken PaymentMethod = "token"
)

// PaymentMethods lists every PaymentMethod.
var PaymentMethods = []PaymentMethod{MethodCard, MethodBank, MethodWallet, MethodQR, MethodToken}

// Valid reports whether m is one of PaymentMethods.
func (m PaymentMethod) Valid() bool { return oneOf(m, PaymentMethods) }

// CaptureMode says whether a payment is captured at once or authorized
// first and captured later.
type CaptureMode string

// The capture modes.
const (
	CaptureAutomatic CaptureMode = "automatic"
	CaptureManual    CaptureMode = "manual"
)

// CaptureModes lists every CaptureMode.
var CaptureModes = []CaptureMode{CaptureAutomatic, CaptureManual}

// Valid reports whether c is one of CaptureModes.
func (c CaptureMode) Valid() bool { return oneOf(c, CaptureModes) }

// NextActionType says what the customer must do.
type NextActionType string

// The kinds of next action.
const (
	// ActionRedirect: send the customer's browser to URL.
	ActionRedirect NextActionType = "redirect"
	// ActionQRCode: show QRCode for the customer to scan.
	ActionQRCode NextActionType = "qr_code"
	// ActionDeepLink: open DeepLink in the customer's app.
	ActionDeepLink NextActionType = "deep_link"
)

// NextActionTypes lists every NextActionType.
var NextActionTypes = []NextActionType{ActionRedirect, ActionQRCode, ActionDeepLink}

// Valid reports whether t is one of NextActionTypes.
func (t NextActionType) Valid() bool { return oneOf(t, NextActionTypes) }

func oneOf[T comparable](v T, all []T) bool {
	for _, a := range all {
		if v == a {
			return true
		}
	}
	return false
}
