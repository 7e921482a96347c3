package plugin_test

import (
	"context"
	"testing"
	"time"

	"github.com/payhost/payhost/plugin"
	"github.com/payhost/payhost/plugin/plugintest"
)

// benchProvider answers CreatePayment with a hosted-page redirect, as a
// typical gateway does.
type benchProvider struct{ blocker }

func (benchProvider) CreatePayment(_ context.Context, req *plugin.CreatePaymentRequest) (*plugin.CreatePaymentResponse, error) {
	return &plugin.CreatePaymentResponse{PaymentResult: plugin.PaymentResult{
		Status: plugin.StatusRequiresAction, ProviderReference: "ord_8f14e45fceea167a", Amount: req.Amount,
		NextAction: &plugin.NextAction{Type: plugin.ActionRedirect, URL: "https://pay.gateway.example/checkout/8f14e45fceea167a", ExpiresAt: time.Unix(1795000000, 0)},
	}}, nil
}

// realisticPayment is a card payment of about 300 bytes on the wire.
func realisticPayment() *plugin.CreatePaymentRequest {
	return &plugin.CreatePaymentRequest{
		PaymentID: "pay_01JD3Q8Z6M2X4V7B9N0C1K5R8T", AttemptID: "att_01JD3Q8Z6N4Y2W8C0M3J6H9F1D",
		IdempotencyKey: "idem_5f2b9c1e-7a43-4d8e-9b61-2c0f8e7d3a19",
		Amount:         plugin.Money{Amount: 125000, Currency: "SGD"},
		Method:         plugin.MethodCard, Capture: plugin.CaptureAutomatic,
		Reference: "order-2026-000123", Description: "Order 123 at Acme",
		ReturnURL: "https://shop.acme.example/checkout/return?order=123",
		Customer:  plugin.Customer{ID: "cus_42", Email: "jane@example.com", Name: "Jane Tan", IP: "203.0.113.7"},
		Card: &plugin.Card{
			Number: plugin.NewCardNumber("4111111111111111"), ExpMonth: 12, ExpYear: 2030,
			CVC: plugin.NewSecret("123"), HolderName: "JANE TAN",
		},
		Country:  "SG",
		Metadata: map[string]string{"cart": "c_77"},
	}
}

// BenchmarkCreatePayment compares one CreatePayment called directly with
// the same call through the in-memory gRPC pair (plugintest.Connect).
func BenchmarkCreatePayment(b *testing.B) {
	req := realisticPayment()
	ctx := context.Background()
	for _, bc := range []struct {
		name    string
		connect func(testing.TB) plugin.Provider
	}{
		{"direct", func(testing.TB) plugin.Provider { return benchProvider{} }},
		{"grpc", func(tb testing.TB) plugin.Provider { return plugintest.Connect(tb, benchProvider{}) }},
	} {
		b.Run(bc.name, func(b *testing.B) {
			p := bc.connect(b)
			b.ReportAllocs()
			for b.Loop() {
				if _, err := p.CreatePayment(ctx, req); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(plugin.EncodedSize(req)), "req-bytes")
		})
	}
}
