package command

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	appotaemu "github.com/payhost/payhost/internal/sandbox/appotapay"
)

// TestNeverReceivedEndToEnd drives the never-received rule through payhost
// serve, the real AppotaPay plugin binary and the AppotaPay emulator over
// HTTP. The emulator drops the connection before it processes the create
// (emulator fault drop_connection), so the payment's outcome is unknown
// and the gateway has no order. A sync within reconciler.not_found_after
// passes on the gateway's "no such transaction" (36) and leaves the
// payment unknown; the first sync after it fails the payment as never
// received. The create is sent to the gateway once.
func TestNeverReceivedEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the AppotaPay plugin and runs payhost serve")
	}
	plugins := buildAppotaPay(t)
	emu := httptest.NewUnstartedServer(nil)
	emu.Config.Handler = appotaemu.New(appotaemu.Config{BaseURL: "http://" + emu.Listener.Addr().String()})
	emu.Start()
	t.Cleanup(emu.Close)
	const after = 2 * time.Second
	base := startBenchServe(t, plugins, emu.URL, `store "sqlite" { path = "payhost.db" }`,
		`reconciler { not_found_after = "2s" }`)

	if status, body := send(t, "POST", emu.URL+"/__emulator/faults", "", `{"kind": "drop_connection"}`); status != http.StatusCreated {
		t.Fatalf("injecting the fault: %d %s", status, body)
	}
	start := time.Now()
	status, body := send(t, "POST", base+"/v1/payments", "order-lost",
		`{"amount": 25000, "currency": "VND", "method": "bank", "return_url": "https://acme.example/return", "customer": {"ip": "203.0.113.7"}}`)
	var p struct {
		ID      string `json:"id"`
		Status  string `json:"status"`
		Failure *struct {
			Code    string `json:"code"`
			Message string `json:"message"`
		} `json:"failure"`
		Error *struct {
			Code      string `json:"code"`
			Message   string `json:"message"`
			PaymentID string `json:"payment_id"`
		} `json:"error"`
	}
	decode := func(body string) {
		t.Helper()
		p.ID, p.Status, p.Failure, p.Error = "", "", nil, nil
		if err := json.Unmarshal([]byte(body), &p); err != nil {
			t.Fatalf("decoding %s: %v", body, err)
		}
	}
	decode(body)
	id := p.ID
	if id == "" && p.Error != nil {
		id = p.Error.PaymentID
	}
	if id == "" || (p.Status != "unknown" && p.Error == nil) {
		t.Fatalf("create: %d %s; want the payment left unknown", status, body)
	}

	status, body = send(t, "POST", base+"/v1/payments/"+id+"/sync", "", "")
	decode(body)
	if status != http.StatusBadGateway || p.Error == nil || p.Error.Code != "provider_error" || !strings.Contains(p.Error.Message, "not_found") {
		t.Errorf("sync within not_found_after: %d %s; want 502 provider_error passing on not_found", status, body)
	}
	if _, body = send(t, "GET", base+"/v1/payments/"+id, "", ""); !strings.Contains(body, `"status":"unknown"`) {
		t.Fatalf("after the early sync: %s; want unknown", body)
	}

	time.Sleep(time.Until(start.Add(after)))
	status, body = send(t, "POST", base+"/v1/payments/"+id+"/sync", "", "")
	decode(body)
	if status != http.StatusOK || p.Status != "failed" || p.Failure == nil || p.Failure.Code != "provider_unavailable" ||
		!strings.Contains(p.Failure.Message, "no record of it 2s after the call") {
		t.Fatalf("sync after not_found_after: %d %s; want failed, provider_unavailable", status, body)
	}

	// The gateway saw the create once (and dropped it) and the two
	// status queries; nothing was sent again.
	_, body = send(t, "GET", emu.URL+"/__emulator/requests", "", "")
	var log struct {
		Requests []struct{ Path string } `json:"requests"`
	}
	if err := json.Unmarshal([]byte(body), &log); err != nil {
		t.Fatal(err)
	}
	paths := map[string]int{}
	for _, r := range log.Requests {
		paths[r.Path]++
	}
	if paths["/api/v1.1/orders/payment/bank"] != 1 || paths["/api/v1.1/orders/transaction/bank/status"] != 2 {
		t.Errorf("the emulator received %v; want one create and two status queries", paths)
	}
}

// send makes one request as the benchmark's merchant (with the
// idempotency key, when set) and returns its status and body.
func send(t *testing.T, method, url, key, body string) (int, string) {
	t.Helper()
	status, _, b := httpCall(t, method, url, benchKey, key, body)
	return status, string(b)
}
