// Package reddot emulates Red Dot Payment (RDP, Singapore) for local
// development and tests: the hosted and direct tokenization API, the
// payment API (hosted payment page and direct server-to-server), the two
// query APIs, the Merchant API (capture, void, refund), the hosted card
// pages and the push notifications, with RDP's own signatures, field
// rules, response codes and error shapes (GATEWAYS.md §3 and §4.4).
//
// It owns RDP's wire format and state: sign_generic, the payment
// signature and the Merchant API MD5 (sign.go, with the known-answer
// vectors RDP-1 … RDP-7 in testdata/vectors.json), validation, the token
// and payment store and their state machine. It leaves to emukit what all
// emulators share: clock, ids, request recording, fault injection,
// callback delivery with retries, the control API under /__emulator/ and
// the look of the hosted page. It imports no other payhost package, so
// that a misreading of the spec in the reddot plugin is caught here
// rather than mirrored.
//
// The entry point is New, which returns a Server (an http.Handler);
// Server.Merchants lists the test credentials. With an empty Config the
// emulator accepts the published test MID 1000089029 (DefaultMID) with
// its 128-character secret (DefaultSecret), tokenization enabled.
//
// # Endpoints
//
//	POST /service/token-api                                   hosted_token_api (C, M) and direct_token_api (C, M, R)
//	POST /service/Merchant_processor/query_token_redirection  token result by transaction_id
//	POST /service/payment-api                                 redirection_hosted and direct_n3d, payment_type S or A
//	POST /service/Merchant_processor/query_redirection        payment result by transaction_id
//	POST /instanpanel/api/payment                             Merchant API: capture, void, refund
//	GET|POST /service/token-page/{transaction_id}             hosted tokenization page
//	GET|POST /service/secure-payment/{transaction_id}         hosted payment page
//
// A MID with UniqueOrderID set refuses a reused order_id (-2201) and
// accepts the order_id in place of the transaction_id in queries.
//
// # Response codes and signatures
//
// First-phase answers that open a hosted page carry response_code as the
// JSON number 0; results (direct answers, queries, notifications) carry
// it as a string: "0", "-1" (declined) or "-01" (pending). All of these
// are signed with sign_generic and the secret of the requesting MID.
// Rejected requests are answered, with HTTP 200 like RDP, as
// {"response_status":"error","response_code":"-2012","response_msg":…}
// without a signature. Merchant API answers carry result_status accepted
// or failed and a reason_code, MD5-signed; failures add a reason_msg
// naming the problem (reason codes other than "00" are the emulator's:
// 01 bad field, 02 bad signature, 03 unknown mid, 04 no such transaction,
// 05 not allowed in the current state, 06 amount too large, 07 wrong
// currency, 08 not emulated).
//
// # Scenarios
//
// The emulated acquirer approves everything except these magic values.
// Cards are recognised by their first 6 and last 4 digits, so a token of
// such a card behaves like the card; a magic card wins over a magic
// amount. Amounts are whole major units with no fraction ("666.00" SGD,
// "666" IDR).
//
//	card 4111111111111111 (CardApprove)         approved
//	card 4000000000000002 (CardDecline)         declined, "-1" (also refused as a token)
//	card 4000000000000101 (CardPendingApprove)  pending "-01", then approved
//	card 4000000000000119 (CardPendingDecline)  pending "-01", then declined
//	amount 666 (AmountDecline)                  declined, "-1"
//	amount 777 (AmountPendingApprove)           pending "-01", then approved
//	amount 778 (AmountPendingDecline)           pending "-01", then declined
//
// A pending payment resolves once Config.PendingDelay has passed on the
// emulator's clock: a timer resolves it and pushes the notification, and
// any query or Merchant API call for it after that time resolves it too
// (so a ManualClock drives it in tests). The control API resolves it at
// once: POST /__emulator/orders/{transaction_id}/complete or /fail. On a
// hosted page session, complete pays with CardApprove, fail declines and
// expire ends the session unpaid.
//
// # Notifications
//
// Completing a hosted page (Pay or Fail), and the resolution of a pending
// payment, POST the full result to notify_url as JSON, signed with
// sign_generic. A merchant answer other than HTTP 200 is retried: by
// default 3 more times at once (DefaultRetry; RDP "tries 3 times
// consecutively"), configurable through Config.Kit.Retry. The callback id
// in the delivery log (GET /__emulator/callbacks) is the transaction_id.
// Cancel sends the browser to back_url without a notification; Pay and
// Fail redirect it to redirect_url?transaction_id=….
//
// Card numbers are never stored: the emulator keeps first 6, last 4, the
// expiry and a keyed fingerprint (to refuse re-tokenising the same card
// with -3001), and emukit masks card numbers and CVVs in what it records
// and logs.
package reddot
