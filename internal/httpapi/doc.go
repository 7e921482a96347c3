// Package httpapi is payhost's merchant HTTP API: a thin translation of
// api.Service to REST, the callback intake for gateways, and the health,
// readiness and metrics endpoints. New returns the http.Handler that
// `payhost serve` (and an embedding service, through host.Handler) mounts.
//
// It owns everything HTTP: routing, merchant authentication, the
// Idempotency-Key and X-Request-Id headers, strict JSON decoding, body
// limits, the error envelope, panic recovery and the access log. What the
// operations mean (idempotency records, routing, the state machine) belongs
// to the api.Service it is given.
//
// # Endpoints and statuses
//
//	POST   /v1/payments                  201 the payment
//	GET    /v1/payments/{id}             200 the payment
//	POST   /v1/payments/{id}/capture     200 the payment
//	POST   /v1/payments/{id}/refunds     201 the refund
//	POST   /v1/payments/{id}/void        200 the payment
//	POST   /v1/payments/{id}/reverse     200 the payment
//	POST   /v1/payments/{id}/sync        200 the payment
//	POST   /v1/tokens                    201 the token
//	GET    /v1/tokens/{id}               200 the token
//	DELETE /v1/tokens/{id}               200 the token (status deleted)
//	POST   /v1/callbacks/{provider}/{name}   the plugin's answer, as it is
//	GET    /healthz                      200 {"status":"ok"} while serving
//	GET    /readyz                       200 {"status":"ready"}, or 503 {"status":"unavailable"}
//	GET    /metrics                      Prometheus exposition
//
// A replayed create (same Idempotency-Key, same body) answers 201 again
// with the first answer. Every other outcome is an error envelope:
//
//	{"error": {"code": "invalid_request", "message": "...", "param": "card.exp_month"}}
//
// with the status of the api.Error's code (400, 401, 404, 409, 422, 502,
// 503, 504, 500) or one of the codes only this layer raises: 405
// method_not_allowed, 413 request_too_large and 415
// unsupported_media_type. "param" names the request field at fault (a
// dotted path such as card.number, or a header such as Idempotency-Key),
// or is empty. When the error concerns a payment that was recorded (a
// gateway timeout leaves it unknown), the envelope also has "payment_id",
// so the merchant can sync it later. An internal error's message carries
// the request id under which the log has the details. Messages never echo
// a card number: digit runs that could be one are masked.
//
// # Merchant requests
//
// Every /v1/payments and /v1/tokens request takes Authorization: Bearer
// <api key>; anything else is 401 authentication_failed with a
// WWW-Authenticate challenge. The key is never logged; the access log
// names the merchant it belongs to. A merchant never sees another's
// payments or tokens: the service answers not_found, which is a 404.
//
// Every write (POST and DELETE) takes an optional Idempotency-Key header,
// at most 255 printable ASCII characters, passed to the service with
// api.WithIdempotencyKey: the same key and body replays the first answer,
// the same key with another body is 422 idempotency_mismatch, and a key
// whose first request is still running is 409 idempotency_in_progress. As
// with Stripe, a write without the header is accepted and is simply not
// idempotent: retrying it may create a second payment. A header that is
// present but empty, too long or not printable is 400 with param
// Idempotency-Key. Sync is idempotent by nature and ignores the key.
//
// Request bodies are JSON objects, decoded strictly: a field the request
// does not have is 400 naming it ("unknown field card.cvv"), a value of
// the wrong type is 400 naming it ("amount must be an integer"), anything
// after the object is 400, and a Content-Type other than application/json
// is 415. A body over Options.MaxBodyBytes (64 KiB by default) is 413.
// Operations without parameters (void, reverse, sync, token delete) and
// those whose parameters are all optional (capture, refund) accept an
// empty body; creates need one.
//
// # Callbacks
//
// POST /v1/callbacks/{provider}/{name} takes no merchant authentication:
// it hands the raw request (method, escaped path, raw query, headers with
// Host, body of at most Options.MaxCallbackBytes, 1 MiB by default) to
// api.Service.HandleCallback for instance "provider.name", whose plugin
// verifies the gateway's signature, and answers exactly the plugin's
// HTTPResponse: its status, its headers (but Content-Length,
// Transfer-Encoding and Connection, which net/http computes) and its body
// byte for byte, with no Content-Type added when the plugin set none. A
// callback that does not verify gets the error envelope with the error's
// 4xx status, so the gateway does not count it as delivered.
//
// # Request ids and logs
//
// Every response has an X-Request-Id: the request's own when it is 1 to
// 128 characters of letters, digits and ._:+/=- , else a new random one.
// It is passed to the service with api.WithRequestID, on every operation
// (reads, sync and callbacks too), and is on every log line of the request,
// the host's included. Each request is logged once, after it is answered
// (hclog: method, route pattern, status, duration, request id, merchant,
// bytes written); probes (healthz, readyz, metrics) at debug level, the
// rest at info. Bodies, API keys and raw paths are never logged. A panic
// in a handler is recovered into 500 internal and logged with its stack
// and the request id.
package httpapi
