package redotpay

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/payhost/payhost/plugin"
)

// connectGateway speaks the official RedotPay Connect API: every call is
// a POST of JSON signed with SHA256withRSA (GATEWAYS.md §1.3); orders are
// created, queried and closed, and webhooks say when one is paid or
// refunded.
type connectGateway struct {
	s           *settings
	c           *client
	now         func() time.Time
	callbackURL string
}

// errNoCheckout is a create answer without any checkout URL.
var errNoCheckout = errors.New("the answer has no checkout URL")

// connectErrorKinds classifies Connect's error codes. RedotPay's real
// codes were not found; these are the emulator's (its doc.go), and any
// other code is an unknown outcome. ORDER_NOT_FOUND answering the order
// query is not_found instead (connectOrderNotFound); NOT_FOUND is the
// emulator's "no such endpoint", never an answer about an order.
var connectErrorKinds = map[string]plugin.ErrorKind{
	"PARAM_ERROR":         plugin.KindInvalidRequest,
	"NOT_FOUND":           plugin.KindInvalidRequest,
	"ORDER_NOT_FOUND":     plugin.KindInvalidRequest,
	"ORDER_EXISTS":        plugin.KindInvalidRequest,
	"ORDER_PAID":          plugin.KindInvalidRequest,
	"ORDER_CLOSED":        plugin.KindInvalidRequest,
	"ORDER_NOT_PAID":      plugin.KindInvalidRequest,
	"ORDER_STATUS_ERROR":  plugin.KindInvalidRequest,
	"REFUND_AMOUNT_ERROR": plugin.KindInvalidRequest,
	"AMOUNT_ERROR":        plugin.KindInvalidRequest,
	"APP_KEY_INVALID":     plugin.KindAuthentication,
	"KEY_VERSION_INVALID": plugin.KindAuthentication,
	"TIMESTAMP_INVALID":   plugin.KindAuthentication,
	"SIGN_ERROR":          plugin.KindAuthentication,
	"RISK_REJECT":         plugin.KindDeclined,
}

// connectOrderNotFound is Connect's "no such order".
const connectOrderNotFound = "ORDER_NOT_FOUND"

// sign adds the Connect authentication headers: X-R-AK, X-R-Ts (epoch
// ms), X-R-Key-Version and X-R-Signature over the exact body.
func (g *connectGateway) sign(req *http.Request, body []byte) error {
	ts := strconv.FormatInt(g.now().UnixMilli(), 10)
	sig, err := signRSA(g.s.privateKey.key, requestStringToSign(req.Method, req.URL.EscapedPath(), g.s.appKey, ts, body))
	if err != nil {
		return err
	}
	req.Header.Set("X-R-AK", g.s.appKey)
	req.Header.Set("X-R-Ts", ts)
	req.Header.Set("X-R-Key-Version", strconv.FormatInt(g.s.keyVersion, 10))
	req.Header.Set("X-R-Signature", sig)
	return nil
}

// call POSTs payload to path and decodes the data of a SUCCESS answer
// into out; any other code is an error by connectErrorKinds.
func (g *connectGateway) call(ctx context.Context, path string, payload, out any, what string) error {
	body, err := encodeBody(payload)
	if err != nil {
		return err
	}
	resp, err := g.c.do(ctx, http.MethodPost, path, nil, body, g.sign, what)
	if err != nil {
		return err
	}
	var env connectEnvelope
	if err := decodeData(resp, resp.Body, &env, what); err != nil {
		return err
	}
	if env.Code != connectSuccess {
		return gatewayError(ctx, what, connectErrorKinds, env.Code, "", env.Msg, "")
	}
	return decodeData(resp, env.Data, out, what)
}

// createPayment creates an order for the attempt (never an authorization:
// Connect instances do not declare authorize) and answers how the
// customer pays it: the checkout page for env, or, in the manual flow, a
// QR code, deep link or payment URL from /payment-method.
func (g *connectGateway) createPayment(ctx context.Context, req *plugin.CreatePaymentRequest) (*plugin.PaymentResult, error) {
	method, err := checkoutMethod(req)
	if err != nil {
		return nil, err
	}
	body, err := connectCreate(req, g.s.env, g.callbackURL, method != "")
	if err != nil {
		return nil, err
	}
	var data connectCreateData
	if err := g.call(ctx, pathCreate, body, &data, "create order"); err != nil {
		return nil, err
	}
	log := plugin.Logger(ctx)
	log.Info("order created", "attempt", req.AttemptID, "orderSn", data.OrderSn, "manual", method != "")
	amount, err := moneyFromDecimal(data.OrderAmount, data.OrderCurrency)
	if err != nil {
		return nil, notUnderstood("create order", err)
	}
	res := &plugin.PaymentResult{
		Status: plugin.StatusRequiresAction, ProviderReference: data.OrderSn, Amount: amount, ProviderStatus: "created",
	}
	if method == "" {
		url := checkoutURL(g.s.env, data)
		if url == "" {
			return nil, notUnderstood("create order", errNoCheckout)
		}
		res.NextAction = &plugin.NextAction{Type: plugin.ActionRedirect, URL: url, ExpiresAt: millis(data.TimeExpire)}
		return res, nil
	}
	var info connectPaymentMethodData
	err = g.call(ctx, pathPaymentMethod, connectPaymentMethodRequest{OrderSn: data.OrderSn, PaymentMethod: method}, &info, "get payment method")
	if err == nil {
		res.NextAction, err = manualAction(method, paymentInfo{
			payURL: info.PayURL, qrCode: info.QRCode, deepLink: info.DeepLink, expires: millis(info.TimeExpire),
		})
	}
	if err != nil {
		// The order exists; only how to pay it is missing.
		return nil, plugin.UnknownOutcome(err, "order %s was created, but its payment info could not be read: %v", data.OrderSn, err)
	}
	return res, nil
}

// getPayment reads the order's detail, by orderSn or, when the create
// answer was lost, by the attempt id. An order Connect does not have
// (ORDER_NOT_FOUND) is not_found.
func (g *connectGateway) getPayment(ctx context.Context, req *plugin.GetPaymentRequest) (*plugin.PaymentResult, error) {
	res, err := g.orderCall(ctx, pathDetail, req.PaymentRef, "query order")
	if err != nil {
		// gatewayError made the gateway's "no such order" invalid_request,
		// as in any other call; a status query's is not_found.
		return nil, plugin.AsNotFound(err, connectOrderNotFound)
	}
	return res, nil
}

// void closes an unpaid order. The close answer is the order's detail, so
// canceled is reported only when it shows the order closed; a paid order
// cannot be closed (ORDER_PAID).
func (g *connectGateway) void(ctx context.Context, req *plugin.VoidRequest) (*plugin.PaymentResult, error) {
	return g.orderCall(ctx, pathClose, req.PaymentRef, "close order")
}

func (g *connectGateway) orderCall(ctx context.Context, path string, ref plugin.PaymentRef, what string) (*plugin.PaymentResult, error) {
	q := connectOrderRef{OrderSn: ref.ProviderReference}
	if q.OrderSn == "" {
		id, err := orderID(ref.AttemptID)
		if err != nil {
			return nil, err
		}
		q.OuterOrderSn = id
	}
	var d connectDetail
	if err := g.call(ctx, path, q, &d, what); err != nil {
		return nil, err
	}
	res, err := detailResult(d, g.now(), plugin.Logger(ctx))
	if err != nil {
		return nil, notUnderstood(what, err)
	}
	plugin.Logger(ctx).Info("order status", "call", what, "orderSn", d.OrderSn, "orderStatus", string(d.OrderStatus), "status", res.Status)
	return res, nil
}
