package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/payhost/payhost/host"
	"github.com/payhost/payhost/host/hosttest"
	"github.com/payhost/payhost/internal/faultprovider"
	"github.com/payhost/payhost/plugin"
)

func TestMain(m *testing.M) {
	code := m.Run()
	faultprovider.RemoveBuilds()
	os.Exit(code)
}

const apiKey = "sk_test_shop_5d1f0c2a9e7b4c36"

// newTestShop runs the shop over a host whose provider is the fault
// plugin, and returns its URL.
func newTestShop(t *testing.T) string {
	dir, pluginDir := t.TempDir(), hosttest.Plugins(t, hosttest.Fault)
	config := fmt.Sprintf(`
payhost {
  public_url = "http://127.0.0.1:8080/payhost"
  plugin_dir = %q
}
provider "fault" "a" {
  api_key = "fault-test-key"
}
merchant "acme" {
  api_key = %q
  route "all" {
    providers = [provider.fault.a]
  }
}
`, pluginDir, apiKey)
	if err := os.WriteFile(filepath.Join(dir, "payhost.hcl"), []byte(config), 0o600); err != nil {
		t.Fatal(err)
	}
	hosttest.Lock(t, dir, pluginDir)
	h, err := host.New(t.Context(), host.Options{ConfigPath: dir})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(newShop(h, "acme"))
	t.Cleanup(func() {
		srv.Close()
		if err := h.Close(); err != nil {
			t.Error(err)
		}
	})
	return srv.URL
}

// call sends a request to the shop and decodes its JSON answer into v.
func call(t *testing.T, method, url, auth, body string, v any) int {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if auth != "" {
		req.Header.Set("Authorization", "Bearer "+auth)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if v != nil && resp.StatusCode < 300 {
		if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
			t.Fatal(err)
		}
	}
	return resp.StatusCode
}

// TestShop pays for an order through the shop's own handler (the Go
// API), twice, and reads the payment back through both the shop and the
// mounted payhost HTTP API.
func TestShop(t *testing.T) {
	url := newTestShop(t)
	body := `{"amount": 1050, "currency": "SGD", "card": {"number": "4111111111111111", "exp_month": 12, "exp_year": 2099, "cvc": "123"}}`
	var first, again, order orderStatus
	if status := call(t, http.MethodPost, url+"/orders/42/pay", "", body, &first); status != http.StatusCreated {
		t.Fatalf("pay: status %d", status)
	}
	if first.Status != plugin.StatusSucceeded {
		t.Errorf("order paid %+v, want succeeded", first)
	}
	call(t, http.MethodPost, url+"/orders/42/pay", "", body, &again)
	if again != first {
		t.Errorf("paying again answered %+v, want the same payment %+v", again, first)
	}
	call(t, http.MethodGet, url+"/orders/42", "", "", &order)
	if order != first {
		t.Errorf("order %+v, want %+v", order, first)
	}
	var p struct {
		ID     string               `json:"id"`
		Status plugin.PaymentStatus `json:"status"`
	}
	if status := call(t, http.MethodGet, url+"/payhost/v1/payments/"+first.Payment, apiKey, "", &p); status != http.StatusOK || p.ID != first.Payment || p.Status != first.Status {
		t.Errorf("GET /payhost/v1/payments/%s: %d %+v", first.Payment, status, p)
	}
	if status := call(t, http.MethodGet, url+"/payhost/v1/payments/"+first.Payment, "", "", nil); status != http.StatusUnauthorized {
		t.Errorf("the mounted API answered %d without an API key, want 401", status)
	}
	if status := call(t, http.MethodGet, url+"/payhost/readyz", "", "", nil); status != http.StatusOK {
		t.Errorf("GET /payhost/readyz: %d", status)
	}
}
