package emulator

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// harness is an emulator served for one test, and a merchant calling it.
type harness struct {
	t   *testing.T
	url string
}

func start(t *testing.T) *harness {
	t.Helper()
	emu := New(Config{APIKey: TestAPIKey, Secret: TestSecret})
	srv := httptest.NewServer(emu)
	t.Cleanup(srv.Close)
	t.Cleanup(emu.Close)
	return &harness{t: t, url: srv.URL}
}

// call sends a request signed as the merchant, changed by tamper when
// set, and returns the status and the decoded answer.
func (h *harness) call(method, path, body string, tamper func(*http.Request)) (int, map[string]any) {
	h.t.Helper()
	req, err := http.NewRequest(method, h.url+path, strings.NewReader(body))
	if err != nil {
		h.t.Fatal(err)
	}
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	req.Header.Set("Tinypay-Key", TestAPIKey)
	req.Header.Set("Tinypay-Timestamp", ts)
	req.Header.Set("Tinypay-Signature", signature(TestSecret, ts, method, req.URL.RequestURI(), body))
	if tamper != nil {
		tamper(req)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	defer resp.Body.Close()
	var m map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&m); err != nil {
		h.t.Fatalf("%s %s: answer not JSON: %v", method, path, err)
	}
	return resp.StatusCode, m
}

// create creates a payment of amount USD for order, notified at notify.
func (h *harness) create(order, amount, notify string) map[string]any {
	h.t.Helper()
	status, p := h.call("POST", "/v1/payments", `{"order_id":"`+order+`","amount":"`+amount+`","currency":"USD","method":"card","return_url":"https://shop.example/back?x=1","notify_url":"`+notify+`"}`, nil)
	if status != http.StatusCreated {
		h.t.Fatalf("create: %d %v", status, p)
	}
	return p
}

// customer posts action on the payment's page and returns the answer.
func (h *harness) customer(p map[string]any, action string) *http.Response {
	h.t.Helper()
	browser := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := browser.PostForm(p["pay_url"].(string), url.Values{"action": {action}})
	if err != nil {
		h.t.Fatal(err)
	}
	resp.Body.Close()
	return resp
}

func errorCode(m map[string]any) string {
	e, _ := m["error"].(map[string]any)
	code, _ := e["code"].(string)
	return code
}

func TestSignatureKnownAnswer(t *testing.T) {
	// The request vector of the module's README.md, computed with openssl.
	body := `{"order_id":"att_01","amount":"10.50","currency":"USD","method":"card","return_url":"https://shop.example/return","notify_url":"https://payhost.example/v1/callbacks/tinypay/demo"}`
	if got := signature(TestSecret, "1767225600", "POST", "/v1/payments", body); got != "a6e5eb6a45e9fd9e9e7ba218b948dd2f2ff70f20787fa000395f8d8ef4affb7b" {
		t.Errorf("signature = %s", got)
	}
}

func TestAuthentication(t *testing.T) {
	h := start(t)
	cases := []struct {
		name   string
		tamper func(*http.Request)
		status int
		code   string
	}{
		{"signed", nil, http.StatusNotFound, "not_found"},
		{"no key", func(r *http.Request) { r.Header.Del("Tinypay-Key") }, http.StatusUnauthorized, "unknown_key"},
		{"another key", func(r *http.Request) { r.Header.Set("Tinypay-Key", "tp_other") }, http.StatusUnauthorized, "unknown_key"},
		{"stale", func(r *http.Request) {
			ts := strconv.FormatInt(time.Now().Add(-6*time.Minute).Unix(), 10)
			r.Header.Set("Tinypay-Timestamp", ts)
			r.Header.Set("Tinypay-Signature", signature(TestSecret, ts, r.Method, r.URL.RequestURI(), ""))
		}, http.StatusUnauthorized, "stale_timestamp"},
		{"signature of another path", func(r *http.Request) {
			r.Header.Set("Tinypay-Signature", signature(TestSecret, r.Header.Get("Tinypay-Timestamp"), r.Method, "/v1/orders/other", ""))
		}, http.StatusUnauthorized, "bad_signature"},
	}
	for _, tc := range cases {
		status, m := h.call("GET", "/v1/orders/nothing", "", tc.tamper)
		if status != tc.status || errorCode(m) != tc.code {
			t.Errorf("%s: %d %v; want %d %s", tc.name, status, m, tc.status, tc.code)
		}
	}
}

func TestAmounts(t *testing.T) {
	cases := []struct {
		in, currency string
		minor        int64
		ok           bool
	}{
		{"10.50", "USD", 1050, true},
		{"0.05", "EUR", 5, true},
		{"500", "JPY", 500, true},
		{"10.5", "USD", 0, false}, // exactly the currency's decimals
		{"10", "USD", 0, false},
		{"500.0", "JPY", 0, false},
		{"0.00", "USD", 0, false}, // positive only
		{"-1.00", "USD", 0, false},
		{"1.00", "VND", 0, false},
	}
	for _, tc := range cases {
		minor, ok := parseAmount(tc.in, tc.currency)
		if minor != tc.minor || ok != tc.ok {
			t.Errorf("parseAmount(%q, %s) = %d, %v; want %d, %v", tc.in, tc.currency, minor, ok, tc.minor, tc.ok)
		}
		if ok && formatAmount(minor, tc.currency) != tc.in {
			t.Errorf("formatAmount(%d, %s) = %q, want %q", minor, tc.currency, formatAmount(minor, tc.currency), tc.in)
		}
	}
}

func TestOrdersAndRefunds(t *testing.T) {
	h := start(t)
	p := h.create("att_1", "10.00", "http://127.0.0.1:1/cb")
	body := `{"order_id":"att_1","amount":"10.00","currency":"USD","method":"card","return_url":"https://s.example/","notify_url":"https://n.example/"}`
	if status, again := h.call("POST", "/v1/payments", body, nil); status != http.StatusOK || again["id"] != p["id"] {
		t.Errorf("the same order again: %d %v; want 200 with payment %v", status, again, p["id"])
	}
	other := strings.Replace(body, "10.00", "11.00", 1)
	if status, m := h.call("POST", "/v1/payments", other, nil); status != http.StatusConflict || errorCode(m) != "order_conflict" {
		t.Errorf("the same order for another amount: %d %v", status, m)
	}
	refunds := "/v1/payments/" + p["id"].(string) + "/refunds"
	if status, m := h.call("POST", refunds, `{"refund_id":"r1","amount":"4.00"}`, nil); status != http.StatusConflict || errorCode(m) != "not_paid" {
		t.Errorf("refund before payment: %d %v", status, m)
	}
	if resp := h.customer(p, "pay"); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("paying: %s", resp.Status)
	}
	steps := []struct {
		body   string
		status int
		code   string
		after  string // the payment's status and refunded amount after the step
	}{
		{`{"refund_id":"r1","amount":"4.00"}`, http.StatusCreated, "", "partially_refunded 4.00"},
		{`{"refund_id":"r1","amount":"4.00"}`, http.StatusOK, "", "partially_refunded 4.00"}, // replayed
		{`{"refund_id":"r1","amount":"5.00"}`, http.StatusConflict, "refund_conflict", "partially_refunded 4.00"},
		{`{"refund_id":"r2","amount":"6.01"}`, http.StatusUnprocessableEntity, "amount_exceeds_refundable", "partially_refunded 4.00"},
		{`{"refund_id":"r3","amount":"6"}`, http.StatusBadRequest, "invalid_request", "partially_refunded 4.00"},
		{`{"refund_id":"r2","amount":"6.00"}`, http.StatusCreated, "", "refunded 10.00"},
	}
	for i, s := range steps {
		status, m := h.call("POST", refunds, s.body, nil)
		if status != s.status || errorCode(m) != s.code {
			t.Errorf("step %d %s: %d %v; want %d %s", i+1, s.body, status, m, s.status, s.code)
		}
		_, got := h.call("GET", "/v1/payments/"+p["id"].(string), "", nil)
		if after := got["status"].(string) + " " + got["refunded"].(string); after != s.after {
			t.Errorf("step %d: payment %s, want %s", i+1, after, s.after)
		}
	}
}

// TestHostedPageAndCallback pays on the page and checks the callback: it
// is signed over its body, retried until a 2xx with the same event id,
// and the customer is sent back to the return URL.
func TestHostedPageAndCallback(t *testing.T) {
	var mu sync.Mutex
	var received []*http.Request
	var bodies [][]byte
	merchant := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		received, bodies = append(received, r), append(bodies, b)
		n := len(received)
		mu.Unlock()
		if n == 1 {
			http.Error(w, "busy", http.StatusServiceUnavailable) // the first delivery fails
			return
		}
		w.WriteHeader(http.StatusOK)
	}))
	defer merchant.Close()

	h := start(t)
	p := h.create("att_page", "25.00", merchant.URL+"/cb")
	page, err := http.Get(p["pay_url"].(string))
	if err != nil {
		t.Fatal(err)
	}
	html, _ := io.ReadAll(page.Body)
	page.Body.Close()
	if !bytes.Contains(html, []byte("25.00 USD")) || !bytes.Contains(html, []byte(`value="pay"`)) {
		t.Errorf("the page does not show the payment and its buttons:\n%s", html)
	}
	resp := h.customer(p, "pay")
	if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || loc != "https://shop.example/back?order_id=att_page&status=paid&x=1" {
		t.Errorf("after paying: %s to %q", resp.Status, loc)
	}
	if again := h.customer(p, "fail"); again.StatusCode != http.StatusConflict {
		t.Errorf("deciding twice: %s, want 409", again.Status)
	}

	deadline := time.Now().Add(5 * time.Second)
	for {
		mu.Lock()
		n := len(received)
		mu.Unlock()
		if n >= 2 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d callback deliveries, want a retry after the 503", n)
		}
		time.Sleep(20 * time.Millisecond)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(received) != 2 || !bytes.Equal(bodies[0], bodies[1]) {
		t.Fatalf("deliveries: %d, bodies %q; want 2 of the same callback", len(received), bodies)
	}
	r := received[1]
	if want := signature(TestSecret, r.Header.Get("Tinypay-Timestamp"), string(bodies[1])); r.Header.Get("Tinypay-Signature") != want {
		t.Error("the callback's signature does not verify")
	}
	var note notification
	if err := json.Unmarshal(bodies[1], &note); err != nil {
		t.Fatal(err)
	}
	if note.Type != "payment.paid" || note.EventID == "" || note.Payment.OrderID != "att_page" || note.Payment.Status != "paid" || note.Payment.Amount != "25.00" {
		t.Errorf("callback = %+v", note)
	}
}
