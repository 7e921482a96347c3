package appotapay

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/payhost/payhost/plugin"
)

// The fixtures are vectors AP-5 (v1.x) and AP-8 (v2), AppotaPay's
// documented notification of one payment (GATEWAYS.md §2.3): partner
// TEST, API key oMhJpkz7K6HDcR6S, signed with the sandbox secret key.
const (
	ap5Partner   = "TEST"
	ap5APIKey    = "oMhJpkz7K6HDcR6S"
	ap5Signature = "ce84e056aebe3fff9330207f87e3e75ad0d6bf42293e1f766c1fb654360f4e5f"
)

func readFixture(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return bytes.TrimSpace(b)
}

// fixtureProvider is configured for the vectors' partner; no call
// reaches a gateway (an unreachable endpoint makes sure of it).
func fixtureProvider(t *testing.T, version, partner string) *Provider {
	return configured(t, testConfig(t, "http://127.0.0.1:1", map[string]any{
		attrAPIVersion: version, attrPartnerCode: partner, attrAPIKey: ap5APIKey,
	}), "https://payhost.example/v1/callbacks/appotapay/vn")
}

// TestCallbackAccepted: the IPN and the forwarded redirect of one result
// give the same event, every time, and the IPN is acknowledged exactly as
// AppotaPay expects.
func TestCallbackAccepted(t *testing.T) {
	amount := plugin.Money{Amount: 50_000, Currency: "VND"}
	wantResponse := plugin.HTTPResponse{StatusCode: 200, Header: map[string][]string{"Content-Type": {"application/json"}}, Body: []byte(`{"status":"ok"}`)}
	for _, v := range []struct{ version, ipn, redirect, status string }{
		{version11, "ipn_ap5.json", "redirect_ap5.query", "0"},
		{version10, "ipn_ap5.json", "redirect_ap5.query", "0"},
		{version2, "ipn_v2_ap8.json", "redirect_v2_ap8.query", "success"},
	} {
		p := fixtureProvider(t, v.version, ap5Partner)
		ipn := readFixture(t, v.ipn)
		want := []plugin.Event{{
			ID:                "appotapay:AP200910014125B:" + v.status,
			Type:              plugin.EventPayment,
			AttemptID:         "5f5b46cb73fd0",
			ProviderReference: "AP200910014125B",
			Payment: &plugin.PaymentResult{
				Status: plugin.StatusSucceeded, ProviderReference: "AP200910014125B", ProviderStatus: v.status,
				Amount: amount, CapturedAmount: amount,
			},
			OccurredAt: time.Unix(1599817433, 0).UTC(),
		}}
		cases := []struct {
			name string
			req  *plugin.HandleCallbackRequest
		}{
			{"IPN", &plugin.HandleCallbackRequest{Method: "POST", Path: "/v1/callbacks/appotapay/vn", Header: map[string][]string{"Content-Type": {"applicaton/json"}}, Body: ipn}},
			{"the same IPN again", &plugin.HandleCallbackRequest{Method: "POST", Path: "/v1/callbacks/appotapay/vn", Body: ipn}},
			{"forwarded redirect", &plugin.HandleCallbackRequest{Method: "GET", Path: "/v1/callbacks/appotapay/vn", RawQuery: string(readFixture(t, v.redirect))}},
		}
		for _, tc := range cases {
			t.Run("v"+v.version+" "+tc.name, func(t *testing.T) {
				resp, err := p.HandleCallback(context.Background(), tc.req)
				if err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(resp.Events, want) {
					t.Errorf("events\n got %+v %+v\nwant %+v %+v", resp.Events, resp.Events[0].Payment, want, want[0].Payment)
				}
				if !reflect.DeepEqual(resp.Response, wantResponse) {
					t.Errorf("answer %+v (%s), want %+v", resp.Response, resp.Response.Body, wantResponse)
				}
			})
		}
	}
}

// TestCallbackRefused: what does not verify is authentication, what
// cannot be read invalid_request, and no message shows the signature or
// the secret.
func TestCallbackRefused(t *testing.T) {
	ipn := readFixture(t, "ipn_ap5.json")
	redirect := string(readFixture(t, "redirect_ap5.query"))
	edit := func(change func(map[string]any)) []byte {
		dec := json.NewDecoder(bytes.NewReader(ipn))
		dec.UseNumber()
		var m map[string]any
		if err := dec.Decode(&m); err != nil {
			t.Fatal(err)
		}
		change(m)
		b, _ := json.Marshal(m)
		return b
	}
	cases := []struct {
		name    string
		partner string
		req     *plugin.HandleCallbackRequest
		kind    plugin.ErrorKind
	}{
		{"amount changed", ap5Partner, &plugin.HandleCallbackRequest{Method: "POST", Body: edit(func(m map[string]any) { m["amount"] = json.Number("5000000") })}, plugin.KindAuthentication},
		{"errorCode changed", ap5Partner, &plugin.HandleCallbackRequest{Method: "POST", Body: edit(func(m map[string]any) { m["errorCode"] = json.Number("33") })}, plugin.KindAuthentication},
		{"signature missing", ap5Partner, &plugin.HandleCallbackRequest{Method: "POST", Body: edit(func(m map[string]any) { delete(m, "signature") })}, plugin.KindAuthentication},
		{"signature empty", ap5Partner, &plugin.HandleCallbackRequest{Method: "POST", Body: edit(func(m map[string]any) { m["signature"] = "" })}, plugin.KindAuthentication},
		{"signature not hex", ap5Partner, &plugin.HandleCallbackRequest{Method: "POST", Body: edit(func(m map[string]any) { m["signature"] = "zz" + ap5Signature[2:] })}, plugin.KindAuthentication},
		{"redirect tampered", ap5Partner, &plugin.HandleCallbackRequest{Method: "GET", RawQuery: strings.Replace(redirect, "amount=50000", "amount=500", 1)}, plugin.KindAuthentication},
		{"redirect without signature", ap5Partner, &plugin.HandleCallbackRequest{Method: "GET", RawQuery: strings.Split(redirect, "&signature=")[0]}, plugin.KindAuthentication},
		{"another partner's notification", "OTHER", &plugin.HandleCallbackRequest{Method: "POST", Body: ipn}, plugin.KindAuthentication},
		{"not JSON", ap5Partner, &plugin.HandleCallbackRequest{Method: "POST", Body: []byte("errorCode=0")}, plugin.KindInvalidRequest},
		{"nothing at all", ap5Partner, &plugin.HandleCallbackRequest{Method: "GET"}, plugin.KindInvalidRequest},
		{"PUT", ap5Partner, &plugin.HandleCallbackRequest{Method: "PUT", Body: ipn}, plugin.KindInvalidRequest},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resp, err := fixtureProvider(t, version11, tc.partner).HandleCallback(context.Background(), tc.req)
			if plugin.KindOf(err) != tc.kind {
				t.Fatalf("HandleCallback = %+v, %v; want kind %s", resp, err, tc.kind)
			}
			for _, secret := range []string{ap5Signature, ap5Signature[2:], vectorSecret.Reveal(), ap5APIKey} {
				if strings.Contains(err.Error(), secret) {
					t.Errorf("the error %q shows a signature or a credential", err)
				}
			}
		})
	}
}

// TestCallbackTokenResult: a v1.1 notification with a tokenResult signed
// over fourteen members is accepted.
func TestCallbackTokenResult(t *testing.T) {
	tr := transactionResult{
		ErrorCode: "0", Message: "Thành công", PartnerCode: ap5Partner, APIKey: ap5APIKey, Amount: "20000",
		Currency: "VND", OrderID: "att_1", BankCode: "MB", PaymentMethod: "ATM", PaymentType: "WEB",
		AppotapayTransID: "AP240911000007B", TransactionTs: "1726029136",
		TokenResult: `{"status":0,"message":"Thành công","card":{"status":"active","token":"2336100686629909"}}`,
	}
	tr.Signature = sign(vectorSecret, tr.signedWithToken())
	body, _ := json.Marshal(tr)
	resp, err := fixtureProvider(t, version11, ap5Partner).HandleCallback(context.Background(), &plugin.HandleCallbackRequest{Method: "POST", Body: body})
	if err != nil || len(resp.Events) != 1 || resp.Events[0].Payment.Status != plugin.StatusSucceeded {
		t.Fatalf("HandleCallback = %+v, %v", resp, err)
	}
}

// ap8Signature is vector AP-8's.
const ap8Signature = "cc7eb258cb440a4314c4c32552f47d1c6b04503994a074c169223f7a5f3fe649"

// TestCallbackRefusedV2: a v2 notification whose data does not verify is
// authentication; data that verifies but cannot be read is
// invalid_request; another partner's is authentication.
func TestCallbackRefusedV2(t *testing.T) {
	var ipn notificationV2
	if err := json.Unmarshal(readFixture(t, "ipn_v2_ap8.json"), &ipn); err != nil {
		t.Fatal(err)
	}
	body := func(data, signature string) []byte {
		b, _ := json.Marshal(notificationV2{Data: data, Signature: signature})
		return b
	}
	signed := func(data string) []byte { return body(data, hexHMAC(vectorSecret, data)) }
	cases := []struct {
		name    string
		partner string
		req     *plugin.HandleCallbackRequest
		kind    plugin.ErrorKind
	}{
		{"data changed", ap5Partner, &plugin.HandleCallbackRequest{Method: "POST", Body: body("X"+ipn.Data[1:], ipn.Signature)}, plugin.KindAuthentication},
		{"signature changed", ap5Partner, &plugin.HandleCallbackRequest{Method: "POST", Body: body(ipn.Data, "0"+ipn.Signature[1:])}, plugin.KindAuthentication},
		{"no signature", ap5Partner, &plugin.HandleCallbackRequest{Method: "POST", Body: body(ipn.Data, "")}, plugin.KindAuthentication},
		{"redirect without signature", ap5Partner, &plugin.HandleCallbackRequest{Method: "GET", RawQuery: "data=" + ipn.Data}, plugin.KindAuthentication},
		{"another partner's notification", "OTHER", &plugin.HandleCallbackRequest{Method: "POST", Body: readFixture(t, "ipn_v2_ap8.json")}, plugin.KindAuthentication},
		{"signed data that is not Base64", ap5Partner, &plugin.HandleCallbackRequest{Method: "POST", Body: signed("not base64!")}, plugin.KindInvalidRequest},
		{"signed data that is not JSON", ap5Partner, &plugin.HandleCallbackRequest{Method: "POST", Body: signed("bm90IGpzb24=")}, plugin.KindInvalidRequest},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resp, err := fixtureProvider(t, version2, tc.partner).HandleCallback(context.Background(), tc.req)
			if plugin.KindOf(err) != tc.kind {
				t.Fatalf("HandleCallback = %+v, %v; want kind %s", resp, err, tc.kind)
			}
			if strings.Contains(err.Error(), ap8Signature[4:]) || strings.Contains(err.Error(), vectorSecret.Reveal()) {
				t.Errorf("the error %q shows the signature or the secret", err)
			}
		})
	}
}
