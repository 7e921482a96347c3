package pluginhost_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/go-hclog"

	"github.com/payhost/payhost/internal/faultprovider"
	"github.com/payhost/payhost/internal/pluginhost"
	"github.com/payhost/payhost/plugin"
)

// helperHostEnv makes the test binary act as a host process: it launches
// the plugin binary the variable names, prints the plugin's pid and waits
// to be killed (see TestHostKilledLeavesNoPlugin).
const helperHostEnv = "PAYHOST_TEST_HELPER_HOST_PLUGIN"

func TestMain(m *testing.M) {
	if path := os.Getenv(helperHostEnv); path != "" {
		runHelperHost(path)
		return
	}
	code := m.Run()
	faultprovider.RemoveBuilds()
	os.Exit(code)
}

func runHelperHost(path string) {
	h := pluginhost.New(pluginhost.Options{})
	inst, err := h.Launch(context.Background(), pluginhost.Plugin{Type: "fault", Path: path}, "orphan")
	if err != nil {
		fmt.Println("error:", err)
		os.Exit(1)
	}
	fmt.Println(inst.Status().PID)
	for {
		time.Sleep(time.Hour)
	}
}

// testAPIKey is the sensitive configuration every test instance gets.
const testAPIKey = "sk_test_8dJ2kQ0pZx7vN3mW"

// logBuffer collects log output from several goroutines.
type logBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// newHost returns a Host closed at the end of the test, logging at trace
// level into the returned buffer (plugins then log at trace level too).
func newHost(t *testing.T, opts pluginhost.Options) (*pluginhost.Host, *logBuffer) {
	t.Helper()
	logs := &logBuffer{}
	if opts.Logger == nil {
		opts.Logger = hclog.New(&hclog.LoggerOptions{Name: "payhost", Level: hclog.Trace, Output: logs})
	}
	h := pluginhost.New(opts)
	t.Cleanup(func() {
		h.Close()
		if t.Failed() {
			t.Logf("host log:\n%s", redactTestSecrets(logs.String()))
		}
	})
	return h, logs
}

// faultPlugin returns the fault plugin, found where Build put it.
func faultPlugin(t *testing.T) pluginhost.Plugin {
	t.Helper()
	p, err := pluginhost.Find("fault", []string{faultprovider.Build(t)})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// launch launches p as instance p.Type+".test" and configures it.
func launch(t *testing.T, h *pluginhost.Host, p pluginhost.Plugin) *pluginhost.Instance {
	t.Helper()
	inst, err := h.Launch(context.Background(), p, "test")
	if err != nil {
		t.Fatalf("Launch: %v", err)
	}
	cfg, err := plugin.NewConfig(map[string]any{"api_key": testAPIKey})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := inst.Configure(context.Background(), &plugin.ConfigureRequest{Instance: inst.Address(), Config: cfg}); err != nil {
		t.Fatalf("Configure: %v", err)
	}
	return inst
}

// payment returns a CreatePayment request for attempt id, with the fault
// of the call.
func payment(attemptID string, fault faultprovider.Fault) *plugin.CreatePaymentRequest {
	return &plugin.CreatePaymentRequest{
		PaymentID: "pay_" + attemptID,
		AttemptID: attemptID,
		Amount:    plugin.Money{Amount: 1050, Currency: "USD"},
		Method:    plugin.MethodCard,
		Capture:   plugin.CaptureAutomatic,
		Metadata:  map[string]string{"fault": string(fault)},
	}
}

// wantKind fails the test unless err is a *plugin.Error of kind k.
func wantKind(t *testing.T, err error, k plugin.ErrorKind) {
	t.Helper()
	if got := plugin.KindOf(err); err == nil || got != k {
		t.Fatalf("error = %v (kind %q), want kind %q", err, got, k)
	}
}

// cardLike matches what could be a card number.
var cardLike = regexp.MustCompile(`\d{12,19}`)

// redactTestSecrets hides the test api_key and anything like a card number,
// so that a failing test does not print what it checks is never printed.
func redactTestSecrets(s string) string {
	s = strings.ReplaceAll(s, testAPIKey, "[test api_key]")
	return cardLike.ReplaceAllString(s, "[card-like number]")
}

// eventually polls cond until it holds or within passed.
func eventually(within time.Duration, cond func() bool) bool {
	deadline := time.Now().Add(within)
	for !cond() {
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(20 * time.Millisecond)
	}
	return true
}
