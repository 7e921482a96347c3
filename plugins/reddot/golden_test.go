package reddot

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/payhost/payhost/internal/sandbox/emukit"
	emulator "github.com/payhost/payhost/internal/sandbox/reddot"
	"github.com/payhost/payhost/plugin"
	"github.com/payhost/payhost/plugin/plugintest"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden.json from what the provider sends")

// TestGoldenRequests pins the exact bytes of every request the provider
// builds: each case runs on a fresh emulator with a fixed clock and
// counting ids, so that its answers (and the ids the next request
// carries) are the same on every run. A JSON body is shown indented in
// the golden file; the test checks it was sent compact, so that the file
// fixes its bytes exactly.
func TestGoldenRequests(t *testing.T) {
	const (
		attempt = "att_01jd2k3m4n5p6q7r8s9t0v1w2x"
		tokenID = "tok_01jd2k3m4n5p6q7r8s9t0v1w2x"
	)
	card := func() *plugin.Card {
		return &plugin.Card{Number: plugin.NewCardNumber(emulator.CardApprove), ExpMonth: 12, ExpYear: 2031, CVC: plugin.NewSecret("123"), HolderName: "Tan Ah Kow"}
	}
	payment := func(method plugin.PaymentMethod, capture plugin.CaptureMode) *plugin.CreatePaymentRequest {
		return &plugin.CreatePaymentRequest{
			PaymentID: "pay_01jd2k3m4n5p6q7r8s9t0v1w2x", AttemptID: attempt, Amount: sgd(1050), Method: method,
			Capture: capture, Customer: customer, ReturnURL: "https://merchant.example/return", Reference: "order-42",
		}
	}
	tokenize := func(withCard bool) *plugin.TokenizeRequest {
		req := &plugin.TokenizeRequest{TokenID: tokenID, Customer: customer, Currency: "SGD", ReturnURL: "https://merchant.example/return"}
		if withCard {
			req.Card = card()
		}
		return req
	}
	type step func(ctx context.Context, p plugin.Provider) error
	// stored tokenizes a card and returns its ref.
	stored := func(ctx context.Context, p plugin.Provider) (plugin.TokenRef, error) {
		tok, err := p.Tokenize(ctx, tokenize(true))
		if err != nil {
			return plugin.TokenRef{}, err
		}
		return plugin.TokenRef{TokenID: tokenID, Token: tok.Token, CustomerRef: tok.CustomerRef, ProviderReference: tok.ProviderReference}, nil
	}
	// authorized authorizes 10.50 SGD with a card and returns its ref.
	authorized := func(ctx context.Context, p plugin.Provider) (plugin.PaymentRef, error) {
		req := payment(plugin.MethodCard, plugin.CaptureManual)
		req.Card = card()
		res, err := p.CreatePayment(ctx, req)
		if err != nil {
			return plugin.PaymentRef{}, err
		}
		return plugin.PaymentRef{PaymentID: req.PaymentID, AttemptID: attempt, ProviderReference: res.ProviderReference}, nil
	}
	cases := []struct {
		name  string
		setup func(ctx context.Context, p plugin.Provider) (step, error)
	}{
		{"token_hosted_create", func(context.Context, plugin.Provider) (step, error) {
			return func(ctx context.Context, p plugin.Provider) error {
				_, err := p.Tokenize(ctx, tokenize(false))
				return err
			}, nil
		}},
		{"token_direct_create", func(context.Context, plugin.Provider) (step, error) {
			return func(ctx context.Context, p plugin.Provider) error {
				_, err := p.Tokenize(ctx, tokenize(true))
				return err
			}, nil
		}},
		{"token_query", func(ctx context.Context, p plugin.Provider) (step, error) {
			ref, err := stored(ctx, p)
			return func(ctx context.Context, p plugin.Provider) error {
				_, err := p.GetToken(ctx, &plugin.GetTokenRequest{TokenRef: ref})
				return err
			}, err
		}},
		{"token_remove", func(ctx context.Context, p plugin.Provider) (step, error) {
			ref, err := stored(ctx, p)
			return func(ctx context.Context, p plugin.Provider) error {
				_, err := p.DeleteToken(ctx, &plugin.DeleteTokenRequest{TokenRef: ref})
				return err
			}, err
		}},
		{"payment_hosted_sale", func(context.Context, plugin.Provider) (step, error) {
			return func(ctx context.Context, p plugin.Provider) error {
				_, err := p.CreatePayment(ctx, payment(plugin.MethodCard, plugin.CaptureAutomatic))
				return err
			}, nil
		}},
		{"payment_direct_card_authorization", func(context.Context, plugin.Provider) (step, error) {
			return func(ctx context.Context, p plugin.Provider) error { _, err := authorized(ctx, p); return err }, nil
		}},
		{"payment_direct_token_sale", func(ctx context.Context, p plugin.Provider) (step, error) {
			ref, err := stored(ctx, p)
			return func(ctx context.Context, p plugin.Provider) error {
				req := payment(plugin.MethodToken, plugin.CaptureAutomatic)
				req.Token = &plugin.StoredToken{Token: ref.Token, CustomerRef: ref.CustomerRef}
				_, err := p.CreatePayment(ctx, req)
				return err
			}, err
		}},
		{"payment_query", func(ctx context.Context, p plugin.Provider) (step, error) {
			ref, err := authorized(ctx, p)
			return func(ctx context.Context, p plugin.Provider) error {
				_, err := p.GetPayment(ctx, &plugin.GetPaymentRequest{PaymentRef: ref, Amount: sgd(1050)})
				return err
			}, err
		}},
		{"merchant_capture", func(ctx context.Context, p plugin.Provider) (step, error) {
			ref, err := authorized(ctx, p)
			return func(ctx context.Context, p plugin.Provider) error {
				_, err := p.Capture(ctx, &plugin.CaptureRequest{PaymentRef: ref, Amount: sgd(1000), AuthorizedAmount: sgd(1050)})
				return err
			}, err
		}},
		{"merchant_void", func(ctx context.Context, p plugin.Provider) (step, error) {
			ref, err := authorized(ctx, p)
			return func(ctx context.Context, p plugin.Provider) error {
				_, err := p.Void(ctx, &plugin.VoidRequest{PaymentRef: ref, Amount: sgd(1050)})
				return err
			}, err
		}},
		{"merchant_refund", func(ctx context.Context, p plugin.Provider) (step, error) {
			ref, err := authorized(ctx, p)
			if err == nil {
				_, err = p.Capture(ctx, &plugin.CaptureRequest{PaymentRef: ref, Amount: sgd(1050), AuthorizedAmount: sgd(1050)})
			}
			return func(ctx context.Context, p plugin.Provider) error {
				_, err := p.Refund(ctx, &plugin.RefundRequest{PaymentRef: ref, RefundID: "re_1", Amount: sgd(525), CapturedAmount: sgd(1050)})
				return err
			}, err
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			emu := startEmulator(t, newCapture(t), func(c *emulator.Config) {
				c.Kit.Deterministic = true
				c.Kit.Clock = emukit.NewManualClock(time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC))
				c.Kit.Retry = emukit.RetryPolicy{}
			})
			p := plugintest.Connect(t, New())
			ctx := context.Background()
			if _, err := p.Configure(ctx, &plugin.ConfigureRequest{
				Config: newConfig(t, configValues(emu.url), nil), CallbackURL: "https://payhost.example/v1/callbacks/reddot/sg",
			}); err != nil {
				t.Fatal(err)
			}
			run, err := tc.setup(ctx, p)
			if err != nil {
				t.Fatalf("setup: %v", err)
			}
			emu.received()
			if err := run(ctx, p); err != nil {
				t.Fatalf("%s: %v", tc.name, err)
			}
			checkGolden(t, filepath.Join("testdata", tc.name+".golden.json"), emu.received())
		})
	}
}

// goldenRequest is a wire request as a golden file shows it.
type goldenRequest struct {
	Method      string          `json:"method"`
	Path        string          `json:"path"`
	ContentType string          `json:"content_type"`
	JSON        json.RawMessage `json:"json,omitempty"`
	Form        string          `json:"form,omitempty"`
}

// checkGolden compares requests with the golden file (or rewrites it with
// -update).
func checkGolden(t *testing.T, path string, requests []wireRequest) {
	t.Helper()
	if len(requests) == 0 {
		t.Fatal("the provider sent nothing")
	}
	shown := make([]goldenRequest, len(requests))
	for i, r := range requests {
		shown[i] = goldenRequest{Method: r.Method, Path: r.Path, ContentType: r.ContentType}
		if r.ContentType != contentJSON {
			shown[i].Form = r.Body
			continue
		}
		var compact bytes.Buffer
		if err := json.Compact(&compact, []byte(r.Body)); err != nil || compact.String() != r.Body {
			t.Fatalf("request %d was not sent as compact JSON: %s", i+1, r.Body)
		}
		shown[i].JSON = json.RawMessage(r.Body)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(shown); err != nil {
		t.Fatal(err)
	}
	got := buf.Bytes()
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./plugins/reddot/ -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from what the provider sent:\n%s", path, got)
	}
}
