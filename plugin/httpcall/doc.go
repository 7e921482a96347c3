// Package httpcall makes a provider's HTTP calls to its gateway and
// classifies their failures the way the payhost host must see them:
//
//   - the request certainly never reached the gateway (connection refused,
//     DNS or TLS failure, a deadline before the request was written):
//     plugin.KindNotSent, safe to send elsewhere;
//   - the request was written and then anything went wrong (timeout, a
//     dropped connection, a 5xx, an answer that cannot be read or
//     decoded): plugin.KindUnknownOutcome, to be resolved by a status query;
//   - HTTP 429: plugin.KindRateLimited, with Retry-After.
//
// Whether the request was written is observed with net/http/httptrace, not
// guessed from error strings.
//
// It leaves signing, wire formats and the meaning of 4xx answers to each
// provider. The entry point is Do; DecodeJSON decodes an answer body.
package httpcall
