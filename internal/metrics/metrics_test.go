package metrics_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/payhost/payhost/internal/metrics"
	"github.com/payhost/payhost/plugin"
)

// scrape fetches m's exposition over real HTTP.
func scrape(t *testing.T, m *metrics.Metrics) string {
	t.Helper()
	srv := httptest.NewServer(m.Handler())
	defer srv.Close()
	resp, err := http.Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /metrics: status %d", resp.StatusCode)
	}
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(body)
}

func TestSeries(t *testing.T) {
	m := metrics.New()
	m.HTTPRequest("POST /v1/payments", "POST", 201, 3*time.Millisecond)
	m.HTTPRequest("POST /v1/payments", "POST", 201, 4*time.Millisecond)
	m.HTTPRequest("GET /v1/payments/{id}", "GET", 404, time.Millisecond)
	m.PaymentStatus("appotapay.vn", plugin.StatusSucceeded)
	m.PaymentStatus("appotapay.vn", plugin.StatusSucceeded)
	m.PaymentStatus("reddot.sg", plugin.StatusUnknown)
	m.ProviderCall("appotapay.vn", plugin.OpCreatePayment, "ok", 20*time.Millisecond)
	m.ProviderCall("appotapay.vn", plugin.OpCreatePayment, "not_sent", time.Millisecond)
	m.WebhookDelivery("delivered")
	m.WebhookDelivery("failed")
	m.WatchPlugins(func() []metrics.PluginStatus {
		return []metrics.PluginStatus{
			{Provider: "appotapay.vn", Ready: true, Crashes: 2, Restarts: 2},
			{Provider: "reddot.sg", Ready: false, Crashes: 1},
		}
	})
	out := scrape(t, m)
	for _, want := range []string{
		`payhost_http_requests_total{code="201",method="POST",route="POST /v1/payments"} 2`,
		`payhost_http_requests_total{code="404",method="GET",route="GET /v1/payments/{id}"} 1`,
		`payhost_http_request_duration_seconds_count{route="POST /v1/payments"} 2`,
		`payhost_http_request_duration_seconds_bucket{route="POST /v1/payments",le="0.005"} 2`,
		`payhost_payments_total{provider="appotapay.vn",status="succeeded"} 2`,
		`payhost_payments_total{provider="reddot.sg",status="unknown"} 1`,
		`payhost_provider_calls_total{operation="create_payment",provider="appotapay.vn",result="ok"} 1`,
		`payhost_provider_calls_total{operation="create_payment",provider="appotapay.vn",result="not_sent"} 1`,
		`payhost_provider_call_duration_seconds_count{operation="create_payment",provider="appotapay.vn"} 2`,
		`payhost_provider_call_duration_seconds_bucket{operation="create_payment",provider="appotapay.vn",le="0.001"} 1`,
		`payhost_webhook_deliveries_total{result="delivered"} 1`,
		`payhost_webhook_deliveries_total{result="failed"} 1`,
		`payhost_plugin_up{provider="appotapay.vn"} 1`,
		`payhost_plugin_up{provider="reddot.sg"} 0`,
		`payhost_plugin_crashes_total{provider="appotapay.vn"} 2`,
		`payhost_plugin_restarts_total{provider="appotapay.vn"} 2`,
		`payhost_plugin_restarts_total{provider="reddot.sg"} 0`,
		"go_goroutines ",
		"process_cpu_seconds_total ",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("exposition lacks %q", want)
		}
	}
}

// TestPluginsReadAtScrape shows that the plugin series follow the source:
// a restart between two scrapes is seen by the second.
func TestPluginsReadAtScrape(t *testing.T) {
	m := metrics.New()
	restarts := 0
	m.WatchPlugins(func() []metrics.PluginStatus {
		return []metrics.PluginStatus{{Provider: "fault.a", Ready: true, Restarts: restarts}}
	})
	if out := scrape(t, m); !strings.Contains(out, `payhost_plugin_restarts_total{provider="fault.a"} 0`) {
		t.Fatalf("first scrape:\n%s", out)
	}
	restarts = 3
	if out := scrape(t, m); !strings.Contains(out, `payhost_plugin_restarts_total{provider="fault.a"} 3`) {
		t.Fatalf("second scrape:\n%s", out)
	}
}

// TestNilRecordsNothing: a host without metrics calls the same methods.
func TestNilRecordsNothing(t *testing.T) {
	var m *metrics.Metrics
	m.HTTPRequest("GET /healthz", "GET", 200, time.Millisecond)
	m.PaymentStatus("a.b", plugin.StatusFailed)
	m.ProviderCall("a.b", plugin.OpCapture, "ok", time.Millisecond)
	m.WebhookDelivery("delivered")
	m.WatchPlugins(nil)
}

func BenchmarkHTTPRequest(b *testing.B) {
	m := metrics.New()
	for b.Loop() {
		m.HTTPRequest("POST /v1/payments", "POST", 201, 2*time.Millisecond)
	}
}
