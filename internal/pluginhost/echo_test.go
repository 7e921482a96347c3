package pluginhost_test

import (
	"context"
	"errors"
	"testing"

	"github.com/payhost/payhost/internal/faultprovider"
	"github.com/payhost/payhost/internal/pluginhost"
	"github.com/payhost/payhost/plugin"
)

// echoCase is one RPC of the round trip: it sends the fixture request
// through the instance and returns the fixture response and what came back.
type echoCase struct {
	name string
	run  func(ctx context.Context, inst *pluginhost.Instance) (want, got any, err error)
}

func newEchoCase[Req, Resp any](name string, fixture func() (Req, Resp), method func(*pluginhost.Instance, context.Context, Req) (Resp, error)) echoCase {
	return echoCase{name, func(ctx context.Context, inst *pluginhost.Instance) (any, any, error) {
		req, want := fixture()
		got, err := method(inst, ctx, req)
		return want, got, err
	}}
}

// TestEchoRoundTrip sends every RPC, with every field of its request set,
// through a real plugin process over go-plugin gRPC, and checks that the
// plugin received the request intact (it compares it with the same
// fixture) and that its fully populated response came back intact.
func TestEchoRoundTrip(t *testing.T) {
	t.Setenv(faultprovider.EnvEcho, "1")
	h, _ := newHost(t, pluginhost.Options{})
	inst, err := h.Launch(context.Background(), faultPlugin(t), "echo")
	if err != nil {
		t.Fatal(err)
	}
	_, wantInfo := faultprovider.EchoGetInfo()
	if d := faultprovider.Diff(*wantInfo, inst.Info().GetInfoResponse); d != "" {
		t.Errorf("Info at launch:\n%s", d)
	}

	cases := []echoCase{
		newEchoCase("GetInfo", faultprovider.EchoGetInfo, (*pluginhost.Instance).GetInfo),
		newEchoCase("Configure", faultprovider.EchoConfigure, (*pluginhost.Instance).Configure),
		newEchoCase("CreatePayment", faultprovider.EchoCreatePayment, (*pluginhost.Instance).CreatePayment),
		newEchoCase("Capture", faultprovider.EchoCapture, (*pluginhost.Instance).Capture),
		newEchoCase("Refund", faultprovider.EchoRefund, (*pluginhost.Instance).Refund),
		newEchoCase("Void", faultprovider.EchoVoid, (*pluginhost.Instance).Void),
		newEchoCase("Reverse", faultprovider.EchoReverse, (*pluginhost.Instance).Reverse),
		newEchoCase("GetPayment", faultprovider.EchoGetPayment, (*pluginhost.Instance).GetPayment),
		newEchoCase("GetRefund", faultprovider.EchoGetRefund, (*pluginhost.Instance).GetRefund),
		newEchoCase("Tokenize", faultprovider.EchoTokenize, (*pluginhost.Instance).Tokenize),
		newEchoCase("GetToken", faultprovider.EchoGetToken, (*pluginhost.Instance).GetToken),
		newEchoCase("DeleteToken", faultprovider.EchoDeleteToken, (*pluginhost.Instance).DeleteToken),
		newEchoCase("HandleCallback", faultprovider.EchoHandleCallback, (*pluginhost.Instance).HandleCallback),
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			want, got, err := c.run(context.Background(), inst)
			if err != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
			if d := faultprovider.Diff(want, got); d != "" {
				t.Errorf("%s response differs from the fixture:\n%s", c.name, d)
			}
		})
	}

	t.Run("Error", func(t *testing.T) {
		req, want := faultprovider.EchoCreatePaymentError()
		_, err := inst.CreatePayment(context.Background(), req)
		var got *plugin.Error
		if !errors.As(err, &got) {
			t.Fatalf("CreatePayment = %v, want the error fixture", err)
		}
		got.Err = nil // the cause stays on the side that made the error
		if d := faultprovider.Diff(want, got); d != "" {
			t.Errorf("error differs from the fixture:\n%s", d)
		}
	})

	t.Run("DifferentRequestIsRefused", func(t *testing.T) {
		// The plugin really compares: a request that differs in one field
		// is refused, naming the field.
		req, _ := faultprovider.EchoCapture()
		req.Amount.Amount++
		_, err := inst.Capture(context.Background(), req)
		wantKind(t, err, plugin.KindInvalidRequest)
	})
}
