package appotapay

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	emulator "github.com/payhost/payhost/internal/sandbox/appotapay"
	"github.com/payhost/payhost/plugin"
	"github.com/payhost/payhost/plugin/plugintest"
)

// setup is the provider as the host sees it (in memory through the real
// gRPC glue), configured for an emulator, with the host's callback
// endpoint: every callback goes to HandleCallback and its events to
// events. Logs and errors are scanned for leaks.
type setup struct {
	*env
	host     plugin.Provider
	callback string
	scan     *leakScanner
	events   chan plugin.Event
}

func newSetup(t *testing.T, more map[string]any) *setup {
	t.Helper()
	return newSetupWith(t, startEmulator(t), more)
}

// newSetupWith is newSetup for an emulator already started.
func newSetupWith(t *testing.T, e *env, more map[string]any) *setup {
	t.Helper()
	s := &setup{env: e, scan: newLeakScanner(t), events: make(chan plugin.Event, 64)}
	s.host = plugintest.Connect(capturingTB{TB: t, scan: s.scan}, New())
	intake := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		resp, err := s.host.HandleCallback(r.Context(), &plugin.HandleCallbackRequest{
			Method: r.Method, Path: r.URL.Path, RawQuery: r.URL.RawQuery, Header: r.Header, Body: body,
		})
		if err != nil {
			s.scan.addErr(err)
			http.Error(w, string(plugin.KindOf(err)), http.StatusUnauthorized)
			return
		}
		for _, e := range resp.Events {
			s.events <- e
		}
		w.WriteHeader(resp.Response.StatusCode)
		w.Write(resp.Response.Body)
	}))
	t.Cleanup(intake.Close)
	s.callback = intake.URL + "/v1/callbacks/appotapay/test"
	if _, err := s.host.Configure(context.Background(), &plugin.ConfigureRequest{
		Instance: "appotapay.test", Config: s.config(more), CallbackURL: s.callback,
	}); err != nil {
		t.Fatalf("Configure: %v", err)
	}
	return s
}

func newAttemptID() string {
	b := make([]byte, 8)
	rand.Read(b)
	return "att_" + hex.EncodeToString(b)
}

func vnd(amount int64) plugin.Money { return plugin.Money{Amount: amount, Currency: currencyVND} }

// payment is a new payment request for amount.
func payment(amount int64, method plugin.PaymentMethod) *plugin.CreatePaymentRequest {
	id := newAttemptID()
	return &plugin.CreatePaymentRequest{
		PaymentID: "pay" + id[3:], AttemptID: id, Amount: vnd(amount), Method: method,
		Capture: plugin.CaptureAutomatic, Description: "test", ReturnURL: "https://shop.example/return",
		Customer: plugin.Customer{IP: testIP},
	}
}

// create creates a payment that must be accepted.
func (s *setup) create(t *testing.T, req *plugin.CreatePaymentRequest) *plugin.PaymentResult {
	t.Helper()
	resp, err := s.host.CreatePayment(context.Background(), req)
	if err != nil {
		t.Fatalf("CreatePayment: %v", err)
	}
	if resp.Status != plugin.StatusRequiresAction || resp.NextAction == nil || resp.NextAction.Type != plugin.ActionRedirect || resp.Amount != req.Amount {
		t.Fatalf("CreatePayment = %+v, want requires_action with a redirect for %v", resp.PaymentResult, req.Amount)
	}
	return &resp.PaymentResult
}

// press presses a button on the payment's hosted page and returns where
// the browser is sent.
func (s *setup) press(t *testing.T, res *plugin.PaymentResult, action string) *url.URL {
	t.Helper()
	back, err := submitPayPage(context.Background(), res.NextAction.URL, action)
	if err != nil {
		t.Fatal(err)
	}
	return back
}

// event waits for the next callback event about attemptID.
func (s *setup) event(t *testing.T, attemptID string) plugin.Event {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for {
		select {
		case e := <-s.events:
			if e.AttemptID == attemptID {
				return e
			}
		case <-ctx.Done():
			t.Fatalf("no callback about %s", attemptID)
		}
	}
}

// paid creates a bank payment and pays it; it returns the request and
// the payment's reference.
func (s *setup) paid(t *testing.T, amount int64) (*plugin.CreatePaymentRequest, plugin.PaymentRef) {
	t.Helper()
	req := payment(amount, plugin.MethodBank)
	s.press(t, s.create(t, req), "pay")
	e := s.event(t, req.AttemptID)
	if e.Payment.Status != plugin.StatusSucceeded {
		t.Fatalf("the payment's IPN says %s", e.Payment.Status)
	}
	return req, plugin.PaymentRef{PaymentID: req.PaymentID, AttemptID: req.AttemptID, ProviderReference: e.ProviderReference}
}

func (s *setup) getPayment(t *testing.T, attemptID string) *plugin.PaymentResult {
	t.Helper()
	resp, err := s.host.GetPayment(context.Background(), &plugin.GetPaymentRequest{PaymentRef: plugin.PaymentRef{AttemptID: attemptID}})
	if err != nil {
		t.Fatalf("GetPayment: %v", err)
	}
	return &resp.PaymentResult
}

// apiPaths are an API version's paths, for counting requests.
type apiPaths struct {
	version, create, status, refund string
}

// eachVersion runs test for API v1.1 and v2 against their emulator.
func eachVersion(t *testing.T, test func(t *testing.T, v apiPaths)) {
	for _, v := range []apiPaths{
		{version11, pathCreateV11, pathStatusV11, pathRefund},
		{version2, pathCreateV2, pathStatusV2, pathRefundV2},
	} {
		t.Run("v"+v.version, func(t *testing.T) { test(t, v) })
	}
}

// with adds the version to a configuration.
func (v apiPaths) with(more map[string]any) map[string]any {
	cfg := map[string]any{attrAPIVersion: v.version}
	for k, val := range more {
		cfg[k] = val
	}
	return cfg
}

// wantError checks an error's kind, gateway code and param.
func wantError(t *testing.T, what string, err error, kind plugin.ErrorKind, code, param string) *plugin.Error {
	t.Helper()
	var pe *plugin.Error
	if !asPluginError(err, &pe) || pe.Kind != kind || pe.Code != code || pe.Param != param {
		t.Fatalf("%s: %#v; want kind %s code %q param %q", what, err, kind, code, param)
	}
	return pe
}

// TestCardPayment: a card payment is a redirect too (the page collects
// the card); once paid, the status reports the masked card.
func TestCardPayment(t *testing.T) {
	eachVersion(t, func(t *testing.T, v apiPaths) {
		s := newSetup(t, v.with(nil))
		req := payment(30_000, plugin.MethodCard)
		req.Card = &plugin.Card{Number: plugin.NewCardNumber(testPAN), ExpMonth: 3, ExpYear: 2027, CVC: plugin.NewSecret(testCVC), HolderName: "NGUYEN VAN A"}
		res := s.create(t, req)
		if got := s.getPayment(t, req.AttemptID); got.Status != plugin.StatusProcessing || got.ProviderReference == "" {
			t.Errorf("before paying: %+v, want processing with the transaction id", got)
		}
		s.press(t, res, "pay")
		got := s.getPayment(t, req.AttemptID)
		want := plugin.CardInfo{First6: "512345", Last4: "2346", ExpMonth: 3, ExpYear: 2027, Brand: "mastercard", HolderName: "NGUYEN VAN A"}
		if got.Status != plugin.StatusSucceeded || got.Amount != vnd(30_000) || got.CapturedAmount != vnd(30_000) || got.Card == nil || *got.Card != want {
			t.Errorf("after paying: %+v card %+v", got, got.Card)
		}
	})
}

// TestDeclinedPayment: AppotaPay sends no IPN for a failure; the status
// and the forwarded redirect say failed, with the gateway's code.
func TestDeclinedPayment(t *testing.T) {
	eachVersion(t, func(t *testing.T, v apiPaths) {
		s := newSetup(t, v.with(nil))
		req := payment(emulator.AmountDecline, plugin.MethodBank)
		back := s.press(t, s.create(t, req), "pay")
		got := s.getPayment(t, req.AttemptID)
		if got.Status != plugin.StatusFailed || got.FailureCode != "33" || got.FailureMessage == "" || got.ProviderReference == "" {
			t.Errorf("GetPayment = %+v, want failed with code 33", got)
		}
		if err := forwardRedirect(context.Background(), s.callback, back); err != nil {
			t.Fatal(err)
		}
		e := s.event(t, req.AttemptID)
		if e.Payment.Status != plugin.StatusFailed || e.Payment.FailureCode != "33" || e.ID != "appotapay:"+got.ProviderReference+":"+got.ProviderStatus {
			t.Errorf("redirect event %+v %+v", e, e.Payment)
		}
	})
}

// TestRedCodeConfirmedByStatus: a redirect whose result is not final
// (34) is checked with the status API; once the bank confirms, the same
// redirect reports what the status API says, under the IPN's event id.
func TestRedCodeConfirmedByStatus(t *testing.T) {
	s := newSetup(t, nil)
	req := payment(emulator.AmountStayPending, plugin.MethodBank)
	back := s.press(t, s.create(t, req), "pay")
	if back.Query().Get("errorCode") != "34" {
		t.Fatalf("the redirect says %q, want 34", back.Query().Get("errorCode"))
	}
	statusCalls := s.requestsTo(pathStatusV11)
	if err := forwardRedirect(context.Background(), s.callback, back); err != nil {
		t.Fatal(err)
	}
	if e := s.event(t, req.AttemptID); e.Payment.Status != plugin.StatusProcessing || e.Payment.ProviderStatus != "34" {
		t.Errorf("processing redirect: %+v %+v", e, e.Payment)
	}
	if s.requestsTo(pathStatusV11) != statusCalls+1 {
		t.Error("the processing redirect was not checked with the status API")
	}
	s.control("/__emulator/orders/"+req.AttemptID+"/complete", nil)
	ipn := s.event(t, req.AttemptID)
	if ipn.Payment.Status != plugin.StatusSucceeded {
		t.Fatalf("IPN after completion: %+v", ipn.Payment)
	}
	if err := forwardRedirect(context.Background(), s.callback, back); err != nil {
		t.Fatal(err)
	}
	if e := s.event(t, req.AttemptID); e.Payment.Status != plugin.StatusSucceeded || e.ID != ipn.ID {
		t.Errorf("the old redirect after completion: %+v %+v; want succeeded with id %s", e, e.Payment, ipn.ID)
	}
}

// TestDuplicateOrder: a create refused as a duplicate orderId answers the
// existing order when it is this attempt's (same amount), and is refused
// otherwise.
func TestDuplicateOrder(t *testing.T) {
	eachVersion(t, func(t *testing.T, v apiPaths) {
		s := newSetup(t, v.with(nil))
		req := payment(40_000, plugin.MethodBank)
		s.create(t, req)
		again, err := s.host.CreatePayment(context.Background(), req)
		if err != nil {
			t.Fatalf("the same create again: %v", err)
		}
		if again.Status != plugin.StatusProcessing || again.ProviderReference == "" || again.Amount != req.Amount {
			t.Errorf("the same create again = %+v, want the existing order, processing", again.PaymentResult)
		}
		other := *req
		other.Amount = vnd(41_000)
		_, err = s.host.CreatePayment(context.Background(), &other)
		s.scan.addErr(err)
		wantError(t, "the attempt id with another amount", err, plugin.KindInvalidRequest, "30", "attempt_id")
	})
}

// TestRefunds exercises AppotaPay's refund rules on one paid payment.
func TestRefunds(t *testing.T) {
	eachVersion(t, testRefunds)
}

func testRefunds(t *testing.T, v apiPaths) {
	s := newSetup(t, v.with(nil))
	req, ref := s.paid(t, 50_000)
	ctx := context.Background()
	refund := func(id string, amount int64, ref plugin.PaymentRef) (*plugin.RefundResult, error) {
		resp, err := s.host.Refund(ctx, &plugin.RefundRequest{PaymentRef: ref, RefundID: id, Amount: vnd(amount), CapturedAmount: req.Amount, Reason: "test"})
		s.scan.addErr(err)
		if err != nil {
			return nil, err
		}
		return &resp.RefundResult, nil
	}

	_, err := refund("ref_wait", emulator.RefundAmountWait, ref)
	if e := wantError(t, "refund 129", err, plugin.KindRateLimited, "129", ""); e.RetryAfter != 5*time.Minute {
		t.Errorf("RetryAfter = %v, want 5m from the gateway's message", e.RetryAfter)
	}
	_, err = refund("ref_never", emulator.RefundAmountNotRefundable, ref)
	if e := wantError(t, "refund 135", err, plugin.KindDeclined, "135", ""); e.Message != "Transaction does not support refund" {
		t.Errorf("decline message %q, want the gateway's", e.Message)
	}

	first, err := refund("ref_first", 20_000, ref)
	if err != nil || first.Status != plugin.RefundPending || first.Amount != vnd(20_000) || first.ProviderRefundReference == "" {
		t.Fatalf("first refund = %+v, %v", first, err)
	}
	again, err := refund("ref_first", 20_000, ref)
	if err != nil || *again != *first {
		t.Errorf("the same refund again = %+v, %v; want %+v", again, err, first)
	}
	_, err = refund("ref_first", 15_000, ref)
	wantError(t, "the refund id with another amount", err, plugin.KindInvalidRequest, "31", "refund_id")
	_, err = refund("ref_too_much", 40_000, ref)
	wantError(t, "a refund above what is left", err, plugin.KindInvalidRequest, "110", "amount")

	// Without the appotapayTransId the provider looks it up.
	failing, err := refund("ref_failing", emulator.RefundAmountFails, plugin.PaymentRef{AttemptID: ref.AttemptID})
	if err != nil || failing.Status != plugin.RefundPending {
		t.Fatalf("refund by attempt id = %+v, %v", failing, err)
	}
	s.control("/__emulator/refunds/ref_failing/fail", nil)
	s.control("/__emulator/refunds/ref_first/complete", nil)
	for id, want := range map[string]plugin.RefundStatus{"ref_failing": plugin.RefundFailed, "ref_first": plugin.RefundSucceeded} {
		got, err := s.host.GetRefund(ctx, &plugin.GetRefundRequest{PaymentRef: ref, RefundID: id})
		if err != nil || got.Status != want {
			t.Errorf("GetRefund %s = %+v, %v; want %s", id, got, err, want)
		}
	}
	_, err = s.host.GetRefund(ctx, &plugin.GetRefundRequest{PaymentRef: ref, RefundID: "ref_unknown"})
	s.scan.addErr(err)
	wantError(t, "GetRefund of an unknown refund", err, plugin.KindNotFound, "36", "")

	unpaid := payment(20_000, plugin.MethodBank)
	s.create(t, unpaid)
	_, err = refund("ref_unpaid", 20_000, plugin.PaymentRef{AttemptID: unpaid.AttemptID})
	wantError(t, "a refund of an unpaid payment", err, plugin.KindDeclined, "135", "")

	before := s.requestsTo(v.refund)
	_, err = s.host.Refund(ctx, &plugin.RefundRequest{PaymentRef: ref, RefundID: "ref_usd", Amount: plugin.Money{Amount: 100, Currency: "USD"}, CapturedAmount: plugin.Money{Amount: 5000, Currency: "USD"}})
	wantError(t, "a refund in USD", err, plugin.KindInvalidRequest, "", "currency")
	if s.requestsTo(v.refund) != before {
		t.Error("a refund in USD reached the gateway")
	}
}

// TestNotFound: AppotaPay's unknown transaction (36) answering a status
// query (GetPayment, GetRefund) is not_found with the gateway's code and
// message; answering any other call, a refund here, it stays
// invalid_request naming the field.
func TestNotFound(t *testing.T) {
	cases := []struct {
		name  string
		call  func(s *setup, id string) error
		kind  plugin.ErrorKind
		param string
	}{
		{"GetPayment of an unknown order", func(s *setup, id string) error {
			_, err := s.host.GetPayment(context.Background(), &plugin.GetPaymentRequest{PaymentRef: plugin.PaymentRef{AttemptID: id}})
			return err
		}, plugin.KindNotFound, ""},
		{"GetRefund of an unknown refund", func(s *setup, id string) error {
			_, err := s.host.GetRefund(context.Background(), &plugin.GetRefundRequest{PaymentRef: plugin.PaymentRef{AttemptID: id}, RefundID: "ref" + id[3:]})
			return err
		}, plugin.KindNotFound, ""},
		{"Refund of an unknown order", func(s *setup, id string) error {
			_, err := s.host.Refund(context.Background(), &plugin.RefundRequest{PaymentRef: plugin.PaymentRef{AttemptID: id}, RefundID: "ref" + id[3:], Amount: vnd(10_000), CapturedAmount: vnd(10_000)})
			return err
		}, plugin.KindInvalidRequest, "attempt_id"},
		{"Refund of an unknown transaction", func(s *setup, id string) error {
			_, err := s.host.Refund(context.Background(), &plugin.RefundRequest{PaymentRef: plugin.PaymentRef{AttemptID: id, ProviderReference: "AP" + id[4:]}, RefundID: "ref" + id[3:], Amount: vnd(10_000), CapturedAmount: vnd(10_000)})
			return err
		}, plugin.KindInvalidRequest, "provider_reference"},
	}
	eachVersion(t, func(t *testing.T, v apiPaths) {
		s := newSetup(t, v.with(nil))
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				err := tc.call(s, newAttemptID())
				s.scan.addErr(err)
				if e := wantError(t, tc.name, err, tc.kind, "36", tc.param); !strings.Contains(e.Message, "Transaction is not found") {
					t.Errorf("%s: message %q, want the gateway's", tc.name, e.Message)
				}
			})
		}
	})
}

// TestAuthenticationFailures: refused credentials are authentication,
// with AppotaPay's code.
func TestAuthenticationFailures(t *testing.T) {
	cases := []struct {
		name   string
		config map[string]any
		code   string
	}{
		{"wrong secret key", map[string]any{attrSecretKey: "not-the-secret-key"}, "401"},
		{"unknown partner", map[string]any{attrPartnerCode: "NOBODY"}, "11"},
		{"wrong API key", map[string]any{attrAPIKey: "not-the-api-key"}, "14"},
		{"expired JWT", map[string]any{attrJWTTTL: "1ns"}, "401"},
	}
	eachVersion(t, func(t *testing.T, v apiPaths) {
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				s := newSetup(t, v.with(tc.config))
				_, err := s.host.CreatePayment(context.Background(), payment(20_000, plugin.MethodBank))
				s.scan.addErr(err)
				wantError(t, "CreatePayment", err, plugin.KindAuthentication, tc.code, "")
			})
		}
	})
}
