package redotpay

import (
	"context"
	"testing"

	"github.com/payhost/payhost/plugin"
)

// TestRefusedBeforeTheGateway: calls an instance cannot make are refused
// without a request (the endpoint is nowhere: a call would be not_sent).
func TestRefusedBeforeTheGateway(t *testing.T) {
	ctx := context.Background()
	nowhere := map[string]any{"endpoint": "http://127.0.0.1:1"}
	connect := configured(t, connectConfig(t, nowhere), testNow)
	seed := configured(t, seedConfig(nowhere), testNow)
	seedCards := configured(t, seedConfig(withEdits(map[string]any{"methods": []string{"card"}}, nowhere)), testNow)
	wallet := walletPayment("att_01JQ0000000000000000000001", plugin.MethodWallet, nil)
	manualWallet := *wallet
	manualWallet.Capture = plugin.CaptureManual
	badOption := walletPayment("att_01JQ0000000000000000000001", plugin.MethodWallet, map[string]string{"payment_method": "SMS"})
	badID := walletPayment("att.1", plugin.MethodWallet, nil)
	noCard := cardPayment(plugin.CaptureManual)
	noCard.Card = nil
	cases := []struct {
		name      string
		call      func() error
		wantKind  plugin.ErrorKind
		wantParam string
	}{
		{"not configured", func() error { _, err := New().GetPayment(ctx, &plugin.GetPaymentRequest{}); return err }, plugin.KindInternal, ""},
		{"connect authorize", func() error { _, err := connect.CreatePayment(ctx, &manualWallet); return err }, plugin.KindUnsupported, ""},
		{"connect card", func() error { _, err := connect.CreatePayment(ctx, cardPayment(plugin.CaptureAutomatic)); return err }, plugin.KindInvalidRequest, "method"},
		{"connect refund", func() error { _, err := connect.Refund(ctx, &plugin.RefundRequest{}); return err }, plugin.KindUnsupported, ""},
		{"connect capture", func() error { _, err := connect.Capture(ctx, &plugin.CaptureRequest{}); return err }, plugin.KindUnsupported, ""},
		{"connect reverse", func() error { _, err := connect.Reverse(ctx, &plugin.ReverseRequest{}); return err }, plugin.KindUnsupported, ""},
		{"connect bad option", func() error { _, err := connect.CreatePayment(ctx, badOption); return err }, plugin.KindInvalidRequest, "options.payment_method"},
		{"connect bad attempt id", func() error { _, err := connect.CreatePayment(ctx, badID); return err }, plugin.KindInvalidRequest, "attempt_id"},
		{"connect zero amount", func() error {
			w := *wallet
			w.Amount = usd(0)
			_, err := connect.CreatePayment(ctx, &w)
			return err
		}, plugin.KindInvalidRequest, "amount"},
		{"seed order authorize", func() error { _, err := seed.CreatePayment(ctx, &manualWallet); return err }, plugin.KindInvalidRequest, "capture"},
		{"seed card without a card", func() error { _, err := seed.CreatePayment(ctx, noCard); return err }, plugin.KindInvalidRequest, "card"},
		{"seed capture without reference", func() error {
			_, err := seed.Capture(ctx, &plugin.CaptureRequest{Amount: usd(100), AuthorizedAmount: usd(100)})
			return err
		}, plugin.KindInvalidRequest, "provider_reference"},
		{"seed cards status query", func() error { _, err := seedCards.GetPayment(ctx, &plugin.GetPaymentRequest{}); return err }, plugin.KindUnsupported, ""},
		{"seed cards callback", func() error { _, err := seedCards.HandleCallback(ctx, &plugin.HandleCallbackRequest{}); return err }, plugin.KindUnsupported, ""},
		{"seed cards wallet", func() error { _, err := seedCards.CreatePayment(ctx, wallet); return err }, plugin.KindInvalidRequest, "method"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.call()
			var pe *plugin.Error
			if !asPluginError(err, &pe) || pe.Kind != tc.wantKind || pe.Param != tc.wantParam {
				t.Errorf("error %v; want kind %s param %q", err, tc.wantKind, tc.wantParam)
			}
		})
	}
}
