package reddot

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// browser is a client that, like a test of a browser flow, stops at each
// redirect instead of following it.
var browser = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

// getPage fetches a hosted page and returns its status and HTML.
func getPage(t *testing.T, pageURL string) (int, string) {
	t.Helper()
	resp, err := browser.Get(pageURL)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

// submitPage posts the page's form and returns the answer (not followed).
func submitPage(t *testing.T, pageURL string, form url.Values) *http.Response {
	t.Helper()
	resp, err := browser.PostForm(pageURL, form)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

// payForm is the page form for the Pay button with a card.
func payForm(pan string) url.Values {
	return url.Values{"action": {"pay"}, "card_no": {pan}, "exp_date": {"122031"}, "cvv2": {"123"}, "payer_name": {"JANE DOE"}}
}

// wantRedirect checks a 302 to target (compared without its query) and
// returns the query it carried.
func wantRedirect(t *testing.T, resp *http.Response, target string) url.Values {
	t.Helper()
	if resp.StatusCode != http.StatusFound {
		body, _ := io.ReadAll(resp.Body)
		t.Fatalf("status %d, want 302; body %s", resp.StatusCode, body)
	}
	loc, err := url.Parse(resp.Header.Get("Location"))
	if err != nil {
		t.Fatal(err)
	}
	if got := loc.Scheme + "://" + loc.Host + loc.Path; got != target {
		t.Fatalf("redirected to %s, want %s", loc, target)
	}
	return loc.Query()
}

// openHostedToken starts a hosted tokenization session and checks the
// first-phase answer; it returns the answer.
func openHostedToken(t *testing.T, e *env, set map[string]any) map[string]any {
	t.Helper()
	resp := e.post(PathTokenAPI, signed(with(e.fixture("hosted_token_create"), set), DefaultSecret))
	if resp["response_code"] != json.Number("0") {
		t.Fatalf("first phase response_code = %#v, want the number 0; answer %v", resp["response_code"], resp)
	}
	wantSignature(t, resp, DefaultSecret)
	if !strings.HasPrefix(str(t, resp, "payment_url"), e.url+pathTokenPage) {
		t.Fatalf("payment_url = %v", resp["payment_url"])
	}
	created, _ := resp["created_timestamp"].(json.Number).Int64()
	expired, _ := resp["expired_timestamp"].(json.Number).Int64()
	if created != testEpoch.Unix() || expired-created != int64(DefaultSessionTTL/time.Second) {
		t.Errorf("timestamps %d .. %d, want %d + 24h", created, expired, testEpoch.Unix())
	}
	return resp
}

func TestHostedTokenPay(t *testing.T) {
	e := newEnv(t)
	first := openHostedToken(t, e, nil)
	pageURL, txn := str(t, first, "payment_url"), str(t, first, "transaction_id")

	status, html := getPage(t, pageURL)
	if status != http.StatusOK {
		t.Fatalf("page status %d", status)
	}
	for _, want := range []string{`name="card_no"`, `name="exp_date"`, `name="cvv2"`, `value="pay"`, `value="fail"`, `value="cancel"`, "HTOK-001", "JANE DOE"} {
		if !strings.Contains(html, want) {
			t.Errorf("page lacks %s", want)
		}
	}

	q := wantRedirect(t, submitPage(t, pageURL, payForm("5555555555554444")), "https://merchant.example/return")
	if q.Get("transaction_id") != txn || q.Get("shop") != "1" {
		t.Errorf("redirect query = %v, want transaction_id %s and the merchant's own shop=1", q, txn)
	}

	e.waitCallbacks()
	got := e.sink.received(t)
	if len(got) != 1 {
		t.Fatalf("%d notifications, want 1", len(got))
	}
	n := got[0]
	wantResult(t, n, codeOK, DefaultSecret)
	for k, want := range map[string]string{
		"transaction_id": txn, "transaction_type": "C", "payer_id": "CUST-2", "payer_name": "JANE DOE",
		"first_6": "555555", "last_4": "4444", "exp_date": "122031", "order_id": "HTOK-001",
	} {
		if n[k] != want {
			t.Errorf("notification %s = %v, want %s", k, n[k], want)
		}
	}
	if tok := str(t, n, "token_id"); len(tok) != 30 {
		t.Errorf("token_id %q is not 30 digits", tok)
	}

	query := e.query(PathQueryToken, txn)
	wantResult(t, query, codeOK, DefaultSecret)
	if query["token_id"] != n["token_id"] {
		t.Errorf("query token_id %v, notification %v", query["token_id"], n["token_id"])
	}
	if status, _ := getPage(t, pageURL); status != http.StatusGone {
		t.Errorf("completed page answers %d, want 410", status)
	}
	if resp := submitPage(t, pageURL, payForm(CardApprove)); resp.StatusCode != http.StatusGone {
		t.Errorf("paying a completed page answers %d, want 410", resp.StatusCode)
	}
}

func TestHostedTokenFail(t *testing.T) {
	e := newEnv(t)
	first := openHostedToken(t, e, nil)
	txn := str(t, first, "transaction_id")
	q := wantRedirect(t, submitPage(t, str(t, first, "payment_url"), url.Values{"action": {"fail"}}), "https://merchant.example/return")
	if q.Get("transaction_id") != txn {
		t.Errorf("redirect query %v", q)
	}
	e.waitCallbacks()
	got := e.sink.received(t)
	if len(got) != 1 {
		t.Fatalf("%d notifications, want 1", len(got))
	}
	wantResult(t, got[0], codeRejected, DefaultSecret)
	wantResult(t, e.query(PathQueryToken, txn), codeRejected, DefaultSecret)
}

func TestHostedTokenCancel(t *testing.T) {
	e := newEnv(t)
	first := openHostedToken(t, e, nil)
	txn := str(t, first, "transaction_id")
	wantRedirect(t, submitPage(t, str(t, first, "payment_url"), url.Values{"action": {"cancel"}}), "https://merchant.example/back")
	e.waitCallbacks()
	if got := e.sink.received(t); len(got) != 0 {
		t.Errorf("cancel sent %d notifications, want none", len(got))
	}
	q := e.query(PathQueryToken, txn)
	wantResult(t, q, codeRejected, DefaultSecret)
	if q["response_msg"] != msgCancelled {
		t.Errorf("response_msg = %v", q["response_msg"])
	}
}

func TestHostedTokenBadCardStaysOnPage(t *testing.T) {
	e := newEnv(t)
	first := openHostedToken(t, e, nil)
	pageURL := str(t, first, "payment_url")
	for name, form := range map[string]url.Values{
		"card_no":  payForm("4111111111111112"),
		"exp_date": {"action": {"pay"}, "card_no": {CardApprove}, "exp_date": {"2031"}},
	} {
		resp := submitPage(t, pageURL, form)
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), name) {
			t.Errorf("%s: status %d, page does not name the field", name, resp.StatusCode)
		}
		if strings.Contains(string(body), "4111111111111112") {
			t.Errorf("%s: the page echoes the card number", name)
		}
	}
	e.waitCallbacks()
	if got := e.sink.received(t); len(got) != 0 {
		t.Errorf("%d notifications, want none", len(got))
	}
	wantRedirect(t, submitPage(t, pageURL, payForm(CardApprove)), "https://merchant.example/return")
}

func TestHostedTokenModify(t *testing.T) {
	e := newEnv(t)
	created := e.post(PathTokenAPI, signed(with(e.fixture("direct_token_create"), map[string]any{"payer_id": "CUST-2"}), DefaultSecret))
	wantResult(t, created, codeOK, DefaultSecret)

	first := openHostedToken(t, e, map[string]any{"transaction_type": "M", "order_id": "HTOK-002"})
	wantRedirect(t, submitPage(t, str(t, first, "payment_url"), payForm("5555555555554444")), "https://merchant.example/return")
	e.waitCallbacks()
	got := e.sink.received(t)
	if len(got) != 1 {
		t.Fatalf("%d notifications, want 1", len(got))
	}
	n := got[0]
	wantResult(t, n, codeOK, DefaultSecret)
	if n["token_id"] != created["token_id"] || n["transaction_type"] != "M" || n["last_4"] != "4444" {
		t.Errorf("modify notification %v, token was %v", n, created["token_id"])
	}
}

func TestHostedTokenDuplicateCardIsNotified(t *testing.T) {
	e := newEnv(t)
	wantResult(t, e.post(PathTokenAPI, signed(with(e.fixture("direct_token_create"), map[string]any{"payer_id": "OTHER"}), DefaultSecret)), codeOK, DefaultSecret)
	first := openHostedToken(t, e, nil)
	wantRedirect(t, submitPage(t, str(t, first, "payment_url"), payForm(CardApprove)), "https://merchant.example/return")
	e.waitCallbacks()
	got := e.sink.received(t)
	if len(got) != 1 {
		t.Fatalf("%d notifications, want 1", len(got))
	}
	wantResult(t, got[0], codeCardTokenised, DefaultSecret)
}

func TestHostedTokenSessionExpires(t *testing.T) {
	e := newEnv(t)
	first := openHostedToken(t, e, nil)
	e.clock.Advance(DefaultSessionTTL + time.Second)
	if status, _ := getPage(t, str(t, first, "payment_url")); status != http.StatusGone {
		t.Errorf("expired page answers %d, want 410", status)
	}
	q := e.query(PathQueryToken, str(t, first, "transaction_id"))
	wantResult(t, q, codeRejected, DefaultSecret)
	if q["response_msg"] != msgExpired {
		t.Errorf("response_msg = %v", q["response_msg"])
	}
}

func TestUnknownPage(t *testing.T) {
	e := newEnv(t)
	for _, p := range []string{pathTokenPage + "nope", pathPaymentPage + "nope"} {
		if status, _ := getPage(t, e.url+p); status != http.StatusNotFound {
			t.Errorf("%s answers %d, want 404", p, status)
		}
	}
}
