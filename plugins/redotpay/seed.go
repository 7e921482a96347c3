package redotpay

import (
	"context"
	"net/http"
	"net/url"
	"time"

	"github.com/payhost/payhost/plugin"
)

// seedGateway speaks the API of the seed page (redotpay-connect.txt):
// Bearer merchant key, snake_case orders with an HMAC-signed callback, and
// the /v1 card endpoints (seed_cards.go). The page is a look-alike of
// RedotPay's documentation (GATEWAYS.md §1.0); this protocol exists for
// the emulator's seed profile.
type seedGateway struct {
	s           *settings
	c           *client
	now         func() time.Time
	callbackURL string
}

// seedErrorKinds classifies the seed's numeric error codes (the emulator's
// design; the seed shows only code 0). Any other code is an unknown
// outcome. 40401 answering the order query is not_found instead
// (seedOrderNotFound); 40400 is "no such endpoint".
var seedErrorKinds = map[string]plugin.ErrorKind{
	"40001": plugin.KindInvalidRequest,
	"40101": plugin.KindAuthentication,
	"40400": plugin.KindInvalidRequest,
	"40401": plugin.KindInvalidRequest,
	"40901": plugin.KindInvalidRequest,
	"40902": plugin.KindInvalidRequest,
	"40903": plugin.KindInvalidRequest,
	"40904": plugin.KindInvalidRequest,
	"40905": plugin.KindInvalidRequest,
	"42201": plugin.KindInvalidRequest,
	"42202": plugin.KindDeclined,
}

// seedOrderNotFound is the seed's "no such order".
const seedOrderNotFound = "40401"

// bearer authenticates a call with the merchant key.
func (g *seedGateway) bearer(req *http.Request, _ []byte) error {
	req.Header.Set("Authorization", "Bearer "+g.s.merchantKey.Reveal())
	return nil
}

// orderCall sends an order call and decodes the data of a code-0 answer
// into out; payload nil sends no body.
func (g *seedGateway) orderCall(ctx context.Context, method, path string, query url.Values, payload, out any, what string) error {
	var body []byte
	if payload != nil {
		var err error
		if body, err = encodeBody(payload); err != nil {
			return err
		}
	}
	resp, err := g.c.do(ctx, method, path, query, body, g.bearer, what)
	if err != nil {
		return err
	}
	var env seedEnvelope
	if err := decodeData(resp, resp.Body, &env, what); err != nil {
		return err
	}
	if env.Code != "0" {
		return gatewayError(ctx, what, seedErrorKinds, env.Code.String(), "", env.Message, "")
	}
	return decodeData(resp, env.Data, out, what)
}

// createPayment authorizes a card (seed_cards.go), or creates an order
// and answers how the customer pays it: the payment page, or in the
// manual flow a QR code, deep link or payment URL.
func (g *seedGateway) createPayment(ctx context.Context, req *plugin.CreatePaymentRequest) (*plugin.PaymentResult, error) {
	if req.Method == plugin.MethodCard {
		return g.authorize(ctx, req)
	}
	if req.Capture == plugin.CaptureManual {
		return nil, plugin.InvalidRequest("capture", "seed orders are paid in one step; only card payments can be authorized")
	}
	method, err := checkoutMethod(req)
	if err != nil {
		return nil, err
	}
	body, err := seedCreate(req, g.s.merchantCode, g.callbackURL, method != "")
	if err != nil {
		return nil, err
	}
	var data seedCreateData
	if err := g.orderCall(ctx, http.MethodPost, pathSeedCreate, nil, body, &data, "create order"); err != nil {
		return nil, err
	}
	plugin.Logger(ctx).Info("order created", "attempt", req.AttemptID, "order_sn", data.OrderSn, "manual", method != "")
	res := &plugin.PaymentResult{Status: plugin.StatusRequiresAction, ProviderReference: data.OrderSn, ProviderStatus: "created"}
	info := paymentInfo{payURL: data.PaymentURL, expires: g.expiry(data.ExpireTime)}
	if method != "" {
		var pay seedPaymentData
		err = g.orderCall(ctx, http.MethodGet, pathSeedPaymentMethod, url.Values{"order_sn": {data.OrderSn}}, nil, &pay, "get payment method")
		info = paymentInfo{payURL: pay.PaymentURL, qrCode: pay.QRCode, deepLink: pay.DeepLink, expires: g.expiry(pay.ExpireTime)}
	}
	if err == nil {
		res.NextAction, err = manualAction(firstNonEmpty(method, payWeb), info)
	}
	if err != nil {
		// The order exists; only how to pay it is missing.
		return nil, plugin.UnknownOutcome(err, "order %s was created, but its payment info could not be read: %v", data.OrderSn, err)
	}
	return res, nil
}

// expiry turns the seed's expire_time (seconds left) into a time.
func (g *seedGateway) expiry(seconds int64) time.Time {
	if seconds <= 0 {
		return time.Time{}
	}
	return g.now().Add(time.Duration(seconds) * time.Second).UTC()
}

// getPayment reads an order by its order_sn, the only key the seed's
// status query takes; an order the seed does not have (40401) is
// not_found. Card transactions have no status query.
func (g *seedGateway) getPayment(ctx context.Context, req *plugin.GetPaymentRequest) (*plugin.PaymentResult, error) {
	if req.Method == plugin.MethodCard {
		return nil, plugin.GatewayError(plugin.KindUnsupported, "", "the seed card API (/v1) has no status query")
	}
	if req.ProviderReference == "" {
		return nil, plugin.InvalidRequest("provider_reference", "the seed API finds an order only by its order_sn, which this payment does not have")
	}
	var o seedOrder
	if err := g.orderCall(ctx, http.MethodGet, pathSeedOrder+req.ProviderReference, nil, nil, &o, "query order"); err != nil {
		// gatewayError made the gateway's "no such order" invalid_request,
		// as in any other call; a status query's is not_found.
		return nil, plugin.AsNotFound(err, seedOrderNotFound)
	}
	res, err := seedOrderResult(o, plugin.Logger(ctx))
	if err != nil {
		return nil, notUnderstood("query order", err)
	}
	plugin.Logger(ctx).Info("order status", "order_sn", o.OrderSn, "seed_status", o.Status, "status", res.Status)
	return res, nil
}
