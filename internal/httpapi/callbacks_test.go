package httpapi_test

import (
	"bytes"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/payhost/payhost/api"
	"github.com/payhost/payhost/plugin"
)

// TestCallbackRawInAndOut: the plugin gets the request untouched and the
// gateway gets exactly the plugin's answer.
func TestCallbackRawInAndOut(t *testing.T) {
	e := newEnv(t, nil)
	// Bytes a JSON re-encoding would change, and a body net/http would
	// sniff as HTML.
	in := []byte("{\"b\":2,  \"a\":\"\\u00e9\"}\n\x00")
	out := []byte("<html>SUCCESS</html>")
	var got *plugin.HandleCallbackRequest
	e.svc.Callback = func(instance string, req *plugin.HandleCallbackRequest) (*plugin.HTTPResponse, error) {
		if instance != "appotapay.vn" {
			t.Errorf("instance %q", instance)
		}
		got = req
		return &plugin.HTTPResponse{StatusCode: http.StatusAccepted, Body: out, Header: map[string][]string{
			"x-gateway-ack": {"1", "2"}, "Content-Length": {"999"},
		}}, nil
	}
	r, err := http.NewRequest("POST", e.srv.URL+"/v1/callbacks/appotapay/vn?sig=a%2Bb&t=1", bytes.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	r.Header.Set("X-Signature", "abc")
	r.Header.Set("Content-Type", "text/plain") // a callback's type is the gateway's business
	resp := e.send(r)

	if resp.status != http.StatusAccepted || !bytes.Equal(resp.body, out) {
		t.Errorf("answer %d %q, want 202 %q", resp.status, resp.body, out)
	}
	if ct, ok := resp.header["Content-Type"]; ok {
		t.Errorf("Content-Type %q added to the plugin's answer", ct)
	}
	if v := resp.header.Values("X-Gateway-Ack"); !reflect.DeepEqual(v, []string{"1", "2"}) {
		t.Errorf("X-Gateway-Ack %q", v)
	}
	if resp.header.Get("X-Request-Id") == "" {
		t.Error("no request id")
	}
	calls := e.svc.Calls()
	if c := calls[len(calls)-1]; c.Op != "HandleCallback" || c.Options.RequestID != resp.header.Get("X-Request-Id") {
		t.Errorf("service call %s with request id %q, want HandleCallback with %q", c.Op, c.Options.RequestID, resp.header.Get("X-Request-Id"))
	}
	if got == nil {
		t.Fatal("the plugin was not called")
	}
	if got.Method != "POST" || got.Path != "/v1/callbacks/appotapay/vn" || got.RawQuery != "sig=a%2Bb&t=1" || !bytes.Equal(got.Body, in) {
		t.Errorf("plugin got %s %s ? %s body %q", got.Method, got.Path, got.RawQuery, got.Body)
	}
	for k, want := range map[string]string{"X-Signature": "abc", "Content-Type": "text/plain", "Host": strings.TrimPrefix(e.srv.URL, "http://")} {
		if v := got.Header[k]; len(v) != 1 || v[0] != want {
			t.Errorf("plugin got header %s = %q, want %q", k, v, want)
		}
	}
}

func TestCallbackRejected(t *testing.T) {
	e := newEnv(t, nil)
	for _, tt := range []struct {
		name   string
		err    error
		resp   *plugin.HTTPResponse
		status int
		code   string
	}{
		{name: "bad signature", err: api.Errorf(api.CodeCallbackRejected, "", "signature does not verify"),
			status: http.StatusUnauthorized, code: "callback_rejected"},
		{name: "unknown instance", err: api.Errorf(api.CodeNotFound, "", "no provider fault.zz"),
			status: http.StatusNotFound, code: "not_found"},
		{name: "malformed", err: api.Errorf(api.CodeInvalidRequest, "", "not a notification"),
			status: http.StatusBadRequest, code: "invalid_request"},
		{name: "plugin answers no status", resp: &plugin.HTTPResponse{},
			status: http.StatusBadGateway, code: "provider_error"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e.svc.Callback = func(string, *plugin.HandleCallbackRequest) (*plugin.HTTPResponse, error) {
				return tt.resp, tt.err
			}
			resp := e.do(request{method: "POST", path: "/v1/callbacks/fault/zz", body: `{"forged": true}`})
			wantError(t, resp, tt.status, tt.code, "", "")
		})
	}
}

// TestCallbackNeedsNoMerchant: the plugin authenticates a callback, not
// the merchant's key; one sent anyway is ignored.
func TestCallbackNeedsNoMerchant(t *testing.T) {
	e := newEnv(t, nil)
	resp := e.do(request{method: "POST", path: "/v1/callbacks/fault/a", body: `x`, header: []string{"Authorization", "Bearer wrong"}})
	if resp.status != http.StatusOK || string(resp.body) != "OK" {
		t.Fatalf("status %d: %s", resp.status, resp.body)
	}
}

// TestRequestID: a caller's id is kept, a bad or missing one replaced, and
// the id is on the answer, the service call and every log line.
func TestRequestID(t *testing.T) {
	e := newEnv(t, nil)
	for _, tt := range []struct {
		name, sent string
		kept       bool
	}{
		{"kept", "trace-7f3a:span.01", true},
		{"none", "", false},
		{"too long", strings.Repeat("a", 129), false},
		{"quote and space", `a" b`, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r, _ := http.NewRequest("POST", e.srv.URL+"/v1/payments", strings.NewReader(`{"amount": 5, "currency": "USD"}`))
			r.Header.Set("Authorization", "Bearer "+acmeKey)
			if tt.sent != "" {
				r.Header["X-Request-Id"] = []string{tt.sent}
			}
			resp := e.send(r)
			id := resp.header.Get("X-Request-Id")
			switch {
			case tt.kept && id != tt.sent:
				t.Errorf("id %q, want %q", id, tt.sent)
			case !tt.kept && (!strings.HasPrefix(id, "req_") || len(id) != 28):
				t.Errorf("id %q, want a new req_ id", id)
			}
			calls := e.svc.Calls()
			if got := calls[len(calls)-1].Options.RequestID; got != id {
				t.Errorf("service got request id %q, answer has %q", got, id)
			}
			var lines int
			for _, l := range e.logLines() {
				if l["request_id"] == id {
					lines++
					if l["@message"] != "request" || l["route"] != "POST /v1/payments" || l["status"] != 201.0 ||
						l["merchant"] != "acme" || l["method"] != "POST" || l["duration"] == nil {
						t.Errorf("access log line %v", l)
					}
				}
			}
			if lines != 1 {
				t.Errorf("%d log lines with the request id, want 1:\n%s", lines, e.logs.String())
			}
		})
	}
	a := e.do(request{method: "GET", path: "/healthz"}).header.Get("X-Request-Id")
	b := e.do(request{method: "GET", path: "/healthz"}).header.Get("X-Request-Id")
	if a == b {
		t.Errorf("two requests got the same id %q", a)
	}
}
