package reddot

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	emulator "github.com/payhost/payhost/internal/sandbox/reddot"
	"github.com/payhost/payhost/plugin"
	"github.com/payhost/payhost/plugin/plugintest"
)

// env is a provider, configured for the emulator and served in memory
// through the SDK's gRPC glue, with a merchant endpoint that keeps RDP's
// notifications for the test to hand to HandleCallback.
type env struct {
	t      *testing.T
	ctx    context.Context
	emu    *testEmulator
	p      plugin.Provider
	log    *capture
	driver *driver
	sink   *sink
}

// newEnv configures a provider for a new emulator; edits change the
// configuration (see newConfig), mods the emulator's.
func newEnv(t *testing.T, edits map[string]any, mods ...func(*emulator.Config)) *env {
	t.Helper()
	e := &env{t: t, log: newCapture(t), sink: newSink(t)}
	e.emu = startEmulator(t, e.log, mods...)
	e.driver = newDriver(e.emu, true)
	e.p = plugintest.Connect(e.log, New())
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	e.ctx = ctx
	if _, err := e.p.Configure(ctx, &plugin.ConfigureRequest{
		Instance: "reddot.test", Config: newConfig(t, configValues(e.emu.url), edits), CallbackURL: e.sink.url,
	}); err != nil {
		t.Fatalf("Configure: %v", err)
	}
	t.Cleanup(func() { checkNoLeaks(t, e.log, e.driver.cards()) })
	return e
}

// seen records an error's text for the leak scan and returns it.
func (e *env) seen(err error) error {
	if err != nil {
		e.log.add(err.Error())
	}
	return err
}

// pay creates a payment of amount with a card (pan; "" for the hosted
// page) or a token.
func (e *env) pay(attempt string, amount plugin.Money, capture plugin.CaptureMode, pan string, token *plugin.StoredToken) (*plugin.CreatePaymentResponse, error) {
	req := &plugin.CreatePaymentRequest{
		PaymentID: "pay_" + attempt, AttemptID: attempt, Amount: amount, Method: plugin.MethodCard,
		Capture: capture, Customer: customer, ReturnURL: "https://merchant.example/return",
	}
	switch {
	case token != nil:
		req.Method, req.Token = plugin.MethodToken, token
	case pan != "":
		req.Card = e.driver.card(pan)
	}
	resp, err := e.p.CreatePayment(e.ctx, req)
	return resp, e.seen(err)
}

// status asks GetPayment.
func (e *env) status(ref plugin.PaymentRef, currency string) (*plugin.GetPaymentResponse, error) {
	resp, err := e.p.GetPayment(e.ctx, &plugin.GetPaymentRequest{PaymentRef: ref, Amount: plugin.Money{Currency: currency}})
	return resp, e.seen(err)
}

// callback hands the next notification RDP sent to HandleCallback.
func (e *env) callback() (*plugin.HandleCallbackRequest, *plugin.HandleCallbackResponse) {
	e.t.Helper()
	req := e.sink.next(e.ctx, e.t)
	resp, err := e.p.HandleCallback(e.ctx, req)
	if e.seen(err) != nil {
		e.t.Fatalf("HandleCallback: %v", err)
	}
	return req, resp
}

// sgd and usd are amounts in minor units.
func sgd(minor int64) plugin.Money { return plugin.Money{Amount: minor, Currency: "SGD"} }
func usd(minor int64) plugin.Money { return plugin.Money{Amount: minor, Currency: "USD"} }

// wantKind fails the test unless err is a plugin error of kind (and of
// code, when code is set).
func wantKind(t *testing.T, what string, err error, kind plugin.ErrorKind, code string) *plugin.Error {
	t.Helper()
	var pe *plugin.Error
	if !errors.As(err, &pe) || pe.Kind != kind || (code != "" && pe.Code != code) {
		t.Fatalf("%s: %v; want kind %s code %q", what, err, kind, code)
	}
	return pe
}

// sink is the merchant's notify_url: it keeps every notification, as the
// host received it, and answers 200.
type sink struct {
	url     string
	mu      sync.Mutex
	queue   []*plugin.HandleCallbackRequest
	arrived chan struct{}
}

func newSink(t testing.TB) *sink {
	s := &sink{arrived: make(chan struct{}, 100)}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		s.mu.Lock()
		s.queue = append(s.queue, &plugin.HandleCallbackRequest{Method: r.Method, Path: r.URL.Path, Header: r.Header.Clone(), Body: body})
		s.mu.Unlock()
		s.arrived <- struct{}{}
	}))
	t.Cleanup(srv.Close)
	s.url = srv.URL + "/v1/callbacks/reddot/test"
	return s
}

// next waits for the next notification.
func (s *sink) next(ctx context.Context, t testing.TB) *plugin.HandleCallbackRequest {
	t.Helper()
	select {
	case <-s.arrived:
	case <-ctx.Done():
		t.Fatal("no notification arrived")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	req := s.queue[0]
	s.queue = s.queue[1:]
	return req
}
