// Package host is payhost's embeddable payment host: the same engine that
// `payhost serve` runs, as a Go API that a service can mount behind its own
// endpoints.
//
//	h, err := host.New(ctx, host.Options{ConfigPath: "payhost.d"})
//	...
//	defer h.Close()
//	mux.Handle("/payments/", http.StripPrefix("/payments", h.Handler()))
//	p, err := h.CreatePayment(ctx, "acme", &api.CreatePaymentRequest{...},
//		api.WithIdempotencyKey(key))
//
// It owns the payment lifecycle: authentication of merchants, idempotency,
// routing (internal/routing), the state machine, the store
// (internal/store), calls to provider plugins (internal/pluginhost),
// callbacks, the outbox of merchant events (internal/webhook) and the
// reconciler. Host implements api.Service; the request and response
// shapes and the error codes are in package api.
//
// # One write
//
// Every write follows the same steps (ARCHITECTURE "One payment's
// journey"): the merchant is known (Merchant compares API keys in constant
// time); the request is validated strictly, errors naming the field
// (validate.go); its idempotency key is taken (idempotency.go: replay,
// in progress, mismatch); the provider is chosen (routing); the payment
// and its attempt are stored in one transaction before the plugin is
// called, outside any transaction (calls.go); the answer is recorded in
// one transaction with the payment's move, its merchant event (outbox)
// and the idempotency record's answer.
//
// A payment costs two commits, the fewest that durability allows: the key,
// the routing decision, the payment and its attempt commit together
// before the call (a refused route rolls the key back with the rest), and
// the attempt's outcome, the payment's move, its event and the key's
// answer commit together after it (keyTx and completeKey). The other
// writes take their key in a transaction of its own first.
//
// # Files
//
//   - host.go, options.go, providers.go, store.go: New, Close, Options,
//     launching and configuring the plugins, the store.
//   - auth.go, validate.go, idempotency.go: who asks, is it well formed,
//     has it been asked before.
//   - statemachine.go: the declared transitions and apply, which every
//     status change goes through; move.go writes a move with its event.
//   - create.go (with fallback on not_sent), followup.go (capture, void,
//     reverse), lock.go (one mutating attempt at a time), refund.go,
//     token.go, callback.go, payment.go (reads); calls.go and errors.go
//     call the plugins and classify what they answer.
//   - reconcile.go: the reconciler and SyncPayment (payments processing or
//     unknown, and those waiting for their customer once their next action
//     expired or Options.ActionAge passed); refundsync.go: pending
//     refunds, on the schedule the store keeps (ClaimRefundsDue);
//     abandon.go: attempts their host left started.
//   - events.go, convert.go: merchant events and the API's shapes.
//   - observer.go: metrics (Observer, WebhookObserver, Providers) and
//     readiness (Ready); log.go: the request id on a call's log lines.
//
// Package hosttest installs and locks the test plugins for tests that run
// a host.
//
// The plugins' processes belong to internal/pluginhost, the SQL to
// internal/store, the HTTP API to internal/httpapi, delivery of the
// outbox to internal/webhook.
package host
