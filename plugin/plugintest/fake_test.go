package plugintest

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"

	"github.com/payhost/payhost/plugin"
)

// A small gateway, a provider for it and a Driver, to run the suite
// against: payments wait for the customer on a hosted page; the gateway
// then posts an HMAC-signed JSON callback.

const (
	fakeSecret      = "whsec_fake_gateway"
	fakeDeclineCard = "4000000000000002"
	fakeSignature   = "X-Fake-Signature"
)

type fakeOrder struct {
	amount   plugin.Money
	manual   bool
	decline  bool
	status   plugin.PaymentStatus
	refunded int64
	notified int
}

// fakeGateway is the emulator: orders by attempt id.
type fakeGateway struct {
	mu          sync.Mutex
	orders      map[string]*fakeOrder
	callbackURL string
	// secret is the provider's configured webhook secret, kept here under
	// the lock for want of a lock of the provider's own.
	secret plugin.Secret
	// quiet gateways send no callbacks; their payments are polled.
	quiet bool
}

func newFakeGateway() *fakeGateway { return &fakeGateway{orders: map[string]*fakeOrder{}} }

func (g *fakeGateway) order(attempt string) (*fakeOrder, error) {
	o, ok := g.orders[attempt]
	if !ok {
		return nil, plugin.InvalidRequest("attempt_id", "no order %s", attempt)
	}
	return o, nil
}

// pay is the customer acting on the hosted page; the gateway then calls
// back.
func (g *fakeGateway) pay(ctx context.Context, attempt string) error {
	g.mu.Lock()
	o, err := g.order(attempt)
	if err != nil {
		g.mu.Unlock()
		return err
	}
	switch {
	case o.decline:
		o.status = plugin.StatusFailed
	case o.manual:
		o.status = plugin.StatusAuthorized
	default:
		o.status = plugin.StatusSucceeded
	}
	if g.quiet {
		g.mu.Unlock()
		return nil
	}
	o.notified++
	body, _ := json.Marshal(map[string]string{
		"id": fmt.Sprintf("ntf_%s_%d", attempt, o.notified), "order": attempt, "status": string(o.status),
	})
	url := g.callbackURL
	g.mu.Unlock()

	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set(fakeSignature, sign(fakeSecret, body))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("callback answered %s", resp.Status)
	}
	return nil
}

func sign(secret string, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write(body)
	return hex.EncodeToString(m.Sum(nil))
}

// fakeProvider translates between payhost and fakeGateway.
type fakeProvider struct {
	plugin.UnimplementedProvider
	gw  *fakeGateway
	ops []plugin.Operation
}

func newFakeProvider(gw *fakeGateway) *fakeProvider {
	return &fakeProvider{gw: gw, ops: []plugin.Operation{
		plugin.OpCreatePayment, plugin.OpAuthorize, plugin.OpCapture, plugin.OpRefund,
		plugin.OpPartialRefund, plugin.OpVoid, plugin.OpGetPayment, plugin.OpCallbacks,
	}}
}

func (p *fakeProvider) GetInfo(context.Context, *plugin.GetInfoRequest) (*plugin.GetInfoResponse, error) {
	return &plugin.GetInfoResponse{
		Type: "fake", Version: "0.1.0",
		Capabilities: plugin.Capabilities{Operations: p.ops, Methods: []plugin.PaymentMethod{plugin.MethodCard}, Currencies: []string{"USD"}},
		Schema: plugin.Schema{Attributes: []plugin.Attribute{
			{Name: "webhook_secret", Type: plugin.TypeString, Required: true, Sensitive: true},
		}},
	}, nil
}

func (p *fakeProvider) Configure(_ context.Context, req *plugin.ConfigureRequest) (*plugin.ConfigureResponse, error) {
	secret := req.Config.Secret("webhook_secret")
	if secret.IsEmpty() {
		return nil, plugin.InvalidRequest("webhook_secret", "is required")
	}
	p.gw.mu.Lock()
	defer p.gw.mu.Unlock()
	p.gw.secret, p.gw.callbackURL = secret, req.CallbackURL
	return &plugin.ConfigureResponse{}, nil
}

func (p *fakeProvider) CreatePayment(_ context.Context, req *plugin.CreatePaymentRequest) (*plugin.CreatePaymentResponse, error) {
	p.gw.mu.Lock()
	defer p.gw.mu.Unlock()
	p.gw.orders[req.AttemptID] = &fakeOrder{
		amount: req.Amount, manual: req.Capture == plugin.CaptureManual,
		decline: req.Card != nil && req.Card.Number.Reveal() == fakeDeclineCard,
		status:  plugin.StatusRequiresAction,
	}
	return &plugin.CreatePaymentResponse{PaymentResult: plugin.PaymentResult{
		Status: plugin.StatusRequiresAction, ProviderReference: "fk_" + req.AttemptID, Amount: req.Amount,
		NextAction: hostedPage(req.AttemptID),
	}}, nil
}

// result reads an order as a payment result; the caller holds the lock.
func (p *fakeProvider) result(attempt string) (plugin.PaymentResult, error) {
	o, err := p.gw.order(attempt)
	if err != nil {
		return plugin.PaymentResult{}, err
	}
	res := plugin.PaymentResult{Status: o.status, ProviderReference: "fk_" + attempt, Amount: o.amount}
	if o.status == plugin.StatusRequiresAction {
		res.NextAction = hostedPage(attempt)
	}
	return res, nil
}

func hostedPage(attempt string) *plugin.NextAction {
	return &plugin.NextAction{Type: plugin.ActionRedirect, URL: "https://fake.test/pay/" + attempt}
}

func (p *fakeProvider) GetPayment(_ context.Context, req *plugin.GetPaymentRequest) (*plugin.GetPaymentResponse, error) {
	p.gw.mu.Lock()
	defer p.gw.mu.Unlock()
	res, err := p.result(req.AttemptID)
	return &plugin.GetPaymentResponse{PaymentResult: res}, err
}

// transition moves an order from one status to another.
func (p *fakeProvider) transition(attempt string, from, to plugin.PaymentStatus) (plugin.PaymentResult, error) {
	p.gw.mu.Lock()
	defer p.gw.mu.Unlock()
	o, err := p.gw.order(attempt)
	if err != nil {
		return plugin.PaymentResult{}, err
	}
	if o.status != from {
		return plugin.PaymentResult{}, plugin.InvalidRequest("", "order is %s, not %s", o.status, from)
	}
	o.status = to
	return p.result(attempt)
}

func (p *fakeProvider) Capture(_ context.Context, req *plugin.CaptureRequest) (*plugin.CaptureResponse, error) {
	res, err := p.transition(req.AttemptID, plugin.StatusAuthorized, plugin.StatusSucceeded)
	if err != nil {
		return nil, err
	}
	return &plugin.CaptureResponse{PaymentResult: res}, nil
}

func (p *fakeProvider) Void(_ context.Context, req *plugin.VoidRequest) (*plugin.VoidResponse, error) {
	res, err := p.transition(req.AttemptID, plugin.StatusAuthorized, plugin.StatusCanceled)
	if err != nil {
		return nil, err
	}
	return &plugin.VoidResponse{PaymentResult: res}, nil
}

func (p *fakeProvider) Refund(_ context.Context, req *plugin.RefundRequest) (*plugin.RefundResponse, error) {
	p.gw.mu.Lock()
	defer p.gw.mu.Unlock()
	o, err := p.gw.order(req.AttemptID)
	if err != nil {
		return nil, err
	}
	if o.status != plugin.StatusSucceeded {
		return nil, plugin.InvalidRequest("", "order is %s", o.status)
	}
	if o.refunded+req.Amount.Amount > o.amount.Amount {
		return nil, plugin.Declined("REFUND_EXCEEDS", "refund exceeds the captured amount")
	}
	o.refunded += req.Amount.Amount
	return &plugin.RefundResponse{RefundResult: plugin.RefundResult{
		Status: plugin.RefundSucceeded, ProviderRefundReference: "fr_" + req.RefundID, Amount: req.Amount,
	}}, nil
}

func (p *fakeProvider) HandleCallback(_ context.Context, req *plugin.HandleCallbackRequest) (*plugin.HandleCallbackResponse, error) {
	p.gw.mu.Lock()
	secret := p.gw.secret
	p.gw.mu.Unlock()
	got := http.Header(req.Header).Get(fakeSignature)
	if !hmac.Equal([]byte(got), []byte(sign(secret.Reveal(), req.Body))) {
		return nil, plugin.AuthenticationFailed("", "callback signature does not verify")
	}
	var n struct{ ID, Order, Status string }
	if err := json.Unmarshal(req.Body, &n); err != nil {
		return nil, plugin.InvalidRequest("body", "not JSON: %v", err)
	}
	return &plugin.HandleCallbackResponse{
		Events: []plugin.Event{{
			ID: n.ID, Type: plugin.EventPayment, AttemptID: n.Order, ProviderReference: "fk_" + n.Order,
			Payment: &plugin.PaymentResult{Status: plugin.PaymentStatus(n.Status), ProviderReference: "fk_" + n.Order},
		}},
		Response: plugin.HTTPResponse{StatusCode: http.StatusOK, Body: []byte("OK")},
	}, nil
}

// fakeDriver is the customer of fakeGateway.
type fakeDriver struct{ gw *fakeGateway }

func (d fakeDriver) Payment(outcome Outcome) *plugin.CreatePaymentRequest {
	number := "4242424242424242"
	if outcome == OutcomeDecline {
		number = fakeDeclineCard
	}
	return &plugin.CreatePaymentRequest{
		Amount: plugin.Money{Amount: 1050, Currency: "USD"}, Method: plugin.MethodCard,
		Customer: plugin.Customer{ID: "cus_1", Email: "a@example.com"},
		Card:     &plugin.Card{Number: plugin.NewCardNumber(number), ExpMonth: 12, ExpYear: 2030, CVC: plugin.NewSecret("123")},
	}
}

func (d fakeDriver) Complete(ctx context.Context, payment *plugin.PaymentResult, _ Outcome) error {
	if payment.NextAction == nil {
		return fmt.Errorf("nothing for the customer to do")
	}
	return d.gw.pay(ctx, strings.TrimPrefix(payment.NextAction.URL, "https://fake.test/pay/"))
}

func (d fakeDriver) TamperCallback(cb *plugin.HandleCallbackRequest) {
	sig := http.Header(cb.Header).Get(fakeSignature)
	flipped := "0"
	if strings.HasPrefix(sig, "0") {
		flipped = "1"
	}
	http.Header(cb.Header).Set(fakeSignature, flipped+sig[1:])
}

var (
	_ plugin.Provider  = (*fakeProvider)(nil)
	_ Driver           = fakeDriver{}
	_ CallbackTamperer = fakeDriver{}
)
