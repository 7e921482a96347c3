package appotapay

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/payhost/payhost/plugin"
)

// Version is the provider's version, as GetInfo reports it.
const Version = "1.0.0"

// capabilities are what the provider does: sales (AppotaPay v1.x has no
// authorization and capture), status checks, partial and repeated
// refunds with their status, and IPN callbacks; bank and card payments,
// both through AppotaPay's hosted page; VND only.
var capabilities = plugin.Capabilities{
	Operations: []plugin.Operation{
		plugin.OpCreatePayment, plugin.OpGetPayment,
		plugin.OpRefund, plugin.OpPartialRefund, plugin.OpGetRefund,
		plugin.OpCallbacks,
	},
	Methods:    []plugin.PaymentMethod{plugin.MethodBank, plugin.MethodCard},
	Currencies: []string{currencyVND},
}

// Provider is the AppotaPay provider. Create it with New; the host calls
// Configure before anything else.
type Provider struct {
	plugin.UnimplementedProvider

	// now is the clock of JWTs; transport carries the HTTP calls (nil:
	// Go's default). Tests replace both.
	now       func() time.Time
	transport http.RoundTripper

	client atomic.Pointer[client]
}

// New returns an unconfigured AppotaPay provider.
func New() *Provider {
	return &Provider{now: time.Now}
}

// GetInfo describes the provider, its capabilities and its configuration.
func (p *Provider) GetInfo(context.Context, *plugin.GetInfoRequest) (*plugin.GetInfoResponse, error) {
	return &plugin.GetInfoResponse{
		Type:         "appotapay",
		Version:      Version,
		Description:  "AppotaPay (Vietnam): bank/ATM and card payments on AppotaPay's hosted page, API v1.1 or v1.0, VND",
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
	p.client.Store(newClient(cfg, p.transport, p.now))
	return &plugin.ConfigureResponse{Warnings: warnings}, nil
}

// configured returns the client of the last Configure.
func (p *Provider) configured() (*client, error) {
	c := p.client.Load()
	if c == nil {
		return nil, &plugin.Error{Kind: plugin.KindInternal, Message: "the provider is not configured: the host must call Configure first"}
	}
	return c, nil
}

// CreatePayment creates an AppotaPay order under the attempt id and
// answers requires_action with the hosted page's paymentUrl. A duplicate
// orderId (30) is looked up: it is this attempt when a previous answer was
// lost.
func (p *Provider) CreatePayment(ctx context.Context, req *plugin.CreatePaymentRequest) (*plugin.CreatePaymentResponse, error) {
	c, err := p.configured()
	if err != nil {
		return nil, err
	}
	w, err := createRequestOf(req, c.cfg)
	if err != nil {
		return nil, err
	}
	w.Signature = sign(c.cfg.secretKey, w.signed())
	var resp createResponse
	if err := c.call(ctx, opCreate, http.MethodPost, c.cfg.path(pathCreateV10, pathCreateV11), w, &resp); err != nil {
		return nil, err
	}
	code := resp.ErrorCode.String()
	plugin.Logger(ctx).Info("AppotaPay create payment", "order_id", w.OrderID, "error_code", code)
	switch code {
	case codeSuccess:
		res, err := c.createdPayment(w, &resp)
		if err != nil {
			return nil, err
		}
		return &plugin.CreatePaymentResponse{PaymentResult: res}, nil
	case "30":
		return p.existingOrder(ctx, c, req, resp.Message)
	case "":
		return nil, plugin.UnknownOutcome(nil, "%s: the answer has no errorCode", opCreate)
	default:
		return nil, rejectionError(opCreate, code, resp.Message)
	}
}

// createdPayment checks a create answer that says success: signed, about
// this order, with a usable paymentUrl. Anything less is an unknown
// outcome, never a success.
func (c *client) createdPayment(w *createRequest, resp *createResponse) (plugin.PaymentResult, error) {
	if !verify(c.cfg.secretKey, resp.signed(), resp.Signature) {
		return plugin.PaymentResult{}, plugin.UnknownOutcome(nil, "%s: the answer's signature does not verify; the order may exist", opCreate)
	}
	if resp.OrderID != w.OrderID {
		return plugin.PaymentResult{}, plugin.UnknownOutcome(nil, "%s: the answer is about order %q, not %q", opCreate, resp.OrderID, w.OrderID)
	}
	if u, err := url.Parse(resp.PaymentURL); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return plugin.PaymentResult{}, plugin.UnknownOutcome(err, "%s: the answer has no usable paymentUrl", opCreate)
	}
	amount, err := moneyOf(resp.Amount)
	if err != nil {
		return plugin.PaymentResult{}, plugin.UnknownOutcome(err, "%s: the answer's amount cannot be read", opCreate)
	}
	return plugin.PaymentResult{
		Status:         plugin.StatusRequiresAction,
		NextAction:     &plugin.NextAction{Type: plugin.ActionRedirect, URL: resp.PaymentURL},
		Amount:         amount,
		ProviderStatus: codeSuccess,
	}, nil
}

// existingOrder answers a create refused as a duplicate orderId: the order
// is this attempt's if it is for the same amount, and then its status is
// the answer (without the paymentUrl, which AppotaPay gives only once).
func (p *Provider) existingOrder(ctx context.Context, c *client, req *plugin.CreatePaymentRequest, message string) (*plugin.CreatePaymentResponse, error) {
	res, err := c.status(ctx, req.AttemptID)
	if err != nil {
		return nil, plugin.UnknownOutcome(err, "%s: AppotaPay already has order %s and its status cannot be read: %v", opCreate, req.AttemptID, err)
	}
	if res.Amount != req.Amount {
		return nil, rejectionError(opCreate, "30", message)
	}
	plugin.Logger(ctx).Info("AppotaPay already had the order; answering its status", "order_id", req.AttemptID, "trans_id", res.ProviderReference, "status", res.Status)
	return &plugin.CreatePaymentResponse{PaymentResult: res}, nil
}

// GetPayment asks AppotaPay's status API about the attempt's order.
func (p *Provider) GetPayment(ctx context.Context, req *plugin.GetPaymentRequest) (*plugin.GetPaymentResponse, error) {
	c, err := p.configured()
	if err != nil {
		return nil, err
	}
	if req.AttemptID == "" {
		return nil, plugin.InvalidRequest("attempt_id", "AppotaPay finds payments by orderId, the attempt id")
	}
	res, err := c.status(ctx, req.AttemptID)
	if err != nil {
		return nil, err
	}
	return &plugin.GetPaymentResponse{PaymentResult: res}, nil
}

// status checks order orderID. A signed result is the payment's status;
// an unsigned "red code" says to ask again (processing); other unsigned
// answers are rejections. A result whose signature does not verify, or
// that is about another order, is an unknown outcome.
func (c *client) status(ctx context.Context, orderID string) (plugin.PaymentResult, error) {
	w := &statusRequest{OrderID: orderID}
	w.Signature = sign(c.cfg.secretKey, w.signed())
	var tr transactionResult
	if err := c.call(ctx, opStatus, http.MethodPost, c.cfg.path(pathStatusV10, pathStatusV11), w, &tr); err != nil {
		return plugin.PaymentResult{}, err
	}
	code := tr.ErrorCode.String()
	plugin.Logger(ctx).Info("AppotaPay payment status", "order_id", orderID, "trans_id", tr.AppotapayTransID, "error_code", code)
	if tr.Signature == "" {
		status, known := paymentStatusOf(code)
		switch {
		case code == "" || status == plugin.StatusSucceeded:
			return plugin.PaymentResult{}, plugin.UnknownOutcome(nil, "%s: the answer (errorCode %q) is not signed", opStatus, code)
		case known && status == plugin.StatusProcessing:
			return plugin.PaymentResult{Status: plugin.StatusProcessing, ProviderStatus: code}, nil
		}
		return plugin.PaymentResult{}, rejectionError(opStatus, code, tr.Message)
	}
	return c.verifiedResult(ctx, &tr, orderID)
}

// verifiedResult checks a signed transaction result (13 keys, or 14 with
// tokenResult) from this partner about orderID and maps it.
func (c *client) verifiedResult(ctx context.Context, tr *transactionResult, orderID string) (plugin.PaymentResult, error) {
	if !verifyResult(c.cfg.secretKey, tr) {
		return plugin.PaymentResult{}, plugin.UnknownOutcome(nil, "%s: the answer's signature does not verify", opStatus)
	}
	if tr.OrderID != orderID || tr.PartnerCode != c.cfg.partnerCode {
		return plugin.PaymentResult{}, plugin.UnknownOutcome(nil, "%s: the answer is about order %q of partner %q", opStatus, tr.OrderID, tr.PartnerCode)
	}
	res, err := paymentResultOf(ctx, tr)
	if err != nil {
		return plugin.PaymentResult{}, plugin.UnknownOutcome(err, "%s: the answer cannot be read: %v", opStatus, err)
	}
	return res, nil
}

// Refund refunds part or all of a paid payment under the host's refund id
// (AppotaPay's refundId). Without the payment's appotapayTransId it is
// looked up first. A duplicate refundId (31) is looked up: it is this
// refund when a previous answer was lost.
func (p *Provider) Refund(ctx context.Context, req *plugin.RefundRequest) (*plugin.RefundResponse, error) {
	c, err := p.configured()
	if err != nil {
		return nil, err
	}
	amount, err := vndAmount(req.Amount, "amount")
	if err != nil {
		return nil, err
	}
	if req.RefundID == "" || utf8.RuneCountInString(req.RefundID) > maxOrderID {
		return nil, plugin.InvalidRequest("refund_id", "the refund id is AppotaPay's refundId: 1 to %d characters", maxOrderID)
	}
	transID, err := c.transactionID(ctx, req.PaymentRef)
	if err != nil {
		return nil, err
	}
	w := &refundRequest{
		RefundID:         req.RefundID,
		AppotapayTransID: transID,
		Amount:           amount,
		Reason:           truncate(firstNonEmpty(req.Reason, "Refund "+req.RefundID), maxReason),
	}
	w.Signature = sign(c.cfg.secretKey, w.signed())
	var rr refundResponse
	if err := c.call(ctx, opRefund, http.MethodPost, pathRefund, w, &rr); err != nil {
		return nil, err
	}
	code := rr.ErrorCode.String()
	plugin.Logger(ctx).Info("AppotaPay refund", "refund_id", w.RefundID, "trans_id", transID, "error_code", code, "status", rr.Data.Status)
	switch code {
	case codeSuccess:
		res, err := c.verifiedRefund(ctx, opRefund, &rr, w.RefundID)
		if err != nil {
			return nil, err
		}
		return &plugin.RefundResponse{RefundResult: res}, nil
	case "31":
		return c.existingRefund(ctx, w, rr.Message)
	case "":
		return nil, plugin.UnknownOutcome(nil, "%s: the answer has no errorCode", opRefund)
	default:
		return nil, rejectionError(opRefund, code, rr.Message)
	}
}

// transactionID is the payment's appotapayTransId: the reference the host
// has, or the one the status API reports for the attempt. A failed lookup
// means the refund was not sent.
func (c *client) transactionID(ctx context.Context, ref plugin.PaymentRef) (string, error) {
	if ref.ProviderReference != "" {
		return ref.ProviderReference, nil
	}
	if ref.AttemptID == "" {
		return "", plugin.InvalidRequest("provider_reference", "a refund needs the payment's appotapayTransId or its attempt id")
	}
	res, err := c.status(ctx, ref.AttemptID)
	var pe *plugin.Error
	switch {
	case errors.As(err, &pe) && (pe.Kind == plugin.KindInvalidRequest || pe.Kind == plugin.KindAuthentication):
		return "", err
	case err != nil:
		return "", plugin.NotSent(err, "%s: the payment's appotapayTransId could not be looked up: %v", opRefund, err)
	case res.ProviderReference == "":
		return "", plugin.InvalidRequest("provider_reference", "AppotaPay reports no transaction for attempt %s (status %s): nothing to refund", ref.AttemptID, res.Status)
	}
	return res.ProviderReference, nil
}

// existingRefund answers a refund refused as a duplicate refundId: the
// refund is this one if it is for the same payment and amount.
func (c *client) existingRefund(ctx context.Context, w *refundRequest, message string) (*plugin.RefundResponse, error) {
	rr, res, err := c.lookupRefund(ctx, w.RefundID)
	if err != nil {
		return nil, plugin.UnknownOutcome(err, "%s: AppotaPay already has refund %s and it cannot be read: %v", opRefund, w.RefundID, err)
	}
	if rr.Data.AppotapayTransID != w.AppotapayTransID || rr.Data.Amount != w.Amount {
		return nil, rejectionError(opRefund, "31", message)
	}
	plugin.Logger(ctx).Info("AppotaPay already had the refund; answering its status", "refund_id", w.RefundID, "status", res.Status)
	return &plugin.RefundResponse{RefundResult: res}, nil
}

// GetRefund looks the refund up by the host's refund id.
func (p *Provider) GetRefund(ctx context.Context, req *plugin.GetRefundRequest) (*plugin.GetRefundResponse, error) {
	c, err := p.configured()
	if err != nil {
		return nil, err
	}
	if req.RefundID == "" {
		return nil, plugin.InvalidRequest("refund_id", "AppotaPay finds refunds by refundId, the refund id")
	}
	_, res, err := c.lookupRefund(ctx, req.RefundID)
	if err != nil {
		return nil, err
	}
	return &plugin.GetRefundResponse{RefundResult: res}, nil
}

// lookupRefund reads refund refundID (the partner's id) and maps it.
func (c *client) lookupRefund(ctx context.Context, refundID string) (*refundResponse, plugin.RefundResult, error) {
	var rr refundResponse
	if err := c.call(ctx, opRefundLookup, http.MethodGet, pathRefundLookup+url.PathEscape(refundID), nil, &rr); err != nil {
		return nil, plugin.RefundResult{}, err
	}
	code := rr.ErrorCode.String()
	plugin.Logger(ctx).Info("AppotaPay refund status", "refund_id", refundID, "error_code", code, "status", rr.Data.Status)
	switch code {
	case codeSuccess:
		res, err := c.verifiedRefund(ctx, opRefundLookup, &rr, refundID)
		return &rr, res, err
	case "":
		return nil, plugin.RefundResult{}, plugin.UnknownOutcome(nil, "%s: the answer has no errorCode", opRefundLookup)
	default:
		return nil, plugin.RefundResult{}, rejectionError(opRefundLookup, code, rr.Message)
	}
}

// verifiedRefund checks a refund answer that says success: signed (8
// keys) and about refundID. Anything less is an unknown outcome.
func (c *client) verifiedRefund(ctx context.Context, op operation, rr *refundResponse, refundID string) (plugin.RefundResult, error) {
	if !verify(c.cfg.secretKey, rr.signed(), rr.Signature) {
		return plugin.RefundResult{}, plugin.UnknownOutcome(nil, "%s: the answer's signature does not verify", op)
	}
	if rr.Data.RefundOriginalID != refundID {
		return plugin.RefundResult{}, plugin.UnknownOutcome(nil, "%s: the answer is about refund %q, not %q", op, rr.Data.RefundOriginalID, refundID)
	}
	res, err := refundResultOf(ctx, rr)
	if err != nil {
		return plugin.RefundResult{}, plugin.UnknownOutcome(err, "%s: the answer cannot be read: %v", op, err)
	}
	return res, nil
}

// HandleCallback verifies and normalises an IPN or a forwarded browser
// redirect; see callback.go.
func (p *Provider) HandleCallback(ctx context.Context, req *plugin.HandleCallbackRequest) (*plugin.HandleCallbackResponse, error) {
	c, err := p.configured()
	if err != nil {
		return nil, err
	}
	return c.handleCallback(ctx, req)
}

// path picks the v1.0 or v1.1 path of a call.
func (s *settings) path(v10, v11 string) string {
	if s.version == version10 {
		return v10
	}
	return v11
}

var _ plugin.Provider = (*Provider)(nil)
