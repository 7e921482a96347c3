package appotapay

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
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

// orderFields are what a create request carries in every API version.
type orderFields struct {
	amount        json.Number
	orderID       string
	info          string
	paymentMethod string
	bankCode      string
	notifyURL     string
	redirectURL   string
}

// orderFieldsOf maps a payment to AppotaPay's order. bank payments use the
// configured paymentMethod and bankCode, card payments CC (AppotaPay's
// page collects the card: card data is never sent); provider_options
// payment_method and bank_code override both.
func orderFieldsOf(req *plugin.CreatePaymentRequest, cfg *settings) (*orderFields, error) {
	amount, err := vndAmount(req.Amount, "amount")
	if err != nil {
		return nil, err
	}
	o := &orderFields{
		amount:      amount,
		orderID:     req.AttemptID,
		info:        truncate(firstNonEmpty(req.Description, req.Reference, "Payment "+req.PaymentID), maxOrderInfo),
		notifyURL:   cfg.notifyURL,
		redirectURL: req.ReturnURL,
	}
	switch req.Method {
	case plugin.MethodBank:
		o.paymentMethod, o.bankCode = cfg.paymentMethod, cfg.bankCode
	case plugin.MethodCard:
		o.paymentMethod = "CC"
	default:
		return nil, plugin.InvalidRequest("method", "AppotaPay payments are bank or card payments, not %q", req.Method)
	}
	if v, ok := req.Options["payment_method"]; ok {
		if !slices.Contains(paymentMethods, v) {
			return nil, plugin.InvalidRequest("provider_options.payment_method", "%q is not an AppotaPay paymentMethod", v)
		}
		o.paymentMethod = v
	}
	if v, ok := req.Options["bank_code"]; ok {
		if v != "" && !bankCodePattern.MatchString(v) {
			return nil, plugin.InvalidRequest("provider_options.bank_code", "%q is not an AppotaPay bank code such as VCB", v)
		}
		o.bankCode = v
	}
	switch {
	case o.orderID == "" || utf8.RuneCountInString(o.orderID) > maxOrderID:
		return nil, plugin.InvalidRequest("attempt_id", "the attempt id is AppotaPay's order id: 1 to %d characters", maxOrderID)
	case o.redirectURL == "":
		return nil, plugin.InvalidRequest("return_url", "AppotaPay needs a return URL for the customer's browser")
	case o.notifyURL == "":
		return nil, plugin.InvalidRequest("callback_url", "the instance has no callback URL (payhost's public_url) for AppotaPay's notifications")
	}
	return o, nil
}

// createRequestOf is the v1.x create request, unsigned. v1.x also needs
// the customer's IP; v1.1 adds the action.
func createRequestOf(req *plugin.CreatePaymentRequest, cfg *settings) (*createRequest, error) {
	o, err := orderFieldsOf(req, cfg)
	if err != nil {
		return nil, err
	}
	if net.ParseIP(req.Customer.IP) == nil {
		return nil, plugin.InvalidRequest("customer.ip", "AppotaPay needs the customer's IP address")
	}
	w := &createRequest{
		Amount: o.amount, OrderID: o.orderID, OrderInfo: o.info, BankCode: o.bankCode,
		PaymentMethod: o.paymentMethod, ClientIP: req.Customer.IP, NotifyURL: o.notifyURL, RedirectURL: o.redirectURL,
	}
	if cfg.version == version11 {
		w.Action = actionPay
	}
	return w, nil
}

// awaitingCustomer is a created payment waiting on the hosted page at
// paymentURL: requires_action. Without a usable URL the customer cannot
// pay, and nobody can tell what became of the order: unknown outcome.
func awaitingCustomer(res plugin.PaymentResult, paymentURL string) (plugin.PaymentResult, error) {
	u, err := url.Parse(paymentURL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return plugin.PaymentResult{}, plugin.UnknownOutcome(err, "%s: the answer has no usable payment page URL", opCreate)
	}
	res.Status = plugin.StatusRequiresAction
	res.NextAction = &plugin.NextAction{Type: plugin.ActionRedirect, URL: paymentURL}
	return res, nil
}

// refundRequestOf is the v1.x refund request, unsigned.
func refundRequestOf(r *refundOrder) (*refundRequest, error) {
	amount, err := vndAmount(r.amount, "amount")
	if err != nil {
		return nil, err
	}
	return &refundRequest{RefundID: r.refundID, AppotapayTransID: r.transID, Amount: amount, Reason: r.reason}, nil
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

// refundResultOf maps a refund as AppotaPay reports it: its status,
// AppotaPay's refund id and the amount.
func refundResultOf(ctx context.Context, status, refundID string, amount json.Number) (plugin.RefundResult, error) {
	st, known := refundStatusOf(status)
	if !known {
		plugin.Logger(ctx).Warn("unexpected AppotaPay refund status; the refund stays pending", "refund_id", refundID, "status", status)
	}
	res := plugin.RefundResult{Status: st, ProviderRefundReference: refundID, ProviderStatus: status}
	m, err := moneyOf(amount)
	if err != nil {
		return res, err
	}
	res.Amount = m
	if st == plugin.RefundFailed {
		res.FailureCode = status
		res.FailureMessage = "AppotaPay reports the refund as " + status
	}
	return res, nil
}

// wireParams names the uniform request field behind each AppotaPay
// field, for invalid_request errors.
var wireParams = map[string]string{
	"amount":           "amount",
	"currency":         "currency",
	"id":               "attempt_id",
	"info":             "description",
	"partnerRefId":     "refund_id",
	"transactionId":    "provider_reference",
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

// fieldName finds the field names a message mentions as "name: ..." or
// "path.to.name: ...".
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

// fieldParam returns the uniform field behind an AppotaPay field path
// (v2's errors[].field, such as transaction.amount), or "".
func fieldParam(path string) string {
	return wireParams[path[strings.LastIndexByte(path, '.')+1:]]
}

// notFoundParam is what an unknown-transaction rejection (36) of a call
// other than a status query is about.
var notFoundParam = map[operation]string{
	opCreate: "attempt_id",
	opRefund: "provider_reference",
}

// waitFor reads how long AppotaPay asks to wait ("wait 5 minutes").
var waitFor = regexp.MustCompile(`(\d+)\s*(second|minute|hour)`)

// rejectionError maps an AppotaPay rejection (GATEWAYS.md §2.4) to an
// error with the gateway's code and message: credentials and signatures
// are authentication; bad fields, duplicates and amounts invalid_request
// (naming the field); refusals to refund declined; "wait" rate_limited.
// An unknown transaction (36) is not_found when it answers a status query
// (payment or refund status), invalid_request otherwise. Busy, undefined
// and unknown codes are unknown_outcome: the gateway may have acted, and
// a status query tells.
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
		if op == opStatus || op == opRefundLookup {
			return plugin.NotFound(code, message)
		}
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
