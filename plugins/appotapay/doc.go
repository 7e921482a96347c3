// Package appotapay is the payhost provider for AppotaPay, Vietnam's
// bank/ATM and card payment gateway, API v1.1 (the default), v1.0 or v2:
// the plugin binary payhost-provider-appotapay serves it (cmd/).
//
// A payment is a sale on AppotaPay's hosted page: CreatePayment creates
// an order under the host's attempt id and answers requires_action with
// the page's URL; the customer pays there (bank account, ATM card or, for
// the card method, a credit card the page collects); AppotaPay then posts
// its IPN to the instance's callback URL and sends the browser back to
// the return URL. GetPayment asks the status API, Refund and GetRefund
// refund part or all of a paid payment and follow the refund. VND only,
// in whole dong. AppotaPay v1.x has no authorization, capture or void.
//
// Files by role:
//
//	config.go        the provider block's schema and its validation
//	client.go        HTTP calls, the JWT and the HMAC-SHA256 signatures
//	wire.go          v1.x messages and the members each signature covers
//	wire_v2.go       v2 messages
//	transform.go     wire <-> uniform: amounts, statuses, error codes
//	transform_v2.go  the same for v2's requests and statuses
//	v1.go, v2.go     each version's calls, behind the api interface
//	callback.go      IPN and redirect verification and normalisation
//	provider.go      the Provider methods, with what every version shares
//
// It leaves state, idempotency and retries to the host: a call whose
// outcome is unknown is reported as such, never repeated. The gateway's
// emulator, used by the tests and by `payhost sandbox`, lives in
// internal/sandbox/appotapay; this package shares no code with it.
//
// The entry point is New.
package appotapay
