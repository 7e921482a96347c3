package redotpay

import (
	"context"
	"sync/atomic"
	"time"

	"github.com/payhost/payhost/plugin"
)

// Version is the provider's version.
const Version = "0.1.0"

// Provider is the RedotPay provider. Create it with New; the host
// configures it before any other call, and may configure it again.
type Provider struct {
	plugin.UnimplementedProvider

	now  func() time.Time
	inst atomic.Pointer[instance]
}

// New returns an unconfigured RedotPay provider.
func New() *Provider { return newProvider(time.Now) }

// newProvider returns a provider whose clock (request timestamps, webhook
// tolerance, expiries) is now; tests fix it for golden files.
func newProvider(now func() time.Time) *Provider { return &Provider{now: now} }

// instance is one configuration: what it can do and the protocol that
// does it.
type instance struct {
	caps plugin.Capabilities
	gw   gateway
}

// gateway is what both protocols do.
type gateway interface {
	createPayment(ctx context.Context, req *plugin.CreatePaymentRequest) (*plugin.PaymentResult, error)
	getPayment(ctx context.Context, req *plugin.GetPaymentRequest) (*plugin.PaymentResult, error)
	void(ctx context.Context, req *plugin.VoidRequest) (*plugin.PaymentResult, error)
	handleCallback(ctx context.Context, req *plugin.HandleCallbackRequest) (*plugin.HandleCallbackResponse, error)
}

// cardGateway is what only the seed protocol's card API does.
type cardGateway interface {
	capture(ctx context.Context, req *plugin.CaptureRequest) (*plugin.PaymentResult, error)
	refund(ctx context.Context, req *plugin.RefundRequest) (*plugin.RefundResult, error)
	reverse(ctx context.Context, req *plugin.ReverseRequest) (*plugin.PaymentResult, error)
}

// GetInfo declares the union of both protocols' operations; Configure
// narrows them to the configured protocol and methods.
func (p *Provider) GetInfo(context.Context, *plugin.GetInfoRequest) (*plugin.GetInfoResponse, error) {
	return &plugin.GetInfoResponse{
		Type:    "redotpay",
		Version: Version,
		Description: "RedotPay Connect: crypto checkout orders (redirect, QR code, deep link) with RSA-signed calls and webhooks; " +
			"protocol \"seed\" speaks the look-alike seed page's API, cards included, for the emulator.",
		Capabilities: declared,
		Schema:       configSchema,
	}, nil
}

// Configure validates the configuration and answers what this instance
// can do. Gateway callbacks are to reach req.CallbackURL, which both
// protocols send with every order.
func (p *Provider) Configure(ctx context.Context, req *plugin.ConfigureRequest) (*plugin.ConfigureResponse, error) {
	s, err := parseSettings(req.Config)
	if err != nil {
		return nil, err
	}
	c := newClient(s.endpoint, s.timeout)
	resp := &plugin.ConfigureResponse{}
	var gw gateway
	switch s.protocol {
	case ProtocolConnect:
		gw = &connectGateway{s: s, c: c, now: p.now, callbackURL: req.CallbackURL}
	default:
		gw = &seedGateway{s: s, c: c, now: p.now, callbackURL: req.CallbackURL}
		resp.Warnings = append(resp.Warnings, seedWarning)
	}
	caps := s.capabilities()
	p.inst.Store(&instance{caps: caps, gw: gw})
	resp.Capabilities = &caps
	plugin.Logger(ctx).Info("configured", "instance", req.Instance, "protocol", s.protocol, "endpoint", s.endpoint.String(), "operations", caps.Operations)
	return resp, nil
}

// seedWarning is shown to the operator of every seed-protocol instance.
const seedWarning = `protocol "seed" follows a look-alike documentation page (developers.reddotpayment.com.apidocs.online) ` +
	`that demands a crypto "integration fee", a known scam pattern: use it only with the local emulator, ` +
	`never pay such a fee or send credentials there; the official API is protocol "connect" (redotpay.readme.io)`

// instance returns the configuration, if it supports op.
func (p *Provider) instance(op plugin.Operation) (*instance, error) {
	inst := p.inst.Load()
	if inst == nil {
		return nil, &plugin.Error{Kind: plugin.KindInternal, Message: "the provider is not configured yet"}
	}
	if !inst.caps.Supports(op) {
		return nil, plugin.Unsupported(op)
	}
	return inst, nil
}

// cards returns the card API, if the configuration supports op.
func (p *Provider) cards(op plugin.Operation) (cardGateway, error) {
	inst, err := p.instance(op)
	if err != nil {
		return nil, err
	}
	cards, ok := inst.gw.(cardGateway)
	if !ok {
		return nil, plugin.Unsupported(op)
	}
	return cards, nil
}

// CreatePayment creates an order (wallet, qr) or authorizes a card
// (seed), capturing it at once for an automatic capture.
func (p *Provider) CreatePayment(ctx context.Context, req *plugin.CreatePaymentRequest) (*plugin.CreatePaymentResponse, error) {
	op := plugin.OpCreatePayment
	if req.Capture == plugin.CaptureManual {
		op = plugin.OpAuthorize
	}
	inst, err := p.instance(op)
	if err != nil {
		return nil, err
	}
	if !inst.caps.SupportsMethod(req.Method) {
		return nil, plugin.InvalidRequest("method", "this instance does not take payment method %q (it takes %v)", req.Method, inst.caps.Methods)
	}
	res, err := inst.gw.createPayment(ctx, req)
	if err != nil {
		return nil, err
	}
	return &plugin.CreatePaymentResponse{PaymentResult: *res}, nil
}

// GetPayment queries an order, by provider reference or attempt id.
func (p *Provider) GetPayment(ctx context.Context, req *plugin.GetPaymentRequest) (*plugin.GetPaymentResponse, error) {
	inst, err := p.instance(plugin.OpGetPayment)
	if err != nil {
		return nil, err
	}
	res, err := inst.gw.getPayment(ctx, req)
	if err != nil {
		return nil, err
	}
	return &plugin.GetPaymentResponse{PaymentResult: *res}, nil
}

// Void closes an unpaid order (connect) or voids a card authorization
// (seed).
func (p *Provider) Void(ctx context.Context, req *plugin.VoidRequest) (*plugin.VoidResponse, error) {
	inst, err := p.instance(plugin.OpVoid)
	if err != nil {
		return nil, err
	}
	res, err := inst.gw.void(ctx, req)
	if err != nil {
		return nil, err
	}
	return &plugin.VoidResponse{PaymentResult: *res}, nil
}

// Capture captures all or part of a card authorization (seed).
func (p *Provider) Capture(ctx context.Context, req *plugin.CaptureRequest) (*plugin.CaptureResponse, error) {
	cards, err := p.cards(plugin.OpCapture)
	if err != nil {
		return nil, err
	}
	res, err := cards.capture(ctx, req)
	if err != nil {
		return nil, err
	}
	return &plugin.CaptureResponse{PaymentResult: *res}, nil
}

// Refund refunds part or all of a captured card payment (seed). Connect
// has no refund API; its REFUND webhooks become refund events.
func (p *Provider) Refund(ctx context.Context, req *plugin.RefundRequest) (*plugin.RefundResponse, error) {
	cards, err := p.cards(plugin.OpRefund)
	if err != nil {
		return nil, err
	}
	res, err := cards.refund(ctx, req)
	if err != nil {
		return nil, err
	}
	return &plugin.RefundResponse{RefundResult: *res}, nil
}

// Reverse reverses a captured card payment (seed).
func (p *Provider) Reverse(ctx context.Context, req *plugin.ReverseRequest) (*plugin.ReverseResponse, error) {
	cards, err := p.cards(plugin.OpReverse)
	if err != nil {
		return nil, err
	}
	res, err := cards.reverse(ctx, req)
	if err != nil {
		return nil, err
	}
	return &plugin.ReverseResponse{PaymentResult: *res}, nil
}

// HandleCallback verifies and normalises a gateway callback.
func (p *Provider) HandleCallback(ctx context.Context, req *plugin.HandleCallbackRequest) (*plugin.HandleCallbackResponse, error) {
	inst, err := p.instance(plugin.OpCallbacks)
	if err != nil {
		return nil, err
	}
	return inst.gw.handleCallback(ctx, req)
}

var (
	_ plugin.Provider = (*Provider)(nil)
	_ cardGateway     = (*seedGateway)(nil)
	_ gateway         = (*seedGateway)(nil)
	_ gateway         = (*connectGateway)(nil)
)
