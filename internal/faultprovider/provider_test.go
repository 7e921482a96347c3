package faultprovider

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/payhost/payhost/plugin"
)

// newConfigured returns a configured Provider with its state and call log
// in dir.
func newConfigured(t *testing.T, dir string) *Provider {
	t.Helper()
	p, err := New(Options{Type: "fault", StatePath: filepath.Join(dir, "state.json"), CallLogPath: filepath.Join(dir, "calls")})
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := plugin.NewConfig(map[string]any{"api_key": "k"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Configure(context.Background(), &plugin.ConfigureRequest{Instance: "fault.t", Config: cfg}); err != nil {
		t.Fatal(err)
	}
	return p
}

func create(attemptID string, capture plugin.CaptureMode, metadata map[string]string) *plugin.CreatePaymentRequest {
	return &plugin.CreatePaymentRequest{AttemptID: attemptID, Amount: plugin.Money{Amount: 500, Currency: "EUR"}, Capture: capture, Metadata: metadata}
}

func ref(attemptID string) plugin.PaymentRef { return plugin.PaymentRef{AttemptID: attemptID} }

func TestCreatePaymentFaults(t *testing.T) {
	tests := []struct {
		fault      Fault
		wantKind   plugin.ErrorKind     // "" for success
		wantStatus plugin.PaymentStatus // what GetPayment then finds; "" for not found
	}{
		{FaultNone, "", plugin.StatusSucceeded},
		{FaultDecline, plugin.KindDeclined, plugin.StatusFailed},
		{FaultNotSent, plugin.KindNotSent, ""},
		{FaultUnknown, plugin.KindUnknownOutcome, plugin.StatusSucceeded},
		{FaultHang, plugin.KindUnknownOutcome, plugin.StatusSucceeded},
		{"no-such-fault", plugin.KindInvalidRequest, ""},
	}
	for _, tt := range tests {
		t.Run(string(tt.fault), func(t *testing.T) {
			p := newConfigured(t, t.TempDir())
			ctx, cancel := context.WithCancel(context.Background())
			if tt.fault == FaultHang {
				cancel() // the host gave up on the call
			}
			defer cancel()
			_, err := p.CreatePayment(ctx, create("a1", plugin.CaptureAutomatic, map[string]string{"fault": string(tt.fault)}))
			if got := plugin.KindOf(err); got != tt.wantKind {
				t.Fatalf("CreatePayment error = %v, want kind %q", err, tt.wantKind)
			}
			got, err := p.GetPayment(context.Background(), &plugin.GetPaymentRequest{PaymentRef: ref("a1")})
			switch {
			case tt.wantStatus == "":
				if perr, ok := err.(*plugin.Error); !ok || perr.Kind != plugin.KindNotFound || perr.Code != "not_found" {
					t.Errorf("GetPayment = %+v, %v; want not_found", got, err)
				}
			case err != nil || got.Status != tt.wantStatus:
				t.Errorf("GetPayment = %+v, %v; want status %s", got, err, tt.wantStatus)
			}
		})
	}
}

func TestStatusAndIdempotency(t *testing.T) {
	p := newConfigured(t, t.TempDir())
	ctx := context.Background()
	auth, err := p.CreatePayment(ctx, create("a1", plugin.CaptureManual, nil))
	if err != nil || auth.Status != plugin.StatusAuthorized {
		t.Fatalf("manual capture: %+v, %v; want authorized", auth, err)
	}
	again, err := p.CreatePayment(ctx, create("a1", plugin.CaptureAutomatic, nil))
	if err != nil || again.Status != plugin.StatusAuthorized {
		t.Errorf("same attempt again: %+v, %v; want the recorded authorized payment", again, err)
	}
	pending, err := p.CreatePayment(ctx, create("a2", plugin.CaptureAutomatic, map[string]string{"status": "processing"}))
	if err != nil || pending.Status != plugin.StatusProcessing {
		t.Errorf("status metadata: %+v, %v; want processing", pending, err)
	}
}

func TestFollowUps(t *testing.T) {
	p := newConfigured(t, t.TempDir())
	ctx := context.Background()
	for _, id := range []string{"cap", "void", "rev"} {
		if _, err := p.CreatePayment(ctx, create(id, plugin.CaptureManual, map[string]string{"fault.refund": "not_sent"})); err != nil {
			t.Fatal(err)
		}
	}
	if r, err := p.Capture(ctx, &plugin.CaptureRequest{PaymentRef: ref("cap"), Amount: plugin.Money{Amount: 300, Currency: "EUR"}}); err != nil ||
		r.Status != plugin.StatusSucceeded || r.CapturedAmount.Amount != 300 {
		t.Errorf("Capture = %+v, %v", r, err)
	}
	if _, err := p.Capture(ctx, &plugin.CaptureRequest{PaymentRef: ref("cap")}); plugin.KindOf(err) != plugin.KindInvalidRequest {
		t.Errorf("second Capture = %v, want invalid_request", err)
	}
	if r, err := p.Void(ctx, &plugin.VoidRequest{PaymentRef: ref("void")}); err != nil || r.Status != plugin.StatusCanceled {
		t.Errorf("Void = %+v, %v", r, err)
	}
	if _, err := p.Reverse(ctx, &plugin.ReverseRequest{PaymentRef: ref("rev")}); plugin.KindOf(err) != plugin.KindInvalidRequest {
		t.Errorf("Reverse of an authorization = %v, want invalid_request", err)
	}
	if _, err := p.Refund(ctx, &plugin.RefundRequest{PaymentRef: ref("cap"), RefundID: "r1"}); plugin.KindOf(err) != plugin.KindNotSent {
		t.Errorf("Refund with fault.refund=not_sent = %v, want not_sent", err)
	}
	if _, err := p.GetRefund(ctx, &plugin.GetRefundRequest{PaymentRef: ref("cap"), RefundID: "r1"}); plugin.KindOf(err) != plugin.KindNotFound {
		t.Errorf("GetRefund of a refund never sent = %v, want not_found", err)
	}
	if _, err := p.Capture(ctx, &plugin.CaptureRequest{PaymentRef: ref("never")}); plugin.KindOf(err) != plugin.KindInvalidRequest {
		t.Errorf("Capture of a payment never recorded = %v, want invalid_request (not_found is for status queries)", err)
	}
}

func TestStateSurvivesRestart(t *testing.T) {
	dir := t.TempDir()
	first := newConfigured(t, dir)
	if _, err := first.CreatePayment(context.Background(), create("a1", plugin.CaptureAutomatic, nil)); err != nil {
		t.Fatal(err)
	}
	second := newConfigured(t, dir)
	got, err := second.GetPayment(context.Background(), &plugin.GetPaymentRequest{PaymentRef: ref("a1")})
	if err != nil || got.Status != plugin.StatusSucceeded || got.ProviderReference != "fault_a1" {
		t.Errorf("GetPayment after restart = %+v, %v", got, err)
	}
	calls, err := ReadCalls(filepath.Join(dir, "calls"))
	want := []Call{{OpConfigure, "fault.t"}, {plugin.OpCreatePayment, "a1"}, {OpConfigure, "fault.t"}, {plugin.OpGetPayment, "a1"}}
	if err != nil || len(calls) != len(want) {
		t.Fatalf("ReadCalls = %v, %v; want %v", calls, err, want)
	}
	for i := range want {
		if calls[i] != want[i] {
			t.Errorf("call %d = %v, want %v", i, calls[i], want[i])
		}
	}
}

func TestCallsBeforeConfigureFail(t *testing.T) {
	p, err := New(Options{Type: "fault"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.CreatePayment(context.Background(), create("a1", plugin.CaptureAutomatic, nil)); plugin.KindOf(err) != plugin.KindInternal {
		t.Errorf("CreatePayment before Configure = %v, want kind internal", err)
	}
	cfg, _ := plugin.NewConfig(map[string]any{"api_key": ""})
	if _, err := p.Configure(context.Background(), &plugin.ConfigureRequest{Config: cfg}); plugin.KindOf(err) != plugin.KindInvalidRequest {
		t.Errorf("Configure without api_key = %v, want invalid_request", err)
	}
}
