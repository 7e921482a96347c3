package reddot

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestNoCardNumbersOrSecretsLeak drives every flow that carries card
// data and checks that no full card number, CVV or secret reaches the
// answers, the notifications, the logs, the request recording or the
// delivery log.
func TestNoCardNumbersOrSecretsLeak(t *testing.T) {
	e := newEnv(t)
	const hostedPAN = "5105105105105100"
	var seen []string
	keep := func(v map[string]any) map[string]any {
		seen = append(seen, string(mustJSON(v)))
		return v
	}

	tok := keep(e.post(PathTokenAPI, signed(e.fixture("direct_token_create"), DefaultSecret)))
	keep(e.post(PathTokenAPI, signed(with(e.fixture("direct_token_create"), map[string]any{
		"order_id": "TOK-2", "transaction_type": "M", "token_id": tok["token_id"], "card_no": "5555555555554444",
	}), DefaultSecret)))
	keep(e.post(PathTokenAPI, signed(with(e.fixture("direct_token_create"), map[string]any{"order_id": "TOK-3", "payer_id": "P3", "card_no": "5555555555554444"}), DefaultSecret)))
	keep(e.pay(map[string]any{"card_no": "4242424242424242"}))
	keep(e.pay(map[string]any{"card_no": "4242424242424242", "exp_date": "012020"}))
	first := keep(openHOP(t, e, nil))
	resp := submitPage(t, str(t, first, "payment_url"), url.Values{"action": {"pay"}, "card_no": {hostedPAN}, "exp_date": {"012020"}, "cvv2": {"987"}})
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("expired card on the page: status %d", resp.StatusCode)
	}
	submitPage(t, str(t, first, "payment_url"), url.Values{"action": {"pay"}, "card_no": {hostedPAN}, "exp_date": {"122031"}, "cvv2": {"987"}})
	e.waitCallbacks()

	_, requests := e.control(http.MethodGet, "/__emulator/requests")
	_, deliveries := e.control(http.MethodGet, "/__emulator/callbacks")
	if !strings.Contains(string(requests), "411111******1111") {
		t.Fatalf("the request recording does not show the masked card; is it recording at all? %s", requests)
	}
	if !strings.Contains(e.logs.String(), PathTokenAPI) {
		t.Fatal("nothing was logged; the log check would prove nothing")
	}
	places := map[string]string{
		"answers":       strings.Join(seen, "\n"),
		"notifications": strings.Join(e.sink.rawBodies(), "\n"),
		"logs":          e.logs.String(),
		"requests":      string(requests),
		"deliveries":    string(deliveries),
		"merchants":     fmt.Sprint(e.srv.Merchants()),
	}
	for place, text := range places {
		for _, secret := range []string{"4111111111111111", "5555555555554444", "4242424242424242", hostedPAN, DefaultSecret, `"cvv2":"123"`, `cvv2\":\"123`, "cvv2=987"} {
			if strings.Contains(text, secret) {
				t.Errorf("%s contain %q", place, secret)
			}
		}
	}
}
