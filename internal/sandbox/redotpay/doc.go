// Package redotpay emulates the RedotPay Connect payment gateway for local
// development and tests (GATEWAYS.md §1 and §4.2). It owns the gateway's
// wire formats, request authentication, field validation, the order and
// card state machines, webhook signing and the hosted checkout page. The
// shared machinery (clock, ids, request log, injected faults, callback
// delivery with retries, the /__emulator/ control API, the page template)
// comes from emukit; the RedotPay provider plugin is written separately
// from the same spec and imports nothing from here except in its tests.
//
// The entry point is New, which returns a *Server, an http.Handler usable
// with httptest or on a real port (`payhost sandbox` serves it on
// 127.0.0.1:8901). Server.Credentials lists the accepted test
// credentials; TestKeyPEM gives the RSA test key pair.
//
// # Two profiles on one handler
//
// A request with an X-R-AK header is served by the official Connect
// profile (Variant R); one with "Authorization: Bearer <merchant key>" by
// the seed profile (Variant S, exactly as redotpay-connect.txt describes
// it). /pay/{orderSn} is the hosted page of both.
//
// # Connect profile
//
// Every call carries X-R-AK (appKey), X-R-Ts (epoch ms, within ±5 min of
// the emulator's clock; Config.TimestampSkew), X-R-Key-Version and
// X-R-Signature: Base64 SHA256withRSA over
//
//	UPPER(method) + " " + path + "\n" + appKey + "." + ts + "." + rawBody
//
// verified with the merchant public key registered for that version (a
// percent-encoded signature is accepted too). Config.SignatureOptional
// accepts unsigned calls, as the real sandbox reportedly does. Defaults:
// appKey DefaultAppKey, key version 1, the RSA test key of
// specs/vectors as merchant and platform key.
//
//	POST /openapi/v2/order/create          create an order (every field validated, §1.2)
//	POST /openapi/v2/order/payment-method  manual flow: {"orderSn", "paymentMethod": WEB|QRCODE|DEEPLINK}
//	GET  /openapi/v2/order/payment-method  the same, seed style: ?order_sn=…&payment_method=…
//	POST /openapi/v2/order/detail          {"orderSn"} or {"outerOrderSn"}
//	POST /openapi/v2/order/close           close an unpaid order; fails on a paid one
//
// Answers are {"code":"SUCCESS","msg":…,"data":…}. Errors carry a
// non-SUCCESS code and a message naming the field or header at fault:
// PARAM_ERROR (400), APP_KEY_INVALID, KEY_VERSION_INVALID,
// TIMESTAMP_INVALID, SIGN_ERROR (401), NOT_FOUND and ORDER_NOT_FOUND
// (404), ORDER_EXISTS, ORDER_PAID, ORDER_CLOSED (409), RISK_REJECT (422).
// The real codes were not found; these names and statuses are ours.
// A manual order's create answer leaves out webUrl, h5Url and appUrl.
//
// orderStatus: 1 pending → 2 paid (terminal) | 3 attempt failed (still
// payable) | 4 closed (terminal: by close, or when timeExpire, default
// one hour, passes on the emulator's clock).
//
// On payment a PAYMENT webhook (actionType ACQUIRER_PAY, with outerOrder,
// outerOrderSn, orderSn, preSn, txId, orderStatus, orderAmount,
// orderCurrency, billAmount, billCoin, cryptoAmount, rate, rateExtra,
// outerUid, merchantId, orderTime) goes to the notifyUrl of the create
// body, else to App.NotifyURL. It is signed with the platform key over
// appKey + "." + ts + "." + rawBody in X-R-Signature, with X-R-Ts and
// X-R-Key-Version. Settlement model: USDT at rate 1, billAmount net of a
// 1% fee. The merchant acknowledges with HTTP 200 and {"code":"SUCCESS"}
// (any 200 with Config.AckAnyOK); otherwise the same signed payload is
// sent again after 1, 5 and 30 minutes (Config.Kit.Retry).
//
// Refunds: RedotPay's refund endpoint was not found, so the emulator
// offers none on the gateway side. Instead the control call
//
//	POST /__emulator/orders/{orderSn}/refund {"amount":"1.5","outcome":"success|failure","reason":"…"}
//
// refunds a paid Connect order (amount in major units, default all that
// is left; refunds never exceed the order amount) and sends a REFUND
// webhook signed like the PAYMENT one: actionType ACQUIRER_REFUND,
// refundSn, refundStatus SUCCESS or FAIL, refundAmount, failReason, plus
// the order's ids and amounts. A failed refund books nothing.
//
// # Seed profile
//
// Bearer merchant key (default DefaultSeedMerchantKey for merchant
// DefaultSeedMerchantCode, callback secret DefaultSeedSecret), snake_case
// fields, answers {"code":0,"data":…} or {"code":N,"message":…} with
// N = 40001 bad field, 40101 bad key, 40400 no such endpoint, 40401 no
// such order, 40901 duplicate ref_no, 40902 paid, 40903 closed, 42202
// refused (risk), the HTTP status being N's first three digits.
//
//	POST /openapi/v2/order/create               merchant_code, amount (whole number), currency, ref_no, callback_url, manual
//	GET  /openapi/v2/order/payment-method?order_sn=
//	GET  /openapi/v2/order/{order_sn}           status: pending, paid, failed, expired
//
// create answers order_sn (SN + date + 9 digits), payment_url, manual and
// expire_time (seconds). An optional redirect_url (our extension) is where
// the hosted page returns. The callback to callback_url carries order_sn,
// merchant_order_sn, status ("paid" or "failed"), amount, currency and
// signature = lowercase hex HMAC-SHA256, key = secret, over secret +
// merchant_code + order_sn + ref_no + amount + currency + status (vector
// S-1); "SUCCESS" in an HTTP 200 answer acknowledges it.
//
// # Card endpoints (seed profile)
//
// The seed names the request bodies only; the answers are our design.
// Amounts are decimal strings with the currency's minor-unit decimals.
//
//	POST /v1/authorize {"amount":"100.00","card_number":"4111111111111111","currency":"USD"}
//	POST /v1/capture   {"transaction_id","amount"?,"currency"?}   authorized → captured, amount ≤ authorized
//	POST /v1/refund    {"transaction_id","amount"?}               captured → partially_refunded → refunded, total ≤ captured
//	POST /v1/void      {"transaction_id"}                         authorized → voided
//	POST /v1/reversal  {"transaction_id"}                         captured (no refunds) → reversed
//
// Success (200; a pending authorization 202) answers the transaction:
// transaction_id, status, currency, card (masked 411111******1111),
// amount, authorized_amount, captured_amount, refunded_amount,
// decline_code, created_at, updated_at. Errors answer {"code",
// "message", "param"}: invalid_request (400), unauthorized (401),
// not_found (404), invalid_state (409), amount_exceeds_limit (422); a
// decline answers 402 card_declined with transaction_id, status and
// decline_code. Card numbers are stored and shown masked only.
//
// # Hosted page
//
// GET /pay/{orderSn} shows the order with Pay, Fail and Cancel buttons.
// Pay marks it paid and notifies the merchant; Fail records a failed
// attempt (orderStatus 3, a "failed" callback in the seed profile);
// Cancel changes nothing. Each then redirects (303) to the order's
// redirect URL, or shows a result page when there is none.
//
// # Magic values
//
//	amount ending in .51 (seed: 51)   orders: Pay on the hosted page fails the attempt (status 3)
//	                                  cards: authorization declined, insufficient_funds
//	amount ending in .52 (seed: 52)   orders: create refused, RISK_REJECT / 42202
//	card 4000000000000002             declined, do_not_honor
//	card 4000000000009995             declined, insufficient_funds
//	card 4000000000000259             pending (202) until POST /__emulator/orders/{id}/complete or /fail
//
// "Ending in" reads the cents of a decimal amount (10.51) or the last two
// digits of a whole-number one (1051). The control API's complete, fail
// and expire act on orders and on pending card authorizations; complete
// ignores the magic decline.
package redotpay
