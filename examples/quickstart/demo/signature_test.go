package main

import (
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/payhost/payhost/internal/webhook"
)

// The demo's own verifier must accept exactly what payhost's dispatcher
// signs (internal/webhook.Sign), refuse everything else, and agree with
// payhost's own Verify on every case.
func TestVerifySignatureAgreesWithPayhost(t *testing.T) {
	const secret = "whsec_test_quickstart_3a9d6e0f1c84"
	body := []byte(`{"id":"evt_1","type":"payment.succeeded","created_at":1700000000,"data":{"id":"pay_1"}}`)
	now := time.Now()
	signed := webhook.Sign(secret, body, now)
	sig := strings.Split(signed, "v1=")[1]
	ts := strconv.FormatInt(now.Unix(), 10)

	for _, tc := range []struct {
		name   string
		secret string
		header string
		body   []byte
		want   error
	}{
		{"as payhost signs it", secret, signed, body, nil},
		{"signed a minute ago", secret, webhook.Sign(secret, body, now.Add(-time.Minute)), body, nil},
		{"a rotated secret: one v1 of two matches", secret, webhook.Sign("whsec_old", body, now) + ",v1=" + sig, body, nil},
		{"a changed body", secret, signed, append([]byte(" "), body...), errWrongSignature},
		{"another secret", "whsec_another_one", signed, body, errWrongSignature},
		{"another timestamp", secret, "t=" + strconv.FormatInt(now.Unix()+1, 10) + ",v1=" + sig, body, errWrongSignature},
		{"signed an hour ago: a replay", secret, webhook.Sign(secret, body, now.Add(-time.Hour)), body, errStale},
		{"no header", secret, "", body, errBadSignature},
		{"no v1", secret, "t=" + ts, body, errNoSignature},
		{"not hex", secret, "t=" + ts + ",v1=zz", body, errBadSignature},
		{"no timestamp", secret, "v1=" + sig, body, errBadSignature},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := verifySignature(tc.secret, tc.header, tc.body, time.Now())
			if !errors.Is(got, tc.want) {
				t.Errorf("verifySignature = %v, want %v", got, tc.want)
			}
			if theirs := webhook.Verify(tc.secret, tc.header, tc.body, 0); (got == nil) != (theirs == nil) {
				t.Errorf("the demo says %v, internal/webhook's Verify says %v", got, theirs)
			}
		})
	}
}

func TestMoney(t *testing.T) {
	for amount, want := range map[int64]string{150000: "150000 VND", 1050: "10.50 USD", 5: "0.05 SGD", 2500: "25.00 SGD"} {
		currency := want[len(want)-3:]
		if got := money(amount, currency); got != want {
			t.Errorf("money(%d, %s) = %q, want %q", amount, currency, got, want)
		}
	}
}
