// Package reddot is payhost's provider for Red Dot Payment (RDP,
// Singapore): hosted and direct card tokenization, card and token payments
// (sale or authorization), capture, void and refund, status queries and
// notifications (GATEWAYS.md §3).
//
// RDP has three APIs, each with its own signature, and the package follows
// them:
//
//   - tokens.go: the token API (/service/token-api, hosted_token_api and
//     direct_token_api) and query_token_redirection, signed with
//     sign_generic;
//   - payments.go: the payment API (/service/payment-api, direct_n3d and
//     redirection_hosted) with its own first-phase signature, and
//     query_redirection;
//   - merchant.go: the Merchant API (capture, void, refund), form-encoded
//     and MD5-signed.
//
// Around them: config.go declares and validates the configuration (several
// MIDs, each with its secret); sign.go holds the three signature schemes,
// written from the spec; client.go sends, classifies failures (through
// plugin/httpcall) and verifies every signed answer; wire.go is RDP's wire
// format; transform.go is the one place for amounts, order ids and the
// status decision; callback.go verifies and normalises notifications;
// provider.go ties them together.
//
// The package is a stateless translator: the host owns idempotency and
// state. It never retries a call whose outcome is unknown, and it trusts a
// success only when RDP's signature verifies.
//
// The entry point is New, served by cmd/payhost-provider-reddot. Tests run
// it against the emulator in internal/sandbox/reddot, in memory and as a
// real plugin binary.
package reddot
