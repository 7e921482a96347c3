package pluginhost_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/payhost/payhost/internal/faultprovider"
	"github.com/payhost/payhost/internal/pluginhost"
	"github.com/payhost/payhost/plugin"
)

// faultFiles points the fault plugin's call log and payment table into a
// temporary directory and returns the call log's path.
func faultFiles(t *testing.T) (callLog string) {
	t.Helper()
	dir := t.TempDir()
	callLog = filepath.Join(dir, "calls")
	t.Setenv(faultprovider.EnvCallLog, callLog)
	t.Setenv(faultprovider.EnvState, filepath.Join(dir, "payments.json"))
	return callLog
}

// countCalls returns how many calls of op with id the plugin received.
func countCalls(t *testing.T, callLog string, op plugin.Operation, id string) int {
	t.Helper()
	calls, err := faultprovider.ReadCalls(callLog)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, c := range calls {
		if c.Operation == op && c.ID == id {
			n++
		}
	}
	return n
}

// TestCrashMidCall kills the plugin in the middle of CreatePayment. The call
// must come back unknown_outcome after exactly one delivery (never a
// silent retry); the plugin is restarted and configured again, the next
// call succeeds, and the gateway's table tells what really happened.
func TestCrashMidCall(t *testing.T) {
	tests := []struct {
		fault faultprovider.Fault
		// recorded says whether the gateway acted before the crash.
		recorded bool
	}{
		{faultprovider.FaultKill, true},
		{faultprovider.FaultExit, true},
		{faultprovider.FaultKillBefore, false},
	}
	for _, tt := range tests {
		t.Run(string(tt.fault), func(t *testing.T) {
			callLog := faultFiles(t)
			h, _ := newHost(t, pluginhost.Options{})
			inst := launch(t, h, faultPlugin(t))
			firstPID := inst.Status().PID
			ctx := context.Background()

			_, err := inst.CreatePayment(ctx, payment("crash", tt.fault))
			wantKind(t, err, plugin.KindUnknownOutcome)
			if !strings.Contains(err.Error(), "exited or lost its connection during CreatePayment") {
				t.Errorf("error %q does not say the plugin exited during the call", err)
			}
			if n := countCalls(t, callLog, plugin.OpCreatePayment, "crash"); n != 1 {
				t.Errorf("the plugin received the crashing call %d times, want exactly 1", n)
			}

			if _, err := inst.CreatePayment(ctx, payment("after", faultprovider.FaultNone)); err != nil {
				t.Fatalf("CreatePayment after the restart: %v", err)
			}
			st := inst.Status()
			if st.State != pluginhost.StateReady || st.Crashes != 1 || st.Restarts != 1 || st.PID == firstPID || st.PID == 0 {
				t.Errorf("Status = %+v; want ready after 1 crash and 1 restart, with a new pid", st)
			}
			if n := countCalls(t, callLog, faultprovider.OpConfigure, inst.Address()); n != 2 {
				t.Errorf("Configure reached the plugin %d times, want 2 (launch and restart)", n)
			}

			got, err := inst.GetPayment(ctx, &plugin.GetPaymentRequest{PaymentRef: plugin.PaymentRef{AttemptID: "crash"}})
			switch {
			case tt.recorded && (err != nil || got.Status != plugin.StatusSucceeded):
				t.Errorf("GetPayment of the crashed payment = %+v, %v; want succeeded", got, err)
			case !tt.recorded && plugin.KindOf(err) != plugin.KindNotFound:
				t.Errorf("GetPayment of the payment never recorded = %+v, %v; want not_found", got, err)
			}
		})
	}
}

// TestCallWhilePluginIsDownIsNotSent makes restarts fail (the binary is
// gone), so that a call made meanwhile waits until its deadline and fails
// with not_sent, without reaching any plugin. Once the binary is back the
// plugin restarts and calls go through again.
func TestCallWhilePluginIsDownIsNotSent(t *testing.T) {
	callLog := faultFiles(t)
	path := faultprovider.Install(t, t.TempDir(), "fault")
	h, _ := newHost(t, pluginhost.Options{MinRestartDelay: 10 * time.Millisecond, MaxRestartDelay: 50 * time.Millisecond})
	inst := launch(t, h, pluginhost.Plugin{Type: "fault", Path: path})
	if err := os.Rename(path, path+".away"); err != nil {
		t.Fatal(err)
	}

	_, err := inst.CreatePayment(context.Background(), payment("crash", faultprovider.FaultKill))
	wantKind(t, err, plugin.KindUnknownOutcome)

	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	_, err = inst.CreatePayment(ctx, payment("while-down", faultprovider.FaultNone))
	wantKind(t, err, plugin.KindNotSent)
	if !strings.Contains(err.Error(), "was not sent") {
		t.Errorf("error %q does not say the call was not sent", err)
	}
	if n := countCalls(t, callLog, plugin.OpCreatePayment, "while-down"); n != 0 {
		t.Errorf("a plugin received the not-sent call %d times", n)
	}
	if st := inst.Status(); st.State != pluginhost.StateRestarting || st.LastError == nil || st.PID != 0 || inst.Ready() {
		t.Errorf("Status while restarts fail = %+v; want restarting with the last error", st)
	}

	if err := os.Rename(path+".away", path); err != nil {
		t.Fatal(err)
	}
	if _, err := inst.CreatePayment(context.Background(), payment("back", faultprovider.FaultNone)); err != nil {
		t.Fatalf("CreatePayment once the binary is back: %v", err)
	}
	if st := inst.Status(); st.State != pluginhost.StateReady || st.Restarts != 1 {
		t.Errorf("Status = %+v; want ready after 1 restart", st)
	}
}

// TestHangTimesOut lets a plugin hang in a call: the call times out as
// unknown_outcome, and the plugin, still healthy, is neither killed nor
// restarted.
func TestHangTimesOut(t *testing.T) {
	h, _ := newHost(t, pluginhost.Options{CallTimeout: 300 * time.Millisecond})
	inst := launch(t, h, faultPlugin(t))
	pid := inst.Status().PID

	_, err := inst.CreatePayment(context.Background(), payment("hang", faultprovider.FaultHang))
	wantKind(t, err, plugin.KindUnknownOutcome)
	if !strings.Contains(err.Error(), "did not answer CreatePayment within") {
		t.Errorf("error %q does not say the call timed out", err)
	}
	if _, err := inst.CreatePayment(context.Background(), payment("next", faultprovider.FaultNone)); err != nil {
		t.Fatalf("CreatePayment after the timeout: %v", err)
	}
	if st := inst.Status(); st.State != pluginhost.StateReady || st.PID != pid || st.Crashes != 0 || st.Restarts != 0 {
		t.Errorf("Status = %+v; want the same plugin (pid %d) still serving", st, pid)
	}
}

// TestPluginErrorsPassThrough checks that the plugin's own errors reach the
// caller with their kind, code and message.
func TestPluginErrorsPassThrough(t *testing.T) {
	h, _ := newHost(t, pluginhost.Options{})
	inst := launch(t, h, faultPlugin(t))
	_, err := inst.CreatePayment(context.Background(), payment("declined", faultprovider.FaultDecline))
	wantKind(t, err, plugin.KindDeclined)
	if perr := err.(*plugin.Error); perr.Code != faultprovider.DeclineCode || perr.Message != faultprovider.DeclineMessage {
		t.Errorf("error = %+v; want the gateway's code and message", perr)
	}
	if st := inst.Status(); st.Crashes != 0 || st.State != pluginhost.StateReady {
		t.Errorf("Status after a decline = %+v", st)
	}
}
