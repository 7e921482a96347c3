// Package appotapay emulates AppotaPay's bank/ATM/Visa payment gateway,
// API v1.1 (with the v1.0 paths) and, as a second profile on its own
// paths, API v2, for tests and for `payhost sandbox`.
//
// It owns AppotaPay's wire behaviour: JWT authentication, the sorted
// parameter HMAC-SHA256 signatures, validation and error codes, the order
// and refund state machines, the hosted payment page, the IPN and the
// signed browser redirect. Its signing code is written from the spec
// (GATEWAYS.md §2) independently of the payhost plugin, so that a mistake
// on one side is caught by the other. Common emulator machinery (clock,
// ids, request log, faults, callback delivery with retries, the
// /__emulator/ control API, the payment page template) comes from emukit.
//
// The entry point is New, which returns an http.Handler:
//
//	srv := appotapay.New(appotapay.Config{BaseURL: "http://127.0.0.1:8902"})
//	defer srv.Close()
//	http.ListenAndServe("127.0.0.1:8902", srv)
//
// # Endpoints
//
//	POST /api/v1.1/orders/payment/bank            create a payment (v1.1: action, token)
//	POST /api/v1/orders/payment/bank              create a payment (v1.0)
//	POST /api/v1.1/orders/transaction/bank/status check a payment (also /api/v1/...)
//	GET  /api/v1.1/token/{order_id}               saved-card token of a PAY_WITH_RETURN_TOKEN order
//	POST /api/v1/transaction/refund               refund a paid payment
//	GET  /api/v1/transaction/refund/{refundId}    a refund's status, by the partner's refundId
//	GET  /bank/payment/process?tran=..&sign=..    hosted payment page (Pay / Fail / Cancel)
//
//	POST /api/v2/orders/payment                   v2: create (nested body, JWT only)
//	GET  /api/v2/orders/transaction?referenceId=  v2: status (type TRANSACTION_ID or PARTNER_ORDER_ID)
//	POST /api/v2/transaction/refund               v2: refund
//	GET  /api/v2/transaction/refund/{id}          v2: refund status (type=PARTNER_ORDER_ID for partnerRefId)
//	GET  /v2/bank/payment/process?tran=..&sign=.. v2 hosted payment page
//
// Every API call needs X-APPOTAPAY-AUTH: an HS256 JWT (optionally after
// "Bearer ") with header {"typ":"JWT","alg":"HS256","cty":"appotapay-api;v=1"}
// and claims iss (partner code), api_key and exp, signed with the partner's
// secret key. Failures answer HTTP 401 with errorCode 401 (bad or expired
// token), 11 (unknown partner), 13 (partner locked), 14 (unknown API key)
// or 15 (API key inactive). Other rejections answer HTTP 200 with the
// errorCode in the body, as v1.x does: 1 invalid field (the message names
// every bad field), 2 bad signature, 30 duplicate orderId, 31 duplicate
// refundId, 32 invalid amount, 36 unknown transaction, 110 refund above
// what is left, 129, 135, 140 paymentMethod or 141 bankCode not allowed.
//
// The sandbox partner APPOTAPAY with AppotaPay's published API key and
// secret key is accepted by default (SandboxPartner); Config.Partners adds
// others.
//
// # Payments
//
// A created order is pending: the status API answers errorCode 35 until it
// moves. On the hosted page, Pay makes it paid, posts the IPN to notifyUrl
// (flat JSON signed over 13 keys, Content-Type "applicaton/json" as
// AppotaPay spells it, tokenResult for PAY_WITH_RETURN_TOKEN) and sends the
// browser to redirectUrl with the same signed fields in the query. The IPN
// is retried (DefaultIPNRetry: three more times, five minutes apart) until
// the merchant answers HTTP 200 with {"status":"ok"} or {"errorCode":0}.
// Fail and Cancel end the order with errorCode 33 and redirect without an
// IPN. The control API (POST /__emulator/orders/{id}/complete|fail|expire,
// id being the appotapayTransId or orderId) moves orders without a browser;
// an order's IPN is callback ipn_<appotapayTransId> in GET
// /__emulator/callbacks and can be sent again with POST
// /__emulator/callbacks/ipn_<appotapayTransId>/resend.
//
// v2 orders go through the same states. They notify with
// {"data","signature","time"}: data is the Base64 of the JSON result and
// signature its HMAC-SHA256. v2 counts only {"status":"ok"} as an
// acknowledgement and reports rejections with HTTP 400, 401 or 404 and an
// errors list naming the fields.
//
// # Magic amounts
//
// Amounts script the outcomes a real sandbox needs a real bank for:
//
//	payment 10,402 VND   Pay is declined: failed (33), no IPN
//	payment 10,034 VND   Pay leaves the order processing (34) with no IPN,
//	                     until /__emulator/orders/{id}/complete or fail
//	refund  10,129 VND   refund refused with 129 (wait before another refund)
//	refund  10,135 VND   refund refused with 135 (transaction not refundable)
//	refund  10,500 VND   refund accepted, then settles as error
//
// # Refunds
//
// A refund starts pending (or processing, Config.RefundStatus) and settles
// to success (or error) Config.RefundSettleAfter later on the emulator
// clock, as seen by the refund status API; POST
// /__emulator/refunds/{id}/complete|fail settles it at once. Refunds that
// ended in error do not count against the amount left to refund.
package appotapay
