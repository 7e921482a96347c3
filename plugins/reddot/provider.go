package reddot

import (
	"context"
	"net/http"
	"sync"

	"github.com/payhost/payhost/plugin"
	"github.com/payhost/payhost/plugin/httpcall"
)

// Version is the provider's semantic version.
const Version = "0.1.0"

// Provider is the Red Dot Payment provider. It is a stateless translator:
// Configure gives it an instance's configuration, and every other call
// maps one payhost request to RDP and back.
type Provider struct {
	plugin.UnimplementedProvider

	mu   sync.RWMutex
	inst *instance
}

// instance is one configured provider instance.
type instance struct {
	client
	// callbackURL is where RDP's notifications reach the host (notify_url).
	callbackURL string
}

// New returns an unconfigured provider, for plugin.Serve.
func New() *Provider { return &Provider{} }

// capabilities is what the provider does: RDP's tokenization, payment and
// Merchant APIs (no reversal of a captured payment, no refund status).
var capabilities = plugin.Capabilities{
	Operations: []plugin.Operation{
		plugin.OpCreatePayment, plugin.OpAuthorize, plugin.OpCapture, plugin.OpPartialCapture,
		plugin.OpRefund, plugin.OpPartialRefund, plugin.OpVoid, plugin.OpGetPayment,
		plugin.OpTokenize, plugin.OpGetToken, plugin.OpDeleteToken, plugin.OpCallbacks,
	},
	Methods: []plugin.PaymentMethod{plugin.MethodCard, plugin.MethodToken},
}

// GetInfo describes the provider.
func (p *Provider) GetInfo(context.Context, *plugin.GetInfoRequest) (*plugin.GetInfoResponse, error) {
	return &plugin.GetInfoResponse{
		Type:         "reddot",
		Version:      Version,
		Description:  "Red Dot Payment (Singapore): hosted and direct card tokenization, card and token payments, capture, void and refund through the Merchant API",
		Capabilities: capabilities,
		Schema:       schema,
	}, nil
}

// Configure validates the instance's configuration and keeps it.
func (p *Provider) Configure(_ context.Context, req *plugin.ConfigureRequest) (*plugin.ConfigureResponse, error) {
	cfg, warnings, err := parseConfig(req.Config)
	if err != nil {
		return nil, err
	}
	if req.CallbackURL == "" {
		warnings = append(warnings, "the host gave no callback URL: hosted payments and tokenization, which need RDP's notify_url, will be refused")
	}
	httpClient := &http.Client{
		Timeout:   cfg.timeout,
		Transport: httpcall.NewTransport(),
		// A redirect would turn a POST into a GET elsewhere; RDP's APIs do
		// not redirect, so one is answered as the refusal it is.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	inst := &instance{client: client{cfg: cfg, http: httpClient}, callbackURL: req.CallbackURL}
	p.mu.Lock()
	p.inst = inst
	p.mu.Unlock()
	return &plugin.ConfigureResponse{Warnings: warnings}, nil
}

// configured returns the instance, or an error before Configure.
func (p *Provider) configured() (*instance, error) {
	p.mu.RLock()
	defer p.mu.RUnlock()
	if p.inst == nil {
		return nil, &plugin.Error{Kind: plugin.KindInternal, Message: "the provider was called before Configure"}
	}
	return p.inst, nil
}

// notifyURL is the callback URL, required for what RDP reports by
// notification.
func (in *instance) notifyURL() (string, error) {
	if in.callbackURL == "" {
		return "", plugin.InvalidRequest("callback_url", "RDP's hosted pages need a notify_url, and the host gave this instance no callback URL")
	}
	return in.callbackURL, nil
}

var _ plugin.Provider = (*Provider)(nil)
