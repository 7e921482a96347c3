// Package webhook delivers merchant events from the store's outbox and
// signs them, and gives merchants the function that verifies them.
//
// # Delivery
//
// The payments engine (host/) appends an event to the outbox in the same
// transaction as the change it reports (store.Outbox.AppendEvent); the
// event's payload is the request body, byte for byte. The host makes a
// Dispatcher with NewDispatcher (its store, the merchants' Endpoints,
// Options), starts it with Start, calls Notify after each commit that
// appended events, and stops it with Close.
//
// The dispatcher claims due events with a lease (store.Outbox.ClaimEvents,
// owner = a per-process id), as many as it has idle workers, and delivers
// each as a POST to the merchant's webhook URL with the headers
//
//	Content-Type:      application/json
//	User-Agent:        payhost/<version>
//	Payhost-Event-Id:  evt_…
//	Payhost-Signature: t=<unix>,v1=<hex HMAC-SHA256(secret, "<t>." + body)>
//
// A 2xx answer acknowledges the event. Anything else (another status,
// redirects included, a timeout, a connection error) is retried on the
// Backoff schedule, with jitter, until Backoff.Horizon after the event was
// created; then the event is given up and logged. The event of a merchant
// without a webhook is given up at its first attempt. Every attempt, its
// status, error and duration, is recorded in one transaction with the
// event's new state (store.Outbox.RecordDeliveries), so that
// store.EventReader.ListDeliveryAttempts is each event's delivery log.
//
// Options.Observer hears of every attempt (delivered, failed, abandoned),
// for metrics; the host counts them in payhost_webhook_deliveries_total.
//
// The outbox costs the store few commits and statements: a Notify after a
// quiet spell is claimed for at once, but while they keep coming the
// dispatcher claims at most once per Options.ClaimDelay, so that one claim
// takes the events of a burst of payments; and the attempts that finish
// while one transaction records others are recorded together in the next,
// with one RecordDeliveries (on PostgreSQL one statement for the batch).
//
// # Guarantees
//
//   - At least once. A host that dies (or whose context is cancelled)
//     mid-delivery records nothing: the event stays leased to it until
//     Options.Lease passes, then any host claims it again. A merchant that
//     answered 2xx to a request the host could not record sees the event
//     again; merchants drop repeats by event id (Payhost-Event-Id).
//   - One host at a time. While its lease lives, an event is delivered by
//     the one host that claimed it (row locks and SKIP LOCKED on
//     PostgreSQL, the file's write lock on SQLite). Hence, when no delivery
//     outlives its lease, no event is delivered twice. The lease must
//     exceed Options.Timeout, and the hosts' clocks must agree to well
//     within it.
//   - No order. Events are claimed oldest due first, and several are in
//     flight at once; an event that failed waits for its retry while later
//     events of the same merchant go through. Merchants order by the
//     event's created_at and the payment's own state, not by arrival.
//   - Secrets stay put. Webhook secrets are plugin.Secret values, revealed
//     only to compute a signature; logs name an event by id, type and
//     merchant, never its payload; recorded errors never include the URL.
//
// # Verification
//
// Merchants (and their tests) call Verify with their secret, the
// Payhost-Signature header and the raw body; Sign makes signed payloads
// for tests.
package webhook
