package host_test

import (
	"strings"
	"testing"

	"github.com/payhost/payhost/api"
	"github.com/payhost/payhost/plugin"
)

// TestRequestIDInLogs: the request id of a call (api.WithRequestID) is on
// the host's log lines about it, for writes and reads alike.
func TestRequestIDInLogs(t *testing.T) {
	e := newEnv(t, envConfig{})
	p, err := e.h.CreatePayment(e.ctx, "acme", e.payment(1050, plugin.CaptureAutomatic, map[string]string{
		"fault": "unknown", "fault.get_payment": "not_sent",
	}), api.WithRequestID("req-create-1"))
	if err != nil {
		t.Fatal(err)
	}
	wantStatus(t, p, plugin.StatusUnknown)
	// The status query fails: nothing was sent.
	if _, err := e.h.SyncPayment(e.ctx, "acme", p.ID, api.WithRequestID("req-sync-2")); err == nil {
		t.Fatal("SyncPayment succeeded; the fault plugin was to fail the status query")
	}
	for _, want := range []struct{ id, op string }{{"req-create-1", "create_payment"}, {"req-sync-2", "get_payment"}} {
		if !logLine(e.logs.String(), "provider call failed", "operation="+want.op, "request_id="+want.id) {
			t.Errorf("no log line of the failed %s call carries request_id=%s:\n%s", want.op, want.id, e.logs.String())
		}
	}
	// A call without a request id logs none.
	if _, err := e.h.SyncPayment(e.ctx, "acme", p.ID); err == nil {
		t.Fatal("SyncPayment succeeded")
	}
	for _, l := range strings.Split(e.logs.String(), "\n") {
		if strings.Contains(l, "request_id=\"\"") || strings.Contains(l, "request_id= ") {
			t.Errorf("empty request id logged: %s", l)
		}
	}
}

// logLine reports whether a line of log holds every part.
func logLine(log string, parts ...string) bool {
	for _, l := range strings.Split(log, "\n") {
		ok := true
		for _, p := range parts {
			ok = ok && strings.Contains(l, p)
		}
		if ok {
			return true
		}
	}
	return false
}
