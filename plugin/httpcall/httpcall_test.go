package httpcall

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/payhost/payhost/plugin"
)

func TestDoClassifiesFailures(t *testing.T) {
	var calls atomic.Int64
	mux := http.NewServeMux()
	mux.HandleFunc("/ok", func(w http.ResponseWriter, r *http.Request) { calls.Add(1); w.Write([]byte(`{"n":1.10}`)) })
	mux.HandleFunc("/bad-request", func(w http.ResponseWriter, r *http.Request) { calls.Add(1); http.Error(w, `{"code":"X"}`, 400) })
	mux.HandleFunc("/500", func(w http.ResponseWriter, r *http.Request) { calls.Add(1); http.Error(w, "boom", 500) })
	mux.HandleFunc("/429", func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		w.Header().Set("Retry-After", "7")
		w.WriteHeader(429)
	})
	mux.HandleFunc("/hang", func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		io.Copy(io.Discard, r.Body) // the server notices a hang-up only once the body is read
		<-r.Context().Done()
	})
	mux.HandleFunc("/drop", func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		conn, _, _ := http.NewResponseController(w).Hijack()
		conn.Close()
	})
	mux.HandleFunc("/cut", func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		conn, buf, err := http.NewResponseController(w).Hijack()
		if err != nil {
			t.Errorf("hijack: %v", err)
			return
		}
		// Promise 100 bytes, send 11, hang up.
		buf.WriteString("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"partial\":")
		buf.Flush()
		conn.Close()
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()

	// A port nothing listens on: connection refused.
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	refused := "http://" + ln.Addr().String()
	ln.Close()

	cases := []struct {
		name      string
		url       string
		timeout   time.Duration
		wantKind  plugin.ErrorKind // "" means a Response
		wantCode  string
		wantCalls int64
	}{
		{"ok", srv.URL + "/ok", 0, "", "", 1},
		{"4xx is the provider's to read", srv.URL + "/bad-request", 0, "", "", 1},
		{"5xx", srv.URL + "/500", 0, plugin.KindUnknownOutcome, "500", 1},
		{"429", srv.URL + "/429", 0, plugin.KindRateLimited, "429", 1},
		{"connection refused", refused, 0, plugin.KindNotSent, "", 0},
		{"DNS failure", "http://payhost-no-such-host.invalid", 0, plugin.KindNotSent, "", 0},
		{"timeout after sending", srv.URL + "/hang", 200 * time.Millisecond, plugin.KindUnknownOutcome, "", 1},
		{"dropped connection", srv.URL + "/drop", 0, plugin.KindUnknownOutcome, "", 1},
		{"answer cut off", srv.URL + "/cut", 0, plugin.KindUnknownOutcome, "", 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := calls.Load()
			client := &http.Client{Timeout: tc.timeout}
			req, _ := http.NewRequest("POST", tc.url, strings.NewReader(`{"amount":"1.00"}`))
			resp, err := Do(client, req, "create order")
			if got := calls.Load() - before; got != tc.wantCalls {
				t.Errorf("gateway saw %d calls, want %d", got, tc.wantCalls)
			}
			if tc.wantKind == "" {
				if err != nil || resp == nil {
					t.Fatalf("Do = %v, %v; want a response", resp, err)
				}
				return
			}
			var pe *plugin.Error
			if !asError(err, &pe) || pe.Kind != tc.wantKind || pe.Code != tc.wantCode {
				t.Fatalf("Do error = %#v, want kind %s code %q", err, tc.wantKind, tc.wantCode)
			}
			if !strings.HasPrefix(pe.Message, "create order: ") {
				t.Errorf("message %q does not name the call", pe.Message)
			}
			if tc.wantKind == plugin.KindRateLimited && pe.RetryAfter != 7*time.Second {
				t.Errorf("RetryAfter = %v, want 7s", pe.RetryAfter)
			}
		})
	}
}

func TestDeadlineBeforeSendingIsNotSent(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t.Error("the gateway was called although the deadline had passed")
	}))
	defer srv.Close()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	req, _ := http.NewRequestWithContext(ctx, "POST", srv.URL, strings.NewReader(`{}`))
	_, err := Do(http.DefaultClient, req, "capture")
	if plugin.KindOf(err) != plugin.KindNotSent {
		t.Fatalf("Do with a cancelled context = %v, want not_sent", err)
	}
}

func TestDecodeJSON(t *testing.T) {
	var v map[string]any
	if err := DecodeJSON(&Response{StatusCode: 200, Body: []byte(`{"amount":1.10}`)}, &v, "status"); err != nil {
		t.Fatal(err)
	}
	if got := v["amount"]; got.(interface{ String() string }).String() != "1.10" {
		t.Fatalf("amount decoded as %v (%T), want the exact 1.10", got, got)
	}
	err := DecodeJSON(&Response{StatusCode: 200, Body: []byte(`{"code":"SUCC`)}, &v, "status")
	if plugin.KindOf(err) != plugin.KindUnknownOutcome {
		t.Fatalf("malformed JSON: %v, want unknown_outcome", err)
	}
}

func asError(err error, target **plugin.Error) bool {
	e, ok := err.(*plugin.Error)
	*target = e
	return ok
}
