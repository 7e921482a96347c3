package plugin_test

import (
	"context"
	"strings"
	"testing"

	"github.com/payhost/payhost/plugin"
	"github.com/payhost/payhost/plugin/plugintest"
)

// narrowing is a provider whose Configure answers a fixed narrowing.
type narrowing struct {
	plugin.UnimplementedProvider
	to *plugin.Capabilities
}

func (n narrowing) GetInfo(context.Context, *plugin.GetInfoRequest) (*plugin.GetInfoResponse, error) {
	return &plugin.GetInfoResponse{Type: "narrowing", Version: "1.0.0", Capabilities: plugin.Capabilities{
		Operations: []plugin.Operation{plugin.OpCreatePayment, plugin.OpCapture},
		Methods:    []plugin.PaymentMethod{plugin.MethodCard, plugin.MethodQR},
	}}, nil
}

func (n narrowing) Configure(context.Context, *plugin.ConfigureRequest) (*plugin.ConfigureResponse, error) {
	return &plugin.ConfigureResponse{Capabilities: n.to}, nil
}

func (narrowing) Capture(context.Context, *plugin.CaptureRequest) (*plugin.CaptureResponse, error) {
	return &plugin.CaptureResponse{PaymentResult: plugin.PaymentResult{Status: plugin.StatusSucceeded}}, nil
}

func TestConfigureNarrowsCapabilities(t *testing.T) {
	ctx := context.Background()
	qrOnly := &plugin.Capabilities{Operations: []plugin.Operation{plugin.OpCreatePayment}, Methods: []plugin.PaymentMethod{plugin.MethodQR}}
	p := plugintest.Connect(t, narrowing{to: qrOnly})
	if _, err := p.Capture(ctx, &plugin.CaptureRequest{}); err != nil {
		t.Fatalf("Capture before narrowing: %v", err)
	}
	resp, err := p.Configure(ctx, &plugin.ConfigureRequest{Instance: "narrowing.a"})
	if err != nil {
		t.Fatal(err)
	}
	if resp.Capabilities == nil || len(resp.Capabilities.Operations) != 1 {
		t.Fatalf("the host did not receive the narrowed capabilities: %+v", resp.Capabilities)
	}
	if _, err := p.Capture(ctx, &plugin.CaptureRequest{}); plugin.KindOf(err) != plugin.KindUnsupported {
		t.Fatalf("Capture after narrowing it away: %v, want unsupported", err)
	}
}

func TestConfigureCannotWidenCapabilities(t *testing.T) {
	wider := &plugin.Capabilities{Operations: []plugin.Operation{plugin.OpCreatePayment, plugin.OpVoid}}
	p := plugintest.Connect(t, narrowing{to: wider})
	_, err := p.Configure(context.Background(), &plugin.ConfigureRequest{Instance: "narrowing.a"})
	if plugin.KindOf(err) != plugin.KindInternal || !strings.Contains(err.Error(), "operation void") {
		t.Fatalf("widening Configure = %v, want internal naming operation void", err)
	}
}
