// Package plugintest is how payhost providers are tested: an in-memory
// harness that runs a provider through the real gRPC glue, and the
// conformance suite every provider runs against its gateway's emulator.
//
// # Harness
//
// Connect(t, p) serves p through the same go-plugin gRPC client and server
// pair as a real plugin, in memory, and returns the host's side:
//
//	p := plugintest.Connect(t, appotapay.New())
//	resp, err := p.CreatePayment(ctx, req) // crosses the wire
//
// Only the process boundary is missing: capability checks, panic recovery,
// redaction and error kinds behave as in production.
//
// # Conformance suite
//
// RunConformance runs, as subtests, checks that need nothing but the
// provider:
//
//   - info: GetInfo describes the provider properly (type, semantic
//     version, a schema that passes Schema.Validate, capabilities from the
//     known operations, methods and currencies, coherent dependencies);
//   - configure: Configure accepts Suite.Config;
//   - unsupported: every operation the provider does not declare answers
//     kind unsupported (CallOperation makes each call);
//
// and the payment scenarios, each run when the provider declares the
// operations it needs:
//
//   - create_then_status: a payment is created and a status query finds it;
//   - pay_with_callback: the customer pays, the gateway's callback says
//     succeeded, and so does a status query;
//   - repeated_callback: the same callback twice gives the same events;
//   - bad_callback_signature: a tampered callback is refused as
//     authentication (needs a CallbackTamperer);
//   - decline: a declined payment ends as kind declined or status failed;
//   - authorize_capture_refund: authorize, capture, two partial refunds
//     (one full refund without partial_refund), and a refund above what is
//     left is refused;
//   - void: an authorization is voided;
//   - partial_capture: part of an authorization is captured;
//   - reverse: a captured payment is reversed, and a refund after it is
//     refused;
//   - void_unpaid: an order the customer has not paid is voided (for
//     gateways that void without authorizing);
//   - refund_after_sale: a sale is refunded in parts, a refund above what
//     is left is refused, and GetRefund reaches a final status (optional
//     RefundSettler driver);
//   - tokens: direct and hosted tokenization, a payment with the token, and
//     its removal (optional TokenDriver).
//
// Each scenario lives in its own file of this package and registers itself;
// a scenario a provider needs is added here, for every provider.
//
// # Driving a payment
//
// What differs per gateway is the customer: which card the emulator
// declines, how one pays on its hosted page or QR screen. A provider's test
// supplies that as a Driver:
//
//	type driver struct{ emu *appotapay.Emulator }
//
//	func (d driver) Payment(o plugintest.Outcome) *plugin.CreatePaymentRequest {
//		// amount, currency, method, card that the emulator takes to o
//	}
//
//	func (d driver) Complete(ctx context.Context, p *plugin.PaymentResult, o plugintest.Outcome) error {
//		// pay (or fail to pay) p.NextAction on the emulator's hosted page
//		// or control API; the emulator then posts its callback
//	}
//
// Callbacks need no driving: the suite plays the host's callback endpoint
// at a local URL, passes it to Configure as the CallbackURL (the provider
// hands it to the gateway, as in production), feeds every callback that
// arrives, untouched, to HandleCallback, and answers the gateway with the
// provider's HTTPResponse. A Driver that also implements CallbackTamperer
// enables the bad-signature scenario.
//
// A provider's conformance test then reads:
//
//	func TestConformance(t *testing.T) {
//		emu := appotapay.StartEmulator(t)
//		plugintest.RunConformance(t, plugintest.Suite{
//			Provider: plugintest.Connect(t, New()),
//			Config:   emu.Config(),
//			Driver:   driver{emu},
//		})
//	}
//
// The same suite runs against a real plugin binary: pass the Provider the
// host dispensed from it instead of Connect's.
package plugintest
