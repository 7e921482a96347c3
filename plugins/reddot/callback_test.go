package reddot

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	emulator "github.com/payhost/payhost/internal/sandbox/reddot"
	"github.com/payhost/payhost/plugin"
)

// The notifications in testdata/notifications were signed outside Go (a
// few lines of Python over the flat fields, GATEWAYS.md §3.3a), so these
// tests check the provider's verification against an independent signer;
// token_rdp7.json is vector RDP-7 itself.

// configured returns a provider configured with the test MIDs.
func configured(t *testing.T, edits map[string]any) *Provider {
	t.Helper()
	p := New()
	if _, err := p.Configure(context.Background(), &plugin.ConfigureRequest{
		Config: newConfig(t, configValues("http://127.0.0.1:8903"), edits), CallbackURL: "https://payhost.example/v1/callbacks/reddot/sg",
	}); err != nil {
		t.Fatal(err)
	}
	return p
}

func notification(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "notifications", name))
	if err != nil {
		t.Fatal(err)
	}
	return bytes.TrimSpace(b)
}

func TestHandleCallback(t *testing.T) {
	const attempt, token = "att_01jd2k3m4n5p6q7r8s9t0v1w2x", "tok_01jd2k3m4n5p6q7r8s9t0v1w2x"
	cases := []struct {
		file string
		want plugin.Event // Payment or Token holds the status and the fields checked
	}{
		{"payment_sale.json", plugin.Event{
			ID: "payment:4RAYHHLZUNVY53_12345678901234567:0", Type: plugin.EventPayment, AttemptID: attempt,
			ProviderReference: "4RAYHHLZUNVY53_12345678901234567",
			Payment:           &plugin.PaymentResult{Status: plugin.StatusSucceeded, Amount: sgd(1050), CapturedAmount: sgd(1050)},
			OccurredAt:        time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC),
		}},
		{"payment_declined.json", plugin.Event{
			ID: "payment:4RAYHHLZUNVY53_12345678901234567:-1", Type: plugin.EventPayment, AttemptID: attempt,
			ProviderReference: "4RAYHHLZUNVY53_12345678901234567",
			Payment: &plugin.PaymentResult{Status: plugin.StatusFailed, Amount: sgd(1050),
				FailureCode: "-1", FailureMessage: "Bank rejected the card (acquirer 05: Do not honour)"},
		}},
		{"payment_pending.json", plugin.Event{
			ID: "payment:4RAYHHLZUNVY53_12345678901234567:-01", Type: plugin.EventPayment, AttemptID: attempt,
			ProviderReference: "4RAYHHLZUNVY53_12345678901234567",
			Payment:           &plugin.PaymentResult{Status: plugin.StatusProcessing, Amount: sgd(1050)},
		}},
		{"payment_usd.json", plugin.Event{
			ID: "payment:4RAYHHLZUNVY53_12345678901234567:0", Type: plugin.EventPayment, AttemptID: attempt,
			ProviderReference: "4RAYHHLZUNVY53_12345678901234567",
			Payment:           &plugin.PaymentResult{Status: plugin.StatusSucceeded, Amount: usd(2500), CapturedAmount: usd(2500)},
		}},
		{"token_created.json", plugin.Event{
			ID: "token:Z4B5YJIZD5UQSQHH_98765432109876543:0", Type: plugin.EventToken, TokenID: token,
			ProviderReference: "Z4B5YJIZD5UQSQHH_98765432109876543",
			Token:             &plugin.TokenResult{Status: plugin.TokenActive, Token: "123456789012345678901234567890", CustomerRef: token},
		}},
		{"token_rdp7.json", plugin.Event{
			// The payer_id does not derive the order id: the order id is all there is.
			ID: "token:TOK001_123:0", Type: plugin.EventToken, TokenID: "TOK001", ProviderReference: "TOK001_123",
			Token:      &plugin.TokenResult{Status: plugin.TokenActive, Token: "123456789012345678901234567890", CustomerRef: "CUST-1"},
			OccurredAt: time.Date(2015, 11, 14, 4, 33, 27, 0, time.UTC),
		}},
	}
	p := configured(t, nil)
	for _, tc := range cases {
		t.Run(tc.file, func(t *testing.T) {
			req := &plugin.HandleCallbackRequest{Method: "POST", Path: "/v1/callbacks/reddot/sg", Body: notification(t, tc.file)}
			resp, err := p.HandleCallback(context.Background(), req)
			if err != nil {
				t.Fatalf("HandleCallback: %v", err)
			}
			if resp.Response.StatusCode != 200 || string(resp.Response.Body) != "OK" {
				t.Errorf("acknowledgement %d %q, want 200 OK", resp.Response.StatusCode, resp.Response.Body)
			}
			if len(resp.Events) != 1 {
				t.Fatalf("%d events, want 1", len(resp.Events))
			}
			got, want := resp.Events[0], tc.want
			if got.ID != want.ID || got.Type != want.Type || got.AttemptID != want.AttemptID || got.TokenID != want.TokenID || got.ProviderReference != want.ProviderReference {
				t.Errorf("event %s %s attempt %q token %q ref %q;\nwant  %s %s attempt %q token %q ref %q",
					got.ID, got.Type, got.AttemptID, got.TokenID, got.ProviderReference, want.ID, want.Type, want.AttemptID, want.TokenID, want.ProviderReference)
			}
			if !want.OccurredAt.IsZero() && !got.OccurredAt.Equal(want.OccurredAt) {
				t.Errorf("occurred at %v, want %v", got.OccurredAt, want.OccurredAt)
			}
			switch {
			case want.Payment != nil:
				g, w := got.Payment, want.Payment
				if g == nil || g.Status != w.Status || g.Amount != w.Amount || g.CapturedAmount != w.CapturedAmount || g.FailureCode != w.FailureCode || g.FailureMessage != w.FailureMessage {
					t.Errorf("payment %+v,\nwant    %+v", g, w)
				}
			case want.Token != nil:
				g, w := got.Token, want.Token
				if g == nil || g.Status != w.Status || g.Token != w.Token || g.CustomerRef != w.CustomerRef || g.Card == nil || g.Card.Last4 != "1111" || g.Card.ExpYear != 2031 {
					t.Errorf("token %+v,\nwant  %+v", g, w)
				}
			}
			again, err := p.HandleCallback(context.Background(), req)
			if err != nil || len(again.Events) != 1 || again.Events[0].ID != got.ID {
				t.Errorf("the same notification again: %+v, %v; want the same event id %s", again, err, got.ID)
			}
		})
	}
}

// TestHandleCallbackRefuses: a notification that is not RDP's, or not
// verifiably so, gives no event; the errors never show the signature.
func TestHandleCallbackRefuses(t *testing.T) {
	sale := notification(t, "payment_sale.json")
	signature := string(sale[bytes.Index(sale, []byte(`"signature":"`))+13:][:128])
	cases := []struct {
		name   string
		method string
		body   []byte
		kind   plugin.ErrorKind
	}{
		{"tampered signature", "POST", tamperSignature(sale), plugin.KindAuthentication},
		{"tampered field", "POST", bytes.Replace(sale, []byte(`"10.50"`), []byte(`"10.05"`), 1), plugin.KindAuthentication},
		{"no signature", "POST", bytes.Replace(sale, []byte(`,"signature":"`+signature+`"`), nil, 1), plugin.KindAuthentication},
		{"declined without signature", "POST", stripSignature(notification(t, "payment_declined.json")), plugin.KindAuthentication},
		{"unknown mid", "POST", notification(t, "payment_unknown_mid.json"), plugin.KindAuthentication},
		{"unknown transaction type", "POST", notification(t, "payment_unknown_type.json"), plugin.KindInvalidRequest},
		{"not JSON", "POST", []byte("response_code=0"), plugin.KindInvalidRequest},
		{"a GET", "GET", nil, plugin.KindInvalidRequest},
	}
	p := configured(t, nil)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resp, err := p.HandleCallback(context.Background(), &plugin.HandleCallbackRequest{Method: tc.method, Body: tc.body})
			if plugin.KindOf(err) != tc.kind {
				t.Fatalf("HandleCallback = %+v, %v; want kind %s", resp, err, tc.kind)
			}
			for _, secret := range []string{signature, emulator.DefaultSecret, usdSecret} {
				if strings.Contains(err.Error(), secret) {
					t.Errorf("the error shows a signature or secret: %v", err)
				}
			}
		})
	}
	t.Run("USD notification checked with the USD secret only", func(t *testing.T) {
		wrong := configured(t, map[string]any{attrSecrets: map[string]string{usdMID: strings.Repeat("B", 128)}})
		_, err := wrong.HandleCallback(context.Background(), &plugin.HandleCallbackRequest{Method: "POST", Body: notification(t, "payment_usd.json")})
		if plugin.KindOf(err) != plugin.KindAuthentication {
			t.Fatalf("a USD notification with the wrong USD secret: %v; want kind authentication", err)
		}
	})
}

// stripSignature removes the signature member of a notification.
func stripSignature(body []byte) []byte {
	i := bytes.Index(body, []byte(`,"signature":"`))
	return append(append([]byte(nil), body[:i]...), '}')
}
