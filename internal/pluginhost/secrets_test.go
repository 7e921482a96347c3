package pluginhost_test

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/payhost/payhost/internal/faultprovider"
	"github.com/payhost/payhost/internal/pluginhost"
	"github.com/payhost/payhost/plugin"
)

// TestSecretsNeverLeak passes a sensitive configuration value and a card
// through the host and a plugin logging at trace level, through a decline
// and a crash, and scans everything either side logged and every error for
// them. The masked forms must be there, which shows the scan saw the data.
func TestSecretsNeverLeak(t *testing.T) {
	const number, cvc = "4242424242424242", "7391"
	h, logs := newHost(t, pluginhost.Options{})
	inst := launch(t, h, faultPlugin(t)) // configures api_key = testAPIKey

	withCard := func(id string, fault faultprovider.Fault) *plugin.CreatePaymentRequest {
		req := payment(id, fault)
		req.Card = &plugin.Card{Number: plugin.NewCardNumber(number), ExpMonth: 1, ExpYear: 2040, CVC: plugin.NewSecret(cvc), HolderName: "A HOLDER"}
		return req
	}
	var errs []string
	for _, c := range []struct {
		id    string
		fault faultprovider.Fault
	}{{"ok", ""}, {"declined", faultprovider.FaultDecline}, {"crash", faultprovider.FaultKill}, {"after", ""}} {
		resp, err := inst.CreatePayment(context.Background(), withCard(c.id, c.fault))
		if err != nil {
			errs = append(errs, err.Error())
		} else if resp.Card == nil || resp.Card.Last4 != "4242" {
			t.Errorf("%s: card info = %+v", c.id, resp.Card)
		}
	}
	if len(errs) != 2 {
		t.Fatalf("errors = %q, want the decline and the crash", errs)
	}

	out := logs.String() + strings.Join(errs, "\n")
	if strings.Contains(out, testAPIKey) {
		t.Errorf("output contains the api_key")
	}
	if strings.Contains(out, number) {
		t.Errorf("output contains the card number")
	}
	if regexp.MustCompile(`CVC\W{0,4}` + cvc).MatchString(out) {
		t.Errorf("output contains the CVC")
	}
	for _, masked := range []string{"api_key=REDACTED", "424242******4242", "plugin.fault.test.payhost-provider-fault"} {
		if !strings.Contains(logs.String(), masked) {
			t.Errorf("log does not contain %q, so it did not carry what the scan looks for", masked)
		}
	}
}
