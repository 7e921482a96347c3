// Package routing decides which provider instances a payment goes to.
//
// A Router is built once from a loaded configuration (New) whose provider
// blocks were decoded against their plugins (so that every instance's
// capabilities are known), and is safe for concurrent use. For each
// payment, Route evaluates the merchant's routes in order: the first whose
// when expression is true wins (a route without when matches everything).
// The winning route yields candidates, in the order the host should try
// them: its providers list (primary, then fallbacks), or for a split route
// the provider its weights pick for the payment id (deterministically),
// then the other split providers by decreasing weight. Candidates that
// cannot take the payment (method, currency, or the operation it needs:
// create_payment, authorize for manual capture, tokenize for a
// tokenization) are dropped. Pin skips the routes for a payment that names
// its provider, or a token payment bound to the instance that issued the
// token, and applies the same capability check.
//
// Every decision comes back as a Decision: the route, the candidates with
// the reason for each, the routes skipped and the candidates dropped, and
// why. `payhost route` prints it; the host logs it with each attempt.
//
// The language of when (the payment variable and its functions) belongs to
// the config package; trying the candidates (fallback only when a provider
// reports not_sent) belongs to the host.
package routing
