// Package httpapitest is a small in-memory api.Service for tests of the
// HTTP API (internal/httpapi) and of `payhost serve`: merchants by API key,
// payments, refunds and tokens kept in maps and moved as a gateway that
// approves everything would, scoped per merchant like the real host.
//
// It records every call with its options (Calls), so a test can see what
// the HTTP layer passed, and runs Service.Hook first in every operation,
// so a test can make one fail with any error, block until released, or
// panic. It does not implement idempotency: tests return the idempotency
// errors from Hook, and the host's own tests cover the real thing.
package httpapitest
