package webhook

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// The known answer: kaSecret signing kaBody at kaTime. kaMAC was computed
// outside Go, with OpenSSL, over the signed string "<t>." + body:
//
//	printf '%s' '1700000000.{"id":"evt_known",…}' |
//		openssl dgst -sha256 -hmac 'whsec_known_answer_test'
//
// so that Sign cannot agree with itself by a shared mistake.
const (
	kaSecret = "whsec_known_answer_test"
	kaBody   = `{"id":"evt_known","type":"payment.succeeded","created_at":1700000000,"data":{"id":"pay_known","amount":1000,"currency":"USD"}}`
	kaMAC    = "fb1490fce5890dfcaf686bf0eb847e206af1d24ab041f7d0ba2fdeecda034299"
)

var kaTime = time.Unix(1700000000, 0)

func TestSignKnownAnswer(t *testing.T) {
	want := "t=1700000000,v1=" + kaMAC
	if got := Sign(kaSecret, []byte(kaBody), kaTime); got != want {
		t.Errorf("Sign = %q\nwant   %q", got, want)
	}
	if err := verifyAt(kaSecret, want, []byte(kaBody), time.Minute, kaTime); err != nil {
		t.Errorf("verifyAt(known answer) = %v", err)
	}
}

func TestVerify(t *testing.T) {
	const otherMAC = "0000000000000000000000000000000000000000000000000000000000000000"
	body := []byte(kaBody)
	tests := []struct {
		name      string
		secret    string
		header    string
		body      []byte
		tolerance time.Duration
		now       time.Time
		want      error
	}{
		{"valid", kaSecret, "t=1700000000,v1=" + kaMAC, body, time.Minute, kaTime, nil},
		{"spaces after commas", kaSecret, "t=1700000000, v1=" + kaMAC, body, time.Minute, kaTime, nil},
		{"rotation: second v1 matches", kaSecret, "t=1700000000,v1=" + otherMAC + ",v1=" + kaMAC, body, time.Minute, kaTime, nil},
		{"rotation: first v1 matches", kaSecret, "t=1700000000,v1=" + kaMAC + ",v1=" + otherMAC, body, time.Minute, kaTime, nil},
		{"unknown scheme beside v1", kaSecret, "t=1700000000,v2=abc,v1=" + kaMAC, body, time.Minute, kaTime, nil},
		{"upper-case hex", kaSecret, "t=1700000000,v1=" + strings.ToUpper(kaMAC), body, time.Minute, kaTime, nil},
		{"at the tolerance's edge", kaSecret, "t=1700000000,v1=" + kaMAC, body, time.Minute, kaTime.Add(time.Minute), nil},
		{"zero tolerance is the default", kaSecret, "t=1700000000,v1=" + kaMAC, body, 0, kaTime.Add(DefaultTolerance), nil},

		{"empty header", kaSecret, "", body, time.Minute, kaTime, ErrNoSignature},
		{"blank header", kaSecret, "  ", body, time.Minute, kaTime, ErrNoSignature},
		{"no v1", kaSecret, "t=1700000000,v0=" + kaMAC, body, time.Minute, kaTime, ErrNoSignature},

		{"no timestamp", kaSecret, "v1=" + kaMAC, body, time.Minute, kaTime, ErrBadHeader},
		{"two timestamps", kaSecret, "t=1700000000,t=1700000000,v1=" + kaMAC, body, time.Minute, kaTime, ErrBadHeader},
		{"timestamp not a number", kaSecret, "t=soon,v1=" + kaMAC, body, time.Minute, kaTime, ErrBadHeader},
		{"negative timestamp", kaSecret, "t=-1,v1=" + kaMAC, body, time.Minute, kaTime, ErrBadHeader},
		{"part without =", kaSecret, "t=1700000000,v1", body, time.Minute, kaTime, ErrBadHeader},

		{"other secret", "whsec_other", "t=1700000000,v1=" + kaMAC, body, time.Minute, kaTime, ErrSignatureMismatch},
		{"body changed", kaSecret, "t=1700000000,v1=" + kaMAC, []byte(strings.Replace(kaBody, "1000", "9000", 1)), time.Minute, kaTime, ErrSignatureMismatch},
		{"body re-encoded", kaSecret, "t=1700000000,v1=" + kaMAC, []byte(kaBody + "\n"), time.Minute, kaTime, ErrSignatureMismatch},
		{"timestamp changed", kaSecret, "t=1700000001,v1=" + kaMAC, body, time.Minute, kaTime, ErrSignatureMismatch},
		{"signature not hex", kaSecret, "t=1700000000,v1=zz", body, time.Minute, kaTime, ErrSignatureMismatch},
		{"signature truncated", kaSecret, "t=1700000000,v1=" + kaMAC[:62], body, time.Minute, kaTime, ErrSignatureMismatch},

		{"too old", kaSecret, "t=1700000000,v1=" + kaMAC, body, time.Minute, kaTime.Add(time.Minute + time.Second), ErrTimestampOutOfTolerance},
		{"from the future", kaSecret, "t=1700000000,v1=" + kaMAC, body, time.Minute, kaTime.Add(-time.Minute - time.Second), ErrTimestampOutOfTolerance},
		{"past the default tolerance", kaSecret, "t=1700000000,v1=" + kaMAC, body, 0, kaTime.Add(DefaultTolerance + time.Second), ErrTimestampOutOfTolerance},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := verifyAt(tt.secret, tt.header, tt.body, tt.tolerance, tt.now)
			if !errors.Is(err, tt.want) {
				t.Errorf("verifyAt = %v, want %v", err, tt.want)
			}
			if err != nil && strings.Contains(err.Error(), tt.secret) {
				t.Errorf("error %q shows the secret", err)
			}
		})
	}
}

// TestSignVerify signs with the current time and verifies through the
// exported Verify, as a merchant's test suite would.
func TestSignVerify(t *testing.T) {
	body := []byte(`{"id":"evt_1"}`)
	header := Sign("whsec_round_trip", body, time.Now())
	if err := Verify("whsec_round_trip", header, body, 0); err != nil {
		t.Errorf("Verify(Sign(…)) = %v", err)
	}
	old := Sign("whsec_round_trip", body, time.Now().Add(-time.Hour))
	if err := Verify("whsec_round_trip", old, body, 0); !errors.Is(err, ErrTimestampOutOfTolerance) {
		t.Errorf("Verify(an hour-old signature) = %v, want %v", err, ErrTimestampOutOfTolerance)
	}
}
