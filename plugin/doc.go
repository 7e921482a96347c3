// Package plugin is the payhost provider SDK: everything a payment gateway
// plugin is written against, and nothing else of payhost.
//
// A provider implements Provider (embedding UnimplementedProvider for what
// its gateway does not do) and its main calls Serve:
//
//	func main() {
//		plugin.Serve(appotapay.New())
//	}
//
// The package owns:
//
//   - the Provider interface and one request and one response struct per
//     method (messages.go);
//   - the uniform types: Money in integer minor units with the one ISO 4217
//     exponent table, payment, refund and token statuses, next actions,
//     Card with a CardNumber that prints masked, Secret that prints
//     REDACTED;
//   - Error, whose kinds (declined, not_sent, unknown_outcome, ...) survive
//     the trip to the host, where errors.As recovers them;
//   - Capabilities and the configuration Schema a provider declares, and the
//     Config it receives;
//   - Serve and the go-plugin gRPC glue, which provider code never sees.
//
// It leaves to the host (payhost itself): idempotency, state, routing and
// storage. Providers are stateless translators between the uniform types and
// one gateway's wire format.
//
// The plugintest package beside this one is the in-memory harness and the
// conformance suite every provider runs against its emulator.
package plugin
