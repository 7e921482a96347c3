package redotpay

import (
	"fmt"
	"regexp"
	"time"
	"unicode/utf8"
)

// Field rules of the Connect create call (GATEWAYS.md §1.2 and §4.2).
var (
	outerOrderSnPattern  = regexp.MustCompile(`^[A-Za-z0-9_\-|*]{6,32}$`)
	goodsCategoryPattern = regexp.MustCompile(`^[0-9A-Z]000$`) // 0000 electronics … 6000 games … D000 food
	coinPattern          = regexp.MustCompile(`^[A-Z0-9]{2,10}$`)
)

const (
	maxOuterUID  = 32
	maxOrderDesc = 126 // "< 127 chars"
	maxGoods     = 10
)

// validCreate is a create request that passed validation.
type validCreate struct {
	outerOrderSn string
	outerUID     string
	amount       amount
	rateExtra    int64
	currency     string
	env          string
	desc         string
	expiresAt    time.Time
	manual       bool
	redirectURL  string
	notifyURL    string
}

// validate checks every field of a create request and returns the first
// problem as a fieldError. now and ttl give the default expiry.
func (r *createRequest) validate(now time.Time, ttl time.Duration) (validCreate, error) {
	v := validCreate{
		outerOrderSn: r.OuterOrderSn,
		outerUID:     r.OuterUID,
		currency:     r.OrderCurrency,
		env:          r.Env,
		desc:         r.OrderDesc,
		manual:       r.Manual,
		redirectURL:  r.RedirectURL,
		notifyURL:    r.NotifyURL,
		expiresAt:    now.Add(ttl),
	}
	if v.outerOrderSn == "" {
		v.outerOrderSn = r.OuterOrder
	}
	if v.redirectURL == "" && r.Buyer != nil {
		v.redirectURL = r.Buyer.RedirectURL
	}
	switch {
	case v.outerOrderSn == "":
		return v, fieldErrorf("outerOrderSn", "is required")
	case !outerOrderSnPattern.MatchString(v.outerOrderSn):
		return v, fieldErrorf("outerOrderSn", "must be 6 to 32 characters of A-Z a-z 0-9 _ - | *")
	case r.OuterOrder != "" && r.OuterOrderSn != "" && r.OuterOrder != r.OuterOrderSn:
		return v, fieldErrorf("outerOrder", "must equal outerOrderSn when both are sent")
	case v.outerUID == "":
		return v, fieldErrorf("outerUid", "is required")
	case utf8.RuneCountInString(v.outerUID) > maxOuterUID:
		return v, fieldErrorf("outerUid", "must be at most %d characters", maxOuterUID)
	}
	units, err := positiveNumber("orderAmount", r.OrderAmount, maxIntDigits, microScale)
	if err != nil {
		return v, err
	}
	v.amount = amount{units: units, scale: microScale}
	if err := checkCurrency("orderCurrency", v.currency); err != nil {
		return v, err
	}
	if r.TimeExpire != nil {
		v.expiresAt = time.UnixMilli(*r.TimeExpire)
		if !v.expiresAt.After(now) {
			return v, fieldErrorf("timeExpire", "must be in the future (epoch milliseconds)")
		}
	}
	switch v.env {
	case "H5", "WEB", "APP":
	case "":
		return v, fieldErrorf("env", "is required")
	default:
		return v, fieldErrorf("env", "must be H5, WEB or APP")
	}
	rate, _, err := numberField("rateExtra", r.RateExtra, maxIntDigits, microScale)
	if err != nil {
		return v, err
	}
	if rate > pow10(microScale) {
		return v, fieldErrorf("rateExtra", "must be between 0 and 1")
	}
	v.rateExtra = rate
	switch {
	case v.desc == "":
		return v, fieldErrorf("orderDesc", "is required")
	case utf8.RuneCountInString(v.desc) > maxOrderDesc:
		return v, fieldErrorf("orderDesc", "must be shorter than 127 characters")
	case len(r.Goods) == 0:
		return v, fieldErrorf("goods", "must list 1 to %d items", maxGoods)
	case len(r.Goods) > maxGoods:
		return v, fieldErrorf("goods", "must list at most %d items", maxGoods)
	}
	for i, g := range r.Goods {
		if err := g.validate(fmt.Sprintf("goods[%d].", i)); err != nil {
			return v, err
		}
	}
	if err := checkURL("redirectUrl", v.redirectURL); err != nil {
		return v, err
	}
	return v, checkURL("notifyUrl", v.notifyURL)
}

// validate checks one goods item; prefix names it in errors.
func (g goodsItem) validate(prefix string) error {
	switch g.GoodsType {
	case "01", "02":
	case "":
		return fieldErrorf(prefix+"goodsType", "is required")
	default:
		return fieldErrorf(prefix+"goodsType", "must be 01 (tangible) or 02 (virtual)")
	}
	switch {
	case g.GoodsCategory == "":
		return fieldErrorf(prefix+"goodsCategory", "is required")
	case !goodsCategoryPattern.MatchString(g.GoodsCategory):
		return fieldErrorf(prefix+"goodsCategory", "must be a category code such as 0000 or 6000")
	case g.GoodsCount != nil && *g.GoodsCount < 1:
		return fieldErrorf(prefix+"goodsCount", "must be at least 1")
	case g.GoodsCoin != "" && !coinPattern.MatchString(g.GoodsCoin):
		return fieldErrorf(prefix+"goodsCoin", "must be a currency or coin code such as USD")
	}
	units, present, err := numberField(prefix+"goodsAmount", g.GoodsAmount, maxIntDigits, microScale)
	if err != nil {
		return err
	}
	if present && units == 0 {
		return fieldErrorf(prefix+"goodsAmount", "must be greater than zero")
	}
	return nil
}
