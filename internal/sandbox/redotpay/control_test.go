package redotpay

import (
	"net/http"
	"testing"
)

// The kit's control API drives this emulator's orders.
func TestControlOrders(t *testing.T) {
	h := newHarness(t, nil)
	m := newMerchant(t)
	completed := h.createConnect(t, map[string]any{"outerOrderSn": "CTRL0001", "notifyUrl": m.URL})
	failed := h.createConnect(t, map[string]any{"outerOrderSn": "CTRL0002"})
	expired := h.createConnect(t, map[string]any{"outerOrderSn": "CTRL0003"})
	tests := []struct {
		name, path string
		status     int
		msg        string
	}{
		{"complete", "/__emulator/orders/" + completed + "/complete", 200, ""},
		{"complete again", "/__emulator/orders/" + completed + "/complete", 409, "already paid"},
		{"fail", "/__emulator/orders/" + failed + "/fail", 200, ""},
		{"expire", "/__emulator/orders/" + expired + "/expire", 200, ""},
		{"fail an expired order", "/__emulator/orders/" + expired + "/fail", 409, "order is closed"},
		{"unknown id", "/__emulator/orders/RAP404/complete", 404, "no order or card transaction"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h.control(t, tt.path, "").expectControl(t, tt.status, tt.msg)
		})
	}
	for sn, want := range map[string]orderStatus{completed: statusPaid, failed: statusFailed, expired: statusClosed} {
		if got := h.detail(t, sn).OrderStatus; got != want {
			t.Errorf("%s: orderStatus %d, want %d", sn, got, want)
		}
	}
	m.wait(t, 1)
}

// Control completion overrides the magic decline amount, which only
// scripts the hosted page.
func TestControlCompleteIgnoresMagicDecline(t *testing.T) {
	h := newHarness(t, nil)
	sn := h.createConnect(t, map[string]any{"orderAmount": 10.51})
	h.control(t, "/__emulator/orders/"+sn+"/complete", "").expectControl(t, http.StatusOK, "")
	if got := h.detail(t, sn).OrderStatus; got != statusPaid {
		t.Fatalf("orderStatus %d", got)
	}
}

// Injected faults strike the gateway's routes, after the kit's
// recording, and a fault that strikes after processing leaves the state
// moved: the unknown-outcome case.
func TestFaultAfterProcessing(t *testing.T) {
	h := newHarness(t, nil)
	h.control(t, "/__emulator/faults", `{"kind":"http_500","path":"/openapi/v2/order/create","after":true}`).
		expectControl(t, http.StatusCreated, "")
	a := h.connect(t, http.MethodPost, "/openapi/v2/order/create", fixture(t, "connect_create.json", nil))
	if a.status != http.StatusInternalServerError {
		t.Fatalf("HTTP %d, want the injected 500", a.status)
	}
	h.connect(t, http.MethodPost, "/openapi/v2/order/detail", `{"outerOrderSn":"ORD123456"}`).expect(t, http.StatusOK, "SUCCESS", "")
}
