package redotpay

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/payhost/payhost/internal/sandbox/emukit"
	emulator "github.com/payhost/payhost/internal/sandbox/redotpay"
	"github.com/payhost/payhost/plugin"
	"github.com/payhost/payhost/plugin/plugintest"
)

// Distinctive credentials of the emulated seed merchant, so that a leak
// of them is found by a plain search of the test output.
const (
	testMerchantCode = "ID00001"
	testMerchantKey  = "mk_Qv7TzR4pW9xK2mN8"
	testSecretKey    = "sk_Lh3Yc6Jd1Fb5Gs0A"
)

// Test cards: the emulator approves testCard and declines the others
// (internal/sandbox/redotpay/doc.go); testCVC is never sent (the seed's
// /v1/authorize takes no CVC) and must never show.
const (
	testCard         = "4111111111111111"
	testCardDeclined = "4000000000000002"
	testCardNoFunds  = "4000000000009995"
	testCardPending  = "4000000000000259"
	testCVC          = "9713"
)

// emu is the RedotPay emulator on a real port, with short webhook retry
// delays.
type emu struct {
	srv *emulator.Server
	url string

	mu      sync.Mutex
	arrived map[string]int // calls by path, counted as they arrive
}

func startEmulator(t *testing.T) *emu {
	t.Helper()
	e := &emu{arrived: map[string]int{}}
	h := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		e.mu.Lock()
		e.arrived[r.URL.Path]++
		e.mu.Unlock()
		e.srv.ServeHTTP(w, r)
	}))
	e.url = h.URL
	e.srv = emulator.New(emulator.Config{
		BaseURL:       h.URL,
		SeedMerchants: []emulator.SeedMerchant{{Code: testMerchantCode, Key: testMerchantKey, Secret: testSecretKey}},
		Kit:           emukit.Options{Retry: emukit.RetryPolicy{Delays: []time.Duration{20 * time.Millisecond, 50 * time.Millisecond, 100 * time.Millisecond}}},
	})
	t.Cleanup(func() {
		h.Close()
		e.srv.Close()
	})
	return e
}

// connect is a connect configuration against the emulator.
func (e *emu) connect(t testing.TB, edit map[string]any) map[string]any {
	t.Helper()
	return withEdits(connectConfig(t, map[string]any{"endpoint": e.url}), edit)
}

// seed is a seed configuration against the emulator.
func (e *emu) seed(edit map[string]any) map[string]any {
	return withEdits(seedConfig(map[string]any{
		"endpoint": e.url, "merchant_code": testMerchantCode, "merchant_key": testMerchantKey, "secret_key": testSecretKey,
	}), edit)
}

// fault injects a fault into the emulator.
func (e *emu) fault(t *testing.T, f emukit.Fault) {
	t.Helper()
	if err := e.srv.Kit().Faults.Add(f); err != nil {
		t.Fatal(err)
	}
}

// calls counts the requests that reached the emulator on path, as they
// arrived (the emulator's own log records a call when it ends).
func (e *emu) calls(path string) int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.arrived[path]
}

// control POSTs to the emulator's control API.
func (e *emu) control(ctx context.Context, path, body string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, e.url+path, strings.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(resp.Body)
		return fmt.Errorf("%s: HTTP %d: %s", path, resp.StatusCode, b)
	}
	return nil
}

// driver plays the customer on the emulator for the conformance suite.
type driver struct {
	emu    *emu
	method plugin.PaymentMethod
}

var (
	_ plugintest.Driver           = driver{}
	_ plugintest.CallbackTamperer = driver{}
)

// Payment returns a payment the emulator takes to outcome: a card it
// approves or declines (do_not_honor), or an order it accepts or refuses
// (an amount ending in .52: RISK_REJECT).
func (d driver) Payment(outcome plugintest.Outcome) *plugin.CreatePaymentRequest {
	req := &plugin.CreatePaymentRequest{
		Method: d.method, Amount: usd(1000), Description: "Conformance order", Reference: "conformance",
		Customer: plugin.Customer{ID: "cust_conformance", Email: "buyer@example.com"},
	}
	if d.method == plugin.MethodCard {
		number := testCard
		if outcome == plugintest.OutcomeDecline {
			number = testCardDeclined
		}
		req.Card = &plugin.Card{Number: plugin.NewCardNumber(number), ExpMonth: 12, ExpYear: 2030, CVC: plugin.NewSecret(testCVC), HolderName: "Conformance Buyer"}
		return req
	}
	if outcome == plugintest.OutcomeDecline {
		req.Amount = usd(1052)
	}
	return req
}

// Complete pays (or fails) on the hosted page when the payment redirects
// there, else through the control API.
func (d driver) Complete(ctx context.Context, p *plugin.PaymentResult, outcome plugintest.Outcome) error {
	action := "pay"
	if outcome == plugintest.OutcomeDecline {
		action = "fail"
	}
	if a := p.NextAction; a != nil && a.Type == plugin.ActionRedirect {
		return d.emu.payOnPage(ctx, a.URL, action)
	}
	control := map[string]string{"pay": "complete", "fail": "fail"}[action]
	return d.emu.control(ctx, "/__emulator/orders/"+url.PathEscape(p.ProviderReference)+"/"+control, "")
}

// payOnPage submits the hosted page's form as the customer's browser
// would, without following the redirect back to the merchant.
func (e *emu) payOnPage(ctx context.Context, pageURL, action string) error {
	u, err := url.Parse(pageURL)
	if err != nil {
		return err
	}
	u.RawQuery = ""
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u.String(), strings.NewReader(url.Values{"action": {action}}.Encode()))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	browser := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := browser.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther && resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(resp.Body)
		return fmt.Errorf("hosted page answered HTTP %d: %s", resp.StatusCode, b)
	}
	return nil
}

// TamperCallback flips one Base64 digit of a Connect webhook's signature,
// or one hex digit of a seed callback's signature.
func (d driver) TamperCallback(cb *plugin.HandleCallbackRequest) {
	for k, v := range cb.Header {
		if strings.EqualFold(k, "X-R-Signature") && len(v) > 0 {
			cb.Header[k] = []string{flipBase64(v[0])}
			return
		}
	}
	body := string(cb.Body)
	i := strings.Index(body, `"signature":"`) + len(`"signature":"`)
	flipped := byte('0')
	if body[i] == '0' {
		flipped = '1'
	}
	cb.Body = []byte(body[:i] + string(flipped) + body[i+1:])
}

// intake is a merchant's callback endpoint for tests outside the suite: it
// hands each callback to the provider and answers as the provider says.
type intake struct {
	p   plugin.Provider
	url string

	mu       sync.Mutex
	requests []*plugin.HandleCallbackRequest
	events   []plugin.Event
	errs     []error
	got      chan struct{}
}

func newIntake(t *testing.T, p plugin.Provider) *intake {
	t.Helper()
	in := &intake{p: p, got: make(chan struct{}, 100)}
	srv := httptest.NewServer(in)
	t.Cleanup(srv.Close)
	in.url = srv.URL + "/v1/callbacks/redotpay/test"
	return in
}

func (in *intake) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	req := &plugin.HandleCallbackRequest{
		Method: r.Method, Path: r.URL.Path, RawQuery: r.URL.RawQuery, Header: r.Header.Clone(), Body: body,
	}
	resp, err := in.p.HandleCallback(r.Context(), req)
	in.mu.Lock()
	in.requests = append(in.requests, req)
	if err != nil {
		in.errs = append(in.errs, err)
	} else {
		in.events = append(in.events, resp.Events...)
	}
	in.mu.Unlock()
	in.got <- struct{}{}
	if err != nil {
		http.Error(w, string(plugin.KindOf(err)), http.StatusUnauthorized)
		return
	}
	for k, v := range resp.Response.Header {
		w.Header()[k] = v
	}
	w.WriteHeader(resp.Response.StatusCode)
	w.Write(resp.Response.Body)
}

// waitEvent waits for an event that match accepts.
func (in *intake) waitEvent(t *testing.T, ctx context.Context, match func(plugin.Event) bool) plugin.Event {
	t.Helper()
	for {
		in.mu.Lock()
		for _, e := range in.events {
			if match(e) {
				in.mu.Unlock()
				return e
			}
		}
		errs := in.errs
		in.mu.Unlock()
		select {
		case <-in.got:
		case <-ctx.Done():
			t.Fatalf("no matching callback event (errors: %v): %v", errs, ctx.Err())
		}
	}
}

// uniqueID is a fresh attempt id in the host's form: att_ and 26
// characters.
func uniqueID() string {
	b := make([]byte, 13)
	_, _ = rand.Read(b)
	return "att_" + strings.ToUpper(hex.EncodeToString(b))
}

// live is a provider on the wall clock configured with values, for tests
// against the emulator, which checks X-R-Ts against its own clock.
func live(t *testing.T, values map[string]any, callbackURL string) *Provider {
	t.Helper()
	p := New()
	if _, err := p.Configure(context.Background(), &plugin.ConfigureRequest{Config: mustConfig(t, values), CallbackURL: callbackURL}); err != nil {
		t.Fatal(err)
	}
	return p
}

// walletPaymentFor is an order payment of amount.
func walletPaymentFor(method plugin.PaymentMethod, amount plugin.Money) *plugin.CreatePaymentRequest {
	return &plugin.CreatePaymentRequest{
		PaymentID: "pay_test", AttemptID: uniqueID(), Amount: amount, Method: method, Capture: plugin.CaptureAutomatic,
		Description: "Test order", Customer: plugin.Customer{ID: "cust_test"}, ReturnURL: "https://shop.example/return",
	}
}

// cardPaymentFor is a card payment of amount with number.
func cardPaymentFor(capture plugin.CaptureMode, number string, amount plugin.Money) *plugin.CreatePaymentRequest {
	return &plugin.CreatePaymentRequest{
		PaymentID: "pay_test", AttemptID: uniqueID(), Amount: amount, Method: plugin.MethodCard, Capture: capture,
		Card: &plugin.Card{Number: plugin.NewCardNumber(number), ExpMonth: 12, ExpYear: 2030, CVC: plugin.NewSecret(testCVC)},
	}
}
