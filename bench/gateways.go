package main

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/payhost/payhost/internal/bench"
	appotaemu "github.com/payhost/payhost/internal/sandbox/appotapay"
	reddotemu "github.com/payhost/payhost/internal/sandbox/reddot"
	redotpayemu "github.com/payhost/payhost/internal/sandbox/redotpay"
	"github.com/payhost/payhost/plugin"
	"github.com/payhost/payhost/plugins/appotapay"
	"github.com/payhost/payhost/plugins/reddot"
	"github.com/payhost/payhost/plugins/redotpay"
)

// This file links the shipped providers' code into the bench program:
// the baseline calls a provider in process, the same code its plugin
// binary runs, so that the comparison isolates what the host and the
// plugin protocol add. It is why bench is a program of its own, outside
// internal/ and host/, which the dependency rule keeps off plugins/.

// benchGateway is what the benchmark knows of one shipped gateway: its
// emulator, its provider in process, the provider block that points at the
// emulator, and the payments the benchmark sends.
type benchGateway struct {
	name, title string
	// ops are the operations both paths can send; unsupported says why
	// each other one cannot.
	ops         []bench.Op
	unsupported map[bench.Op]string
	defaultMix  string
	// emulator returns a fresh emulator of the gateway at base, as payhost
	// sandbox builds it.
	emulator func(base string) http.Handler
	// provider returns the provider, unconfigured, for the baseline.
	provider func() plugin.Provider
	// config is the provider block's attributes against the emulator at
	// url, in the order they are written.
	config func(url string) []benchAttr
	// payment is what each create sends; created is the status it should
	// answer.
	payment benchPayment
	created plugin.PaymentStatus
	// paid is a payment prepared for refunds, refund the amount of each
	// refund; payAtEmulator says the customer must pay a created payment
	// (on the emulator's control API) before it can be refunded.
	paid          benchPayment
	refund        int64
	payAtEmulator bool
}

// benchAttr is one attribute of the provider block: a string or a bool.
type benchAttr struct {
	name  string
	value any
}

// benchPayment is a payment the benchmark sends.
type benchPayment struct {
	amount   int64
	currency string
	method   plugin.PaymentMethod
	card     bool
}

// The test card (approved by every emulator) and the customer of every
// payment.
const (
	benchPAN       = "4111111111111111"
	benchCVC       = "123"
	benchReturnURL = "https://merchant.example/return"
	benchIP        = "127.0.0.1"
	benchEmail     = "bench@merchant.example"
	benchName      = "Bench Customer"
)

// benchGateways are the gateways the benchmark drives, by name.
var benchGateways = []*benchGateway{
	{
		name: "appotapay", title: "AppotaPay",
		ops:        []bench.Op{bench.OpCreate, bench.OpStatus, bench.OpSync, bench.OpRefund},
		defaultMix: "create=80,status=15,refund=5",
		emulator: func(base string) http.Handler {
			return appotaemu.New(appotaemu.Config{BaseURL: base})
		},
		provider: func() plugin.Provider { return appotapay.New() },
		config: func(url string) []benchAttr {
			return []benchAttr{
				{"endpoint", url},
				{"partner_code", appotaemu.SandboxPartnerCode},
				{"api_key", appotaemu.SandboxAPIKey},
				{"secret_key", appotaemu.SandboxSecretKey},
			}
		},
		// A bank payment: a redirect to AppotaPay's page, so created
		// payments stay requires_action and sync asks the gateway.
		payment: benchPayment{amount: 25_000, currency: "VND", method: plugin.MethodBank},
		created: plugin.StatusRequiresAction,
		// 10,000 VND refunds are clear of the emulator's magic amounts.
		paid: benchPayment{amount: 100_000_000, currency: "VND", method: plugin.MethodBank}, refund: 10_000,
		payAtEmulator: true,
	},
	{
		name: "redotpay", title: "RedotPay Connect",
		ops: []bench.Op{bench.OpCreate, bench.OpStatus, bench.OpSync},
		unsupported: map[bench.Op]string{
			bench.OpRefund: "RedotPay Connect has no refund API",
		},
		defaultMix: "create=80,status=20",
		emulator: func(base string) http.Handler {
			return redotpayemu.New(redotpayemu.Config{BaseURL: base})
		},
		provider: func() plugin.Provider { return redotpay.New() },
		config: func(url string) []benchAttr {
			priv, pub := redotpayemu.TestKeyPEM()
			return []benchAttr{
				{"endpoint", url},
				{"app_key", redotpayemu.DefaultAppKey},
				{"private_key", string(priv)},
				{"platform_public_key", string(pub)},
			}
		},
		// A wallet checkout order, waiting for the customer.
		payment: benchPayment{amount: 1_000, currency: "USD", method: plugin.MethodWallet},
		created: plugin.StatusRequiresAction,
	},
	{
		name: "reddot", title: "Red Dot Payment",
		ops: []bench.Op{bench.OpCreate, bench.OpStatus, bench.OpRefund},
		unsupported: map[bench.Op]string{
			bench.OpSync: "Red Dot Payment card payments succeed at once, and the host asks no gateway about a payment in a final status",
		},
		defaultMix: "create=80,status=15,refund=5",
		emulator: func(base string) http.Handler {
			// Unique order ids, as payhost sandbox's merchant has them.
			m := reddotemu.DefaultMerchant()
			m.UniqueOrderID = true
			return reddotemu.New(reddotemu.Config{BaseURL: base, Merchants: []reddotemu.Merchant{m}})
		},
		provider: func() plugin.Provider { return reddot.New() },
		config: func(url string) []benchAttr {
			return []benchAttr{
				{"endpoint", url},
				{"merchant_api_endpoint", url + "/instanpanel/api/payment"},
				{"mid", reddotemu.DefaultMID},
				{"secret_key", reddotemu.DefaultSecret},
				{"unique_order_id", true}, // as payhost sandbox's MID
			}
		},
		// A direct card sale: succeeded in the answer.
		payment: benchPayment{amount: 1_000, currency: "SGD", method: plugin.MethodCard, card: true},
		created: plugin.StatusSucceeded,
		paid:    benchPayment{amount: 10_000_000, currency: "SGD", method: plugin.MethodCard, card: true}, refund: 100,
	},
}

// benchGatewayNames lists the gateways for messages.
func benchGatewayNames() []string {
	names := make([]string, len(benchGateways))
	for i, g := range benchGateways {
		names[i] = g.name
	}
	return names
}

// findBenchGateway returns the gateway called name.
func findBenchGateway(name string) (*benchGateway, error) {
	for _, g := range benchGateways {
		if g.name == name {
			return g, nil
		}
	}
	return nil, fmt.Errorf("unknown provider %q (want %s)", name, strings.Join(benchGatewayNames(), ", "))
}

// checkMix returns an error naming the first operation of mix that g
// cannot send, and why.
func (g *benchGateway) checkMix(mix bench.Mix) error {
	op := mix.Unsupported(g.ops)
	if op == "" {
		return nil
	}
	why := g.unsupported[op]
	if why == "" {
		why = "it is not offered"
	}
	return fmt.Errorf("%s does not support %s: %s (it supports %s)", g.name, op, why, bench.Supported(g.ops))
}

// pluginConfig is g's provider configuration against the emulator at url,
// for the provider in process.
func (g *benchGateway) pluginConfig(url string) (plugin.Config, error) {
	values := map[string]any{}
	for _, a := range g.config(url) {
		values[a.name] = a.value
	}
	return plugin.NewConfig(values)
}

// money is p's amount.
func (p benchPayment) money() plugin.Money {
	return plugin.Money{Amount: p.amount, Currency: p.currency}
}

// body is p as the JSON body of POST /v1/payments. The card is written out
// by hand: the API types print it masked.
func (p benchPayment) body() string {
	s := fmt.Sprintf(`{"amount": %d, "currency": %q, "method": %q, "return_url": %q, "customer": {"ip": %q, "email": %q, "name": %q}`,
		p.amount, p.currency, p.method, benchReturnURL, benchIP, benchEmail, benchName)
	if p.card {
		s += fmt.Sprintf(`, "card": {"number": %q, "exp_month": 12, "exp_year": 2030, "cvc": %q, "holder_name": %q}`, benchPAN, benchCVC, benchName)
	}
	return s + "}"
}

// request is p as the provider's create request.
func (p benchPayment) request(paymentID, attemptID string) *plugin.CreatePaymentRequest {
	req := &plugin.CreatePaymentRequest{
		PaymentID: paymentID, AttemptID: attemptID, IdempotencyKey: attemptID,
		Amount: p.money(), Method: p.method, Capture: plugin.CaptureAutomatic,
		ReturnURL: benchReturnURL,
		Customer:  plugin.Customer{IP: benchIP, Email: benchEmail, Name: benchName},
	}
	if p.card {
		req.Card = &plugin.Card{
			Number: plugin.NewCardNumber(benchPAN), ExpMonth: 12, ExpYear: 2030,
			CVC: plugin.NewSecret(benchCVC), HolderName: benchName,
		}
	}
	return req
}
