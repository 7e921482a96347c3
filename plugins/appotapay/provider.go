package appotapay

import (
	"context"
	"errors"
	"net/http"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/payhost/payhost/plugin"
)

// Version is the provider's version, as GetInfo reports it.
const Version = "1.0.0"

// capabilities are what the provider does: sales (AppotaPay's payment API
// has no authorization and capture), status checks, partial and repeated
// refunds with their status, and callbacks; bank and card payments, both
// through AppotaPay's hosted page; VND only. Every API version does all
// of it.
var capabilities = plugin.Capabilities{
	Operations: []plugin.Operation{
		plugin.OpCreatePayment, plugin.OpGetPayment,
		plugin.OpRefund, plugin.OpPartialRefund, plugin.OpGetRefund,
		plugin.OpCallbacks,
	},
	Methods:    []plugin.PaymentMethod{plugin.MethodBank, plugin.MethodCard},
	Currencies: []string{currencyVND},
}

// api is one AppotaPay API version, in payhost's terms. Its errors are
// *plugin.Error; a rejection carries AppotaPay's errorCode (see
// rejectionError), so that the provider can recognise duplicates.
type api interface {
	// createPayment creates the order of a payment under its attempt id.
	createPayment(ctx context.Context, req *plugin.CreatePaymentRequest) (plugin.PaymentResult, error)
	// paymentStatus reports where order orderID stands.
	paymentStatus(ctx context.Context, orderID string) (plugin.PaymentResult, error)
	// refund refunds part of a paid transaction.
	refund(ctx context.Context, r *refundOrder) (refundState, error)
	// refundStatus reports where refund refundID (the partner's id)
	// stands.
	refundStatus(ctx context.Context, refundID string) (refundState, error)
	// notification verifies and reads an IPN or a forwarded redirect.
	notification(ctx context.Context, req *plugin.HandleCallbackRequest) (*notice, error)
}

// refundOrder is a refund to ask for.
type refundOrder struct {
	refundID string
	transID  string
	amount   plugin.Money
	reason   string
}

// refundState is a refund as AppotaPay reports it, with the transaction
// it refunds.
type refundState struct {
	plugin.RefundResult
	transID string
}

// notice is a verified notification: where the payment stands, and the
// notification's identity.
type notice struct {
	// source is "IPN" or "redirect", for logs and errors.
	source     string
	orderID    string
	transID    string
	result     plugin.PaymentResult
	occurredAt time.Time
}

// Provider is the AppotaPay provider. Create it with New; the host calls
// Configure before anything else.
type Provider struct {
	plugin.UnimplementedProvider

	// now is the clock of JWTs; transport carries the HTTP calls (nil:
	// Go's default). Tests replace both.
	now       func() time.Time
	transport http.RoundTripper

	instance atomic.Pointer[instance]
}

// instance is what Configure set up.
type instance struct{ api api }

// New returns an unconfigured AppotaPay provider.
func New() *Provider {
	return &Provider{now: time.Now}
}

// GetInfo describes the provider, its capabilities and its configuration.
func (p *Provider) GetInfo(context.Context, *plugin.GetInfoRequest) (*plugin.GetInfoResponse, error) {
	return &plugin.GetInfoResponse{
		Type:         "appotapay",
		Version:      Version,
		Description:  "AppotaPay (Vietnam): bank/ATM and card payments on AppotaPay's hosted page, API v1.1, v1.0 or v2, VND",
		Capabilities: capabilities,
		Schema:       schema,
	}, nil
}

// Configure validates the provider block and keeps it, with the callback
// URL that becomes AppotaPay's notifyUrl.
func (p *Provider) Configure(_ context.Context, req *plugin.ConfigureRequest) (*plugin.ConfigureResponse, error) {
	cfg, warnings, err := settingsFrom(req.Config, req.CallbackURL)
	if err != nil {
		return nil, err
	}
	c := newClient(cfg, p.transport, p.now)
	var a api = v1API{c}
	if cfg.version == version2 {
		a = v2API{c}
	}
	p.instance.Store(&instance{api: a})
	return &plugin.ConfigureResponse{Warnings: warnings}, nil
}

// api returns the API of the last Configure.
func (p *Provider) api() (api, error) {
	in := p.instance.Load()
	if in == nil {
		return nil, &plugin.Error{Kind: plugin.KindInternal, Message: "the provider is not configured: the host must call Configure first"}
	}
	return in.api, nil
}

// CreatePayment creates an AppotaPay order under the attempt id and
// answers requires_action with the hosted page's URL. A duplicate orderId
// (30) is looked up: it is this attempt when a previous answer was lost.
func (p *Provider) CreatePayment(ctx context.Context, req *plugin.CreatePaymentRequest) (*plugin.CreatePaymentResponse, error) {
	a, err := p.api()
	if err != nil {
		return nil, err
	}
	res, err := a.createPayment(ctx, req)
	if rejectedWith(err, "30") {
		res, err = existingOrder(ctx, a, req, err)
	}
	if err != nil {
		return nil, err
	}
	return &plugin.CreatePaymentResponse{PaymentResult: res}, nil
}

// existingOrder answers a create refused as a duplicate orderId: the order
// is this attempt's if it is for the same amount, and then its status is
// the answer (without the payment page's URL, which AppotaPay gives only
// once). Otherwise the refusal stands.
func existingOrder(ctx context.Context, a api, req *plugin.CreatePaymentRequest, refusal error) (plugin.PaymentResult, error) {
	res, err := a.paymentStatus(ctx, req.AttemptID)
	if err != nil {
		return res, plugin.UnknownOutcome(err, "%s: AppotaPay already has order %s and its status cannot be read: %v", opCreate, req.AttemptID, err)
	}
	if res.Amount != req.Amount {
		return res, refusal
	}
	plugin.Logger(ctx).Info("AppotaPay already had the order; answering its status", "order_id", req.AttemptID, "trans_id", res.ProviderReference, "status", res.Status)
	return res, nil
}

// GetPayment asks AppotaPay's status API about the attempt's order.
func (p *Provider) GetPayment(ctx context.Context, req *plugin.GetPaymentRequest) (*plugin.GetPaymentResponse, error) {
	a, err := p.api()
	if err != nil {
		return nil, err
	}
	if req.AttemptID == "" {
		return nil, plugin.InvalidRequest("attempt_id", "AppotaPay finds payments by orderId, the attempt id")
	}
	res, err := a.paymentStatus(ctx, req.AttemptID)
	if err != nil {
		return nil, err
	}
	return &plugin.GetPaymentResponse{PaymentResult: res}, nil
}

// Refund refunds part or all of a paid payment under the host's refund id
// (AppotaPay's partner refund id). Without the payment's transaction id
// it is looked up first. A duplicate refund id (31) is looked up: it is
// this refund when a previous answer was lost.
func (p *Provider) Refund(ctx context.Context, req *plugin.RefundRequest) (*plugin.RefundResponse, error) {
	a, err := p.api()
	if err != nil {
		return nil, err
	}
	if _, err := vndAmount(req.Amount, "amount"); err != nil {
		return nil, err
	}
	if req.RefundID == "" || utf8.RuneCountInString(req.RefundID) > maxOrderID {
		return nil, plugin.InvalidRequest("refund_id", "the refund id is AppotaPay's partner refund id: 1 to %d characters", maxOrderID)
	}
	transID, err := transactionID(ctx, a, req.PaymentRef)
	if err != nil {
		return nil, err
	}
	order := &refundOrder{
		refundID: req.RefundID,
		transID:  transID,
		amount:   req.Amount,
		reason:   truncate(firstNonEmpty(req.Reason, "Refund "+req.RefundID), maxReason),
	}
	st, err := a.refund(ctx, order)
	if rejectedWith(err, "31") {
		st, err = existingRefund(ctx, a, order, err)
	}
	if err != nil {
		return nil, err
	}
	return &plugin.RefundResponse{RefundResult: st.RefundResult}, nil
}

// transactionID is the payment's AppotaPay transaction id: the reference
// the host has, or the one the status API reports for the attempt. An
// attempt AppotaPay does not know (36) is invalid_request naming the
// attempt id, as for any call but a status query; another failed lookup
// means the refund was not sent.
func transactionID(ctx context.Context, a api, ref plugin.PaymentRef) (string, error) {
	if ref.ProviderReference != "" {
		return ref.ProviderReference, nil
	}
	if ref.AttemptID == "" {
		return "", plugin.InvalidRequest("provider_reference", "a refund needs the payment's transaction id or its attempt id")
	}
	res, err := a.paymentStatus(ctx, ref.AttemptID)
	// A payment AppotaPay does not have is the refund's mistake here, not
	// a payment never received.
	err = plugin.NotFoundAsInvalid(err, "attempt_id")
	var pe *plugin.Error
	switch {
	case errors.As(err, &pe) && (pe.Kind == plugin.KindInvalidRequest || pe.Kind == plugin.KindAuthentication):
		return "", err
	case err != nil:
		return "", plugin.NotSent(err, "%s: the payment's transaction id could not be looked up: %v", opRefund, err)
	case res.ProviderReference == "":
		return "", plugin.InvalidRequest("provider_reference", "AppotaPay reports no transaction for attempt %s (status %s): nothing to refund", ref.AttemptID, res.Status)
	}
	return res.ProviderReference, nil
}

// existingRefund answers a refund refused as a duplicate refund id: the
// refund is this one if it is for the same transaction and amount.
// Otherwise the refusal stands.
func existingRefund(ctx context.Context, a api, order *refundOrder, refusal error) (refundState, error) {
	st, err := a.refundStatus(ctx, order.refundID)
	if err != nil {
		return st, plugin.UnknownOutcome(err, "%s: AppotaPay already has refund %s and it cannot be read: %v", opRefund, order.refundID, err)
	}
	if st.transID != order.transID || st.Amount != order.amount {
		return st, refusal
	}
	plugin.Logger(ctx).Info("AppotaPay already had the refund; answering its status", "refund_id", order.refundID, "status", st.Status)
	return st, nil
}

// GetRefund looks the refund up by the host's refund id.
func (p *Provider) GetRefund(ctx context.Context, req *plugin.GetRefundRequest) (*plugin.GetRefundResponse, error) {
	a, err := p.api()
	if err != nil {
		return nil, err
	}
	if req.RefundID == "" {
		return nil, plugin.InvalidRequest("refund_id", "AppotaPay finds refunds by the partner's refund id")
	}
	st, err := a.refundStatus(ctx, req.RefundID)
	if err != nil {
		return nil, err
	}
	return &plugin.GetRefundResponse{RefundResult: st.RefundResult}, nil
}

// HandleCallback verifies and normalises an IPN or a forwarded browser
// redirect; see callback.go.
func (p *Provider) HandleCallback(ctx context.Context, req *plugin.HandleCallbackRequest) (*plugin.HandleCallbackResponse, error) {
	a, err := p.api()
	if err != nil {
		return nil, err
	}
	return handleCallback(ctx, a, req)
}

// rejectedWith reports whether err is AppotaPay's rejection with code.
func rejectedWith(err error, code string) bool {
	var pe *plugin.Error
	return errors.As(err, &pe) && pe.Kind == plugin.KindInvalidRequest && pe.Code == code
}

var _ plugin.Provider = (*Provider)(nil)
