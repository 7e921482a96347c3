package redotpay

import (
	"context"
	"net"
	"strings"
	"testing"

	"github.com/payhost/payhost/internal/sandbox/emukit"
	"github.com/payhost/payhost/plugin"
)

// TestFailureClassification injects the emulator's faults into the first
// call of each protocol and checks how the failure is classified, that
// the provider never tried again, and that the error leaks nothing.
func TestFailureClassification(t *testing.T) {
	e := startEmulator(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	refused := "http://" + ln.Addr().String() // nothing listens there once closed
	ln.Close()

	protocols := []struct {
		name    string
		config  func(edit map[string]any) map[string]any
		path    string
		payment func() *plugin.CreatePaymentRequest
	}{
		{"connect", func(edit map[string]any) map[string]any { return e.connect(t, edit) }, pathCreate, func() *plugin.CreatePaymentRequest {
			return driver{emu: e, method: plugin.MethodWallet}.Payment("succeed")
		}},
		{"seed", e.seed, pathSeedCreate, func() *plugin.CreatePaymentRequest {
			return driver{emu: e, method: plugin.MethodWallet}.Payment("succeed")
		}},
		{"seed card", e.seed, pathCardAuthorize, func() *plugin.CreatePaymentRequest {
			return driver{emu: e, method: plugin.MethodCard}.Payment("succeed")
		}},
	}
	cases := []struct {
		name      string
		endpoint  string // the emulator when empty
		timeout   string
		fault     *emukit.Fault
		wantKind  plugin.ErrorKind
		wantCode  string
		wantCalls int // calls the emulator saw
	}{
		{name: "connection refused", endpoint: refused, wantKind: plugin.KindNotSent},
		{name: "DNS failure", endpoint: "http://redotpay-emulator.invalid", wantKind: plugin.KindNotSent},
		{name: "hang past the timeout", timeout: "300ms", fault: &emukit.Fault{Kind: emukit.FaultHang, DelayMS: 60000}, wantKind: plugin.KindUnknownOutcome, wantCalls: 1},
		{name: "HTTP 500", fault: &emukit.Fault{Kind: emukit.FaultHTTP500}, wantKind: plugin.KindUnknownOutcome, wantCode: "500", wantCalls: 1},
		{name: "HTTP 500 after acting", fault: &emukit.Fault{Kind: emukit.FaultHTTP500, After: true}, wantKind: plugin.KindUnknownOutcome, wantCode: "500", wantCalls: 1},
		{name: "malformed JSON", fault: &emukit.Fault{Kind: emukit.FaultMalformedJSON}, wantKind: plugin.KindUnknownOutcome, wantCalls: 1},
		{name: "dropped connection", fault: &emukit.Fault{Kind: emukit.FaultDropConnection}, wantKind: plugin.KindUnknownOutcome, wantCalls: 1},
	}
	for _, proto := range protocols {
		for _, tc := range cases {
			t.Run(proto.name+"/"+tc.name, func(t *testing.T) {
				edit := map[string]any{}
				if tc.endpoint != "" {
					edit["endpoint"] = tc.endpoint
				}
				if tc.timeout != "" {
					edit["timeout"] = tc.timeout
				}
				values := proto.config(edit)
				p := live(t, values, "")
				if tc.fault != nil {
					f := *tc.fault
					f.Path = proto.path
					e.fault(t, f)
				}
				before := e.calls(proto.path)
				req := proto.payment()
				req.PaymentID, req.AttemptID, req.Capture = "pay_"+uniqueID()[4:], uniqueID(), plugin.CaptureManual
				if req.Method != plugin.MethodCard {
					req.Capture = plugin.CaptureAutomatic
				}
				res, err := p.CreatePayment(context.Background(), req)
				var pe *plugin.Error
				if !asPluginError(err, &pe) || pe.Kind != tc.wantKind || pe.Code != tc.wantCode {
					t.Fatalf("CreatePayment = %+v, %v; want kind %s code %q", res, err, tc.wantKind, tc.wantCode)
				}
				if got := e.calls(proto.path) - before; got != tc.wantCalls {
					t.Errorf("the emulator saw %d calls, want %d: an unknown outcome must not be retried", got, tc.wantCalls)
				}
				assertNoSecrets(t, "error", err.Error(), append(secretsOf(values), testCard, testCVC)...)
				if tc.fault != nil && tc.fault.After && proto.name == "connect" {
					// The gateway acted: a status query by attempt id alone
					// finds the order the lost answer would have named.
					got, err := p.GetPayment(context.Background(), &plugin.GetPaymentRequest{PaymentRef: plugin.PaymentRef{PaymentID: req.PaymentID, AttemptID: req.AttemptID}})
					if err != nil {
						t.Fatalf("GetPayment after the lost answer: %v", err)
					}
					if got.Status != plugin.StatusProcessing || !strings.HasPrefix(got.ProviderReference, "RAP") || got.Amount != req.Amount {
						t.Errorf("GetPayment after the lost answer = %+v", got.PaymentResult)
					}
				}
			})
		}
	}
}

// TestSeedCannotQueryWithoutReference documents the seed protocol's limit:
// its status query takes only the gateway's order_sn, so an order whose
// create answer was lost cannot be found by attempt id; and card
// transactions have no status query at all.
func TestSeedCannotQueryWithoutReference(t *testing.T) {
	e := startEmulator(t)
	p := live(t, e.seed(nil), "")
	_, err := p.GetPayment(context.Background(), &plugin.GetPaymentRequest{PaymentRef: plugin.PaymentRef{AttemptID: uniqueID()}})
	var pe *plugin.Error
	if !asPluginError(err, &pe) || pe.Kind != plugin.KindInvalidRequest || pe.Param != "provider_reference" {
		t.Errorf("GetPayment by attempt id = %v; want invalid_request on provider_reference", err)
	}
	_, err = p.GetPayment(context.Background(), &plugin.GetPaymentRequest{PaymentRef: plugin.PaymentRef{ProviderReference: "000000000001"}, Method: plugin.MethodCard})
	if plugin.KindOf(err) != plugin.KindUnsupported {
		t.Errorf("GetPayment of a card = %v; want unsupported", err)
	}
}

// TestNotFound: the order status query's "no such order" (Connect
// ORDER_NOT_FOUND, seed 40401) is not_found with the gateway's code and
// message; the same code answering another call (closing an order, a
// card capture) stays invalid_request, and so does a "no such endpoint"
// (NOT_FOUND), which says nothing about the order.
func TestNotFound(t *testing.T) {
	e := startEmulator(t)
	ctx := context.Background()
	connect := live(t, e.connect(t, nil), "")
	misrouted := live(t, e.connect(t, map[string]any{"endpoint": e.url + "/nowhere"}), "")
	seed := live(t, e.seed(nil), "")
	cases := []struct {
		name string
		call func() error
		kind plugin.ErrorKind
		code string
		msg  string // in the gateway's message
	}{
		{"connect GetPayment by attempt id", func() error {
			_, err := connect.GetPayment(ctx, &plugin.GetPaymentRequest{PaymentRef: plugin.PaymentRef{AttemptID: uniqueID()}})
			return err
		}, plugin.KindNotFound, "ORDER_NOT_FOUND", "not found"},
		{"connect GetPayment by orderSn", func() error {
			_, err := connect.GetPayment(ctx, &plugin.GetPaymentRequest{PaymentRef: plugin.PaymentRef{AttemptID: uniqueID(), ProviderReference: "RAP000000000000000001"}})
			return err
		}, plugin.KindNotFound, "ORDER_NOT_FOUND", "not found"},
		{"seed GetPayment by order_sn", func() error {
			_, err := seed.GetPayment(ctx, &plugin.GetPaymentRequest{PaymentRef: plugin.PaymentRef{AttemptID: uniqueID(), ProviderReference: "SN20260318000000001"}})
			return err
		}, plugin.KindNotFound, "40401", "not found"},
		{"connect Void by attempt id", func() error {
			_, err := connect.Void(ctx, &plugin.VoidRequest{PaymentRef: plugin.PaymentRef{AttemptID: uniqueID()}})
			return err
		}, plugin.KindInvalidRequest, "ORDER_NOT_FOUND", "not found"},
		{"seed card Capture", func() error {
			_, err := seed.Capture(ctx, &plugin.CaptureRequest{PaymentRef: plugin.PaymentRef{AttemptID: uniqueID(), ProviderReference: "000000000001"}, Amount: usd(100), AuthorizedAmount: usd(100)})
			return err
		}, plugin.KindInvalidRequest, "not_found", "not found"},
		{"connect GetPayment at a wrong path", func() error {
			_, err := misrouted.GetPayment(ctx, &plugin.GetPaymentRequest{PaymentRef: plugin.PaymentRef{AttemptID: uniqueID()}})
			return err
		}, plugin.KindInvalidRequest, "NOT_FOUND", "no endpoint"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.call()
			var pe *plugin.Error
			if !asPluginError(err, &pe) || pe.Kind != tc.kind || pe.Code != tc.code || !strings.Contains(pe.Message, tc.msg) {
				t.Errorf("%s = %#v; want kind %s, code %s and the gateway's message (%q)", tc.name, err, tc.kind, tc.code, tc.msg)
			}
		})
	}
}

// TestFollowUpFailures: capture, refund and close whose answers are lost
// are unknown outcomes, and the gateway did act.
func TestFollowUpFailures(t *testing.T) {
	e := startEmulator(t)
	ctx := context.Background()
	seed := live(t, e.seed(nil), "")
	auth := cardPaymentFor(plugin.CaptureManual, testCard, usd(10000))
	authorized, err := seed.CreatePayment(ctx, auth)
	if err != nil || authorized.Status != plugin.StatusAuthorized {
		t.Fatalf("authorize: %+v, %v", authorized, err)
	}
	ref := plugin.PaymentRef{AttemptID: auth.AttemptID, ProviderReference: authorized.ProviderReference}
	e.fault(t, emukit.Fault{Kind: emukit.FaultHTTP500, After: true, Path: pathCardCapture})
	_, err = seed.Capture(ctx, &plugin.CaptureRequest{PaymentRef: ref, Amount: usd(10000), AuthorizedAmount: usd(10000)})
	if plugin.KindOf(err) != plugin.KindUnknownOutcome {
		t.Fatalf("capture with a lost answer: %v, want unknown_outcome", err)
	}
	// The capture happened: capturing again is refused by the card state
	// machine, and a refund goes through.
	if _, err := seed.Capture(ctx, &plugin.CaptureRequest{PaymentRef: ref, Amount: usd(10000), AuthorizedAmount: usd(10000)}); plugin.KindOf(err) != plugin.KindInvalidRequest {
		t.Errorf("capture again: %v, want invalid_request (already captured)", err)
	}
	e.fault(t, emukit.Fault{Kind: emukit.FaultDropConnection, Path: pathCardRefund})
	if _, err := seed.Refund(ctx, &plugin.RefundRequest{PaymentRef: ref, RefundID: "ref_1", Amount: usd(100), CapturedAmount: usd(10000)}); plugin.KindOf(err) != plugin.KindUnknownOutcome {
		t.Errorf("refund on a dropped connection: %v, want unknown_outcome", err)
	}

	connect := live(t, e.connect(t, nil), "")
	req := driver{emu: e, method: plugin.MethodWallet}.Payment("succeed")
	req.AttemptID, req.Capture = uniqueID(), plugin.CaptureAutomatic
	created, err := connect.CreatePayment(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	oref := plugin.PaymentRef{AttemptID: req.AttemptID, ProviderReference: created.ProviderReference}
	e.fault(t, emukit.Fault{Kind: emukit.FaultMalformedJSON, After: true, Path: pathClose})
	if _, err := connect.Void(ctx, &plugin.VoidRequest{PaymentRef: oref}); plugin.KindOf(err) != plugin.KindUnknownOutcome {
		t.Fatalf("close with a malformed answer: %v, want unknown_outcome", err)
	}
	got, err := connect.GetPayment(ctx, &plugin.GetPaymentRequest{PaymentRef: oref})
	if err != nil || got.Status != plugin.StatusCanceled {
		t.Errorf("GetPayment after the lost close answer = %+v, %v; want canceled", got, err)
	}
}

// TestDeclines: documented declines are kind declined with the gateway's
// code and message.
func TestDeclines(t *testing.T) {
	e := startEmulator(t)
	cases := []struct {
		name     string
		config   map[string]any
		req      *plugin.CreatePaymentRequest
		wantCode string
		wantMsg  string
	}{
		{"connect risk control", e.connect(t, nil), walletPaymentFor(plugin.MethodWallet, usd(1052)), "RISK_REJECT", "order refused by risk control"},
		{"seed risk control", e.seed(nil), walletPaymentFor(plugin.MethodWallet, usd(1052)), "42202", "order refused by risk control"},
		{"card do not honor", e.seed(nil), cardPaymentFor(plugin.CaptureAutomatic, testCardDeclined, usd(10000)), "do_not_honor", "the card was declined: do_not_honor"},
		{"card without funds", e.seed(nil), cardPaymentFor(plugin.CaptureManual, testCardNoFunds, usd(10000)), "insufficient_funds", "the card was declined: insufficient_funds"},
		{"amount ending in .51", e.seed(nil), cardPaymentFor(plugin.CaptureManual, testCard, usd(10051)), "insufficient_funds", "the card was declined: insufficient_funds"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := live(t, tc.config, "")
			res, err := p.CreatePayment(context.Background(), tc.req)
			var pe *plugin.Error
			if !asPluginError(err, &pe) || pe.Kind != plugin.KindDeclined || pe.Code != tc.wantCode || pe.Message != tc.wantMsg {
				t.Fatalf("CreatePayment = %+v, %#v; want declined %s %q", res, err, tc.wantCode, tc.wantMsg)
			}
			assertNoSecrets(t, "decline", err.Error(), testCardDeclined, testCardNoFunds, testCard, testCVC)
		})
	}
}
