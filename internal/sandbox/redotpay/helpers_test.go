package redotpay

import (
	"bytes"
	"context"
	"crypto/rsa"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/payhost/payhost/internal/sandbox/emukit"
)

// testStart is the emulator clock's start in tests.
var testStart = time.Date(2026, 3, 18, 12, 0, 0, 0, time.UTC)

// harness is an emulator on a real port with a manual clock.
type harness struct {
	srv   *Server
	http  *httptest.Server
	clock *emukit.ManualClock
}

// newHarness starts an emulator; configure may adjust its Config. Webhook
// retries wait 10 ms so that tests see them quickly.
func newHarness(t *testing.T, configure func(*Config)) *harness {
	t.Helper()
	h := &harness{clock: emukit.NewManualClock(testStart)}
	h.http = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.srv.ServeHTTP(w, r)
	}))
	cfg := Config{
		BaseURL: h.http.URL,
		Kit: emukit.Options{
			Clock:         h.clock,
			Deterministic: true,
			Retry:         emukit.RetryPolicy{Delays: []time.Duration{10 * time.Millisecond, 10 * time.Millisecond}},
		},
	}
	if configure != nil {
		configure(&cfg)
	}
	h.srv = New(cfg)
	t.Cleanup(func() {
		h.http.Close()
		h.srv.Close()
	})
	return h
}

// envelope is a Connect or seed answer with its data left raw.
type envelope struct {
	Code    json.RawMessage `json:"code"`
	Msg     string          `json:"msg"`
	Message string          `json:"message"`
	Data    json.RawMessage `json:"data"`
}

// answer is a decoded HTTP answer.
type answer struct {
	status int
	header http.Header
	body   []byte
	env    envelope
}

// code is the envelope's code as text: "SUCCESS", "PARAM_ERROR", "0", "40001".
func (a answer) code() string { return strings.Trim(string(a.env.Code), `"`) }

// data decodes the envelope's data into v.
func (a answer) data(t *testing.T, v any) {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(a.env.Data))
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		t.Fatalf("decoding data %s: %v", a.env.Data, err)
	}
}

// expect fails unless the answer has the HTTP status and code, and its
// message contains msg.
func (a answer) expect(t *testing.T, status int, code, msg string) {
	t.Helper()
	text := a.env.Msg + a.env.Message
	if a.status != status || a.code() != code || !strings.Contains(text, msg) {
		t.Fatalf("got HTTP %d code %s message %q; want HTTP %d code %s message containing %q\nbody: %s",
			a.status, a.code(), text, status, code, msg, a.body)
	}
}

// do sends a request and decodes the answer.
func (h *harness) do(t *testing.T, req *http.Request) answer {
	t.Helper()
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	a := answer{status: resp.StatusCode, header: resp.Header, body: body}
	if strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		if err := json.Unmarshal(body, &a.env); err != nil {
			t.Fatalf("answer is not JSON: %v\n%s", err, body)
		}
	}
	return a
}

func (h *harness) newRequest(t *testing.T, method, path, body string) *http.Request {
	t.Helper()
	req, err := http.NewRequest(method, h.http.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	return req
}

// signer signs Connect requests the way a merchant does.
type signer struct {
	appKey  string
	version string
	key     *rsa.PrivateKey
	ts      time.Time
}

func defaultSigner(h *harness) signer {
	priv, _ := testKeys()
	return signer{appKey: DefaultAppKey, version: "1", key: priv, ts: h.clock.Now()}
}

// sign sets the four Connect headers on req for body.
func (s signer) sign(t *testing.T, req *http.Request, body string) {
	t.Helper()
	ts := strconv.FormatInt(s.ts.UnixMilli(), 10)
	sig, err := signRSA(s.key, requestStringToSign(req.Method, req.URL.Path, s.appKey, ts, []byte(body)))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("X-R-AK", s.appKey)
	req.Header.Set("X-R-Ts", ts)
	req.Header.Set("X-R-Key-Version", s.version)
	req.Header.Set("X-R-Signature", sig)
}

// connect sends a correctly signed Connect call.
func (h *harness) connect(t *testing.T, method, path, body string) answer {
	t.Helper()
	req := h.newRequest(t, method, path, body)
	defaultSigner(h).sign(t, req, body)
	return h.do(t, req)
}

// seed sends a seed-profile call with the default merchant key.
func (h *harness) seed(t *testing.T, method, path, body string) answer {
	t.Helper()
	req := h.newRequest(t, method, path, body)
	req.Header.Set("Authorization", "Bearer "+DefaultSeedMerchantKey)
	return h.do(t, req)
}

// control sends a control API call.
func (h *harness) control(t *testing.T, path, body string) answer {
	t.Helper()
	return h.do(t, h.newRequest(t, http.MethodPost, path, body))
}

// fixture loads testdata/name as a JSON object and applies the changes:
// a nil value deletes the key; a key with dots sets a nested field
// ("goods.0.goodsType", "buyer.redirectUrl").
func fixture(t *testing.T, name string, changes map[string]any) string {
	t.Helper()
	data, err := readFixture(name)
	if err != nil {
		t.Fatal(err)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var obj map[string]any
	if err := dec.Decode(&obj); err != nil {
		t.Fatalf("testdata/%s: %v", name, err)
	}
	for key, value := range changes {
		setPath(t, obj, strings.Split(key, "."), value)
	}
	out, err := json.Marshal(obj)
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

func readFixture(name string) ([]byte, error) {
	return os.ReadFile(filepath.Join("testdata", name))
}

func setPath(t *testing.T, node any, path []string, value any) {
	t.Helper()
	switch n := node.(type) {
	case map[string]any:
		if len(path) == 1 {
			if value == nil {
				delete(n, path[0])
			} else {
				n[path[0]] = value
			}
			return
		}
		setPath(t, n[path[0]], path[1:], value)
	case []any:
		i, err := strconv.Atoi(path[0])
		if err != nil || i >= len(n) {
			t.Fatalf("bad fixture path element %q", path[0])
		}
		if len(path) == 1 {
			n[i] = value
			return
		}
		setPath(t, n[i], path[1:], value)
	default:
		t.Fatalf("fixture path %v does not exist", path)
	}
}

// createConnect creates a Connect order from the fixture with changes and
// returns its orderSn.
func (h *harness) createConnect(t *testing.T, changes map[string]any) string {
	t.Helper()
	a := h.connect(t, http.MethodPost, "/openapi/v2/order/create", fixture(t, "connect_create.json", changes))
	a.expect(t, http.StatusOK, "SUCCESS", "")
	var d struct{ OrderSn string }
	a.data(t, &d)
	return d.OrderSn
}

// detail returns a Connect order's detail.
func (h *harness) detail(t *testing.T, orderSn string) detailData {
	t.Helper()
	a := h.connect(t, http.MethodPost, "/openapi/v2/order/detail", `{"orderSn":"`+orderSn+`"}`)
	a.expect(t, http.StatusOK, "SUCCESS", "")
	var d detailData
	a.data(t, &d)
	return d
}

// merchant is a merchant's notification endpoint. It answers with the
// scripted answers in turn (the last one repeats) and keeps what it got.
type merchant struct {
	*httptest.Server
	mu       sync.Mutex
	answers  []merchantAnswer
	received []receivedCall
	arrived  chan struct{}
}

type merchantAnswer struct {
	status int
	body   string
}

type receivedCall struct {
	header http.Header
	body   []byte
}

var ackSuccess = merchantAnswer{http.StatusOK, `{"code":"SUCCESS","requestId":"r1"}`}

func newMerchant(t *testing.T, answers ...merchantAnswer) *merchant {
	t.Helper()
	if len(answers) == 0 {
		answers = []merchantAnswer{ackSuccess}
	}
	m := &merchant{answers: answers, arrived: make(chan struct{}, 100)}
	m.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		m.mu.Lock()
		n := len(m.received)
		m.received = append(m.received, receivedCall{header: r.Header.Clone(), body: body})
		a := m.answers[min(n, len(m.answers)-1)]
		m.mu.Unlock()
		w.WriteHeader(a.status)
		_, _ = io.WriteString(w, a.body)
		m.arrived <- struct{}{}
	}))
	t.Cleanup(m.Close)
	return m
}

// wait blocks until n calls have arrived in total.
func (m *merchant) wait(t *testing.T, n int) []receivedCall {
	t.Helper()
	timeout := time.After(5 * time.Second)
	for {
		m.mu.Lock()
		got := append([]receivedCall(nil), m.received...)
		m.mu.Unlock()
		if len(got) >= n {
			return got
		}
		select {
		case <-m.arrived:
		case <-timeout:
			t.Fatalf("merchant received %d calls, want %d", len(got), n)
		}
	}
}

// settle waits until the emulator has finished delivering callbacks.
func (h *harness) settle(t *testing.T) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := h.srv.Kit().Callbacks.Wait(ctx); err != nil {
		t.Fatalf("callbacks still in flight: %v", err)
	}
}
