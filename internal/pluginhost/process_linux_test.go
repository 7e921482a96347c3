package pluginhost_test

import (
	"bufio"
	"context"
	"os"
	"os/exec"
	"runtime"
	"runtime/pprof"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/payhost/payhost/internal/pluginhost"
	"github.com/payhost/payhost/plugin"
)

// processState returns the state letter of process pid (R, S, T, Z...),
// or "" when there is no such process.
func processState(pid int) string {
	stat, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return ""
	}
	// The state follows the command name, which is in parentheses.
	s := string(stat)
	fields := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	if len(fields) == 0 {
		return ""
	}
	return fields[0]
}

// alive reports whether process pid exists and is not a zombie.
func alive(pid int) bool {
	s := processState(pid)
	return s != "" && s != "Z" && s != "X"
}

// TestHostKilledLeavesNoPlugin runs a host in another process (this test
// binary, see TestMain), kills it with SIGKILL, and checks that its plugin
// is gone within 10 seconds.
func TestHostKilledLeavesNoPlugin(t *testing.T) {
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), helperHostEnv+"="+faultPlugin(t).Path)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		t.Fatalf("reading the helper host's output: %v", err)
	}
	pid, err := strconv.Atoi(strings.TrimSpace(line))
	if err != nil {
		t.Fatalf("helper host said %q, want the plugin's pid", line)
	}
	if !alive(pid) {
		t.Fatalf("plugin %d is not running under the helper host", pid)
	}

	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()
	if !eventually(10*time.Second, func() bool { return !alive(pid) }) {
		killLeftover(pid)
		t.Fatalf("plugin %d still runs 10s after its host was killed", pid)
	}
}

// killLeftover cleans up a plugin a failed test left behind.
func killLeftover(pid int) {
	if p, err := os.FindProcess(pid); err == nil {
		p.Kill()
	}
}

// TestCloseLeavesNothing checks that Close stops the plugin process before
// it returns, leaks no goroutine, and that calls afterwards are not sent.
func TestCloseLeavesNothing(t *testing.T) {
	faultPlugin(t) // build first, outside the goroutine count
	before := runtime.NumGoroutine()
	h, _ := newHost(t, pluginhost.Options{})
	inst := launch(t, h, faultPlugin(t))
	if _, err := inst.CreatePayment(context.Background(), payment("one", "")); err != nil {
		t.Fatal(err)
	}
	pid := inst.Status().PID

	if err := h.Close(); err != nil {
		t.Fatal(err)
	}
	if alive(pid) {
		t.Errorf("plugin %d still runs after Close", pid)
	}
	if st := inst.Status(); st.State != pluginhost.StateClosed || st.PID != 0 {
		t.Errorf("Status after Close = %+v", st)
	}
	_, err := inst.CreatePayment(context.Background(), payment("late", ""))
	wantKind(t, err, plugin.KindNotSent)
	if _, err := h.Launch(context.Background(), faultPlugin(t), "late"); err == nil {
		t.Errorf("Launch after Close succeeded")
	}
	// gRPC's goroutines end shortly after their connection closes.
	if !eventually(5*time.Second, func() bool { return runtime.NumGoroutine() <= before }) {
		var b strings.Builder
		pprof.Lookup("goroutine").WriteTo(&b, 1)
		t.Errorf("%d goroutines before the host, %d after Close:\n%s", before, runtime.NumGoroutine(), b.String())
	}
}

// TestStoppedPluginIsReplaced freezes the plugin with SIGSTOP: a call times
// out as unknown_outcome, the health check fails, and the frozen process,
// which cannot even be asked to exit, is killed and replaced.
func TestStoppedPluginIsReplaced(t *testing.T) {
	h, _ := newHost(t, pluginhost.Options{CallTimeout: 3 * time.Second})
	inst := launch(t, h, faultPlugin(t))
	pid := inst.Status().PID
	if err := syscall.Kill(pid, syscall.SIGSTOP); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { killLeftover(pid) })
	if !eventually(10*time.Second, func() bool { return processState(pid) == "T" }) {
		t.Fatalf("plugin %d did not stop", pid)
	}

	_, err := inst.CreatePayment(context.Background(), payment("frozen", ""))
	wantKind(t, err, plugin.KindUnknownOutcome)
	if !strings.Contains(err.Error(), "did not answer CreatePayment within") {
		t.Errorf("error %q does not say the call timed out", err)
	}
	if _, err := inst.CreatePayment(context.Background(), payment("thawed", "")); err != nil {
		t.Fatalf("CreatePayment after the restart: %v", err)
	}
	if st := inst.Status(); st.PID == pid || st.Restarts != 1 || alive(pid) {
		t.Errorf("Status = %+v, frozen plugin %d alive: %v; want it killed and replaced", st, pid, alive(pid))
	}
}
