package plugintest

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
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

// TestRemoveStale: the build directories of ended test processes go, those
// of live ones (this one) and other files stay.
func TestRemoveStale(t *testing.T) {
	tmp := t.TempDir()
	ended := exec.Command("go", "version")
	if err := ended.Run(); err != nil {
		t.Fatal(err)
	}
	dead := filepath.Join(tmp, buildDirPrefix+strconv.Itoa(ended.Process.Pid)+"-123")
	mine := filepath.Join(tmp, buildDirPrefix+strconv.Itoa(os.Getpid())+"-456")
	other := filepath.Join(tmp, buildDirPrefix+"notapid")
	for _, dir := range []string{dead, mine, other} {
		if err := os.MkdirAll(filepath.Join(dir, "sub"), 0o700); err != nil {
			t.Fatal(err)
		}
	}
	removeStale(tmp)
	if _, err := os.Stat(dead); !os.IsNotExist(err) {
		t.Errorf("the directory of ended process %d is still there (%v)", ended.Process.Pid, err)
	}
	for _, dir := range []string{mine, other} {
		if _, err := os.Stat(dir); err != nil {
			t.Errorf("%s was removed: %v", dir, err)
		}
	}
}
