// Package tinypay is a payhost provider for tinypay, a small payment
// gateway invented for this example. It lives in its own Go module and is
// written against payhost's plugin SDK alone (github.com/payhost/payhost/plugin
// and its subpackages): the proof that a new gateway ships as a separate
// plugin binary that an unchanged payhost loads.
//
// tinypay takes card and wallet payments on its hosted page: a create call
// answers the page's URL, the customer pays (or fails to) there, and
// tinypay posts a signed callback to the notify URL. It also answers status
// queries and refunds, in part and repeatedly. Every request is signed with
// HMAC-SHA256 (README.md describes the API).
//
// The files follow the shipped providers':
//
//   - config.go: the configuration schema and its validation;
//   - client.go: HTTP calls, request signing, failures classified by
//     plugin/httpcall;
//   - wire.go: tinypay's JSON;
//   - transform.go: the one place the wire meets payhost's types (amounts,
//     statuses, errors);
//   - callback.go: verification and normalisation of callbacks;
//   - provider.go: the plugin.Provider that ties them together.
//
// The package is a stateless translator: the host owns idempotency and
// state. The entry point is New, served by cmd/payhost-provider-tinypay.
// The emulator package is a tiny tinypay to test against, served by
// cmd/tinypay-emulator.
package tinypay
