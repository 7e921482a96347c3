package appotapay

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/payhost/payhost/internal/sandbox/emukit"
)

// testNow is the emulator clock's start in tests.
var testNow = time.Date(2024, 9, 11, 11, 32, 16, 0, time.FixedZone("ICT", 7*60*60))

// testRetry keeps IPN retries fast in tests: three more attempts, 10 ms
// apart.
var testRetry = emukit.RetryPolicy{Delays: []time.Duration{10 * time.Millisecond, 10 * time.Millisecond, 10 * time.Millisecond}}

// loopbackClient delivers IPNs to local test servers only, so that an
// order left with the seed's notifyUrl never reaches the internet.
var loopbackClient = &http.Client{
	Timeout: 5 * time.Second,
	Transport: &http.Transport{DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
		host, _, err := net.SplitHostPort(addr)
		if err != nil || !net.ParseIP(host).IsLoopback() {
			return nil, fmt.Errorf("test IPN to %s refused: tests deliver to loopback only", addr)
		}
		return (&net.Dialer{}).DialContext(ctx, network, addr)
	}},
}

// harness is an emulator on a real local port with a manual clock.
type harness struct {
	t     *testing.T
	srv   *Server
	ts    *httptest.Server
	clock *emukit.ManualClock
}

// newHarness starts an emulator; options adjust its Config.
func newHarness(t *testing.T, options ...func(*Config)) *harness {
	t.Helper()
	clock := emukit.NewManualClock(testNow)
	var srv *Server
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { srv.ServeHTTP(w, r) }))
	cfg := Config{BaseURL: ts.URL, Kit: emukit.Options{Clock: clock, Deterministic: true, Retry: testRetry, HTTPClient: loopbackClient}}
	for _, o := range options {
		o(&cfg)
	}
	srv = New(cfg)
	t.Cleanup(func() {
		ts.Close()
		srv.Close()
	})
	return &harness{t: t, srv: srv, ts: ts, clock: clock}
}

// token is a valid X-APPOTAPAY-AUTH value for the sandbox partner.
func (h *harness) token() string {
	exp := h.clock.Now().Unix() + 300
	return "Bearer " + signJWT(appotaHeader, claimsJSON(SandboxPartnerCode, SandboxAPIKey, exp), SandboxSecretKey)
}

// call sends a JSON request (body nil for none) with auth as
// X-APPOTAPAY-AUTH and decodes the JSON answer, numbers as json.Number.
func (h *harness) call(method, path, auth string, body any) (int, map[string]any) {
	h.t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			h.t.Fatal(err)
		}
		rd = bytes.NewReader(b)
	}
	return h.raw(method, path, auth, rd)
}

// raw sends body as is.
func (h *harness) raw(method, path, auth string, body io.Reader) (int, map[string]any) {
	h.t.Helper()
	req, err := http.NewRequest(method, h.ts.URL+path, body)
	if err != nil {
		h.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if auth != "" {
		req.Header.Set(authHeader, auth)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	defer resp.Body.Close()
	return resp.StatusCode, decodeJSON(h.t, resp.Body)
}

// post sends an authenticated JSON POST and requires HTTP 200.
func (h *harness) post(path string, body map[string]any) map[string]any {
	h.t.Helper()
	status, resp := h.call(http.MethodPost, path, h.token(), body)
	if status != http.StatusOK {
		h.t.Fatalf("POST %s: HTTP %d %v", path, status, resp)
	}
	return resp
}

// get sends an authenticated GET and requires HTTP 200.
func (h *harness) get(path string) map[string]any {
	h.t.Helper()
	status, resp := h.call(http.MethodGet, path, h.token(), nil)
	if status != http.StatusOK {
		h.t.Fatalf("GET %s: HTTP %d %v", path, status, resp)
	}
	return resp
}

func decodeJSON(t *testing.T, r io.Reader) map[string]any {
	t.Helper()
	dec := json.NewDecoder(r)
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		t.Fatalf("decoding answer: %v", err)
	}
	return m
}

// str renders a decoded JSON value as it enters a signature string.
func str(v any) string { return params{"v": v}.text("v") }

// wantCode requires errorCode code in a decoded answer.
func wantCode(t *testing.T, resp map[string]any, code int) {
	t.Helper()
	if got := str(resp["errorCode"]); got != strconv.Itoa(code) {
		t.Fatalf("errorCode = %s (%v), want %d", got, resp["message"], code)
	}
}

// wantSigned requires a valid sandbox signature over keys of m.
func wantSigned(t *testing.T, m map[string]any, keys []string) {
	t.Helper()
	values := map[string]string{}
	for _, k := range keys {
		v, ok := m[k]
		if !ok {
			t.Fatalf("answer lacks signed key %q: %v", k, m)
		}
		values[k] = str(v)
	}
	if !verifyHex(SandboxSecretKey, canonical(keys, values), str(m["signature"])) {
		t.Fatalf("signature %v does not verify over %s", m["signature"], canonical(keys, values))
	}
}

// createBody is the seed's example request (testdata/create_request.json)
// for orderID and amount, signed over the nine create keys (AP-2).
func createBody(t *testing.T, orderID string, amount int64) map[string]any {
	t.Helper()
	raw, err := os.ReadFile("testdata/create_request.json")
	if err != nil {
		t.Fatal(err)
	}
	body := map[string]any{}
	if err := json.Unmarshal(raw, &body); err != nil {
		t.Fatal(err)
	}
	body["orderId"], body["amount"] = orderID, amount
	return signBody(body, createKeys)
}

// signBody sets body's signature over keys with the sandbox secret key.
func signBody(body map[string]any, keys []string) map[string]any {
	values := map[string]string{}
	for _, k := range keys {
		values[k] = str(body[k])
	}
	body["signature"] = signFields(SandboxSecretKey, keys, values)
	return body
}

// createOrder creates an order and returns the answer.
func (h *harness) createOrder(body map[string]any) map[string]any {
	h.t.Helper()
	resp := h.post("/api/v1.1/orders/payment/bank", body)
	wantCode(h.t, resp, 0)
	return resp
}

// status checks an order and returns the answer.
func (h *harness) status(orderID string) map[string]any {
	h.t.Helper()
	return h.post("/api/v1.1/orders/transaction/bank/status", signBody(map[string]any{"orderId": orderID}, statusKeys))
}

var (
	hiddenInput = regexp.MustCompile(`<input type="hidden" name="([^"]+)" value="([^"]*)">`)
	formAction  = regexp.MustCompile(`<form method="post" action="([^"]+)"`)
)

// submitPage opens the hosted page at paymentURL like a browser, presses
// the button action and returns the page's answer without following its
// redirect.
func (h *harness) submitPage(paymentURL, action string) *http.Response {
	h.t.Helper()
	page, err := http.Get(paymentURL)
	if err != nil {
		h.t.Fatal(err)
	}
	html, _ := io.ReadAll(page.Body)
	page.Body.Close()
	if page.StatusCode != http.StatusOK {
		h.t.Fatalf("payment page: HTTP %d: %s", page.StatusCode, html)
	}
	form := url.Values{"action": {action}}
	for _, m := range hiddenInput.FindAllSubmatch(html, -1) {
		form.Set(string(m[1]), string(m[2]))
	}
	target := formAction.FindSubmatch(html)
	if target == nil {
		h.t.Fatalf("payment page has no form: %s", html)
	}
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := noFollow.PostForm(h.ts.URL+string(target[1]), form)
	if err != nil {
		h.t.Fatal(err)
	}
	h.t.Cleanup(func() { resp.Body.Close() })
	return resp
}

// redirectQuery presses action on the page and returns the query of the
// redirect to redirectUrl.
func (h *harness) redirectQuery(paymentURL, action string) url.Values {
	h.t.Helper()
	resp := h.submitPage(paymentURL, action)
	if resp.StatusCode != http.StatusSeeOther {
		body, _ := io.ReadAll(resp.Body)
		h.t.Fatalf("page %s: HTTP %d, want 303: %s", action, resp.StatusCode, body)
	}
	loc, err := url.Parse(resp.Header.Get("Location"))
	if err != nil {
		h.t.Fatal(err)
	}
	return loc.Query()
}

// merchant is a partner's IPN endpoint: it records each notification and
// answers with the scripted replies in turn (then the last one forever).
type merchant struct {
	*httptest.Server
	mu       sync.Mutex
	received []received
	replies  []reply
	got      chan struct{}
}

type received struct {
	header http.Header
	body   []byte
}

type reply struct {
	status int
	body   string
}

var ackOK = reply{http.StatusOK, `{"status":"ok"}`}

func newMerchant(t *testing.T, replies ...reply) *merchant {
	t.Helper()
	if len(replies) == 0 {
		replies = []reply{ackOK}
	}
	m := &merchant{replies: replies, got: make(chan struct{}, 16)}
	m.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		m.mu.Lock()
		m.received = append(m.received, received{r.Header.Clone(), body})
		rp := m.replies[min(len(m.received), len(m.replies))-1]
		m.mu.Unlock()
		w.WriteHeader(rp.status)
		io.WriteString(w, rp.body)
		m.got <- struct{}{}
	}))
	t.Cleanup(m.Close)
	return m
}

// wait blocks until the merchant has received n notifications.
func (m *merchant) wait(t *testing.T, n int) []received {
	t.Helper()
	deadline := time.After(5 * time.Second)
	for {
		m.mu.Lock()
		got := append([]received(nil), m.received...)
		m.mu.Unlock()
		if len(got) >= n {
			return got
		}
		select {
		case <-m.got:
		case <-deadline:
			t.Fatalf("merchant received %d notifications, want %d", len(got), n)
		}
	}
}

// count is how many notifications the merchant has received.
func (m *merchant) count() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.received)
}

// paidFlowBody is a create request whose notifyUrl is m.
func paidFlowBody(t *testing.T, m *merchant, orderID string, amount int64) map[string]any {
	t.Helper()
	body := createBody(t, orderID, amount)
	body["notifyUrl"] = m.URL + "/ipn"
	return signBody(body, createKeys)
}

// jsonNumber is a number sent with its exact text ("10000.5", "1e4").
type jsonNumber string

func (n jsonNumber) MarshalJSON() ([]byte, error) { return []byte(n), nil }
