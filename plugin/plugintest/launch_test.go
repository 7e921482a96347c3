package plugintest

import (
	"context"
	"testing"

	"github.com/payhost/payhost/plugin"
)

// TestLaunchRealPlugin builds a minimal provider into a real binary and runs
// the conformance checks against it through a separate process.
func TestLaunchRealPlugin(t *testing.T) {
	bin := BuildPlugin(t, "./testdata/tinyprovider")
	if again := BuildPlugin(t, "./testdata/tinyprovider"); again != bin {
		t.Fatalf("second build of the same package gave %s, want the cached %s", again, bin)
	}
	p := Launch(t, bin)
	info, err := p.GetInfo(context.Background(), &plugin.GetInfoRequest{})
	if err != nil || info.Type != "tiny" {
		t.Fatalf("GetInfo over a real process = %+v, %v", info, err)
	}
	RunConformance(t, Suite{Provider: p})
	got, err := p.GetPayment(context.Background(), &plugin.GetPaymentRequest{PaymentRef: plugin.PaymentRef{AttemptID: "att_1"}})
	if err != nil || got.Status != plugin.StatusProcessing || got.ProviderReference != "att_1" {
		t.Fatalf("GetPayment over a real process = %+v, %v", got, err)
	}
	if err := CallOperation(context.Background(), p, plugin.OpCreatePayment); plugin.KindOf(err) != plugin.KindUnsupported {
		t.Fatalf("CreatePayment on a provider without it: %v, want unsupported", err)
	}
}
