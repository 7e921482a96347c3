package reddot

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// openHOP starts a hosted payment page from the hosted_sale fixture and
// checks the first-phase answer.
func openHOP(t *testing.T, e *env, set map[string]any) map[string]any {
	t.Helper()
	resp := e.post(PathPaymentAPI, paySigned(with(e.fixture("hosted_sale"), set), DefaultSecret))
	if resp["response_code"] != json.Number("0") {
		t.Fatalf("first phase response_code = %#v, want the number 0; answer %v", resp["response_code"], resp)
	}
	wantSignature(t, resp, DefaultSecret)
	if !strings.HasPrefix(str(t, resp, "payment_url"), e.url+pathPaymentPage) {
		t.Fatalf("payment_url = %v", resp["payment_url"])
	}
	return resp
}

func TestHostedPaymentPay(t *testing.T) {
	e := newEnv(t)
	first := openHOP(t, e, nil)
	pageURL, txn := str(t, first, "payment_url"), str(t, first, "transaction_id")

	wantResult(t, e.query(PathQueryPayment, txn), codePending, DefaultSecret)
	status, html := getPage(t, pageURL)
	if status != http.StatusOK || !strings.Contains(html, "25.50 SGD") || !strings.Contains(html, `name="card_no"`) {
		t.Fatalf("page status %d, html %s", status, html)
	}

	q := wantRedirect(t, submitPage(t, pageURL, payForm(CardApprove)), "https://merchant.example/return")
	if q.Get("transaction_id") != txn {
		t.Errorf("redirect query %v", q)
	}
	e.waitCallbacks()
	got := e.sink.received(t)
	if len(got) != 1 {
		t.Fatalf("%d notifications, want 1", len(got))
	}
	n := got[0]
	wantResult(t, n, codeOK, DefaultSecret)
	for k, want := range map[string]string{
		"transaction_id": txn, "transaction_type": "S", "authorized_amount": "25.50", "first_6": "411111",
		"last_4": "1111", "payer_name": "JANE DOE", "merchant_reference": "the things to reference",
	} {
		if n[k] != want {
			t.Errorf("notification %s = %v, want %s", k, n[k], want)
		}
	}
	wantResult(t, e.query(PathQueryPayment, txn), codeOK, DefaultSecret)
}

func TestHostedPaymentFailAndCancel(t *testing.T) {
	e := newEnv(t)
	failed := openHOP(t, e, map[string]any{"order_id": "HOP-F"})
	wantRedirect(t, submitPage(t, str(t, failed, "payment_url"), url.Values{"action": {"fail"}}), "https://merchant.example/return")
	cancelled := openHOP(t, e, map[string]any{"order_id": "HOP-C"})
	wantRedirect(t, submitPage(t, str(t, cancelled, "payment_url"), url.Values{"action": {"cancel"}}), "https://merchant.example/back")

	e.waitCallbacks()
	got := e.sink.received(t)
	if len(got) != 1 || got[0]["order_id"] != "HOP-F" {
		t.Fatalf("notifications %v, want only the failed payment's", got)
	}
	wantResult(t, got[0], codeRejected, DefaultSecret)
	wantResult(t, e.query(PathQueryPayment, str(t, failed, "transaction_id")), codeRejected, DefaultSecret)
	q := e.query(PathQueryPayment, str(t, cancelled, "transaction_id"))
	wantResult(t, q, codeRejected, DefaultSecret)
	if q["response_msg"] != msgCancelled {
		t.Errorf("response_msg %v", q["response_msg"])
	}
}

func TestHostedPaymentPendingThenResolved(t *testing.T) {
	e := newEnv(t)
	first := openHOP(t, e, map[string]any{"amount": "777.00", "payment_type": "A"})
	txn := str(t, first, "transaction_id")
	wantRedirect(t, submitPage(t, str(t, first, "payment_url"), payForm(CardApprove)), "https://merchant.example/return")
	wantResult(t, e.query(PathQueryPayment, txn), codePending, DefaultSecret)
	e.waitCallbacks()
	if n := len(e.sink.received(t)); n != 0 {
		t.Fatalf("%d notifications while pending", n)
	}
	e.clock.Advance(testPendingDelay)
	q := e.query(PathQueryPayment, txn)
	wantResult(t, q, codeOK, DefaultSecret)
	if q["transaction_type"] != "A" {
		t.Errorf("transaction_type %v", q["transaction_type"])
	}
	e.waitCallbacks()
	if got := e.sink.received(t); len(got) != 1 || got[0]["response_code"] != codeOK {
		t.Errorf("notifications %v, want one approval", got)
	}
}

func TestHostedPaymentWithSavedCard(t *testing.T) {
	e := newEnv(t)
	wantResult(t, e.post(PathTokenAPI, signed(e.fixture("direct_token_create"), DefaultSecret)), codeOK, DefaultSecret)
	first := openHOP(t, e, map[string]any{"payer_id": "CUST-1"})
	pageURL := str(t, first, "payment_url")
	_, html := getPage(t, pageURL)
	if strings.Contains(html, `name="card_no"`) || !strings.Contains(html, "411111******1111") {
		t.Errorf("saved-card page should show the masked card and ask for no card number: %s", html)
	}
	wantRedirect(t, submitPage(t, pageURL, url.Values{"action": {"pay"}}), "https://merchant.example/return")
	e.waitCallbacks()
	got := e.sink.received(t)
	if len(got) != 1 || got[0]["payer_id"] != "CUST-1" || got[0]["last_4"] != "1111" {
		t.Fatalf("notifications %v", got)
	}
	wantResult(t, got[0], codeOK, DefaultSecret)
}

func TestHostedPaymentRejectsUnknownAction(t *testing.T) {
	e := newEnv(t)
	first := openHOP(t, e, nil)
	if resp := submitPage(t, str(t, first, "payment_url"), url.Values{"action": {"steal"}}); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("status %d, want 400", resp.StatusCode)
	}
}
