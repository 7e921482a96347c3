package callbackprovider

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"maps"
	"slices"
	"sync"
	"time"

	"github.com/payhost/payhost/internal/faultprovider"
	"github.com/payhost/payhost/plugin"
)

// MainPackage is the plugin's main package, for plugintest.BuildPlugin.
const MainPackage = "github.com/payhost/payhost/host/internal/callbackprovider/cmd/payhost-provider-callback"

// WithoutAttribute is the configuration attribute listing operations an
// instance does not do: Configure narrows its capabilities by them.
const WithoutAttribute = "without"

// SignatureHeader carries a callback's signature: Sign(api_key, body).
const SignatureHeader = "X-Callback-Signature"

// FaultKey prefixes the metadata key that selects a fault for one
// instance only: Metadata["fault@callback.a"] = "not_sent".
const FaultKey = "fault@"

// Hosted pages: a payment created with Metadata["status"] =
// "requires_action" gets a redirect to the gateway's page, which expires
// at Metadata[ActionExpiresKey] (RFC 3339) when set; GetPayment answers
// Metadata[LaterStatusKey] (expired, failed, succeeded...) when set, as
// the gateway would once the customer acted or the page expired.
const (
	ActionExpiresKey = "action_expires_at"
	LaterStatusKey   = "status_later"
)

// Callback is the body of a callback: the events the gateway reports.
type Callback struct {
	Events []plugin.Event
}

// Sign returns the signature of a callback body under secret: hex
// HMAC-SHA256.
func Sign(secret string, body []byte) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write(body)
	return hex.EncodeToString(mac.Sum(nil))
}

// Provider is the fault gateway with callbacks and tokens.
type Provider struct {
	*faultprovider.Provider

	mu       sync.Mutex
	instance string
	secret   string
	tokens   map[string]plugin.TokenResult
	// later are the statuses GetPayment answers, by payment id.
	later map[string]plugin.PaymentStatus
}

var _ plugin.Provider = (*Provider)(nil)

// New wraps a fault provider.
func New(fault *faultprovider.Provider) *Provider {
	return &Provider{Provider: fault, tokens: map[string]plugin.TokenResult{}, later: map[string]plugin.PaymentStatus{}}
}

// GetInfo declares the fault gateway's capabilities, with callbacks,
// tokens and token payments.
func (p *Provider) GetInfo(ctx context.Context, req *plugin.GetInfoRequest) (*plugin.GetInfoResponse, error) {
	info, err := p.Provider.GetInfo(ctx, req)
	if err != nil {
		return nil, err
	}
	info.Description = "Fault-injecting test provider with callbacks and tokens; never use it for real payments."
	caps := &info.Capabilities
	caps.Operations = append(caps.Operations, plugin.OpCallbacks, plugin.OpTokenize, plugin.OpGetToken, plugin.OpDeleteToken)
	caps.Methods = append(caps.Methods, plugin.MethodToken)
	info.Schema.Attributes = append(info.Schema.Attributes, plugin.Attribute{Name: WithoutAttribute, Type: plugin.TypeListString,
		Description: "Operations this instance does not do, although the plugin declares them."})
	return info, nil
}

// Configure keeps api_key to verify callbacks with, and narrows the
// instance's capabilities by its without attribute.
func (p *Provider) Configure(ctx context.Context, req *plugin.ConfigureRequest) (*plugin.ConfigureResponse, error) {
	resp, err := p.Provider.Configure(ctx, req)
	if err != nil {
		return nil, err
	}
	p.mu.Lock()
	p.instance, p.secret = req.Instance, req.Config.Secret("api_key").Reveal()
	p.mu.Unlock()
	if without := req.Config.Strings(WithoutAttribute); len(without) > 0 {
		info, err := p.GetInfo(ctx, &plugin.GetInfoRequest{})
		if err != nil {
			return nil, err
		}
		caps := info.Capabilities
		caps.Operations = slices.DeleteFunc(caps.Operations, func(op plugin.Operation) bool {
			return slices.Contains(without, string(op))
		})
		resp.Capabilities = &caps
	}
	return resp, nil
}

// CreatePayment makes Metadata["fault@<instance>"], when set for this
// instance, the call's fault, so that one candidate of a route can fail
// while the next does not.
func (p *Provider) CreatePayment(ctx context.Context, req *plugin.CreatePaymentRequest) (*plugin.CreatePaymentResponse, error) {
	p.mu.Lock()
	fault, ok := req.Metadata[FaultKey+p.instance]
	p.mu.Unlock()
	if ok {
		r := *req
		r.Metadata = maps.Clone(req.Metadata)
		r.Metadata["fault"] = fault
		req = &r
	}
	resp, err := p.Provider.CreatePayment(ctx, req)
	if err != nil {
		return nil, err
	}
	if s := plugin.PaymentStatus(req.Metadata[LaterStatusKey]); s.Valid() {
		p.mu.Lock()
		p.later[req.PaymentID] = s
		p.mu.Unlock()
	}
	if resp.Status == plugin.StatusRequiresAction {
		resp.NextAction = &plugin.NextAction{Type: plugin.ActionRedirect, URL: "https://callback.invalid/pay/" + req.PaymentID}
		if at, err := time.Parse(time.RFC3339Nano, req.Metadata[ActionExpiresKey]); err == nil {
			resp.NextAction.ExpiresAt = at
		}
	}
	return resp, nil
}

// GetPayment answers the fault gateway's truth, or the status the payment
// was created to end in (LaterStatusKey).
func (p *Provider) GetPayment(ctx context.Context, req *plugin.GetPaymentRequest) (*plugin.GetPaymentResponse, error) {
	resp, err := p.Provider.GetPayment(ctx, req)
	if err != nil {
		return nil, err
	}
	p.mu.Lock()
	later, ok := p.later[req.PaymentID]
	p.mu.Unlock()
	if ok {
		resp.Status, resp.NextAction = later, nil
	}
	return resp, nil
}

// HandleCallback verifies the callback's signature and returns its events.
func (p *Provider) HandleCallback(_ context.Context, req *plugin.HandleCallbackRequest) (*plugin.HandleCallbackResponse, error) {
	p.mu.Lock()
	secret := p.secret
	p.mu.Unlock()
	var got string
	if v := req.Header[SignatureHeader]; len(v) == 1 {
		got = v[0]
	}
	if !hmac.Equal([]byte(got), []byte(Sign(secret, req.Body))) {
		return nil, plugin.AuthenticationFailed("bad_signature", "the callback's signature does not verify")
	}
	var cb Callback
	if err := json.Unmarshal(req.Body, &cb); err != nil {
		return nil, plugin.InvalidRequest("body", "the callback is not a JSON Callback: %v", err)
	}
	return &plugin.HandleCallbackResponse{Events: cb.Events, Response: plugin.HTTPResponse{
		StatusCode: 200, Header: map[string][]string{"Content-Type": {"text/plain"}}, Body: []byte("OK"),
	}}, nil
}

// Tokenize stores a card: active at once with card data, else waiting for
// the customer on the gateway's page. Metadata[FaultKey+instance] =
// "not_sent" makes this instance report the request not sent.
func (p *Provider) Tokenize(_ context.Context, req *plugin.TokenizeRequest) (*plugin.TokenizeResponse, error) {
	p.mu.Lock()
	fault := req.Metadata[FaultKey+p.instance]
	p.mu.Unlock()
	if fault == string(faultprovider.FaultNotSent) {
		return nil, plugin.NotSent(nil, "the gateway could not be reached (fault not_sent)")
	}
	r := plugin.TokenResult{Status: plugin.TokenRequiresAction, ProviderReference: "ctreq_" + req.TokenID,
		NextAction: &plugin.NextAction{Type: plugin.ActionRedirect, URL: "https://callback.invalid/tokenize/" + req.TokenID}}
	if req.Card != nil {
		info := req.Card.Info()
		r = plugin.TokenResult{Status: plugin.TokenActive, Token: "ctok_" + req.TokenID, CustomerRef: "cus_" + req.Customer.ID,
			ProviderReference: "ctreq_" + req.TokenID, Card: &info}
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.tokens[req.TokenID] = r
	return &plugin.TokenizeResponse{TokenResult: r}, nil
}

// GetToken answers where a token stands.
func (p *Provider) GetToken(_ context.Context, req *plugin.GetTokenRequest) (*plugin.GetTokenResponse, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	r, ok := p.tokens[req.TokenID]
	if !ok {
		return nil, &plugin.Error{Kind: plugin.KindInvalidRequest, Code: "not_found", Message: "no such token"}
	}
	return &plugin.GetTokenResponse{TokenResult: r}, nil
}

// DeleteToken forgets a token.
func (p *Provider) DeleteToken(_ context.Context, req *plugin.DeleteTokenRequest) (*plugin.DeleteTokenResponse, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	r := p.tokens[req.TokenID]
	r.Status = plugin.TokenDeleted
	p.tokens[req.TokenID] = r
	return &plugin.DeleteTokenResponse{TokenResult: r}, nil
}
