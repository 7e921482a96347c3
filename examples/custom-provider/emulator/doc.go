// Package emulator is a tiny tinypay: the gateway the tinypay provider is
// tested against, as an http.Handler, with its state in memory.
//
// It serves tinypay's API (README.md of the module describes it):
// requests are authenticated by API key, a timestamp within five minutes
// and an HMAC-SHA256 signature; payments are created once per order id;
// refunds once per refund id and never above what is left. Its hosted
// page, GET /pay/{id}, shows the payment with two buttons that POST
// action=pay or action=fail to the same URL; the payment is then decided,
// the customer is redirected to the return URL, and a signed callback is
// posted to the notify URL, retried until it is answered with a 2xx.
//
// The entry point is New; Close waits for the callbacks in flight. The
// command cmd/tinypay-emulator serves it on a local port with the
// published test credentials TestAPIKey and TestSecret.
package emulator
