package httpapi_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/hashicorp/go-hclog"

	"github.com/payhost/payhost/api"
	"github.com/payhost/payhost/internal/httpapi"
	"github.com/payhost/payhost/internal/httpapi/httpapitest"
	"github.com/payhost/payhost/internal/metrics"
	"github.com/payhost/payhost/plugin"
)

// readiness is a Readiness whose answer the test sets.
type readiness struct{ err error }

func (r *readiness) Ready(ctx context.Context) error {
	if _, ok := ctx.Deadline(); !ok {
		return errors.New("no deadline")
	}
	return r.err
}

func TestHealthAndReadiness(t *testing.T) {
	ready := &readiness{}
	e := newEnv(t, func(o *httpapi.Options) { o.Readiness = ready })
	for _, tt := range []struct {
		name, path string
		err        error
		status     int
		body       string
	}{
		{"live", "/healthz", nil, 200, `{"status":"ok"}`},
		{"ready", "/readyz", nil, 200, `{"status":"ready"}`},
		{"not ready", "/readyz", errors.New("store: dial tcp 10.0.0.5:5432: connection refused"), 503, `{"status":"unavailable"}`},
		{"live while not ready", "/healthz", errors.New("plugins restarting"), 200, `{"status":"ok"}`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ready.err = tt.err
			resp := e.do(request{method: "GET", path: tt.path})
			if resp.status != tt.status || strings.TrimSpace(string(resp.body)) != tt.body {
				t.Errorf("%d %s, want %d %s", resp.status, resp.body, tt.status, tt.body)
			}
		})
	}
	if !strings.Contains(e.logs.String(), "connection refused") {
		t.Error("why the host is not ready is not logged")
	}
	for _, l := range e.logLines() {
		if l["@message"] == "request" && l["@level"] != "debug" {
			t.Errorf("probe logged at %v: %v", l["@level"], l)
		}
	}
	// Without a Readiness, serving is being ready.
	plain := newEnv(t, nil)
	if resp := plain.do(request{method: "GET", path: "/readyz"}); resp.status != 200 {
		t.Errorf("readyz without Readiness: %d", resp.status)
	}
}

// TestMetricsEndpoint: /metrics exposes the HTTP series of the requests
// served and the series the host records in the same registry.
func TestMetricsEndpoint(t *testing.T) {
	m := metrics.New()
	e := newEnv(t, func(o *httpapi.Options) { o.Metrics = m })
	id := e.createPayment(acmeKey, "manual")
	e.do(request{method: "GET", path: "/v1/payments/" + id, header: as(globexKey)})
	e.do(request{method: "GET", path: "/nowhere"})
	e.do(request{method: "BREW", path: "/v1/payments"})
	m.PaymentStatus("fault.a", plugin.StatusSucceeded)

	resp := e.do(request{method: "GET", path: "/metrics"})
	if resp.status != 200 || !strings.HasPrefix(resp.header.Get("Content-Type"), "text/plain") {
		t.Fatalf("GET /metrics: %d %s", resp.status, resp.header.Get("Content-Type"))
	}
	out := string(resp.body)
	for _, want := range []string{
		`payhost_http_requests_total{code="201",method="POST",route="POST /v1/payments"} 1`,
		`payhost_http_requests_total{code="404",method="GET",route="GET /v1/payments/{id}"} 1`,
		`payhost_http_requests_total{code="404",method="GET",route="unmatched"} 1`,
		`payhost_http_requests_total{code="405",method="OTHER",route="unmatched"} 1`,
		`payhost_http_request_duration_seconds_count{route="POST /v1/payments"} 1`,
		`payhost_payments_total{provider="fault.a",status="succeeded"} 1`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	if strings.Contains(out, id) {
		t.Error("a payment id is a label value")
	}
}

// TestNoSecretsInLogs sends card data, API keys and errors that quote a
// card number, and finds none of them in the log, text or JSON, nor in an
// answer.
func TestNoSecretsInLogs(t *testing.T) {
	for _, format := range []string{"json", "text"} {
		t.Run(format, func(t *testing.T) {
			logs := &syncBuffer{}
			e := newEnv(t, func(o *httpapi.Options) {
				o.Logger = hclog.New(&hclog.LoggerOptions{Output: logs, Level: hclog.Trace, JSONFormat: format == "json"})
			})
			const spaced = "4111 1111 1111 1111"
			card := `"card": {"number": "` + spaced + `", "exp_month": 12, "exp_year": 2030, "cvc": "` + testCVC + `"}`
			var answers []string
			send := func(req request) {
				answers = append(answers, string(e.do(req).body))
			}
			send(request{method: "POST", path: "/v1/payments", header: as(acmeKey), body: `{"amount": 1, "currency": "USD", ` + card + `}`})
			send(request{method: "POST", path: "/v1/payments", header: as(acmeKey), body: `{"amount": 1, ` + card[:len(card)-1] + `, "pin": "1"}}`})
			send(request{method: "POST", path: "/v1/payments", header: as(acmeKey), body: `{"card": {"number": ` + testPAN + `}}`})
			send(request{method: "POST", path: "/v1/payments", header: as("sk_live_unknown_9d8c"), body: `{"amount": 1, ` + card + `}`})
			send(request{method: "POST", path: "/v1/callbacks/fault/a", body: `{"pan": "` + testPAN + `"}`})
			send(request{method: "GET", path: "/v1/cards/" + testPAN, header: as(acmeKey)})
			for _, fail := range []error{
				errors.New("gateway said: card " + testPAN + " expired"),
				api.Errorf(api.CodeProviderError, "", "declined card %s", spaced),
			} {
				e.svc.Hook = func(context.Context, httpapitest.Call) error { return fail }
				send(request{method: "POST", path: "/v1/payments", header: as(acmeKey), body: `{"amount": 1, ` + card + `}`})
			}
			e.svc.Hook = func(context.Context, httpapitest.Call) error { panic("card " + testPAN) }
			send(request{method: "POST", path: "/v1/payments", header: as(acmeKey), body: `{"amount": 1, ` + card + `}`})

			log := logs.String()
			for _, secret := range []string{testPAN, spaced, acmeKey, "sk_live_unknown_9d8c", `"cvc"`} {
				if strings.Contains(log, secret) {
					t.Errorf("the log holds %q:\n%s", secret, log)
				}
				for _, a := range answers {
					if strings.Contains(a, secret) {
						t.Errorf("an answer holds %q: %s", secret, a)
					}
				}
			}
			if !strings.Contains(log, "411111******1111") {
				t.Errorf("the masked number is not logged:\n%s", log)
			}
		})
	}
}
