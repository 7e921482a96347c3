package plugin

import "context"

// Provider is what a payment gateway plugin implements. Every method takes
// a context (cancelled when the host gives up on the call) and one request
// struct, and returns one response struct or an *Error.
//
// Providers are stateless translators: the host owns idempotency, ordering
// and state. Embed UnimplementedProvider to answer unsupported for what a
// gateway does not do.
type Provider interface {
	GetInfo(ctx context.Context, req *GetInfoRequest) (*GetInfoResponse, error)
	Configure(ctx context.Context, req *ConfigureRequest) (*ConfigureResponse, error)
	CreatePayment(ctx context.Context, req *CreatePaymentRequest) (*CreatePaymentResponse, error)
	Capture(ctx context.Context, req *CaptureRequest) (*CaptureResponse, error)
	Refund(ctx context.Context, req *RefundRequest) (*RefundResponse, error)
	Void(ctx context.Context, req *VoidRequest) (*VoidResponse, error)
	Reverse(ctx context.Context, req *ReverseRequest) (*ReverseResponse, error)
	GetPayment(ctx context.Context, req *GetPaymentRequest) (*GetPaymentResponse, error)
	GetRefund(ctx context.Context, req *GetRefundRequest) (*GetRefundResponse, error)
	Tokenize(ctx context.Context, req *TokenizeRequest) (*TokenizeResponse, error)
	GetToken(ctx context.Context, req *GetTokenRequest) (*GetTokenResponse, error)
	DeleteToken(ctx context.Context, req *DeleteTokenRequest) (*DeleteTokenResponse, error)
	HandleCallback(ctx context.Context, req *HandleCallbackRequest) (*HandleCallbackResponse, error)
}

// UnimplementedProvider answers unsupported to every method but Configure,
// which accepts any configuration. Embed it in a provider and override what
// the gateway does; GetInfo must always be overridden.
type UnimplementedProvider struct{}

// GetInfo answers unsupported; every provider must override it.
func (UnimplementedProvider) GetInfo(context.Context, *GetInfoRequest) (*GetInfoResponse, error) {
	return nil, &Error{Kind: KindUnsupported, Message: "provider does not implement GetInfo"}
}

// Configure accepts any configuration.
func (UnimplementedProvider) Configure(context.Context, *ConfigureRequest) (*ConfigureResponse, error) {
	return &ConfigureResponse{}, nil
}

// CreatePayment answers unsupported.
func (UnimplementedProvider) CreatePayment(context.Context, *CreatePaymentRequest) (*CreatePaymentResponse, error) {
	return nil, Unsupported(OpCreatePayment)
}

// Capture answers unsupported.
func (UnimplementedProvider) Capture(context.Context, *CaptureRequest) (*CaptureResponse, error) {
	return nil, Unsupported(OpCapture)
}

// Refund answers unsupported.
func (UnimplementedProvider) Refund(context.Context, *RefundRequest) (*RefundResponse, error) {
	return nil, Unsupported(OpRefund)
}

// Void answers unsupported.
func (UnimplementedProvider) Void(context.Context, *VoidRequest) (*VoidResponse, error) {
	return nil, Unsupported(OpVoid)
}

// Reverse answers unsupported.
func (UnimplementedProvider) Reverse(context.Context, *ReverseRequest) (*ReverseResponse, error) {
	return nil, Unsupported(OpReverse)
}

// GetPayment answers unsupported.
func (UnimplementedProvider) GetPayment(context.Context, *GetPaymentRequest) (*GetPaymentResponse, error) {
	return nil, Unsupported(OpGetPayment)
}

// GetRefund answers unsupported.
func (UnimplementedProvider) GetRefund(context.Context, *GetRefundRequest) (*GetRefundResponse, error) {
	return nil, Unsupported(OpGetRefund)
}

// Tokenize answers unsupported.
func (UnimplementedProvider) Tokenize(context.Context, *TokenizeRequest) (*TokenizeResponse, error) {
	return nil, Unsupported(OpTokenize)
}

// GetToken answers unsupported.
func (UnimplementedProvider) GetToken(context.Context, *GetTokenRequest) (*GetTokenResponse, error) {
	return nil, Unsupported(OpGetToken)
}

// DeleteToken answers unsupported.
func (UnimplementedProvider) DeleteToken(context.Context, *DeleteTokenRequest) (*DeleteTokenResponse, error) {
	return nil, Unsupported(OpDeleteToken)
}

// HandleCallback answers unsupported.
func (UnimplementedProvider) HandleCallback(context.Context, *HandleCallbackRequest) (*HandleCallbackResponse, error) {
	return nil, Unsupported(OpCallbacks)
}

var _ Provider = UnimplementedProvider{}
