package redotpay

import (
	"crypto/rsa"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestConnectCreate(t *testing.T) {
	h := newHarness(t, nil)
	a := h.connect(t, http.MethodPost, "/openapi/v2/order/create", fixture(t, "connect_create.json", nil))
	a.expect(t, http.StatusOK, "SUCCESS", "success")
	var d createData
	a.data(t, &d)
	if !strings.HasPrefix(d.OrderSn, "RAP20260318") || d.OuterOrderSn != "ORD123456" {
		t.Errorf("ids: orderSn %q outerOrderSn %q", d.OrderSn, d.OuterOrderSn)
	}
	if d.OrderAmount != "12.345678" || d.OrderCurrency != "USD" || d.OrderStatus != statusPending {
		t.Errorf("amount %s %s status %d", d.OrderAmount, d.OrderCurrency, d.OrderStatus)
	}
	if want := testStart.Add(DefaultOrderTTL).UnixMilli(); d.TimeExpire != want {
		t.Errorf("timeExpire = %d, want now+1h = %d", d.TimeExpire, want)
	}
	page := h.http.URL + "/pay/" + d.OrderSn
	if d.WebURL != page || d.H5URL != page+"?env=H5" || d.AppURL != page+"?env=APP" {
		t.Errorf("checkout URLs %q %q %q", d.WebURL, d.H5URL, d.AppURL)
	}
	if len(d.PaymentMethods) != 3 {
		t.Errorf("paymentMethods = %v", d.PaymentMethods)
	}
	if got := h.detail(t, d.OrderSn); got.OrderStatus != statusPending || got.OrderAmount != "12.345678" {
		t.Errorf("detail after create: %+v", got)
	}
}

// Amounts are exact: the JSON number text round-trips with no float step.
func TestConnectCreateAmountsAreExact(t *testing.T) {
	h := newHarness(t, nil)
	for i, amount := range []string{"0.1", "0.000001", "999999999999.999999", "19.99"} {
		ref := "EXACT" + strings.Repeat("0", 3) + string(rune('A'+i))
		sn := h.createConnect(t, map[string]any{"outerOrderSn": ref, "orderAmount": json.Number(amount)})
		if got := h.detail(t, sn).OrderAmount; string(got) != amount {
			t.Errorf("orderAmount %s came back as %s", amount, got)
		}
	}
}

func TestConnectCreateValidation(t *testing.T) {
	tests := []struct {
		name    string
		changes map[string]any
		msg     string
	}{
		{"missing outerOrderSn", map[string]any{"outerOrderSn": nil}, "outerOrderSn: is required"},
		{"short outerOrderSn", map[string]any{"outerOrderSn": "AB12"}, "outerOrderSn: must be 6 to 32"},
		{"long outerOrderSn", map[string]any{"outerOrderSn": strings.Repeat("A", 33)}, "outerOrderSn: must be 6 to 32"},
		{"outerOrderSn with a space", map[string]any{"outerOrderSn": "ORD 12345"}, "outerOrderSn: must be 6 to 32"},
		{"outerOrder disagrees", map[string]any{"outerOrder": "ORD999999"}, "outerOrder: must equal outerOrderSn"},
		{"outerOrderSn not a string", map[string]any{"outerOrderSn": 123456}, "outerOrderSn: must be a JSON string"},
		{"missing outerUid", map[string]any{"outerUid": nil}, "outerUid: is required"},
		{"long outerUid", map[string]any{"outerUid": strings.Repeat("u", 33)}, "outerUid: must be at most 32"},
		{"missing orderAmount", map[string]any{"orderAmount": nil}, "orderAmount: is required"},
		{"orderAmount as string", map[string]any{"orderAmount": "10.00"}, "orderAmount: must be a JSON number"},
		{"zero orderAmount", map[string]any{"orderAmount": 0}, "orderAmount: must be greater than zero"},
		{"negative orderAmount", map[string]any{"orderAmount": -1}, "orderAmount: must not be negative"},
		{"seven decimals", map[string]any{"orderAmount": json.Number("1.0000001")}, "orderAmount: must have at most 6 decimal places"},
		{"thirteen integer digits", map[string]any{"orderAmount": json.Number("1234567890123")}, "orderAmount: must have at most 12 integer digits"},
		{"exponent", map[string]any{"orderAmount": json.Number("1e3")}, "orderAmount: must be a plain decimal"},
		{"missing orderCurrency", map[string]any{"orderCurrency": nil}, "orderCurrency: is required"},
		{"lowercase currency", map[string]any{"orderCurrency": "usd"}, "orderCurrency: must be an ISO 4217"},
		{"crypto currency", map[string]any{"orderCurrency": "BTC"}, "orderCurrency: must be an ISO 4217"},
		{"past timeExpire", map[string]any{"timeExpire": testStart.Add(-time.Second).UnixMilli()}, "timeExpire: must be in the future"},
		{"fractional timeExpire", map[string]any{"timeExpire": 1.5}, "timeExpire: must be a JSON integer"},
		{"missing env", map[string]any{"env": nil}, "env: is required"},
		{"bad env", map[string]any{"env": "DESKTOP"}, "env: must be H5, WEB or APP"},
		{"rateExtra above 1", map[string]any{"rateExtra": json.Number("1.000001")}, "rateExtra: must be between 0 and 1"},
		{"negative rateExtra", map[string]any{"rateExtra": -0.1}, "rateExtra: must not be negative"},
		{"missing orderDesc", map[string]any{"orderDesc": nil}, "orderDesc: is required"},
		{"orderDesc of 127", map[string]any{"orderDesc": strings.Repeat("d", 127)}, "orderDesc: must be shorter than 127"},
		{"missing goods", map[string]any{"goods": nil}, "goods: must list 1 to 10"},
		{"empty goods", map[string]any{"goods": []any{}}, "goods: must list 1 to 10"},
		{"eleven goods", map[string]any{"goods": elevenGoods()}, "goods: must list at most 10"},
		{"missing goodsType", map[string]any{"goods.0.goodsType": nil}, "goods[0].goodsType: is required"},
		{"bad goodsType", map[string]any{"goods.0.goodsType": "03"}, "goods[0].goodsType: must be 01"},
		{"missing goodsCategory", map[string]any{"goods.0.goodsCategory": nil}, "goods[0].goodsCategory: is required"},
		{"bad goodsCategory", map[string]any{"goods.0.goodsCategory": "60"}, "goods[0].goodsCategory: must be a category code"},
		{"zero goodsCount", map[string]any{"goods.0.goodsCount": 0}, "goods[0].goodsCount: must be at least 1"},
		{"goodsAmount with 7 decimals", map[string]any{"goods.0.goodsAmount": json.Number("0.0000001")}, "goods[0].goodsAmount: must have at most 6"},
		{"bad goodsCoin", map[string]any{"goods.0.goodsCoin": "us dollar"}, "goods[0].goodsCoin: must be a currency"},
		{"relative redirectUrl", map[string]any{"buyer.redirectUrl": "/return"}, "redirectUrl: must be an absolute http"},
		{"ftp notifyUrl", map[string]any{"notifyUrl": "ftp://merchant.example/hook"}, "notifyUrl: must be an absolute http"},
		{"manual not a boolean", map[string]any{"manual": "yes"}, "manual: must be a JSON boolean"},
	}
	h := newHarness(t, nil)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := h.connect(t, http.MethodPost, "/openapi/v2/order/create", fixture(t, "connect_create.json", tt.changes))
			a.expect(t, http.StatusBadRequest, "PARAM_ERROR", tt.msg)
		})
	}
	t.Run("not JSON", func(t *testing.T) {
		h.connect(t, http.MethodPost, "/openapi/v2/order/create", `{"outerOrderSn":`).
			expect(t, http.StatusBadRequest, "PARAM_ERROR", "body: is not valid JSON")
	})
	t.Run("empty body", func(t *testing.T) {
		h.connect(t, http.MethodPost, "/openapi/v2/order/create", ``).
			expect(t, http.StatusBadRequest, "PARAM_ERROR", "body: must be a JSON object")
	})
}

func elevenGoods() []any {
	goods := make([]any, 11)
	for i := range goods {
		goods[i] = map[string]any{"goodsType": "01", "goodsCategory": "0000"}
	}
	return goods
}

func TestConnectCreateAcceptsAliases(t *testing.T) {
	h := newHarness(t, nil)
	sn := h.createConnect(t, map[string]any{
		"outerOrderSn": nil, "outerOrder": "LEGACY01",
		"buyer": nil, "redirectUrl": "https://merchant.example/top-level",
	})
	o, err := h.srv.store.updateOrder(sn, anyOwner, testStart, nil)
	if err != nil {
		t.Fatal(err)
	}
	if o.merchantRef != "LEGACY01" || o.redirectURL != "https://merchant.example/top-level" {
		t.Fatalf("order kept ref %q redirect %q", o.merchantRef, o.redirectURL)
	}
}

func TestConnectCreateDuplicate(t *testing.T) {
	h := newHarness(t, nil)
	h.createConnect(t, nil)
	a := h.connect(t, http.MethodPost, "/openapi/v2/order/create", fixture(t, "connect_create.json", nil))
	a.expect(t, http.StatusConflict, "ORDER_EXISTS", "already exists")
}

func TestConnectCreateMagicReject(t *testing.T) {
	h := newHarness(t, nil)
	a := h.connect(t, http.MethodPost, "/openapi/v2/order/create",
		fixture(t, "connect_create.json", map[string]any{"orderAmount": json.Number("10.52")}))
	a.expect(t, http.StatusUnprocessableEntity, "RISK_REJECT", "risk control")
}

// A manual order answers without checkout URLs; its payment info comes
// from /payment-method.
func TestConnectManualFlow(t *testing.T) {
	h := newHarness(t, nil)
	a := h.connect(t, http.MethodPost, "/openapi/v2/order/create", fixture(t, "connect_create.json", map[string]any{"manual": true}))
	a.expect(t, http.StatusOK, "SUCCESS", "")
	var d createData
	a.data(t, &d)
	if !d.Manual || d.WebURL != "" || d.H5URL != "" || d.AppURL != "" {
		t.Fatalf("manual create answered %+v", d)
	}
	page := h.http.URL + "/pay/" + d.OrderSn
	tests := []struct {
		name, method, path, body string
		want                     paymentMethodData
	}{
		{"default is WEB", http.MethodPost, "/openapi/v2/order/payment-method", `{"orderSn":"` + d.OrderSn + `"}`,
			paymentMethodData{PaymentMethod: "WEB", PayURL: page}},
		{"QR code", http.MethodPost, "/openapi/v2/order/payment-method", `{"orderSn":"` + d.OrderSn + `","paymentMethod":"QRCODE"}`,
			paymentMethodData{PaymentMethod: "QRCODE", QRCode: page + "?via=qr"}},
		{"deep link by outerOrderSn", http.MethodPost, "/openapi/v2/order/payment-method", `{"outerOrderSn":"ORD123456","paymentMethod":"DEEPLINK"}`,
			paymentMethodData{PaymentMethod: "DEEPLINK", PayURL: page, DeepLink: "redotpay://connect/pay?orderSn=" + d.OrderSn}},
		{"seed-style GET", http.MethodGet, "/openapi/v2/order/payment-method?order_sn=" + d.OrderSn, "",
			paymentMethodData{PaymentMethod: "WEB", PayURL: page}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := h.connect(t, tt.method, tt.path, tt.body)
			a.expect(t, http.StatusOK, "SUCCESS", "")
			var got paymentMethodData
			a.data(t, &got)
			tt.want.OrderSn, tt.want.OuterOrderSn, tt.want.TimeExpire = d.OrderSn, "ORD123456", d.TimeExpire
			if got != tt.want {
				t.Fatalf("got %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestConnectPaymentMethodRejections(t *testing.T) {
	h := newHarness(t, nil)
	paid := h.createConnect(t, map[string]any{"outerOrderSn": "PAID0001"})
	if err := h.srv.CompleteOrder(paid); err != nil {
		t.Fatal(err)
	}
	closed := h.createConnect(t, map[string]any{"outerOrderSn": "CLOSED01"})
	h.connect(t, http.MethodPost, "/openapi/v2/order/close", `{"orderSn":"`+closed+`"}`).expect(t, http.StatusOK, "SUCCESS", "")
	tests := []struct {
		name, body string
		status     int
		code, msg  string
	}{
		{"unknown method", `{"orderSn":"` + paid + `","paymentMethod":"CASH"}`, 400, "PARAM_ERROR", "paymentMethod: must be one of"},
		{"no order named", `{}`, 400, "PARAM_ERROR", "orderSn: is required"},
		{"unknown order", `{"orderSn":"RAP404"}`, 404, "ORDER_NOT_FOUND", ""},
		{"paid order", `{"orderSn":"` + paid + `"}`, 409, "ORDER_PAID", ""},
		{"closed order", `{"orderSn":"` + closed + `"}`, 409, "ORDER_CLOSED", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h.connect(t, http.MethodPost, "/openapi/v2/order/payment-method", tt.body).expect(t, tt.status, tt.code, tt.msg)
		})
	}
}

func TestConnectDetail(t *testing.T) {
	h := newHarness(t, nil)
	sn := h.createConnect(t, nil)
	tests := []struct {
		name, body string
		status     int
		code       string
	}{
		{"by orderSn", `{"orderSn":"` + sn + `"}`, 200, "SUCCESS"},
		{"by outerOrderSn", `{"outerOrderSn":"ORD123456"}`, 200, "SUCCESS"},
		{"by both", `{"orderSn":"` + sn + `","outerOrderSn":"ORD123456"}`, 200, "SUCCESS"},
		{"both disagree", `{"orderSn":"` + sn + `","outerOrderSn":"OTHER123"}`, 404, "ORDER_NOT_FOUND"},
		{"unknown outerOrderSn", `{"outerOrderSn":"NOPE0000"}`, 404, "ORDER_NOT_FOUND"},
		{"neither", `{}`, 400, "PARAM_ERROR"},
		{"orderSn not a string", `{"orderSn":5}`, 400, "PARAM_ERROR"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := h.connect(t, http.MethodPost, "/openapi/v2/order/detail", tt.body)
			a.expect(t, tt.status, tt.code, "")
			if tt.status != 200 {
				return
			}
			var d detailData
			a.data(t, &d)
			want := detailData{
				OrderSn: sn, OuterOrderSn: "ORD123456", OuterUID: "U1001", OrderAmount: "12.345678",
				OrderCurrency: "USD", OrderStatus: statusPending, Env: "WEB",
				CreateTime: testStart.UnixMilli(), TimeExpire: testStart.Add(time.Hour).UnixMilli(),
			}
			if d != want {
				t.Fatalf("detail %+v\nwant %+v", d, want)
			}
		})
	}
}

func TestConnectClose(t *testing.T) {
	h := newHarness(t, nil)
	sn := h.createConnect(t, nil)
	closeBody := `{"orderSn":"` + sn + `"}`
	for i := 0; i < 2; i++ { // closing twice is harmless
		a := h.connect(t, http.MethodPost, "/openapi/v2/order/close", closeBody)
		a.expect(t, http.StatusOK, "SUCCESS", "")
		var d detailData
		a.data(t, &d)
		if d.OrderStatus != statusClosed {
			t.Fatalf("close answered orderStatus %d", d.OrderStatus)
		}
	}
	if err := h.srv.CompleteOrder(sn); err == nil {
		t.Fatal("a closed order was paid")
	}
	if got := h.detail(t, sn).OrderStatus; got != statusClosed {
		t.Fatalf("orderStatus = %d after paying a closed order", got)
	}
}

func TestConnectCloseOfPaidOrderFails(t *testing.T) {
	h := newHarness(t, nil)
	sn := h.createConnect(t, nil)
	if err := h.srv.CompleteOrder(sn); err != nil {
		t.Fatal(err)
	}
	h.connect(t, http.MethodPost, "/openapi/v2/order/close", `{"orderSn":"`+sn+`"}`).
		expect(t, http.StatusConflict, "ORDER_PAID", "already paid")
	if got := h.detail(t, sn).OrderStatus; got != statusPaid {
		t.Fatalf("orderStatus = %d after a refused close", got)
	}
}

// Orders of one app are invisible to another.
func TestConnectOrdersBelongToTheirApp(t *testing.T) {
	_, pub := testKeys()
	h := newHarness(t, func(c *Config) {
		c.Apps = []App{
			{AppKey: DefaultAppKey, MerchantID: 1, PublicKeys: map[int]*rsa.PublicKey{1: pub}},
			{AppKey: "OTHER-APP", MerchantID: 2, PublicKeys: map[int]*rsa.PublicKey{1: pub}},
		}
	})
	sn := h.createConnect(t, nil)
	req := h.newRequest(t, http.MethodPost, "/openapi/v2/order/detail", `{"orderSn":"`+sn+`"}`)
	s := defaultSigner(h)
	s.appKey = "OTHER-APP"
	s.sign(t, req, `{"orderSn":"`+sn+`"}`)
	h.do(t, req).expect(t, http.StatusNotFound, "ORDER_NOT_FOUND", "")
}
