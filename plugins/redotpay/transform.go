package redotpay

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/hashicorp/go-hclog"
	"github.com/payhost/payhost/plugin"
)

// transform.go converts between the uniform types and both protocols'
// wire structs: amounts (the one place where minor units meet RedotPay's
// formats), statuses (one exhaustive switch per gateway status field),
// next actions and ids.

// ---- Amounts ----

// maxIntegerDigits bounds orderAmount: at most 12 integer digits
// (GATEWAYS.md §1.2).
const maxIntegerDigits = 12

// connectAmount is orderAmount: a decimal in major units, written as a
// JSON number without trailing zeros (1000 USD cents is 10, 1050 is 10.5,
// 99 is 0.99).
func connectAmount(m plugin.Money) (json.Number, error) {
	d, err := decimalAmount(m)
	if err != nil {
		return "", err
	}
	if strings.Contains(d, ".") {
		d = strings.TrimRight(strings.TrimRight(d, "0"), ".")
	}
	if whole, _, _ := strings.Cut(d, "."); len(whole) > maxIntegerDigits {
		return "", plugin.InvalidRequest("amount", "amount %s has more than %d integer digits, the most RedotPay takes", m, maxIntegerDigits)
	}
	return json.Number(d), nil
}

// cardAmount is a /v1 amount: a decimal string with exactly the
// currency's minor-unit decimals ("100.00").
func cardAmount(m plugin.Money) (string, error) { return decimalAmount(m) }

// seedOrderAmount is the seed's order amount: a whole JSON number. The
// seed does not say its unit (300000 next to USD); payhost reads it as
// minor units, so 300000 USD is 3000.00 USD.
func seedOrderAmount(m plugin.Money) (json.Number, error) {
	if err := checkAmount(m); err != nil {
		return "", err
	}
	return json.Number(strconv.FormatInt(m.Amount, 10)), nil
}

func decimalAmount(m plugin.Money) (string, error) {
	if err := checkAmount(m); err != nil {
		return "", err
	}
	return m.Decimal()
}

func checkAmount(m plugin.Money) error {
	if err := m.Validate(); err != nil {
		return plugin.InvalidRequest("amount", "amount: %v", err)
	}
	if m.Amount == 0 {
		return plugin.InvalidRequest("amount", "amount must be greater than zero")
	}
	return nil
}

// moneyFromDecimal reads a major-unit amount of a Connect or /v1 answer
// ("10.5", "10.00", 1) exactly; an amount that would need rounding to the
// currency's minor unit is an error.
func moneyFromDecimal(text flexNumber, currency string) (plugin.Money, error) {
	return plugin.ParseDecimal(string(text), currency)
}

// moneyFromMinor reads the seed's whole-number order amount.
func moneyFromMinor(text flexNumber, currency string) (plugin.Money, error) {
	if _, ok := plugin.CurrencyExponent(currency); !ok {
		return plugin.Money{}, fmt.Errorf("currency %q is not an ISO 4217 code payhost knows", currency)
	}
	units, err := plugin.ParseMinorUnits(string(text), 0)
	if err != nil {
		return plugin.Money{}, err
	}
	return plugin.Money{Amount: units, Currency: currency}, nil
}

// ---- Statuses ----

// paymentFromOrderStatus maps Connect's orderStatus (GATEWAYS.md §1.4).
// Only 2 (paid) is a success; 3 is a failed attempt on an order that
// stays payable, so not a failure; 4 (closed) is expired when timeExpire
// has passed and canceled otherwise (a merchant's close). Anything else is
// logged and taken as still open (§1.7).
func paymentFromOrderStatus(status flexNumber, timeExpire int64, now time.Time, log hclog.Logger) plugin.PaymentStatus {
	switch status {
	case "1", "3":
		return plugin.StatusProcessing
	case "2":
		return plugin.StatusSucceeded
	case "4":
		if timeExpire > 0 && !now.Before(time.UnixMilli(timeExpire)) {
			return plugin.StatusExpired
		}
		return plugin.StatusCanceled
	default:
		log.Warn("unexpected orderStatus; taking the order as still open", "orderStatus", string(status))
		return plugin.StatusProcessing
	}
}

// paymentFromSeedStatus maps the seed order status. "failed" is a failed
// attempt on an order that stays payable (as Connect's orderStatus 3), so
// not a failure.
func paymentFromSeedStatus(status string, log hclog.Logger) plugin.PaymentStatus {
	switch status {
	case "pending", "failed":
		return plugin.StatusProcessing
	case "paid":
		return plugin.StatusSucceeded
	case "expired":
		return plugin.StatusExpired
	case "closed":
		return plugin.StatusCanceled
	default:
		log.Warn("unexpected seed order status; taking the order as still open", "status", status)
		return plugin.StatusProcessing
	}
}

// paymentFromCardStatus maps a /v1 card transaction's status. A refunded
// payment stays succeeded: its refunds are the host's to track.
// Anything else is logged and unknown: the status query that could tell
// does not exist for cards.
func paymentFromCardStatus(status string, log hclog.Logger) plugin.PaymentStatus {
	switch status {
	case "pending":
		return plugin.StatusProcessing
	case "authorized":
		return plugin.StatusAuthorized
	case "declined":
		return plugin.StatusFailed
	case "captured", "partially_refunded", "refunded":
		return plugin.StatusSucceeded
	case "voided":
		return plugin.StatusCanceled
	case "reversed":
		return plugin.StatusReversed
	default:
		log.Warn("unexpected card transaction status; outcome unknown", "status", status)
		return plugin.StatusUnknown
	}
}

// refundFromWebhookStatus maps a Connect REFUND webhook's refundStatus.
func refundFromWebhookStatus(status string, log hclog.Logger) plugin.RefundStatus {
	switch status {
	case "SUCCESS":
		return plugin.RefundSucceeded
	case "FAIL":
		return plugin.RefundFailed
	default:
		log.Warn("unexpected refundStatus; taking the refund as pending", "refundStatus", status)
		return plugin.RefundPending
	}
}

// refundFromCardStatus maps the card transaction's status after a
// successful /v1/refund call.
func refundFromCardStatus(status string, log hclog.Logger) plugin.RefundStatus {
	switch status {
	case "partially_refunded", "refunded":
		return plugin.RefundSucceeded
	default:
		log.Warn("unexpected card transaction status after a refund; taking the refund as pending", "status", status)
		return plugin.RefundPending
	}
}

// ---- Results ----

// detailResult is a Connect order snapshot as a payment result.
func detailResult(d connectDetail, now time.Time, log hclog.Logger) (*plugin.PaymentResult, error) {
	amount, err := moneyFromDecimal(d.OrderAmount, d.OrderCurrency)
	if err != nil {
		return nil, fmt.Errorf("orderAmount: %w", err)
	}
	return &plugin.PaymentResult{
		Status:            paymentFromOrderStatus(d.OrderStatus, d.TimeExpire, now, log),
		ProviderReference: d.OrderSn,
		Amount:            amount,
		ProviderStatus:    "orderStatus " + string(d.OrderStatus),
	}, nil
}

// seedOrderResult is a seed order as a payment result.
func seedOrderResult(o seedOrder, log hclog.Logger) (*plugin.PaymentResult, error) {
	amount, err := moneyFromMinor(o.Amount, o.Currency)
	if err != nil {
		return nil, fmt.Errorf("amount: %w", err)
	}
	return &plugin.PaymentResult{
		Status:            paymentFromSeedStatus(o.Status, log),
		ProviderReference: o.OrderSn,
		Amount:            amount,
		ProviderStatus:    o.Status,
	}, nil
}

// cardResult is a /v1 card transaction as a payment result.
func cardResult(t cardTxn, log hclog.Logger) (*plugin.PaymentResult, error) {
	amount, err := moneyFromDecimal(flexNumber(t.Amount), t.Currency)
	if err != nil {
		return nil, fmt.Errorf("amount: %w", err)
	}
	res := &plugin.PaymentResult{
		Status:            paymentFromCardStatus(t.Status, log),
		ProviderReference: t.TransactionID,
		Amount:            amount,
		Card:              cardInfoFromMasked(t.Card),
		ProviderStatus:    t.Status,
		FailureCode:       t.DeclineCode,
	}
	if t.CapturedAmount != "" {
		if res.CapturedAmount, err = moneyFromDecimal(flexNumber(t.CapturedAmount), t.Currency); err != nil {
			return nil, fmt.Errorf("captured_amount: %w", err)
		}
		if res.CapturedAmount.Amount == 0 {
			res.CapturedAmount = plugin.Money{}
		}
	}
	return res, nil
}

// cardInfoFromMasked reads the first six and last four digits of a
// masked card number such as 411111******1111.
func cardInfoFromMasked(masked string) *plugin.CardInfo {
	if len(masked) < 12 || !digitsOnly(masked[:6]) || !digitsOnly(masked[len(masked)-4:]) {
		return nil
	}
	return &plugin.CardInfo{First6: masked[:6], Last4: masked[len(masked)-4:]}
}

func digitsOnly(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// ---- Next actions ----

// The manual flow's payment methods. RedotPay's real list was not found;
// these are the three kinds of answer the docs name (URL, QR code, deep
// link), as the emulator spells them.
const (
	payWeb      = "WEB"
	payQRCode   = "QRCODE"
	payDeepLink = "DEEPLINK"
)

// optionPaymentMethod is the provider option that picks the manual flow's
// payment method.
const optionPaymentMethod = "payment_method"

// checkoutMethod decides how the customer pays: "" for the checkout page
// (create answers its URL), or the manual flow's payment method. The
// option payment_method (WEB, QRCODE, DEEPLINK) chooses it; otherwise a
// qr payment shows a QR code and a wallet payment goes to the checkout.
func checkoutMethod(req *plugin.CreatePaymentRequest) (string, error) {
	switch o := req.Options[optionPaymentMethod]; o {
	case payWeb, payQRCode, payDeepLink:
		return o, nil
	case "":
	default:
		return "", plugin.InvalidRequest("options."+optionPaymentMethod, "provider option %s must be WEB, QRCODE or DEEPLINK, not %q", optionPaymentMethod, o)
	}
	if req.Method == plugin.MethodQR {
		return payQRCode, nil
	}
	return "", nil
}

// paymentInfo is what the manual flow answers, in either protocol.
type paymentInfo struct {
	payURL, qrCode, deepLink string
	expires                  time.Time
}

// manualAction is the next action for the chosen payment method, or an
// error when the answer lacks what that method needs.
func manualAction(method string, info paymentInfo) (*plugin.NextAction, error) {
	a := &plugin.NextAction{ExpiresAt: info.expires}
	var shown string
	switch method {
	case payQRCode:
		a.Type, a.QRCode, shown = plugin.ActionQRCode, info.qrCode, info.qrCode
	case payDeepLink:
		a.Type, a.DeepLink, a.URL, shown = plugin.ActionDeepLink, info.deepLink, info.payURL, info.deepLink
	default:
		a.Type, a.URL, shown = plugin.ActionRedirect, info.payURL, info.payURL
	}
	if shown == "" {
		return nil, fmt.Errorf("the payment info for %s has nothing to show the customer", method)
	}
	return a, nil
}

// checkoutURL picks the checkout URL for env (WEB webUrl, H5 h5Url, APP
// appUrl), falling back to another one when that one is missing.
func checkoutURL(env string, d connectCreateData) string {
	urls := map[string]string{"WEB": d.WebURL, "H5": d.H5URL, "APP": d.AppURL}
	for _, u := range []string{urls[env], d.WebURL, d.H5URL, d.AppURL} {
		if u != "" {
			return u
		}
	}
	return ""
}

// millis turns an epoch-milliseconds field into a time; 0 is the zero
// time.
func millis(ms int64) time.Time {
	if ms <= 0 {
		return time.Time{}
	}
	return time.UnixMilli(ms).UTC()
}

// ---- Requests and ids ----

// outerOrderSnPattern is Connect's rule for merchant order ids
// (GATEWAYS.md §1.2).
var outerOrderSnPattern = regexp.MustCompile(`^[A-Za-z0-9_\-|*]{6,32}$`)

// orderID is the gateway's merchant order id of an attempt: the host's
// AttemptID itself (att_ + 26 base32 characters fits Connect's 6 to 32
// characters of [A-Za-z0-9_-|*]), so that an order is found by
// AttemptID alone and a callback's echo maps back unchanged.
func orderID(attemptID string) (string, error) {
	if !outerOrderSnPattern.MatchString(attemptID) {
		return "", plugin.InvalidRequest("attempt_id", "attempt id must be 6 to 32 characters of A-Z a-z 0-9 _ - | * to be a RedotPay order id")
	}
	return attemptID, nil
}

// Connect's length limits (GATEWAYS.md §1.2).
const (
	maxOuterUID  = 32
	maxOrderDesc = 126 // "< 127 chars"
)

// Goods item defaults, overridden by the provider options goods_type and
// goods_category: a virtual good (02) of category 6000 (games and
// top-ups), as in vector R-1.
const (
	defaultGoodsType     = "02"
	defaultGoodsCategory = "6000"
)

// connectCreate builds the create body of req for env, notifying
// notifyURL; manual asks for the manual flow.
func connectCreate(req *plugin.CreatePaymentRequest, env, notifyURL string, manual bool) (*connectCreateRequest, error) {
	id, err := orderID(req.AttemptID)
	if err != nil {
		return nil, err
	}
	amount, err := connectAmount(req.Amount)
	if err != nil {
		return nil, err
	}
	desc := orderDescription(req)
	return &connectCreateRequest{
		OuterOrderSn:  id,
		OuterUID:      outerUID(req),
		OrderAmount:   amount,
		OrderCurrency: req.Amount.Currency,
		Env:           env,
		OrderDesc:     desc,
		Goods: []connectGoods{{
			GoodsType:     optionOr(req, "goods_type", defaultGoodsType),
			GoodsCategory: optionOr(req, "goods_category", defaultGoodsCategory),
			GoodsCode:     firstNonEmpty(req.Reference, id),
			GoodsName:     desc,
			GoodsCount:    1,
			GoodsAmount:   amount,
			GoodsCoin:     req.Amount.Currency,
		}},
		RedirectURL: req.ReturnURL,
		NotifyURL:   notifyURL,
		Manual:      manual,
	}, nil
}

// outerUID is the merchant's user id: the customer's id when it fits,
// else the attempt id (the field is required).
func outerUID(req *plugin.CreatePaymentRequest) string {
	if id := req.Customer.ID; id != "" && utf8.RuneCountInString(id) <= maxOuterUID {
		return id
	}
	return req.AttemptID
}

// orderDescription is the required orderDesc: the description, else the
// reference, else a sentence with the attempt id, cut to RedotPay's limit.
func orderDescription(req *plugin.CreatePaymentRequest) string {
	desc := firstNonEmpty(req.Description, req.Reference, "Payment "+req.AttemptID)
	if utf8.RuneCountInString(desc) > maxOrderDesc {
		desc = string([]rune(desc)[:maxOrderDesc])
	}
	return desc
}

// seedCreate builds the seed's create body of req.
func seedCreate(req *plugin.CreatePaymentRequest, merchantCode, callbackURL string, manual bool) (*seedCreateRequest, error) {
	amount, err := seedOrderAmount(req.Amount)
	if err != nil {
		return nil, err
	}
	if req.AttemptID == "" {
		return nil, plugin.InvalidRequest("attempt_id", "attempt id is required as the order's ref_no")
	}
	return &seedCreateRequest{
		MerchantCode: merchantCode, Amount: amount, Currency: req.Amount.Currency,
		RefNo: req.AttemptID, CallbackURL: callbackURL, RedirectURL: req.ReturnURL, Manual: manual,
	}, nil
}

func optionOr(req *plugin.CreatePaymentRequest, name, def string) string {
	return firstNonEmpty(req.Options[name], def)
}

func firstNonEmpty(values ...string) string {
	for _, v := range values {
		if v != "" {
			return v
		}
	}
	return ""
}
