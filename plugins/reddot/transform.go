package reddot

import (
	"crypto/sha256"
	"encoding/base32"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/hashicorp/go-hclog"
	"github.com/payhost/payhost/plugin"
)

// Amounts.
//
// RDP takes decimal strings in major units with the currency's decimals
// ("10.50" SGD), at most 10 integer and 2 decimal digits, and none for
// zero-decimal currencies, among which RDP counts IDR although ISO 4217
// gives it 2 (§3.2, §3.6). amountString is the one place a Money becomes
// such a string; the same string goes into the body and the signature.

// rdpDecimals overrides ISO 4217 where RDP's convention differs.
var rdpDecimals = map[string]int{"IDR": 0}

// maxIntegerDigits is RDP's limit on digits before the decimal point.
const maxIntegerDigits = 10

// amountString renders m as RDP wants it, refusing what would need
// rounding or does not fit.
func amountString(m plugin.Money) (string, error) {
	exp, ok := plugin.CurrencyExponent(m.Currency)
	if !ok {
		return "", plugin.InvalidRequest("currency", "currency %q is not an ISO 4217 code payhost knows", m.Currency)
	}
	if d, ok := rdpDecimals[m.Currency]; ok {
		exp = d
	}
	if exp > 2 {
		return "", plugin.InvalidRequest("currency", "RDP takes at most 2 decimals; %s has %d", m.Currency, exp)
	}
	if m.Amount <= 0 {
		return "", plugin.InvalidRequest("amount", "amount must be positive")
	}
	s, err := m.DecimalWith(exp)
	if err != nil {
		return "", plugin.InvalidRequest("amount", "RDP takes %s without decimals: %v", m.Currency, err)
	}
	if whole, _, _ := strings.Cut(s, "."); len(whole) > maxIntegerDigits {
		return "", plugin.InvalidRequest("amount", "%s is more than RDP's %d integer digits", s, maxIntegerDigits)
	}
	return s, nil
}

// parseAmount reads an amount RDP reports in currency; an empty amount or
// currency gives the zero Money.
func parseAmount(amount, currency text) (plugin.Money, error) {
	if amount == "" || currency == "" {
		return plugin.Money{}, nil
	}
	return plugin.ParseDecimal(string(amount), string(currency))
}

// Ids.
//
// RDP's order_id is at most 20 characters of letters, digits, "-" and "_"
// for payments (§3.2), and we keep token order ids to 16, the shorter limit
// some of RDP's pages give. payhost's ids ("att_" or "tok_" and 26
// characters) are longer, so orderID derives the order id: the id itself
// when it already fits, otherwise the first max characters of the
// base32 SHA-256 of the id (upper-case letters and digits, at least 80
// bits). The same id always gives the same order id, so a status query by
// order id (unique_order_id) finds a payment whose answer was lost.
//
// A hash cannot be read back, so the host's id travels along too: a
// payment's AttemptID as merchant_reference, a token's TokenID as payer_id;
// RDP echoes both in answers and notifications.

// The order id lengths.
const (
	paymentOrderIDLength = 20
	tokenOrderIDLength   = 16
)

// maxPayerIDLength is RDP's payer_id column, VARCHAR(100).
const maxPayerIDLength = 100

// orderID derives an RDP order id of at most max characters from id.
func orderID(id string, max int) string {
	if id != "" && len(id) <= max && strings.Trim(id, idChars) == "" {
		return id
	}
	sum := sha256.Sum256([]byte(id))
	return base32.StdEncoding.EncodeToString(sum[:])[:max]
}

// idChars are the characters of an RDP order id.
const idChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

// paymentOrderID is the order id of a payment attempt.
func paymentOrderID(attemptID string) string { return orderID(attemptID, paymentOrderIDLength) }

// tokenOrderID is the order id of a token's creation.
func tokenOrderID(tokenID string) string { return orderID(tokenID, tokenOrderIDLength) }

// removalOrderID is the order id of a token's removal: a derivation of
// its own (the "." never fits an order id, so it is always hashed), so
// that with unique_order_id GetToken can look the removal up.
func removalOrderID(tokenID string) string { return orderID(tokenID+".remove", tokenOrderIDLength) }

// echoedID maps an echoed order id back to the host's id carried along
// (merchant_reference or payer_id): the carried id when it derives the
// order id, else the order id itself.
func echoedID(order, carried text, derive func(string) string) string {
	if carried != "" && derive(string(carried)) == string(order) {
		return string(carried)
	}
	return string(order)
}

// Cards.

// expDate is RDP's MMYYYY expiry of a card.
func expDate(c *plugin.Card) (string, error) {
	if c.ExpMonth < 1 || c.ExpMonth > 12 {
		return "", plugin.InvalidRequest("card.exp_month", "expiry month must be 1 to 12")
	}
	if c.ExpYear < 1000 || c.ExpYear > 9999 {
		return "", plugin.InvalidRequest("card.exp_year", "expiry year must have four digits")
	}
	return fmt.Sprintf("%02d%04d", c.ExpMonth, c.ExpYear), nil
}

// cardInfo is what an answer tells of the card, nil when nothing.
func cardInfo(first6, last4, exp text) *plugin.CardInfo {
	if first6 == "" && last4 == "" {
		return nil
	}
	info := &plugin.CardInfo{First6: string(first6), Last4: string(last4)}
	if len(exp) == 6 {
		info.ExpMonth, _ = strconv.Atoi(string(exp[:2]))
		info.ExpYear, _ = strconv.Atoi(string(exp[2:]))
	}
	return info
}

// truncate cuts s to at most n characters (RDP's VARCHAR limits on names).
func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n])
}

// Statuses.

// decision is what an RDP result says happened, whatever the API.
type decision int

// The decisions. undecided is everything payhost does not know, which is
// never a success.
const (
	undecided decision = iota
	pending
	rejected
	captured
	authorized
	tokenStored
	tokenRemoved
)

// decide is the one place RDP's response_code and transaction_type become
// a decision (§3.4). response_code is compared as a string: "-01"
// (pending) and "-1" (declined) differ although both read as -1. Only an
// explicit "0" with a known transaction type is a success; "-1" and the
// other negative codes (request errors) are failures; anything else is
// undecided and logged.
func decide(code, transactionType text, logger hclog.Logger) decision {
	switch {
	case code == codePending:
		return pending
	case code == codeRejected, isNegativeInteger(string(code)):
		return rejected
	case code == codeOK && transactionType == typeSale:
		return captured
	case code == codeOK && transactionType == typeAuth:
		return authorized
	case code == codeOK && (transactionType == typeCreate || transactionType == typeModify):
		return tokenStored
	case code == codeOK && transactionType == typeRemove:
		return tokenRemoved
	}
	logger.Warn("RDP answered a result payhost does not know; treating it as undecided",
		"response_code", string(code), "transaction_type", string(transactionType))
	return undecided
}

// paymentStatuses and tokenStatuses say what a decision means for a
// payment and a token; a decision not listed leaves a payment processing
// and a token waiting (requires_action).
var (
	paymentStatuses = map[decision]plugin.PaymentStatus{
		pending: plugin.StatusProcessing, rejected: plugin.StatusFailed,
		captured: plugin.StatusSucceeded, authorized: plugin.StatusAuthorized,
	}
	tokenStatuses = map[decision]plugin.TokenStatus{
		pending: plugin.TokenRequiresAction, rejected: plugin.TokenFailed,
		tokenStored: plugin.TokenActive, tokenRemoved: plugin.TokenDeleted,
	}
)

// paymentStatus is the payhost status of a decision about a payment.
func paymentStatus(d decision) plugin.PaymentStatus {
	if s, ok := paymentStatuses[d]; ok {
		return s
	}
	return plugin.StatusProcessing
}

// tokenStatus is the payhost status of a decision about a token.
func tokenStatus(d decision) plugin.TokenStatus {
	if s, ok := tokenStatuses[d]; ok {
		return s
	}
	return plugin.TokenRequiresAction
}

func isNegativeInteger(s string) bool {
	digits, ok := strings.CutPrefix(s, "-")
	return ok && digits != "" && strings.Trim(digits, "0123456789") == ""
}

// paymentResult is the payhost view of a payment answer.
func paymentResult(a *paymentAnswer, logger hclog.Logger) plugin.PaymentResult {
	d := decide(a.ResponseCode, a.TransactionType, logger)
	res := plugin.PaymentResult{
		Status:            paymentStatus(d),
		ProviderReference: string(a.TransactionID),
		ProviderStatus:    string(a.ResponseCode),
		Card:              cardInfo(a.First6, a.Last4, a.ExpDate),
	}
	var err error
	if res.Amount, err = parseAmount(a.RequestAmount, a.RequestCcy); err != nil {
		logger.Warn("RDP reported an amount payhost cannot read", "transaction_id", string(a.TransactionID), "error", err)
	}
	if d == captured {
		if res.CapturedAmount, err = parseAmount(a.AuthorizedAmount, a.AuthorizedCcy); err != nil {
			logger.Warn("RDP reported an authorized amount payhost cannot read", "transaction_id", string(a.TransactionID), "error", err)
		}
	}
	if d == rejected {
		res.FailureCode, res.FailureMessage = string(a.ResponseCode), failureMessage(a.ResponseMsg, a.AcquirerResponseCode, a.AcquirerResponseMsg)
	}
	return res
}

// tokenResult is the payhost view of a token answer.
func tokenResult(a *tokenAnswer, logger hclog.Logger) plugin.TokenResult {
	d := decide(a.ResponseCode, a.TransactionType, logger)
	res := plugin.TokenResult{
		Status:            tokenStatus(d),
		CustomerRef:       string(a.PayerID),
		ProviderReference: string(a.TransactionID),
		ProviderStatus:    string(a.ResponseCode),
		Card:              cardInfo(a.First6, a.Last4, a.ExpDate),
	}
	if d == tokenStored || d == tokenRemoved {
		res.Token = string(a.TokenID)
	}
	if d == rejected {
		res.FailureCode, res.FailureMessage = string(a.ResponseCode), failureMessage(a.ResponseMsg, a.AcquirerResponseCode, a.AcquirerResponseMsg)
	}
	return res
}

// failureMessage is RDP's message with the acquirer's code and message.
func failureMessage(msg, acquirerCode, acquirerMsg text) string {
	if acquirerCode == "" && acquirerMsg == "" {
		return string(msg)
	}
	return fmt.Sprintf("%s (acquirer %s: %s)", msg, acquirerCode, acquirerMsg)
}

// redirect is the next action of a hosted page's first phase.
func redirect(pageURL, expires text) *plugin.NextAction {
	return &plugin.NextAction{Type: plugin.ActionRedirect, URL: string(pageURL), ExpiresAt: parseTimestamp(expires)}
}

// Errors.

// api names an RDP API; the same error code can mean different things in
// each (-1002 is "request must be JSON" in the token API and "MID not
// found" in the payment API).
type api int

// The APIs with their own error codes.
const (
	tokenAPI api = iota
	paymentAPI
	queryAPI
)

// errorKinds are the error codes (§3.4) that are not request errors. An
// unlisted negative code is invalid_request.
var errorKinds = map[api]map[string]plugin.ErrorKind{
	tokenAPI: {
		"-2005": plugin.KindAuthentication, "-2012": plugin.KindAuthentication,
		"-1006": plugin.KindUnsupported, "-1007": plugin.KindUnsupported, "-2011": plugin.KindUnsupported,
	},
	paymentAPI: {
		"-1002": plugin.KindAuthentication, "-1003": plugin.KindAuthentication, "-1304": plugin.KindAuthentication,
		"-1006": plugin.KindUnsupported,
		// RDP could not reach the bank, or failed inside: the bank may have acted.
		"-2": plugin.KindUnknownOutcome, "-3": plugin.KindUnknownOutcome,
	},
	queryAPI: {"-2005": plugin.KindAuthentication, "-2012": plugin.KindAuthentication},
}

// gatewayError is the payhost error of an RDP error code and message: a
// decline for "-1", an unknown outcome for codes that are not RDP error
// codes at all (or say RDP failed inside), otherwise by errorKinds.
func gatewayError(a api, code, msg text, what string) *plugin.Error {
	switch {
	case code == codeRejected:
		return plugin.Declined(string(code), string(msg))
	case code == "-1000" || !isNegativeInteger(string(code)) || code == codePending:
		return plugin.UnknownOutcome(nil, "%s: RDP answered response_code %q (%s) without a result", what, string(code), msg)
	}
	kind, ok := errorKinds[a][string(code)]
	if !ok {
		kind = plugin.KindInvalidRequest
	}
	return plugin.GatewayError(kind, string(code), fmt.Sprintf("%s: %s", what, msg))
}

// isNotFound reports whether a query's error code says there is no such
// transaction (-1008 request, -1009 history not found).
func isNotFound(code text) bool { return code == "-1008" || code == "-1009" }

// Timestamps.

// rdpZone is Singapore time (UTC+08:00), in which RDP writes timestamps.
var rdpZone = time.FixedZone("UTC+8", 8*60*60)

// parseTimestamp reads an RDP timestamp: "2015-11-14 12:33:27" in UTC+8, or
// epoch seconds; anything else is the zero time.
func parseTimestamp(s text) time.Time {
	if n, err := strconv.ParseInt(string(s), 10, 64); err == nil {
		return time.Unix(n, 0).UTC()
	}
	t, err := time.ParseInLocation(time.DateTime, string(s), rdpZone)
	if err != nil {
		return time.Time{}
	}
	return t.UTC()
}
