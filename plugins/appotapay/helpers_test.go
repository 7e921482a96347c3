package appotapay

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	emulator "github.com/payhost/payhost/internal/sandbox/appotapay"
	"github.com/payhost/payhost/internal/sandbox/emukit"
	"github.com/payhost/payhost/plugin"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// Card data the tests hand the provider, to show it never leaks: the
// sandbox Mastercard AppotaPay publishes and a CVC that appears nowhere
// else.
const (
	testPAN = "5123456789012346"
	testCVC = "8317"
)

// testIP is the customer's address in test payments (TEST-NET-3).
const testIP = "203.0.113.7"

// leakScanner collects what the tests saw (logs of both sides, error
// strings) and fails the test when a credential, a JWT, the card number
// or the CVC is among it.
type leakScanner struct {
	mu   sync.Mutex
	seen strings.Builder
}

// newLeakScanner returns a scanner that checks at the end of the test.
func newLeakScanner(t *testing.T) *leakScanner {
	s := &leakScanner{}
	t.Cleanup(func() { s.check(t) })
	return s
}

func (s *leakScanner) add(text string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.seen.WriteString(text)
	s.seen.WriteByte('\n')
}

// addErr records an error's text.
func (s *leakScanner) addErr(err error) {
	if err != nil {
		s.add(err.Error())
	}
}

// leaks are what must never appear: each with a name for the report.
var leaks = []struct {
	name string
	re   *regexp.Regexp
}{
	{"the secret key", regexp.MustCompile(regexp.QuoteMeta(emulator.SandboxSecretKey))},
	{"the API key", regexp.MustCompile(regexp.QuoteMeta(emulator.SandboxAPIKey))},
	// Every JWT the provider makes starts with this header.
	{"a JWT", regexp.MustCompile(`eyJ0eXAiOiJKV1Qi`)},
	{"the card number", regexp.MustCompile(testPAN)},
	{"the CVC", regexp.MustCompile(`\b` + testCVC + `\b`)},
	// The SDK scrubs credentials and card numbers from errors as they
	// leave the plugin: finding its marks means the provider put them
	// there.
	{"a credential the SDK had to scrub", regexp.MustCompile(`REDACTED`)},
	{"a card number the SDK had to mask", regexp.MustCompile(testPAN[:6] + `\*+` + testPAN[12:])},
}

func (s *leakScanner) check(t *testing.T) {
	for _, p := range s.problems() {
		t.Error(p)
	}
}

// problems lists each leak found, with its surroundings.
func (s *leakScanner) problems() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	text := s.seen.String()
	if text == "" {
		return []string{"the leak scanner saw nothing: the capture is broken"}
	}
	var out []string
	for _, l := range leaks {
		if loc := l.re.FindStringIndex(text); loc != nil {
			from, to := max(loc[0]-60, 0), min(loc[1]+20, len(text))
			out = append(out, fmt.Sprintf("%s appears in the captured output: ...%s...", l.name, text[from:to]))
		}
	}
	return out
}

// capturingTB is the test as plugintest.Connect and Launch see it: what
// they log (the host's side and the plugin's) also goes to the scanner.
type capturingTB struct {
	testing.TB
	scan *leakScanner
}

func (c capturingTB) Log(args ...any) {
	c.scan.add(fmt.Sprint(args...))
	c.TB.Log(args...)
}

func (c capturingTB) Logf(format string, args ...any) {
	c.scan.add(fmt.Sprintf(format, args...))
	c.TB.Logf(format, args...)
}

// env is an AppotaPay emulator on a local port.
type env struct {
	t   *testing.T
	emu *emulator.Server
	url string

	mu       sync.Mutex
	received map[string]int // requests by path, counted on arrival
}

// testRetry delivers IPNs again quickly.
var testRetry = emukit.RetryPolicy{Delays: []time.Duration{20 * time.Millisecond, 20 * time.Millisecond, 20 * time.Millisecond}}

// startEmulator serves a new emulator; refunds stay pending until the
// control API settles them.
func startEmulator(t *testing.T) *env {
	t.Helper()
	e := &env{t: t, received: map[string]int{}}
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		e.mu.Lock()
		e.received[r.URL.Path]++
		e.mu.Unlock()
		e.emu.ServeHTTP(w, r)
	}))
	e.url = ts.URL
	e.emu = emulator.New(emulator.Config{
		BaseURL:           ts.URL,
		Kit:               emukit.Options{Retry: testRetry},
		RefundSettleAfter: -1,
	})
	t.Cleanup(func() {
		ts.Close()
		e.emu.Close()
	})
	return e
}

// config is a provider block for the emulator; more adds or replaces
// attributes.
func (e *env) config(more map[string]any) plugin.Config {
	return testConfig(e.t, e.url, more)
}

// testConfig is a provider block for the sandbox partner at endpoint.
func testConfig(t testing.TB, endpoint string, more map[string]any) plugin.Config {
	t.Helper()
	values := map[string]any{
		attrEndpoint:    endpoint,
		attrPartnerCode: emulator.SandboxPartnerCode,
		attrAPIKey:      emulator.SandboxAPIKey,
		attrSecretKey:   emulator.SandboxSecretKey,
		attrTimeout:     "5s",
	}
	for k, v := range more {
		values[k] = v
	}
	cfg, err := plugin.NewConfig(values)
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// configured returns a new provider configured with cfg, and callbackURL
// as the host's callback URL.
func configured(t testing.TB, cfg plugin.Config, callbackURL string) *Provider {
	t.Helper()
	p := New()
	if _, err := p.Configure(context.Background(), &plugin.ConfigureRequest{Instance: "appotapay.test", Config: cfg, CallbackURL: callbackURL}); err != nil {
		t.Fatalf("Configure: %v", err)
	}
	return p
}

// control posts to the emulator's control API.
func (e *env) control(path string, body any) {
	e.t.Helper()
	if err := postControl(context.Background(), e.url+path, body); err != nil {
		e.t.Fatal(err)
	}
}

// postControl posts a JSON body to a control API URL and wants a 2xx.
func postControl(ctx context.Context, u string, body any) error {
	b, err := json.Marshal(body)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u, strings.NewReader(string(b)))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("POST %s: HTTP %d", u, resp.StatusCode)
	}
	return nil
}

// requestsTo counts the requests the emulator received for path. They
// are counted as they arrive, so that a request the emulator drops or
// holds is counted before the client sees the failure.
func (e *env) requestsTo(path string) int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.received[path]
}

// customer plays the customer's browser on AppotaPay's hosted page.
var customer = &http.Client{
	Timeout:       10 * time.Second,
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
}

// submitPayPage presses a button (pay, fail, cancel) on the hosted page
// at paymentURL and returns where the gateway sends the browser: the
// return URL with the signed result in its query.
func submitPayPage(ctx context.Context, paymentURL, action string) (*url.URL, error) {
	u, err := url.Parse(paymentURL)
	if err != nil {
		return nil, err
	}
	q := u.Query()
	form := url.Values{"tran": {q.Get("tran")}, "sign": {q.Get("sign")}, "action": {action}}
	page := *u
	page.RawQuery = ""
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, page.String(), strings.NewReader(form.Encode()))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := customer.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		return nil, fmt.Errorf("the payment page answered HTTP %d, want a redirect", resp.StatusCode)
	}
	return resp.Location()
}

// TestLeakScanner: the scanner finds each leak, and only leaks.
func TestLeakScanner(t *testing.T) {
	jwt := makeJWT(emulator.SandboxPartnerCode, plugin.NewSecret(emulator.SandboxAPIKey), plugin.NewSecret("another secret"), time.Now(), time.Minute)
	leaked := []string{
		"signing with " + emulator.SandboxSecretKey,
		"api_key=" + emulator.SandboxAPIKey,
		"X-APPOTAPAY-AUTH: Bearer " + jwt[:40],
		"card " + testPAN,
		"cvc: " + testCVC + ".",
		"secret_key REDACTED",
		"card 512345******2346",
	}
	for _, text := range leaked {
		s := &leakScanner{}
		s.add(text)
		if got := s.problems(); len(got) != 1 {
			t.Errorf("%q: %d problems %q, want 1", text, len(got), got)
		}
	}
	s := &leakScanner{}
	s.add("order att_5f8317ab amount 18317 VND, card 512345xxxxxx2346, ts 1726029136")
	if got := s.problems(); len(got) != 0 {
		t.Errorf("benign text: %q", got)
	}
	if got := (&leakScanner{}).problems(); len(got) != 1 {
		t.Errorf("an empty capture: %q, want it reported", got)
	}
}
