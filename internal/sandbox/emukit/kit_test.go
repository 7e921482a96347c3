package emukit

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// orders is a tiny OrderController for the tests: it knows one order.
type orders struct{ completed []string }

func (o *orders) CompleteOrder(id string) error {
	if id != "ORD1" {
		return fmt.Errorf("order %q: %w", id, ErrNotFound)
	}
	o.completed = append(o.completed, id)
	return nil
}
func (o *orders) FailOrder(id string) error   { return errors.New("order is paid; it cannot fail") }
func (o *orders) ExpireOrder(id string) error { return nil }

// newEmulator serves a gateway that counts its calls and answers {"ok":true}.
func newEmulator(t *testing.T, opts Options) (*Kit, *httptest.Server, *atomic.Int64) {
	t.Helper()
	kit := NewKit("test", opts)
	var calls atomic.Int64
	gw := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"ok":true}`)
	})
	srv := httptest.NewServer(kit.Handler(gw, &orders{}))
	t.Cleanup(func() { srv.Close(); kit.Close() })
	return kit, srv, &calls
}

func postJSON(t *testing.T, url, body string) (int, string) {
	t.Helper()
	resp, err := http.Post(url, "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatalf("POST %s: %v", url, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestFaults(t *testing.T) {
	cases := []struct {
		name      string
		fault     string
		wantErr   bool // the client sees a transport error
		wantCode  int
		wantBody  string
		wantCalls int64 // gateway calls made by the faulted request
	}{
		{"http 500", `{"kind":"http_500"}`, false, 500, "Internal Server Error", 0},
		{"http 500 after processing", `{"kind":"http_500","after":true}`, false, 500, "Internal Server Error", 1},
		{"malformed json", `{"kind":"malformed_json"}`, false, 200, `{"code":"SUCCESS","data":{"status":`, 0},
		{"dropped connection", `{"kind":"drop_connection"}`, true, 0, "", 0},
		{"dropped after processing", `{"kind":"drop_connection","after":true}`, true, 0, "", 1},
		{"hang", `{"kind":"hang","delay_ms":5000}`, true, 0, "", 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, srv, calls := newEmulator(t, Options{})
			if code, body := postJSON(t, srv.URL+"/__emulator/faults", tc.fault); code != http.StatusCreated {
				t.Fatalf("adding fault: %d %s", code, body)
			}
			client := &http.Client{Timeout: 300 * time.Millisecond}
			resp, err := client.Post(srv.URL+"/pay", "application/json", strings.NewReader(`{}`))
			if tc.wantErr {
				if err == nil {
					resp.Body.Close()
					t.Fatalf("got HTTP %d, want a transport error", resp.StatusCode)
				}
			} else {
				if err != nil {
					t.Fatalf("request: %v", err)
				}
				b, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if resp.StatusCode != tc.wantCode || !strings.Contains(string(b), tc.wantBody) {
					t.Fatalf("got %d %q, want %d containing %q", resp.StatusCode, b, tc.wantCode, tc.wantBody)
				}
			}
			if got := calls.Load(); got != tc.wantCalls {
				t.Fatalf("gateway calls during fault = %d, want %d", got, tc.wantCalls)
			}
			// The fault was used up: the next call goes through.
			if code, body := postJSON(t, srv.URL+"/pay", `{}`); code != 200 || body != `{"ok":true}` {
				t.Fatalf("call after the fault: %d %s", code, body)
			}
		})
	}
}

func TestFaultCountAndPath(t *testing.T) {
	_, srv, calls := newEmulator(t, Options{})
	postJSON(t, srv.URL+"/__emulator/faults", `{"kind":"http_500","count":2,"path":"/create"}`)
	if code, _ := postJSON(t, srv.URL+"/status", `{}`); code != 200 {
		t.Fatalf("a path outside the fault's prefix got %d", code)
	}
	for i := 0; i < 2; i++ {
		if code, _ := postJSON(t, srv.URL+"/create", `{}`); code != 500 {
			t.Fatalf("call %d: got %d, want 500", i+1, code)
		}
	}
	if code, _ := postJSON(t, srv.URL+"/create", `{}`); code != 200 {
		t.Fatalf("third call: got %d, want 200", code)
	}
	if calls.Load() != 2 {
		t.Fatalf("gateway calls = %d, want 2", calls.Load())
	}
}

func TestFaultRejectsBadInput(t *testing.T) {
	_, srv, _ := newEmulator(t, Options{})
	for body, want := range map[string]string{
		`{"kind":"meteor"}`:                  "kind",
		`{"kind":"http_500","count":-1}`:     "count",
		`{"kind":"hang","delay_ms":-5}`:      "delay_ms",
		`{"kind":"http_500","colour":"red"}`: "colour",
	} {
		code, got := postJSON(t, srv.URL+"/__emulator/faults", body)
		if code != http.StatusBadRequest || !strings.Contains(got, want) {
			t.Errorf("%s: got %d %s, want 400 naming %q", body, code, got, want)
		}
	}
}

func TestRecorderMasksSecrets(t *testing.T) {
	_, srv, _ := newEmulator(t, Options{})
	req, _ := http.NewRequest("POST", srv.URL+"/authorize?cvv2=123",
		strings.NewReader(`{"card_number":"4111111111111111","cvv":"123","amount":"10.00","token_id":"123456789012345678901234567890"}`))
	req.Header.Set("Authorization", "Bearer test_merchant_key")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	_, list := httpGet(t, srv.URL+"/__emulator/requests")
	for _, leak := range []string{"4111111111111111", `"123"`, "test_merchant_key", "cvv2=123"} {
		if strings.Contains(list, leak) {
			t.Errorf("request log leaks %q: %s", leak, list)
		}
	}
	for _, want := range []string{"411111******1111", "123456789012345678901234567890", `"amount\":\"10.00\"`} {
		if !strings.Contains(list, want) {
			t.Errorf("request log lacks %q: %s", want, list)
		}
	}
}

func httpGet(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// merchant is a callback endpoint that fails its first failures calls.
type merchant struct {
	mu       sync.Mutex
	failures int
	bodies   []string
}

func (m *merchant) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	m.mu.Lock()
	defer m.mu.Unlock()
	m.bodies = append(m.bodies, string(b))
	if len(m.bodies) <= m.failures {
		http.Error(w, "try later", http.StatusServiceUnavailable)
		return
	}
	io.WriteString(w, `{"code":"SUCCESS"}`)
}

func (m *merchant) received() []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]string(nil), m.bodies...)
}

func TestDispatcherRetriesUntilAcked(t *testing.T) {
	m := &merchant{failures: 2}
	msrv := httptest.NewServer(m)
	defer msrv.Close()
	kit, srv, _ := newEmulator(t, Options{Retry: RetryPolicy{Delays: []time.Duration{time.Millisecond, time.Millisecond, time.Millisecond}}})

	kit.Callbacks.Send(Callback{ID: "cb1", URL: msrv.URL, Body: []byte(`{"order":"ORD1"}`),
		Acked: func(status int, body []byte) bool { return status == 200 && strings.Contains(string(body), "SUCCESS") }})
	waitIdle(t, kit)

	got := m.received()
	if len(got) != 3 {
		t.Fatalf("merchant received %d callbacks, want 3", len(got))
	}
	for _, b := range got {
		if b != `{"order":"ORD1"}` {
			t.Fatalf("payload changed between attempts: %q", b)
		}
	}
	var log struct{ Deliveries []Delivery }
	_, body := httpGet(t, srv.URL+"/__emulator/callbacks")
	if err := json.Unmarshal([]byte(body), &log); err != nil {
		t.Fatal(err)
	}
	if len(log.Deliveries) != 3 {
		t.Fatalf("delivery log has %d entries, want 3: %s", len(log.Deliveries), body)
	}
	for i, d := range log.Deliveries {
		wantAcked := i == 2
		if d.Attempt != i+1 || d.Acked != wantAcked || d.CallbackID != "cb1" {
			t.Errorf("delivery %d = %+v, want attempt %d acked=%v", i, d, i+1, wantAcked)
		}
	}
}

func TestDispatcherGivesUp(t *testing.T) {
	m := &merchant{failures: 100}
	msrv := httptest.NewServer(m)
	defer msrv.Close()
	kit, _, _ := newEmulator(t, Options{Retry: RetryPolicy{Delays: []time.Duration{time.Millisecond}}})
	kit.Callbacks.Send(Callback{URL: msrv.URL, Body: []byte(`{}`)})
	waitIdle(t, kit)
	if n := len(m.received()); n != 2 {
		t.Fatalf("attempts = %d, want 2 (policy: one retry)", n)
	}
}

func TestCallbackFaultsAndResend(t *testing.T) {
	m := &merchant{}
	msrv := httptest.NewServer(m)
	defer msrv.Close()
	kit, srv, _ := newEmulator(t, Options{})
	postJSON(t, srv.URL+"/__emulator/faults", `{"kind":"duplicate_callback"}`)
	kit.Callbacks.Send(Callback{ID: "cb-dup", URL: msrv.URL, Body: []byte(`{"n":1}`)})
	waitIdle(t, kit)
	if n := len(m.received()); n != 2 {
		t.Fatalf("duplicated callback arrived %d times, want 2", n)
	}

	postJSON(t, srv.URL+"/__emulator/faults", `{"kind":"delay_callback","delay_ms":150}`)
	start := time.Now()
	kit.Callbacks.Send(Callback{URL: msrv.URL, Body: []byte(`{"n":2}`)})
	waitIdle(t, kit)
	if d := time.Since(start); d < 150*time.Millisecond {
		t.Fatalf("delayed callback arrived after %v, want at least 150ms", d)
	}

	if code, body := postJSON(t, srv.URL+"/__emulator/callbacks/cb-dup/resend", ``); code != http.StatusAccepted {
		t.Fatalf("resend: %d %s", code, body)
	}
	waitIdle(t, kit)
	if n := len(m.received()); n != 4 {
		t.Fatalf("after resend the merchant has %d callbacks, want 4", n)
	}
	if code, _ := postJSON(t, srv.URL+"/__emulator/callbacks/nope/resend", ``); code != http.StatusNotFound {
		t.Fatalf("resend of an unknown callback: %d, want 404", code)
	}
}

func waitIdle(t *testing.T, kit *Kit) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := kit.Callbacks.Wait(ctx); err != nil {
		t.Fatalf("callbacks still in flight: %v", err)
	}
}

func TestOrderControls(t *testing.T) {
	_, srv, _ := newEmulator(t, Options{})
	cases := []struct {
		path string
		want int
	}{
		{"/__emulator/orders/ORD1/complete", 200},
		{"/__emulator/orders/NOPE/complete", 404},
		{"/__emulator/orders/ORD1/fail", 409},
		{"/__emulator/orders/ORD1/expire", 200},
		{"/__emulator/orders/ORD1/explode", 404},
	}
	for _, tc := range cases {
		if code, body := postJSON(t, srv.URL+tc.path, ``); code != tc.want {
			t.Errorf("POST %s: %d %s, want %d", tc.path, code, body, tc.want)
		}
	}
}

func TestHandleControlAddsRoutes(t *testing.T) {
	kit := NewKit("test", Options{})
	kit.HandleControl("POST /__emulator/orders/{id}/refund", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, map[string]string{"refunded": r.PathValue("id")})
	})
	srv := httptest.NewServer(kit.Handler(http.NotFoundHandler(), nil))
	defer srv.Close()
	if code, body := postJSON(t, srv.URL+"/__emulator/orders/ORD9/refund", ``); code != 200 || !strings.Contains(body, "ORD9") {
		t.Fatalf("extra control route: %d %s", code, body)
	}
}

func TestPayPage(t *testing.T) {
	rec := httptest.NewRecorder()
	RenderPayPage(rec, PayPage{Gateway: "RedotPay", Title: "Checkout", OrderID: "SN1", Amount: "10.00", Currency: "USD",
		ActionURL: "/pay/SN1", Hidden: map[string]string{"b": "2", "a": `"><script>`},
		Inputs: []Input{{Name: "card_no", Label: "Card number"}}})
	body := rec.Body.String()
	for _, want := range []string{`id="pay"`, `id="fail"`, `id="cancel"`, `action="/pay/SN1"`, `name="card_no"`, "10.00 USD", "&#34;&gt;&lt;script&gt;"} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if strings.Contains(body, `"><script>`) {
		t.Error("page does not escape hidden values")
	}
}

func TestIDs(t *testing.T) {
	g := NewIDs(true)
	if a, b := g.Next("SN"), g.Next("SN"); a != "SN100000000001" || b != "SN100000000002" {
		t.Fatalf("deterministic ids = %q, %q", a, b)
	}
	if d := g.Digits(30); len(d) != 30 || d[0] == '0' {
		t.Fatalf("Digits(30) = %q", d)
	}
	r := NewIDs(false)
	seen := map[string]bool{}
	for i := 0; i < 100; i++ {
		d := r.Digits(30)
		if len(d) != 30 || d[0] == '0' || seen[d] {
			t.Fatalf("random Digits(30) = %q (dup=%v)", d, seen[d])
		}
		seen[d] = true
	}
}

func TestManualClock(t *testing.T) {
	start := time.Date(2026, 1, 5, 10, 0, 0, 0, time.UTC)
	c := NewManualClock(start)
	c.Advance(time.Hour)
	if got := c.Now(); !got.Equal(start.Add(time.Hour)) {
		t.Fatalf("Now after Advance = %v", got)
	}
}

func TestMaskPAN(t *testing.T) {
	for in, want := range map[string]string{
		"4111111111111111":    "411111******1111",
		"5123450000000008":    "512345******0008",
		"4444333322221111123": "444433*********1123",
		"12345":               "*****",
	} {
		if got := MaskPAN(in); got != want {
			t.Errorf("MaskPAN(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestRecorderKeepsTheNewest(t *testing.T) {
	rc := NewRecorder(SystemClock{}, nil)
	for i := 1; i <= maxRecorded+5; i++ {
		rc.add(RecordedRequest{Path: fmt.Sprint(i)})
	}
	got := rc.Requests()
	if len(got) != maxRecorded || got[0].Seq != 6 || got[len(got)-1].Seq != maxRecorded+5 {
		t.Fatalf("kept %d requests, seq %d..%d; want %d, 6..%d", len(got), got[0].Seq, got[len(got)-1].Seq, maxRecorded, maxRecorded+5)
	}
	rc.Reset()
	if n := len(rc.Requests()); n != 0 {
		t.Fatalf("after Reset %d requests remain", n)
	}
}

func TestMaskText(t *testing.T) {
	cases := []struct{ in, want string }{
		{`{"card_no":"4111111111111112"}`, `{"card_no":"411111******1112"}`}, // fails Luhn, still masked by its key
		{`card_number=4111111111111111&amount=100`, `card_number=411111******1111&amount=100`},
		{`{"ts":1767609970940}`, `{"ts":1767609970940}`}, // 13 digits failing Luhn, no card key: left alone
		{`{"secret_key":"abc","x":1}`, `{"secret_key":"REDACTED","x":1}`},
		{`plain text`, `plain text`},
	}
	for _, tc := range cases {
		if got := MaskText(tc.in); got != tc.want {
			t.Errorf("MaskText(%s) = %s, want %s", tc.in, got, tc.want)
		}
	}
}

func BenchmarkRecorder(b *testing.B) {
	rc := NewRecorder(SystemClock{}, nil)
	h := rc.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	body := `{"merchant_code":"ID00001","amount":300000,"currency":"USD","ref_no":"ORD123456","callback_url":"https://merchant.example/cb"}`
	for i := 0; i < b.N; i++ {
		req := httptest.NewRequest("POST", "/openapi/v2/order/create", strings.NewReader(body))
		h.ServeHTTP(httptest.NewRecorder(), req)
	}
}

// FuzzMaskDigitRuns checks the scanner against the regular expression it
// replaces, as the oracle.
func FuzzMaskDigitRuns(f *testing.F) {
	oracle := regexp.MustCompile(`\b\d{13,19}\b`)
	for _, s := range []string{
		"card 4111111111111111 declined", "x4111111111111111", "4111111111111111_", "4111111111111111",
		"pay_direct_1763759352123456789_5", "20 digits 41111111111111111111", "ts=1767609970940&n=378282246310005",
		"é4111111111111111é", "", "12",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want := oracle.ReplaceAllStringFunc(s, func(m string) string {
			if LuhnValid(m) {
				return MaskPAN(m)
			}
			return m
		})
		if got := maskDigitRuns(s); got != want {
			t.Errorf("maskDigitRuns(%q) = %q, want %q", s, got, want)
		}
	})
}
