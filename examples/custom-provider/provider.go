package tinypay

import (
	"context"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/payhost/payhost/plugin"
)

// Version is the provider's semantic version.
const Version = "0.1.0"

// Provider is the tinypay provider. It is a stateless translator:
// Configure gives it an instance's configuration, and every other call
// maps one payhost request to tinypay and back.
type Provider struct {
	plugin.UnimplementedProvider

	// now is the clock: request timestamps and the callback tolerance.
	now func() time.Time

	mu   sync.RWMutex
	inst *instance
}

// instance is one configured provider instance.
type instance struct {
	client
	// callbackURL is where tinypay's callbacks reach the host (notify_url).
	callbackURL string
}

// New returns an unconfigured provider, for plugin.Serve.
func New() *Provider { return &Provider{now: time.Now} }

// capabilities is what tinypay does: hosted-page payments (sales only),
// status queries, refunds in part and repeated, and callbacks. The SDK
// answers unsupported to everything else.
var capabilities = plugin.Capabilities{
	Operations: []plugin.Operation{
		plugin.OpCreatePayment, plugin.OpGetPayment, plugin.OpRefund, plugin.OpPartialRefund, plugin.OpCallbacks,
	},
	Methods:    []plugin.PaymentMethod{plugin.MethodCard, plugin.MethodWallet},
	Currencies: currencies,
}

// GetInfo describes the provider.
func (p *Provider) GetInfo(context.Context, *plugin.GetInfoRequest) (*plugin.GetInfoResponse, error) {
	return &plugin.GetInfoResponse{
		Type:         "tinypay",
		Version:      Version,
		Description:  "tinypay (an example gateway): card and wallet payments on its hosted page, status queries, refunds, signed callbacks",
		Capabilities: capabilities,
		Schema:       schema,
	}, nil
}

// Configure validates the instance's configuration and keeps it.
func (p *Provider) Configure(_ context.Context, req *plugin.ConfigureRequest) (*plugin.ConfigureResponse, error) {
	cfg, err := parseConfig(req.Config)
	if err != nil {
		return nil, err
	}
	var warnings []string
	if req.CallbackURL == "" {
		warnings = append(warnings, "the host gave no callback URL: payments, which need tinypay's notify_url, will be refused")
	}
	httpClient := &http.Client{
		Timeout: cfg.timeout,
		// tinypay's API does not redirect; following one would turn a POST
		// into a GET elsewhere.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	inst := &instance{client: client{cfg: cfg, http: httpClient, now: p.now}, callbackURL: req.CallbackURL}
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

// CreatePayment creates the payment at tinypay and answers its hosted
// page as the next action.
func (p *Provider) CreatePayment(ctx context.Context, req *plugin.CreatePaymentRequest) (*plugin.CreatePaymentResponse, error) {
	in, err := p.configured()
	if err != nil {
		return nil, err
	}
	w, err := createRequestOf(req, in.callbackURL)
	if err != nil {
		return nil, err
	}
	var ans payment
	if err := in.call(ctx, http.MethodPost, "/v1/payments", w, &ans, "create payment"); err != nil {
		return nil, err
	}
	res, err := paymentResultOf(ctx, &ans)
	if err != nil {
		// tinypay took the order; only a status query can tell its state.
		return nil, plugin.UnknownOutcome(err, "create payment: %v", err)
	}
	plugin.Logger(ctx).Info("tinypay payment created", "attempt_id", req.AttemptID, "payment", ans.ID, "status", ans.Status)
	return &plugin.CreatePaymentResponse{PaymentResult: res}, nil
}

// GetPayment asks tinypay where a payment stands: by tinypay's id when
// known, else by order id (the attempt id).
func (p *Provider) GetPayment(ctx context.Context, req *plugin.GetPaymentRequest) (*plugin.GetPaymentResponse, error) {
	in, err := p.configured()
	if err != nil {
		return nil, err
	}
	ans, err := in.lookup(ctx, req.PaymentRef)
	if err != nil {
		// tinypay's "not_found" answer, which refusal makes an
		// invalid_request as in any call, is kind not_found in a status
		// query: tinypay has no such payment. With it the host resolves a
		// payment whose create had an unknown outcome, and that tinypay
		// never received, as failed once the answer has held long enough.
		return nil, plugin.AsNotFound(err, "not_found")
	}
	res, err := paymentResultOf(ctx, ans)
	if err != nil {
		return nil, plugin.UnknownOutcome(err, "payment status: %v", err)
	}
	return &plugin.GetPaymentResponse{PaymentResult: res}, nil
}

// Refund refunds part or all of a paid payment. tinypay refuses a refund
// above what is left (amount_exceeds_refundable), which becomes
// invalid_request.
func (p *Provider) Refund(ctx context.Context, req *plugin.RefundRequest) (*plugin.RefundResponse, error) {
	in, err := p.configured()
	if err != nil {
		return nil, err
	}
	amount, err := amountOf(req.Amount, "amount")
	if err != nil {
		return nil, err
	}
	if req.RefundID == "" {
		return nil, plugin.InvalidRequest("refund_id", "tinypay needs the host's refund id, which makes the refund idempotent")
	}
	id := req.ProviderReference
	if id == "" {
		ans, err := in.lookup(ctx, req.PaymentRef)
		if err != nil {
			return nil, err
		}
		id = ans.ID
	}
	var ans refund
	body := refundRequest{RefundID: req.RefundID, Amount: amount, Reason: req.Reason}
	if err := in.call(ctx, http.MethodPost, "/v1/payments/"+url.PathEscape(id)+"/refunds", body, &ans, "refund"); err != nil {
		return nil, err
	}
	res, err := refundResultOf(&ans)
	if err != nil {
		return nil, plugin.UnknownOutcome(err, "refund: %v", err)
	}
	return &plugin.RefundResponse{RefundResult: res}, nil
}

// lookup fetches a payment by tinypay's id, else by order id.
func (in *instance) lookup(ctx context.Context, ref plugin.PaymentRef) (*payment, error) {
	path := "/v1/payments/" + url.PathEscape(ref.ProviderReference)
	if ref.ProviderReference == "" {
		if ref.AttemptID == "" {
			return nil, plugin.InvalidRequest("provider_reference", "finding a tinypay payment needs its id or the attempt id")
		}
		path = "/v1/orders/" + url.PathEscape(ref.AttemptID)
	}
	var ans payment
	if err := in.call(ctx, http.MethodGet, path, nil, &ans, "payment status"); err != nil {
		return nil, err
	}
	return &ans, nil
}

var _ plugin.Provider = (*Provider)(nil)
