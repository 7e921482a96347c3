package redotpay

import (
	"context"
	"encoding/hex"
	"net/http"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/payhost/payhost/plugin"
)

// signedWebhook is a Connect webhook signed with the test key (acting as
// the platform key) at ts.
func signedWebhook(t *testing.T, body string, ts time.Time) *plugin.HandleCallbackRequest {
	t.Helper()
	tsText := strconv.FormatInt(ts.UnixMilli(), 10)
	sig, err := signRSA(testPrivateKey(t), webhookStringToVerify(loadVectors(t).AppKey, tsText, []byte(body)))
	if err != nil {
		t.Fatal(err)
	}
	return &plugin.HandleCallbackRequest{
		Method: http.MethodPost, Path: "/v1/callbacks/redotpay/main",
		Header: map[string][]string{
			"Content-Type": {"application/json"}, "X-R-Signature": {sig},
			"X-R-Ts": {tsText}, "X-R-Key-Version": {"1"},
		},
		Body: []byte(body),
	}
}

func configured(t *testing.T, values map[string]any, now time.Time) *Provider {
	t.Helper()
	p := newProvider(func() time.Time { return now })
	if _, err := p.Configure(context.Background(), &plugin.ConfigureRequest{Config: mustConfig(t, values), CallbackURL: testCallbackURL}); err != nil {
		t.Fatal(err)
	}
	return p
}

const (
	paymentWebhookBody = `{"outerOrder":"att_01JQ0000000000000000000001","outerOrderSn":"att_01JQ0000000000000000000001","orderSn":"RAP202603180000000001","preSn":"RAP202603180000000001","txId":"PAYH202603180000000003","actionType":"ACQUIRER_PAY","orderStatus":2,"orderAmount":10.5,"orderCurrency":"USD","billAmount":10.395,"billCoin":"USDT","cryptoAmount":10.5,"rate":1,"rateExtra":0,"outerUid":"cust_42","merchantId":10001,"orderTime":1773835260000}`
	refundWebhookBody  = `{"outerOrder":"att_01JQ0000000000000000000001","outerOrderSn":"att_01JQ0000000000000000000001","orderSn":"RAP202603180000000001","refundSn":"RFD202603180000000004","actionType":"ACQUIRER_REFUND","refundStatus":"SUCCESS","refundAmount":2.5,"orderAmount":10.5,"orderCurrency":"USD","orderStatus":2,"merchantId":10001,"refundTime":1773835290000}`
	failedRefundBody   = `{"outerOrderSn":"att_01JQ0000000000000000000001","orderSn":"RAP202603180000000001","refundSn":"RFD202603180000000005","actionType":"ACQUIRER_REFUND","refundStatus":"FAIL","refundAmount":"20.00","orderAmount":10.5,"orderCurrency":"USD","orderStatus":2,"refundTime":1773835290000,"failReason":"insufficient merchant balance"}`
)

func TestConnectWebhooks(t *testing.T) {
	p := configured(t, connectConfig(t, nil), testNow)
	ctx := context.Background()
	cases := []struct {
		name string
		body string
		want []plugin.Event
	}{
		{"payment", paymentWebhookBody, []plugin.Event{{
			ID: "redotpay:payment:RAP202603180000000001:PAYH202603180000000003", Type: plugin.EventPayment,
			AttemptID: "att_01JQ0000000000000000000001", ProviderReference: "RAP202603180000000001",
			Payment: &plugin.PaymentResult{Status: plugin.StatusSucceeded, ProviderReference: "RAP202603180000000001",
				Amount: usd(1050), ProviderStatus: "ACQUIRER_PAY orderStatus 2"},
			OccurredAt: time.UnixMilli(1773835260000).UTC(),
		}}},
		{"refund", refundWebhookBody, []plugin.Event{{
			ID: "redotpay:refund:RFD202603180000000004:SUCCESS", Type: plugin.EventRefund,
			AttemptID: "att_01JQ0000000000000000000001", ProviderReference: "RAP202603180000000001",
			Refund: &plugin.RefundResult{Status: plugin.RefundSucceeded, ProviderRefundReference: "RFD202603180000000004",
				Amount: usd(250), ProviderStatus: "SUCCESS"},
			OccurredAt: time.UnixMilli(1773835290000).UTC(),
		}}},
		{"failed refund", failedRefundBody, []plugin.Event{{
			ID: "redotpay:refund:RFD202603180000000005:FAIL", Type: plugin.EventRefund,
			AttemptID: "att_01JQ0000000000000000000001", ProviderReference: "RAP202603180000000001",
			Refund: &plugin.RefundResult{Status: plugin.RefundFailed, ProviderRefundReference: "RFD202603180000000005",
				Amount: usd(2000), ProviderStatus: "FAIL", FailureCode: "FAIL", FailureMessage: "insufficient merchant balance"},
			OccurredAt: time.UnixMilli(1773835290000).UTC(),
		}}},
		{"unknown action type", strings.Replace(paymentWebhookBody, "ACQUIRER_PAY", "ACQUIRER_SETTLE", 1), nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			req := signedWebhook(t, tc.body, testNow.Add(-2*time.Second))
			resp, err := p.HandleCallback(ctx, req)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(resp.Events, tc.want) {
				t.Errorf("events\n%+v\nwant\n%+v", resp.Events, tc.want)
			}
			wantAck := plugin.HTTPResponse{StatusCode: 200, Header: map[string][]string{"Content-Type": {"application/json"}}, Body: []byte(`{"code":"SUCCESS"}`)}
			if !reflect.DeepEqual(resp.Response, wantAck) {
				t.Errorf("answer %d %q %s, want 200 {\"code\":\"SUCCESS\"}", resp.Response.StatusCode, resp.Response.Header, resp.Response.Body)
			}
			again, err := p.HandleCallback(ctx, req)
			if err != nil || !reflect.DeepEqual(again.Events, resp.Events) {
				t.Errorf("the same webhook again gave %+v, %v", again, err)
			}
		})
	}
}

// TestWebhookR2 takes vector R-2 as a webhook received a second after
// its timestamp.
func TestWebhookR2(t *testing.T) {
	v := loadVectors(t)
	ms, _ := strconv.ParseInt(v.R2.TS, 10, 64)
	p := configured(t, connectConfig(t, nil), time.UnixMilli(ms).Add(time.Second))
	resp, err := p.HandleCallback(context.Background(), &plugin.HandleCallbackRequest{
		Method: http.MethodPost,
		Header: map[string][]string{"X-R-Signature": {v.R2.Signature}, "X-R-Ts": {v.R2.TS}, "X-R-Key-Version": {"1"}},
		Body:   []byte(v.R2.Body),
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(resp.Events) != 1 {
		t.Fatalf("events %+v, want one", resp.Events)
	}
	e := resp.Events[0]
	if e.AttemptID != "ORD123456" || e.ProviderReference != "RAP2026" || e.Payment.Status != plugin.StatusSucceeded || e.Payment.Amount != usd(100) {
		t.Errorf("event %+v, payment %+v", e, e.Payment)
	}
}

func TestConnectWebhookRefused(t *testing.T) {
	p := configured(t, connectConfig(t, map[string]any{"timestamp_tolerance": "5m"}), testNow)
	good := signedWebhook(t, paymentWebhookBody, testNow)
	sig := good.Header["X-R-Signature"][0]
	cases := []struct {
		name     string
		edit     func(r *plugin.HandleCallbackRequest)
		wantKind plugin.ErrorKind
	}{
		{"missing signature", func(r *plugin.HandleCallbackRequest) { delete(r.Header, "X-R-Signature") }, plugin.KindAuthentication},
		{"empty signature", func(r *plugin.HandleCallbackRequest) { r.Header["X-R-Signature"] = []string{""} }, plugin.KindAuthentication},
		{"flipped signature", func(r *plugin.HandleCallbackRequest) { r.Header["X-R-Signature"] = []string{flipBase64(sig)} }, plugin.KindAuthentication},
		{"changed body", func(r *plugin.HandleCallbackRequest) {
			r.Body = []byte(strings.Replace(string(r.Body), `"orderAmount":10.5`, `"orderAmount":1050`, 1))
		}, plugin.KindAuthentication},
		{"changed timestamp", func(r *plugin.HandleCallbackRequest) {
			r.Header["X-R-Ts"] = []string{strconv.FormatInt(testNow.UnixMilli()+1, 10)}
		}, plugin.KindAuthentication},
		{"missing timestamp", func(r *plugin.HandleCallbackRequest) { delete(r.Header, "X-R-Ts") }, plugin.KindAuthentication},
		{"other key version", func(r *plugin.HandleCallbackRequest) { r.Header["X-R-Key-Version"] = []string{"2"} }, plugin.KindAuthentication},
		{"signed by another app", func(r *plugin.HandleCallbackRequest) {
			other := signedWebhookFor(t, "OTHER-APP-KEY", paymentWebhookBody, testNow)
			r.Header["X-R-Signature"] = other.Header["X-R-Signature"]
		}, plugin.KindAuthentication},
		{"valid signature, not JSON", func(r *plugin.HandleCallbackRequest) {
			*r = *signedWebhook(t, `{"orderSn":`, testNow)
		}, plugin.KindInvalidRequest},
		{"valid signature, amount needing rounding", func(r *plugin.HandleCallbackRequest) {
			*r = *signedWebhook(t, strings.Replace(paymentWebhookBody, `"orderAmount":10.5`, `"orderAmount":10.505`, 1), testNow)
		}, plugin.KindInvalidRequest},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			req := signedWebhook(t, paymentWebhookBody, testNow)
			tc.edit(req)
			resp, err := p.HandleCallback(context.Background(), req)
			if plugin.KindOf(err) != tc.wantKind {
				t.Fatalf("HandleCallback = %+v, %v; want kind %s", resp, err, tc.wantKind)
			}
			assertNoSecrets(t, "callback error", err.Error(), append([]string{sig}, req.Header["X-R-Signature"]...)...)
		})
	}
}

func TestConnectWebhookTimestamps(t *testing.T) {
	p := configured(t, connectConfig(t, map[string]any{"timestamp_tolerance": "5m"}), testNow)
	for _, tc := range []struct {
		offset time.Duration
		ok     bool
	}{
		{0, true}, {-4 * time.Minute, true}, {4 * time.Minute, true},
		{-6 * time.Minute, false}, {6 * time.Minute, false}, {-24 * time.Hour, false},
	} {
		_, err := p.HandleCallback(context.Background(), signedWebhook(t, paymentWebhookBody, testNow.Add(tc.offset)))
		if tc.ok != (err == nil) || (err != nil && plugin.KindOf(err) != plugin.KindAuthentication) {
			t.Errorf("timestamp %v from now: %v; want accepted=%v", tc.offset, err, tc.ok)
		}
		if err != nil && !strings.Contains(err.Error(), "stale") {
			t.Errorf("timestamp %v from now: %q does not say stale", tc.offset, err)
		}
	}
}

func TestConnectWebhookLenientHeaders(t *testing.T) {
	p := configured(t, connectConfig(t, nil), testNow)
	cases := map[string]func(r *plugin.HandleCallbackRequest){
		"percent-encoded signature": func(r *plugin.HandleCallbackRequest) {
			r.Header["X-R-Signature"] = []string{url.QueryEscape(r.Header["X-R-Signature"][0])}
		},
		"lower-case header names": func(r *plugin.HandleCallbackRequest) {
			for k, v := range r.Header {
				delete(r.Header, k)
				r.Header[strings.ToLower(k)] = v
			}
		},
		"no key version": func(r *plugin.HandleCallbackRequest) { delete(r.Header, "X-R-Key-Version") },
	}
	for name, edit := range cases {
		req := signedWebhook(t, paymentWebhookBody, testNow)
		edit(req)
		if _, err := p.HandleCallback(context.Background(), req); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func signedWebhookFor(t *testing.T, appKey, body string, ts time.Time) *plugin.HandleCallbackRequest {
	t.Helper()
	tsText := strconv.FormatInt(ts.UnixMilli(), 10)
	sig, err := signRSA(testPrivateKey(t), webhookStringToVerify(appKey, tsText, []byte(body)))
	if err != nil {
		t.Fatal(err)
	}
	return &plugin.HandleCallbackRequest{Header: map[string][]string{"X-R-Signature": {sig}, "X-R-Ts": {tsText}}, Body: []byte(body)}
}

// flipBase64 changes the first character of a Base64 signature to another
// Base64 digit, so that it stays well-formed.
func flipBase64(sig string) string {
	c := byte('A')
	if sig[0] == 'A' {
		c = 'B'
	}
	return string(c) + sig[1:]
}

// TestSeedCallbacks uses vector S-1's values as a callback.
func TestSeedCallbacks(t *testing.T) {
	v := loadVectors(t).S1
	p := configured(t, seedConfig(map[string]any{"merchant_code": v.MerchantCode, "secret_key": v.Secret}), testNow)
	body := func(amount, status, sig string) []byte {
		return []byte(`{"order_sn":"SN123","merchant_order_sn":"ORD456","status":"` + status + `","amount":` + amount + `,"currency":"USD","signature":"` + sig + `"}`)
	}
	failedSig := hex.EncodeToString(seedSignature(v.Secret, seedSignedFields{v.MerchantCode, "SN123", "ORD456", "300000", "USD", "failed"}))
	cases := []struct {
		name       string
		body       []byte
		wantKind   plugin.ErrorKind
		wantStatus plugin.PaymentStatus
	}{
		{"paid (S-1)", body("300000", "paid", v.HMAC), "", plugin.StatusSucceeded},
		{"amount as a string", body(`"300000"`, "paid", v.HMAC), "", plugin.StatusSucceeded},
		{"failed attempt", body("300000", "failed", failedSig), "", plugin.StatusProcessing},
		{"status changed", body("300000", "failed", v.HMAC), plugin.KindAuthentication, ""},
		{"amount changed", body("300001", "paid", v.HMAC), plugin.KindAuthentication, ""},
		{"amount re-written", body("300000.0", "paid", v.HMAC), plugin.KindAuthentication, ""},
		{"S-2 signature", body("300000", "paid", v.Rejected["S-2 arguments swapped"]), plugin.KindAuthentication, ""},
		{"no signature", body("300000", "paid", ""), plugin.KindAuthentication, ""},
		{"placeholder signature", body("300000", "paid", "hmachmac_signature_here"), plugin.KindAuthentication, ""},
		{"not JSON", []byte(`order_sn=SN123`), plugin.KindInvalidRequest, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			req := &plugin.HandleCallbackRequest{Method: http.MethodPost, Header: map[string][]string{"Content-Type": {"application/json"}}, Body: tc.body}
			resp, err := p.HandleCallback(context.Background(), req)
			if tc.wantKind != "" {
				if plugin.KindOf(err) != tc.wantKind {
					t.Fatalf("HandleCallback = %+v, %v; want kind %s", resp, err, tc.wantKind)
				}
				assertNoSecrets(t, "callback error", err.Error(), v.HMAC, v.Secret+v.MerchantCode)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if resp.Response.StatusCode != 200 || string(resp.Response.Body) != "SUCCESS" {
				t.Errorf("answer %d %q, want 200 SUCCESS", resp.Response.StatusCode, resp.Response.Body)
			}
			e := resp.Events[0]
			if len(resp.Events) != 1 || e.Type != plugin.EventPayment || e.AttemptID != "ORD456" || e.ProviderReference != "SN123" ||
				e.Payment.Status != tc.wantStatus || e.Payment.Amount != usd(300000) || e.ID == "" {
				t.Errorf("events %+v, payment %+v", resp.Events, e.Payment)
			}
			again, err := p.HandleCallback(context.Background(), req)
			if err != nil || again.Events[0].ID != e.ID {
				t.Errorf("the same callback again: %+v, %v; want event id %s", again, err, e.ID)
			}
		})
	}
}
