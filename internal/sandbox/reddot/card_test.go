package reddot

import (
	"strings"
	"testing"
	"time"
)

func TestCardChecks(t *testing.T) {
	for pan, want := range map[string]bool{
		CardApprove: true, CardDecline: true, CardPendingApprove: true, CardPendingDecline: true,
		"5555555555554444": true, "378282246310005": true, "4111111111111112": false,
		"41111111111": false, "41111111111111111111": false, "4111 1111 1111 1111": false, "": false,
	} {
		if got := validCardNo(pan); got != want {
			t.Errorf("validCardNo(%q) = %t, want %t", pan, got, want)
		}
	}
	now := time.Date(2026, 3, 31, 20, 0, 0, 0, time.UTC) // already April 1 in UTC+8
	for exp, wantOK := range map[string]bool{
		"042026": true, "032026": false, "122031": true, "002030": false, "132030": false, "12203": false, "12/2030": false,
	} {
		if reason := checkExpDate(exp, now); (reason == "") != wantOK || (reason != "" && !strings.Contains(reason, "exp_date")) {
			t.Errorf("checkExpDate(%q) = %q, want ok=%t", exp, reason, wantOK)
		}
	}
	for email, want := range map[string]bool{"john@example.com": true, "John <john@example.com>": false, "john@": false, "": false} {
		if got := validEmail(email); got != want {
			t.Errorf("validEmail(%q) = %t, want %t", email, got, want)
		}
	}
}

func TestCardKeepsNoNumber(t *testing.T) {
	f := fingerprinter{key: []byte("k")}
	c := f.newCard(CardApprove, "122031")
	if c.First6 != "411111" || c.Last4 != "1111" || c.ExpDate != "122031" {
		t.Errorf("card = %+v", c)
	}
	if strings.Contains(c.Fingerprint, CardApprove) || c.Fingerprint == f.newCard("5555555555554444", "122031").Fingerprint {
		t.Error("fingerprint leaks the number or does not tell cards apart")
	}
	if c.Fingerprint != f.newCard(CardApprove, "012030").Fingerprint {
		t.Error("the same number must give the same fingerprint whatever the expiry")
	}
}
