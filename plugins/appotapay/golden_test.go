package appotapay

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/payhost/payhost/plugin"
)

// goldenNow is the fixed clock of the golden requests (vector AP-1's).
var goldenNow = time.Unix(1614225624, 0)

// errCaptured ends a captured call: the golden tests look at the request
// only.
var errCaptured = errors.New("captured")

// captureTransport records requests instead of sending them.
type captureTransport struct{ requests []*http.Request }

func (c *captureTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	c.requests = append(c.requests, r)
	return nil, errCaptured
}

// TestWireRequestsGolden checks every request the provider builds, byte
// for byte, against testdata/<name>.golden.json: method, path, headers
// (the JWT from a fixed clock) and the exact body. Run
// `go test ./plugins/appotapay/ -update` to rewrite them after a
// deliberate change.
func TestWireRequestsGolden(t *testing.T) {
	payment := func(method plugin.PaymentMethod) *plugin.CreatePaymentRequest {
		return &plugin.CreatePaymentRequest{
			PaymentID: "pay_01HZY3T8M6V1Q2W3E4R5T6Y7U8", AttemptID: "att_01HZY3T8M6V1Q2W3E4R5T6Y7U9",
			Amount: plugin.Money{Amount: 150_000, Currency: "VND"}, Method: method, Capture: plugin.CaptureAutomatic,
			Description: "Đơn hàng #1042 & phí", ReturnURL: "https://shop.example/return?order=1042&lang=vi",
			Customer: plugin.Customer{IP: testIP, Email: "an@example.com"},
		}
	}
	card := payment(plugin.MethodCard)
	card.Card = &plugin.Card{Number: plugin.NewCardNumber(testPAN), ExpMonth: 3, ExpYear: 2027, CVC: plugin.NewSecret(testCVC), HolderName: "NGUYEN VAN A"}
	ref := plugin.PaymentRef{PaymentID: "pay_1", AttemptID: "att_01HZY3T8M6V1Q2W3E4R5T6Y7U9", ProviderReference: "AP240911000123B"}
	cases := []struct {
		name   string
		config map[string]any
		call   func(context.Context, *Provider) error
	}{
		{"create_v1.1_bank", map[string]any{attrBankCode: "VCB"}, func(ctx context.Context, p *Provider) error {
			_, err := p.CreatePayment(ctx, payment(plugin.MethodBank))
			return err
		}},
		{"create_v1.1_card", nil, func(ctx context.Context, p *Provider) error {
			_, err := p.CreatePayment(ctx, card)
			return err
		}},
		{"create_v1.0_bank", map[string]any{attrAPIVersion: version10}, func(ctx context.Context, p *Provider) error {
			_, err := p.CreatePayment(ctx, payment(plugin.MethodBank))
			return err
		}},
		{"status_v1.1", nil, func(ctx context.Context, p *Provider) error {
			_, err := p.GetPayment(ctx, &plugin.GetPaymentRequest{PaymentRef: ref})
			return err
		}},
		{"status_v1.0", map[string]any{attrAPIVersion: version10}, func(ctx context.Context, p *Provider) error {
			_, err := p.GetPayment(ctx, &plugin.GetPaymentRequest{PaymentRef: ref})
			return err
		}},
		{"refund", nil, func(ctx context.Context, p *Provider) error {
			_, err := p.Refund(ctx, &plugin.RefundRequest{PaymentRef: ref, RefundID: "ref_01HZY3T8M6V1Q2W3E4R5T6Y7V0",
				Amount: plugin.Money{Amount: 50_000, Currency: "VND"}, CapturedAmount: plugin.Money{Amount: 150_000, Currency: "VND"}, Reason: "Khách trả hàng"})
			return err
		}},
		{"refund_lookup", nil, func(ctx context.Context, p *Provider) error {
			_, err := p.GetRefund(ctx, &plugin.GetRefundRequest{PaymentRef: ref, RefundID: "ref_01HZY3T8M6V1Q2W3E4R5T6Y7V0"})
			return err
		}},
		{"create_v2_bank", v2Golden(map[string]any{attrBankCode: "VCB"}), func(ctx context.Context, p *Provider) error {
			_, err := p.CreatePayment(ctx, payment(plugin.MethodBank))
			return err
		}},
		{"create_v2_card", v2Golden(nil), func(ctx context.Context, p *Provider) error {
			_, err := p.CreatePayment(ctx, card)
			return err
		}},
		{"status_v2", v2Golden(nil), func(ctx context.Context, p *Provider) error {
			_, err := p.GetPayment(ctx, &plugin.GetPaymentRequest{PaymentRef: ref})
			return err
		}},
		{"refund_v2", v2Golden(nil), func(ctx context.Context, p *Provider) error {
			_, err := p.Refund(ctx, &plugin.RefundRequest{PaymentRef: ref, RefundID: "ref_01HZY3T8M6V1Q2W3E4R5T6Y7V0",
				Amount: plugin.Money{Amount: 50_000, Currency: "VND"}, CapturedAmount: plugin.Money{Amount: 150_000, Currency: "VND"}, Reason: "Khách trả hàng"})
			return err
		}},
		{"refund_lookup_v2", v2Golden(nil), func(ctx context.Context, p *Provider) error {
			_, err := p.GetRefund(ctx, &plugin.GetRefundRequest{PaymentRef: ref, RefundID: "ref_01HZY3T8M6V1Q2W3E4R5T6Y7V0"})
			return err
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			capture := &captureTransport{}
			p := New()
			p.now = func() time.Time { return goldenNow }
			p.transport = capture
			endpoint := SandboxEndpoint
			if tc.config[attrAPIVersion] == version2 {
				endpoint = SandboxEndpointV2
			}
			if _, err := p.Configure(context.Background(), &plugin.ConfigureRequest{
				Config:      testConfig(t, endpoint, tc.config),
				CallbackURL: "https://payhost.example/v1/callbacks/appotapay/vn",
			}); err != nil {
				t.Fatal(err)
			}
			if err := tc.call(context.Background(), p); !errors.Is(err, errCaptured) && plugin.KindOf(err) != plugin.KindNotSent {
				t.Fatalf("the call ended with %v, want the captured request", err)
			}
			if len(capture.requests) != 1 {
				t.Fatalf("the call made %d requests, want 1", len(capture.requests))
			}
			got := wireRequest(t, capture.requests[0])
			if bytes.Contains(got, []byte(testPAN)) || bytes.Contains(got, []byte(testCVC)) {
				t.Errorf("card data went on the wire:\n%s", got)
			}
			checkGolden(t, filepath.Join("testdata", tc.name+".golden.json"), got)
		})
	}
}

// v2Golden is a v2 configuration with more.
func v2Golden(more map[string]any) map[string]any {
	cfg := map[string]any{attrAPIVersion: version2}
	for k, v := range more {
		cfg[k] = v
	}
	return cfg
}

// wireRequest renders a request as JSON: method, URL and headers, then
// the body exactly as sent (null for none).
func wireRequest(t *testing.T, r *http.Request) []byte {
	t.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(map[string]any{"method": r.Method, "url": r.URL.String(), "header": r.Header}); err != nil {
		t.Fatal(err)
	}
	head := bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
	body := []byte("null")
	if r.Body != nil {
		var err error
		if body, err = io.ReadAll(r.Body); err != nil {
			t.Fatal(err)
		}
	}
	var out bytes.Buffer
	out.Write(head[:len(head)-2]) // up to the closing "\n}"
	out.WriteString(",\n  \"body\": ")
	out.Write(body)
	out.WriteString("\n}\n")
	return out.Bytes()
}

// checkGolden compares got with the golden file, or rewrites it with
// -update.
func checkGolden(t *testing.T, path string, got []byte) {
	t.Helper()
	if !json.Valid(got) {
		t.Fatalf("the rendering is not JSON:\n%s", got)
	}
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs (run go test -update after a deliberate change)\n got:\n%s\nwant:\n%s", path, got, want)
	}
}
