package appotapay

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"regexp"
	"slices"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/payhost/payhost/plugin"
)

// AppotaPay moves VND only, in whole dong (GATEWAYS.md §2.6).
const (
	currencyVND = "VND"
	// vndDecimals is how many decimals AppotaPay's amounts have.
	vndDecimals = 0
)

// Length limits of AppotaPay's text fields.
const (
	maxOrderID   = 50
	maxOrderInfo = 150
	maxReason    = 100
)

// vndAmount is m as AppotaPay's amount: a whole number of dong. Anything
// but a positive VND amount is invalid_request naming param (or currency).
func vndAmount(m plugin.Money, param string) (json.Number, error) {
	if m.Currency != currencyVND {
		return "", plugin.InvalidRequest("currency", "AppotaPay takes VND only, not %q", m.Currency)
	}
	if m.Amount <= 0 {
		return "", plugin.InvalidRequest(param, "%s must be above zero (got %s)", param, m)
	}
	d, err := m.DecimalWith(vndDecimals)
	if err != nil {
		return "", plugin.InvalidRequest(param, "%s: %v", param, err)
	}
	return json.Number(d), nil
}

// moneyOf reads an amount AppotaPay reports: whole dong, no decimals,
// no exponent, never through a float.
func moneyOf(n json.Number) (plugin.Money, error) {
	return plugin.ParseDecimal(n.String(), currencyVND)
}

// createRequestOf maps a payment to AppotaPay's create request, unsigned.
// bank payments use the configured paymentMethod and bankCode, card
// payments CC (AppotaPay's page collects the card: card data is never
// sent); provider_options payment_method and bank_code override both.
func createRequestOf(req *plugin.CreatePaymentRequest, cfg *settings) (*createRequest, error) {
	amount, err := vndAmount(req.Amount, "amount")
	if err != nil {
		return nil, err
	}
	w := &createRequest{
		Amount:      amount,
		OrderID:     req.AttemptID,
		OrderInfo:   truncate(firstNonEmpty(req.Description, req.Reference, "Payment "+req.PaymentID), maxOrderInfo),
		ClientIP:    req.Customer.IP,
		NotifyURL:   cfg.notifyURL,
		RedirectURL: req.ReturnURL,
	}
	switch req.Method {
	case plugin.MethodBank:
		w.PaymentMethod, w.BankCode = cfg.paymentMethod, cfg.bankCode
	case plugin.MethodCard:
		w.PaymentMethod = "CC"
	default:
		return nil, plugin.InvalidRequest("method", "AppotaPay payments are bank or card payments, not %q", req.Method)
	}
	if v, ok := req.Options["payment_method"]; ok {
		if !slices.Contains(paymentMethods, v) {
			return nil, plugin.InvalidRequest("provider_options.payment_method", "%q is not an AppotaPay paymentMethod", v)
		}
		w.PaymentMethod = v
	}
	if v, ok := req.Options["bank_code"]; ok {
		if v != "" && !bankCodePattern.MatchString(v) {
			return nil, plugin.InvalidRequest("provider_options.bank_code", "%q is not an AppotaPay bank code such as VCB", v)
		}
		w.BankCode = v
	}
	if cfg.version == version11 {
		w.Action = actionPay
	}
	switch {
	case w.OrderID == "" || utf8.RuneCountInString(w.OrderID) > maxOrderID:
		return nil, plugin.InvalidRequest("attempt_id", "the attempt id is AppotaPay's orderId: 1 to %d characters", maxOrderID)
	case w.RedirectURL == "":
		return nil, plugin.InvalidRequest("return_url", "AppotaPay needs a return URL for the customer's browser")
	case net.ParseIP(w.ClientIP) == nil:
		return nil, plugin.InvalidRequest("customer.ip", "AppotaPay needs the customer's IP address")
	case w.NotifyURL == "":
		return nil, plugin.InvalidRequest("callback_url", "the instance has no callback URL (payhost's public_url) for AppotaPay's notifications")
	}
	return w, nil
}

// The result codes of a payment (status answer, IPN, redirect).
const (
	codeSuccess = "0"
	// codeFailed ends a payment unpaid: declined, cancelled or expired.
	codeFailed = "33"
)

// paymentStatusOf is the one place AppotaPay's result codes become
// payment statuses. Only 0 (paid) and 33 (failed) are final; the "red
// codes" say to ask again later (GATEWAYS.md §2.4). Any other code is
// unexpected: processing, and known is false so that the caller logs it.
func paymentStatusOf(code string) (status plugin.PaymentStatus, known bool) {
	switch code {
	case codeSuccess:
		return plugin.StatusSucceeded, true
	case codeFailed:
		return plugin.StatusFailed, true
	case "34", "35", "72", "91", "99", "500":
		return plugin.StatusProcessing, true
	default:
		return plugin.StatusProcessing, false
	}
}

// paymentResultOf maps a verified transaction result.
func paymentResultOf(ctx context.Context, tr *transactionResult) (plugin.PaymentResult, error) {
	code := tr.ErrorCode.String()
	status, known := paymentStatusOf(code)
	if !known {
		plugin.Logger(ctx).Warn("unexpected AppotaPay result code; the payment stays processing", "order_id", tr.OrderID, "trans_id", tr.AppotapayTransID, "error_code", code, "message", tr.Message)
	}
	res := plugin.PaymentResult{
		Status:            status,
		ProviderReference: tr.AppotapayTransID,
		ProviderStatus:    code,
		Card:              cardInfoOf(tr.CardInfo),
	}
	if tr.Currency != "" && tr.Currency != currencyVND {
		return res, fmt.Errorf("the result is in %q, not VND", tr.Currency)
	}
	if tr.Amount != "" {
		amount, err := moneyOf(tr.Amount)
		if err != nil {
			return res, err
		}
		res.Amount = amount
	}
	switch status {
	case plugin.StatusSucceeded:
		res.CapturedAmount = res.Amount
	case plugin.StatusFailed:
		res.FailureCode, res.FailureMessage = code, tr.Message
	}
	return res, nil
}

// refundStatusOf is the one place AppotaPay's refund statuses become
// refund statuses: pending (manual) and processing (automatic) wait,
// success and error are final. Anything else is unexpected: pending, and
// known is false so that the caller logs it.
func refundStatusOf(status string) (plugin.RefundStatus, bool) {
	switch status {
	case "success":
		return plugin.RefundSucceeded, true
	case "error":
		return plugin.RefundFailed, true
	case "pending", "processing":
		return plugin.RefundPending, true
	default:
		return plugin.RefundPending, false
	}
}

// refundResultOf maps a verified refund answer.
func refundResultOf(ctx context.Context, rr *refundResponse) (plugin.RefundResult, error) {
	status, known := refundStatusOf(rr.Data.Status)
	if !known {
		plugin.Logger(ctx).Warn("unexpected AppotaPay refund status; the refund stays pending", "refund_id", rr.Data.RefundOriginalID, "status", rr.Data.Status)
	}
	res := plugin.RefundResult{Status: status, ProviderRefundReference: rr.Data.RefundID, ProviderStatus: rr.Data.Status}
	amount, err := moneyOf(rr.Data.Amount)
	if err != nil {
		return res, err
	}
	res.Amount = amount
	if status == plugin.RefundFailed {
		res.FailureCode = rr.Data.Status
		res.FailureMessage = "AppotaPay reports the refund as " + rr.Data.Status
	}
	return res, nil
}

// wireParams names the uniform request field behind each AppotaPay
// field, for invalid_request errors.
var wireParams = map[string]string{
	"amount":           "amount",
	"orderId":          "attempt_id",
	"orderInfo":        "description",
	"clientIp":         "customer.ip",
	"notifyUrl":        "callback_url",
	"redirectUrl":      "return_url",
	"paymentMethod":    "payment_method",
	"bankCode":         "bank_code",
	"refundId":         "refund_id",
	"appotapayTransId": "provider_reference",
	"reason":           "reason",
}

// fieldName finds the field names a message mentions as "name: ...".
var fieldName = regexp.MustCompile(`([A-Za-z]+):`)

// paramIn returns the uniform field behind the first AppotaPay field that
// message names, or "".
func paramIn(message string) string {
	for _, m := range fieldName.FindAllStringSubmatch(message, -1) {
		if p, ok := wireParams[m[1]]; ok {
			return p
		}
	}
	return ""
}

// notFoundParam is what an unknown-transaction rejection (36) is about.
var notFoundParam = map[operation]string{
	opCreate:       "attempt_id",
	opStatus:       "attempt_id",
	opRefund:       "provider_reference",
	opRefundLookup: "refund_id",
}

// waitFor reads how long AppotaPay asks to wait ("wait 5 minutes").
var waitFor = regexp.MustCompile(`(\d+)\s*(second|minute|hour)`)

// rejectionError maps an AppotaPay rejection (GATEWAYS.md §2.4) to an
// error with the gateway's code and message: credentials and signatures
// are authentication; bad fields, duplicates and amounts invalid_request
// (naming the field); refusals to refund declined; "wait" rate_limited.
// Busy, undefined and unknown codes are unknown_outcome: the gateway may
// have acted, and a status query tells.
func rejectionError(op operation, code, message string) *plugin.Error {
	invalid := func(param string) *plugin.Error {
		e := plugin.GatewayError(plugin.KindInvalidRequest, code, message)
		e.Param = param
		return e
	}
	switch code {
	case "1":
		return invalid(paramIn(message))
	case "2", "11", "13", "14", "15", "92", "401":
		return plugin.AuthenticationFailed(code, message)
	case "30":
		return invalid("attempt_id")
	case "31":
		return invalid("refund_id")
	case "32", "106", "110":
		return invalid("amount")
	case "36":
		return invalid(notFoundParam[op])
	case "140":
		return invalid("payment_method")
	case "141":
		return invalid("bank_code")
	case "125", "135":
		return plugin.Declined(code, message)
	case "129":
		e := plugin.GatewayError(plugin.KindRateLimited, code, message)
		if m := waitFor.FindStringSubmatch(message); m != nil {
			n, _ := strconv.Atoi(m[1])
			e.RetryAfter = time.Duration(n) * map[string]time.Duration{"second": time.Second, "minute": time.Minute, "hour": time.Hour}[m[2]]
		}
		return e
	default:
		e := plugin.GatewayError(plugin.KindUnknownOutcome, code, message)
		e.Message = fmt.Sprintf("%s: AppotaPay answered errorCode %s (%s); it may have acted", op, code, message)
		return e
	}
}

// cardInfoOf maps the masked card of a status answer.
func cardInfoOf(c *cardInfo) *plugin.CardInfo {
	if c == nil {
		return nil
	}
	info := &plugin.CardInfo{HolderName: c.CardName}
	if n := c.CardNumber; len(n) >= 10 && allDigits(n[:6]) && allDigits(n[len(n)-4:]) {
		info.First6, info.Last4 = n[:6], n[len(n)-4:]
		info.Brand = plugin.NewCardNumber(info.First6).Brand()
	}
	if exp, err := time.Parse("01/06", c.CardDate); err == nil {
		info.ExpMonth, info.ExpYear = int(exp.Month()), exp.Year()
	}
	return info
}

func allDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// truncate cuts s to at most n characters.
func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n])
}

func firstNonEmpty(values ...string) string {
	for _, v := range values {
		if v != "" {
			return v
		}
	}
	return ""
}
