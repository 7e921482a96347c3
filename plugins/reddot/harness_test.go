package reddot

import (
	"bytes"
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/payhost/payhost/internal/sandbox/emukit"
	emulator "github.com/payhost/payhost/internal/sandbox/reddot"
	"github.com/payhost/payhost/plugin"
	"github.com/payhost/payhost/plugin/plugintest"
)

// The test merchants: RDP's published test MID (SGD and every currency
// without a MID of its own) and a second MID for USD with its own secret,
// so that tests see each request signed, and each answer verified, with
// the right MID's secret.
const (
	usdMID    = "1000089030"
	usdSecret = "0F3A9C2B7D5E4A1908B6C3D2E1F0A9B8C7D6E5F4A3B2C1D0E9F8A7B6C5D4E3F20F3A9C2B7D5E4A1908B6C3D2E1F0A9B8C7D6E5F4A3B2C1D0E9F8A7B6C5D4E3F2"
)

// expYear is a card expiry year safely in the future.
var expYear = time.Now().Year() + 5

// capture is a testing.TB that also keeps every line logged through it:
// handed to plugintest.Connect or Launch, it collects the plugin's log
// (and, for a real binary, go-plugin's host-side log), so that a test can
// scan everything that was printed.
type capture struct {
	testing.TB
	mu    sync.Mutex
	lines []string
}

func newCapture(t testing.TB) *capture { return &capture{TB: t} }

// Log keeps the line and logs it.
func (c *capture) Log(args ...any) {
	c.add(fmt.Sprint(args...))
	c.TB.Log(args...)
}

// Logf keeps the line and logs it.
func (c *capture) Logf(format string, args ...any) {
	c.add(fmt.Sprintf(format, args...))
	c.TB.Logf(format, args...)
}

// Write keeps what an hclog logger writes (the emulator's log).
func (c *capture) Write(p []byte) (int, error) {
	c.add(string(p))
	return len(p), nil
}

func (c *capture) add(s string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.lines = append(c.lines, s)
}

// text is everything captured.
func (c *capture) text() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return strings.Join(c.lines, "\n")
}

// cvvPattern finds a CVV printed next to its name.
var cvvPattern = regexp.MustCompile(`(?i)(cvv2?|cvc)\W{1,4}\d{3,4}\b`)

// checkNoLeaks fails the test if the captured output shows a secret, one
// of the card numbers, or a CVV. It never prints what it found.
func checkNoLeaks(t testing.TB, c *capture, pans []string) {
	t.Helper()
	out := c.text()
	if out == "" {
		t.Fatal("nothing was captured; the leak scan would prove nothing")
	}
	for i, s := range []string{emulator.DefaultSecret, usdSecret} {
		if strings.Contains(out, s) {
			t.Errorf("secret #%d appears in the captured output", i+1)
		}
	}
	for _, pan := range pans {
		if strings.Contains(out, pan) {
			t.Errorf("card number %s appears in full in the captured output", plugin.NewCardNumber(pan).Masked())
		}
	}
	if cvvPattern.MatchString(out) {
		t.Error("a CVV appears in the captured output")
	}
}

// testEmulator is the RDP emulator on an httptest server, behind a
// recorder that keeps every request to RDP's APIs as it arrives (before
// the emulator handles it, so that a request whose answer is dropped is
// counted before the client sees the failure).
type testEmulator struct {
	*emulator.Server
	url string

	mu       sync.Mutex
	requests []wireRequest
}

// wireRequest is one request the provider sent, as RDP receives it.
type wireRequest struct {
	Method      string `json:"method"`
	Path        string `json:"path"`
	ContentType string `json:"content_type"`
	Body        string `json:"body"`
}

// startEmulator starts an emulator knowing both test MIDs (unique order
// ids enforced), retrying notifications quickly, with pending payments
// resolved only through the control API, logging to log.
func startEmulator(t testing.TB, log io.Writer, mods ...func(*emulator.Config)) *testEmulator {
	t.Helper()
	cfg := emulator.Config{
		Merchants: []emulator.Merchant{
			{MID: emulator.DefaultMID, Secret: emulator.DefaultSecret, Tokenization: true, UniqueOrderID: true},
			{MID: usdMID, Secret: usdSecret, Tokenization: true, UniqueOrderID: true},
		},
		PendingDelay: -1,
		Kit: emukit.Options{
			Retry:  emukit.RetryPolicy{Delays: []time.Duration{10 * time.Millisecond, 10 * time.Millisecond, 10 * time.Millisecond}},
			Logger: hclog.New(&hclog.LoggerOptions{Output: log, Level: hclog.Trace, JSONFormat: true}),
		},
	}
	for _, mod := range mods {
		mod(&cfg)
	}
	e := &testEmulator{Server: emulator.New(cfg)}
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasPrefix(r.URL.Path, emukit.ControlPrefix) {
			body, _ := io.ReadAll(r.Body)
			r.Body = io.NopCloser(bytes.NewReader(body))
			e.mu.Lock()
			e.requests = append(e.requests, wireRequest{Method: r.Method, Path: r.URL.Path, ContentType: r.Header.Get("Content-Type"), Body: string(body)})
			e.mu.Unlock()
		}
		e.Server.ServeHTTP(w, r)
	}))
	t.Cleanup(func() {
		ts.Close()
		e.Server.Close()
	})
	e.url = ts.URL
	return e
}

// received returns the requests to RDP's APIs so far, and forgets them.
func (e *testEmulator) received() []wireRequest {
	e.mu.Lock()
	defer e.mu.Unlock()
	out := e.requests
	e.requests = nil
	return out
}

// requestsTo counts the requests received on path.
func (e *testEmulator) requestsTo(path string) int {
	e.mu.Lock()
	defer e.mu.Unlock()
	n := 0
	for _, r := range e.requests {
		if r.Path == path {
			n++
		}
	}
	return n
}

// configValues is the provider configuration for the emulator at base.
func configValues(base string) map[string]any {
	return map[string]any{
		attrEndpoint:      base,
		attrMerchantAPI:   base + "/instanpanel/api/payment",
		attrMID:           emulator.DefaultMID,
		attrSecretKey:     emulator.DefaultSecret,
		attrMIDs:          map[string]string{"USD": usdMID},
		attrSecrets:       map[string]string{usdMID: usdSecret},
		attrUniqueOrderID: true,
		attrTimeout:       "10s",
	}
}

// newConfig makes a plugin.Config of values, with edits applied (a nil
// value removes the attribute).
func newConfig(t testing.TB, values map[string]any, edits map[string]any) plugin.Config {
	t.Helper()
	m := map[string]any{}
	for k, v := range values {
		m[k] = v
	}
	for k, v := range edits {
		if v == nil {
			delete(m, k)
		} else {
			m[k] = v
		}
	}
	c, err := plugin.NewConfig(m)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// control calls the emulator's control API.
func (e *testEmulator) control(t testing.TB, path, body string) {
	t.Helper()
	resp, err := http.Post(e.url+path, "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 300 {
		b, _ := io.ReadAll(resp.Body)
		t.Fatalf("control %s: HTTP %d: %s", path, resp.StatusCode, b)
	}
}

// driver plays the customer on the emulator for the conformance suite:
// on RDP's hosted pages, or with card data (direct).
type driver struct {
	emu    *testEmulator
	direct bool
	client *http.Client

	mu   sync.Mutex
	pans []string // every card number used, for the leak scan
}

func newDriver(emu *testEmulator, direct bool) *driver {
	return &driver{emu: emu, direct: direct, client: &http.Client{
		Timeout:       10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

var (
	_ plugintest.Driver           = (*driver)(nil)
	_ plugintest.CallbackTamperer = (*driver)(nil)
	_ plugintest.TokenDriver      = (*driver)(nil)
)

// testCVV is the CVV of every test card.
const testCVV = "737"

// card returns a test card with number pan, remembered for the leak scan.
func (d *driver) card(pan string) *plugin.Card {
	d.mu.Lock()
	d.pans = append(d.pans, pan)
	d.mu.Unlock()
	return &plugin.Card{Number: plugin.NewCardNumber(pan), ExpMonth: 12, ExpYear: expYear, CVC: plugin.NewSecret(testCVV), HolderName: "Tan Ah Kow"}
}

// cards lists the card numbers used so far.
func (d *driver) cards() []string {
	d.mu.Lock()
	defer d.mu.Unlock()
	return append([]string{emulator.CardApprove, emulator.CardDecline}, d.pans...)
}

// freshPAN is a Luhn-valid Visa number the emulator has not seen (it
// refuses to tokenise one card twice) and that is none of its magic cards.
func freshPAN() string {
	digits := []byte("455")
	for len(digits) < 15 {
		n, _ := rand.Int(rand.Reader, big.NewInt(10))
		digits = append(digits, byte('0'+n.Int64()))
	}
	sum := 0
	for i := len(digits) - 1; i >= 0; i-- {
		d := int(digits[i] - '0')
		if (len(digits)-1-i)%2 == 0 {
			if d *= 2; d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return string(append(digits, byte('0'+(10-sum%10)%10)))
}

// customer is the test customer.
var customer = plugin.Customer{ID: "cus_42", Email: "ahkow@example.com", Name: "Tan Ah Kow"}

// Payment returns 10.00 SGD, on the hosted page or with a card the
// emulator approves or declines.
func (d *driver) Payment(o plugintest.Outcome) *plugin.CreatePaymentRequest {
	req := &plugin.CreatePaymentRequest{
		Amount: plugin.Money{Amount: 1000, Currency: "SGD"}, Method: plugin.MethodCard,
		Customer: customer, Description: "conformance",
	}
	if d.direct {
		pan := emulator.CardApprove
		if o == plugintest.OutcomeDecline {
			pan = emulator.CardDecline
		}
		req.Card = d.card(pan)
	}
	return req
}

// Complete pays or fails on the hosted payment page, or resolves a
// pending payment through the control API.
func (d *driver) Complete(ctx context.Context, p *plugin.PaymentResult, o plugintest.Outcome) error {
	if p.NextAction == nil {
		action := "complete"
		if o == plugintest.OutcomeDecline {
			action = "fail"
		}
		return d.post(ctx, d.emu.url+"/__emulator/orders/"+p.ProviderReference+"/"+action, nil)
	}
	return d.submitPage(ctx, p.NextAction.URL, o, emulator.CardApprove)
}

// Tokenization returns a tokenization for SGD, with a card not stored
// before when direct.
func (d *driver) Tokenization(direct bool) *plugin.TokenizeRequest {
	req := &plugin.TokenizeRequest{Customer: customer, Currency: "SGD"}
	if direct {
		req.Card = d.card(freshPAN())
	}
	return req
}

// CompleteToken enters a fresh card on the hosted tokenization page, or
// fails it.
func (d *driver) CompleteToken(ctx context.Context, tok *plugin.TokenResult, o plugintest.Outcome) error {
	if tok.NextAction == nil {
		return fmt.Errorf("token %s has no hosted page", tok.ProviderReference)
	}
	return d.submitPage(ctx, tok.NextAction.URL, o, freshPAN())
}

// submitPage presses Pay (with card pan) or Fail on a hosted page; the
// emulator answers with a redirect to the merchant.
func (d *driver) submitPage(ctx context.Context, page string, o plugintest.Outcome, pan string) error {
	form := url.Values{"action": {"fail"}}
	if o == plugintest.OutcomeSucceed {
		d.card(pan)
		form = url.Values{"action": {"pay"}, "card_no": {pan}, "exp_date": {fmt.Sprintf("12%d", expYear)}, "cvv2": {testCVV}, "payer_name": {"Tan Ah Kow"}}
	}
	return d.post(ctx, page, form)
}

// post sends form (or nothing) and wants a redirect or a success.
func (d *driver) post(ctx context.Context, target string, form url.Values) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, strings.NewReader(form.Encode()))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := d.client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 400 || (form != nil && resp.StatusCode != http.StatusFound) {
		body, _ := io.ReadAll(io.LimitReader(resp.Body, 2048))
		return fmt.Errorf("POST %s: HTTP %d: %s", target, resp.StatusCode, body)
	}
	return nil
}

// TamperCallback changes one hex digit of the notification's signature.
func (d *driver) TamperCallback(cb *plugin.HandleCallbackRequest) {
	cb.Body = tamperSignature(cb.Body)
}

// tamperSignature flips the first hex digit of a JSON body's signature.
func tamperSignature(body []byte) []byte {
	const key = `"signature":"`
	i := strings.Index(string(body), key)
	if i < 0 || i+len(key) >= len(body) {
		return body
	}
	out := append([]byte(nil), body...)
	j := i + len(key)
	if out[j] == '0' {
		out[j] = '1'
	} else {
		out[j] = '0'
	}
	return out
}
