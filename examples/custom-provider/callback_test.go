package tinypay

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/payhost/payhost/plugin"

	"example.com/payhost-provider-tinypay/emulator"
)

func TestHandleCallback(t *testing.T) {
	secret := plugin.NewSecret(emulator.TestSecret)
	signed := func(ts, body string) *plugin.HandleCallbackRequest {
		return &plugin.HandleCallbackRequest{
			Method: http.MethodPost, Path: "/v1/callbacks/tinypay/test", Body: []byte(body),
			Header: map[string][]string{headerTimestamp: {ts}, headerSignature: {callbackSignature(secret, ts, []byte(body))}},
		}
	}
	vectorUnix, _ := strconv.ParseInt(vectorCallbackTimestamp, 10, 64)
	cases := []struct {
		name     string
		req      *plugin.HandleCallbackRequest
		now      int64
		wantKind plugin.ErrorKind
		events   int
	}{
		{"the known answer", signed(vectorCallbackTimestamp, vectorCallbackBody), vectorUnix + 30, "", 1},
		{"a failed payment", signed(vectorCallbackTimestamp, strings.Replace(vectorCallbackBody, `"paid"`, `"failed"`, 2)), vectorUnix, "", 1},
		{"an unknown type is acknowledged", signed(vectorCallbackTimestamp, strings.Replace(vectorCallbackBody, "payment.paid", "payment.disputed", 1)), vectorUnix, "", 0},
		{"body changed after signing", func() *plugin.HandleCallbackRequest {
			r := signed(vectorCallbackTimestamp, vectorCallbackBody)
			r.Body = []byte(strings.Replace(vectorCallbackBody, "10.50", "99.50", 2))
			return r
		}(), vectorUnix, plugin.KindAuthentication, 0},
		{"signature missing", &plugin.HandleCallbackRequest{
			Method: http.MethodPost, Body: []byte(vectorCallbackBody), Header: map[string][]string{headerTimestamp: {vectorCallbackTimestamp}},
		}, vectorUnix, plugin.KindAuthentication, 0},
		{"timestamp missing", &plugin.HandleCallbackRequest{
			Method: http.MethodPost, Body: []byte(vectorCallbackBody), Header: map[string][]string{headerSignature: {vectorCallbackSig}},
		}, vectorUnix, plugin.KindAuthentication, 0},
		{"stale", signed(vectorCallbackTimestamp, vectorCallbackBody), vectorUnix + 301, plugin.KindAuthentication, 0},
		{"from the future", signed(vectorCallbackTimestamp, vectorCallbackBody), vectorUnix - 301, plugin.KindAuthentication, 0},
		{"signed but not a notification", signed(vectorCallbackTimestamp, `[1,2]`), vectorUnix, plugin.KindInvalidRequest, 0},
		{"a GET", func() *plugin.HandleCallbackRequest {
			r := signed(vectorCallbackTimestamp, vectorCallbackBody)
			r.Method = http.MethodGet
			return r
		}(), vectorUnix, plugin.KindInvalidRequest, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := configured(t, "http://127.0.0.1:1", emulator.TestSecret, "http://127.0.0.1:2/cb")
			p.now = fixedClock(tc.now)
			resp, err := p.HandleCallback(context.Background(), tc.req)
			if plugin.KindOf(err) != tc.wantKind {
				t.Fatalf("HandleCallback = %+v, %v; want kind %q", resp, err, tc.wantKind)
			}
			if err != nil {
				return
			}
			if resp.Response.StatusCode != http.StatusOK || len(resp.Events) != tc.events {
				t.Fatalf("answered HTTP %d with %d events, want 200 with %d", resp.Response.StatusCode, len(resp.Events), tc.events)
			}
		})
	}
}

func TestHandleCallbackEvent(t *testing.T) {
	p := configured(t, "http://127.0.0.1:1", emulator.TestSecret, "http://127.0.0.1:2/cb")
	p.now = fixedClock(1767225660)
	resp, err := p.HandleCallback(context.Background(), &plugin.HandleCallbackRequest{
		Method: http.MethodPost, Body: []byte(vectorCallbackBody),
		Header: map[string][]string{headerTimestamp: {vectorCallbackTimestamp}, headerSignature: {vectorCallbackSig}},
	})
	if err != nil {
		t.Fatal(err)
	}
	e := resp.Events[0]
	want := plugin.PaymentResult{
		Status: plugin.StatusSucceeded, ProviderReference: "tp_01", ProviderStatus: "paid",
		Amount: plugin.Money{Amount: 1050, Currency: "USD"}, CapturedAmount: plugin.Money{Amount: 1050, Currency: "USD"},
	}
	if e.ID != "tinypay:evt_01" || e.Type != plugin.EventPayment || e.AttemptID != "att_01" || e.ProviderReference != "tp_01" ||
		!e.OccurredAt.Equal(time.Unix(1767225660, 0)) || *e.Payment != want {
		t.Errorf("event = %+v, payment %+v; want tinypay:evt_01 for att_01/tp_01, %+v", e, *e.Payment, want)
	}
}
