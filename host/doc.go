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
package host
