// Package redotpay is the payhost provider for RedotPay Connect, a crypto
// checkout: the merchant creates an order, the customer pays it on
// RedotPay's checkout page, by QR code or in the RedotPay app, and a signed
// webhook says it is paid (GATEWAYS.md §1).
//
// It speaks two protocols, chosen by the configuration attribute protocol:
//
//   - "connect" (the default): the official API (redotpay.readme.io),
//     every call signed with SHA256withRSA, camelCase JSON, PAYMENT and
//     REFUND webhooks signed with the platform key. Orders are created,
//     queried and closed (Void of an unpaid order); there is no refund or
//     authorization API.
//   - "seed": the API of the seed page redotpay-connect.txt, a look-alike
//     of RedotPay's documentation that asks for a crypto "integration fee"
//     (a known scam pattern, GATEWAYS.md §1.0): Bearer key, snake_case,
//     an HMAC-signed callback, and /v1 card endpoints (authorize, capture,
//     refund, void, reversal). It exists for the emulator's seed profile.
//
// The package owns the configuration schema (config.go), the HTTP calls
// and their authentication (client.go, sign.go), each protocol's flows
// (connect.go, seed.go, seed_cards.go) and wire structs (wire_connect.go,
// wire_seed.go), the conversions between them and payhost's uniform types
// (transform.go: amounts, statuses, next actions, ids) and callback
// verification (callback.go). It leaves idempotency, state and routing to
// the host. The entry point is New; cmd/payhost-provider-redotpay serves
// it as a plugin.
package redotpay
