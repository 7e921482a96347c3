package redotpay

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/payhost/payhost/plugin"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden.json from the requests the provider builds now")

// testNow is the provider's clock in wire tests: X-R-Ts, and with it the
// RSA signatures, are fixed.
var testNow = time.Date(2026, 3, 18, 12, 0, 0, 0, time.UTC)

// testCallbackURL is the CallbackURL of wire tests.
const testCallbackURL = "https://payhost.example/v1/callbacks/redotpay/main"

// wireRequest is one request as the gateway received it.
type wireRequest struct {
	Method string            `json:"method"`
	Path   string            `json:"path"`
	Query  string            `json:"query,omitempty"`
	Header map[string]string `json:"header"`
	// Body is the exact bytes, as a string so that they stay exact.
	Body string `json:"body,omitempty"`
}

// golden is what a wire test's golden file holds: the requests the
// provider sent, and what it made of the canned answers.
type golden struct {
	Requests []wireRequest `json:"requests"`
	Result   any           `json:"result,omitempty"`
	Error    *plugin.Error `json:"error,omitempty"`
}

// cannedAnswer is an answer of the fake gateway: an HTTP status and a
// body from testdata/answers.
type cannedAnswer struct {
	status int
	file   string
}

// fakeGateway answers the calls it receives with canned answers, in
// order, and records them.
type fakeGateway struct {
	t       *testing.T
	mu      sync.Mutex
	answers []cannedAnswer
	got     []wireRequest
}

func (f *fakeGateway) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	header := map[string]string{}
	for k, v := range r.Header {
		if k != "Accept-Encoding" {
			header[k] = strings.Join(v, ", ")
		}
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.got = append(f.got, wireRequest{Method: r.Method, Path: r.URL.EscapedPath(), Query: r.URL.RawQuery, Header: header, Body: string(body)})
	if len(f.answers) == 0 {
		f.t.Errorf("unexpected call %s %s", r.Method, r.URL.Path)
		http.Error(w, "no answer left", http.StatusTeapot)
		return
	}
	a := f.answers[0]
	f.answers = f.answers[1:]
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(a.status)
	w.Write([]byte(readFile(f.t, filepath.Join("testdata", "answers", a.file))))
}

// wireProvider configures a provider with the fixed clock against a fake
// gateway serving answers.
func wireProvider(t *testing.T, values map[string]any, answers ...cannedAnswer) (*Provider, *fakeGateway) {
	t.Helper()
	fake := &fakeGateway{t: t, answers: answers}
	srv := httptest.NewServer(fake)
	t.Cleanup(srv.Close)
	values["endpoint"] = srv.URL
	p := newProvider(func() time.Time { return testNow })
	if _, err := p.Configure(context.Background(), &plugin.ConfigureRequest{
		Instance: "redotpay.main", Config: mustConfig(t, values), CallbackURL: testCallbackURL,
	}); err != nil {
		t.Fatal(err)
	}
	return p, fake
}

func ok(file string) cannedAnswer { return cannedAnswer{http.StatusOK, file} }

// walletPayment is the payment of the wire tests.
func walletPayment(attempt string, method plugin.PaymentMethod, options map[string]string) *plugin.CreatePaymentRequest {
	return &plugin.CreatePaymentRequest{
		PaymentID: "pay_01JQ0000000000000000000001", AttemptID: attempt, IdempotencyKey: "idem_1",
		Amount: usd(1050), Method: method, Capture: plugin.CaptureAutomatic,
		Reference: "INV-42", Description: "Order 42", ReturnURL: "https://shop.example/return?order=42&x=<1>",
		Customer: plugin.Customer{ID: "cust_42", Email: "ada@example.com"}, Options: options,
	}
}

// cardPayment is the card payment of the wire tests.
func cardPayment(capture plugin.CaptureMode) *plugin.CreatePaymentRequest {
	return &plugin.CreatePaymentRequest{
		PaymentID: "pay_01JQ0000000000000000000004", AttemptID: "att_01JQ0000000000000000000004",
		Amount: usd(10000), Method: plugin.MethodCard, Capture: capture,
		Card: &plugin.Card{Number: plugin.NewCardNumber("4111 1111 1111 1111"), ExpMonth: 12, ExpYear: 2030,
			CVC: plugin.NewSecret("737"), HolderName: "Ada Lovelace"},
	}
}

var cardRef = plugin.PaymentRef{PaymentID: "pay_01JQ0000000000000000000004", AttemptID: "att_01JQ0000000000000000000004", ProviderReference: "000000000001"}

// TestWireRequests checks every request the provider builds, byte for
// byte, against testdata/<name>.golden.json (rewritten with -update), and
// what it makes of the gateway's answers.
func TestWireRequests(t *testing.T) {
	ctx := context.Background()
	orderRef := plugin.PaymentRef{AttemptID: "att_01JQ0000000000000000000001", ProviderReference: "RAP202603180000000001"}
	cases := []struct {
		name       string
		config     func(t *testing.T) map[string]any
		answers    []cannedAnswer
		call       func(p *Provider) (any, error)
		wantStatus string           // the result's status, or
		wantKind   plugin.ErrorKind // the error's kind
	}{
		{"connect_create_redirect", connectValues, []cannedAnswer{ok("connect_create.json")},
			func(p *Provider) (any, error) {
				return p.CreatePayment(ctx, walletPayment("att_01JQ0000000000000000000001", plugin.MethodWallet, nil))
			}, "requires_action", ""},
		{"connect_create_app", func(t *testing.T) map[string]any {
			return connectConfig(t, map[string]any{"env": "APP", "key_version": int64(2)})
		},
			[]cannedAnswer{ok("connect_create.json")},
			func(p *Provider) (any, error) {
				return p.CreatePayment(ctx, walletPayment("att_01JQ0000000000000000000001", plugin.MethodWallet, map[string]string{"goods_type": "01", "goods_category": "0000"}))
			}, "requires_action", ""},
		{"connect_create_qr", connectValues, []cannedAnswer{ok("connect_create_manual.json"), ok("connect_payment_method_qr.json")},
			func(p *Provider) (any, error) {
				return p.CreatePayment(ctx, walletPayment("att_01JQ0000000000000000000002", plugin.MethodQR, nil))
			}, "requires_action", ""},
		{"connect_create_deeplink", connectValues, []cannedAnswer{ok("connect_create_manual.json"), ok("connect_payment_method_deeplink.json")},
			func(p *Provider) (any, error) {
				return p.CreatePayment(ctx, walletPayment("att_01JQ0000000000000000000002", plugin.MethodWallet, map[string]string{"payment_method": "DEEPLINK"}))
			}, "requires_action", ""},
		{"connect_create_declined", connectValues, []cannedAnswer{{http.StatusUnprocessableEntity, "connect_risk_reject.json"}},
			func(p *Provider) (any, error) {
				return p.CreatePayment(ctx, walletPayment("att_01JQ0000000000000000000001", plugin.MethodWallet, nil))
			}, "", plugin.KindDeclined},
		{"connect_create_unknown_code", connectValues, []cannedAnswer{ok("connect_unknown_code.json")},
			func(p *Provider) (any, error) {
				return p.CreatePayment(ctx, walletPayment("att_01JQ0000000000000000000001", plugin.MethodWallet, nil))
			}, "", plugin.KindUnknownOutcome},
		{"connect_create_bad_signature", connectValues, []cannedAnswer{{http.StatusUnauthorized, "connect_sign_error.json"}},
			func(p *Provider) (any, error) {
				return p.CreatePayment(ctx, walletPayment("att_01JQ0000000000000000000001", plugin.MethodWallet, nil))
			}, "", plugin.KindAuthentication},
		{"connect_create_not_json", connectValues, []cannedAnswer{{http.StatusNotFound, "not_json.html"}},
			func(p *Provider) (any, error) {
				return p.CreatePayment(ctx, walletPayment("att_01JQ0000000000000000000001", plugin.MethodWallet, nil))
			}, "", plugin.KindUnknownOutcome},
		{"connect_get_by_reference", connectValues, []cannedAnswer{ok("connect_detail_paid.json")},
			func(p *Provider) (any, error) {
				return p.GetPayment(ctx, &plugin.GetPaymentRequest{PaymentRef: orderRef})
			},
			"succeeded", ""},
		{"connect_get_by_attempt", connectValues, []cannedAnswer{ok("connect_detail_pending.json")},
			func(p *Provider) (any, error) {
				return p.GetPayment(ctx, &plugin.GetPaymentRequest{PaymentRef: plugin.PaymentRef{AttemptID: orderRef.AttemptID}})
			}, "processing", ""},
		{"connect_get_expired", connectValues, []cannedAnswer{ok("connect_detail_expired.json")},
			func(p *Provider) (any, error) {
				return p.GetPayment(ctx, &plugin.GetPaymentRequest{PaymentRef: orderRef})
			},
			"expired", ""},
		{"connect_void", connectValues, []cannedAnswer{ok("connect_detail_closed.json")},
			func(p *Provider) (any, error) { return p.Void(ctx, &plugin.VoidRequest{PaymentRef: orderRef}) },
			"canceled", ""},
		{"connect_void_paid", connectValues, []cannedAnswer{{http.StatusConflict, "connect_order_paid.json"}},
			func(p *Provider) (any, error) { return p.Void(ctx, &plugin.VoidRequest{PaymentRef: orderRef}) },
			"", plugin.KindInvalidRequest},
		{"seed_create_redirect", seedValues, []cannedAnswer{ok("seed_create.json")},
			func(p *Provider) (any, error) {
				return p.CreatePayment(ctx, walletPayment("att_01JQ0000000000000000000003", plugin.MethodWallet, nil))
			}, "requires_action", ""},
		{"seed_create_qr", seedValues, []cannedAnswer{ok("seed_create_manual.json"), ok("seed_payment_method.json")},
			func(p *Provider) (any, error) {
				return p.CreatePayment(ctx, walletPayment("att_01JQ0000000000000000000003", plugin.MethodQR, nil))
			}, "requires_action", ""},
		{"seed_create_declined", seedValues, []cannedAnswer{{http.StatusUnprocessableEntity, "seed_risk_reject.json"}},
			func(p *Provider) (any, error) {
				return p.CreatePayment(ctx, walletPayment("att_01JQ0000000000000000000003", plugin.MethodWallet, nil))
			}, "", plugin.KindDeclined},
		{"seed_get", seedValues, []cannedAnswer{ok("seed_order_paid.json")},
			func(p *Provider) (any, error) {
				return p.GetPayment(ctx, &plugin.GetPaymentRequest{PaymentRef: plugin.PaymentRef{AttemptID: "att_01JQ0000000000000000000003", ProviderReference: "SN20260318123456789"}})
			}, "succeeded", ""},
		{"seed_card_authorize", seedValues, []cannedAnswer{ok("card_authorized.json")},
			func(p *Provider) (any, error) { return p.CreatePayment(ctx, cardPayment(plugin.CaptureManual)) },
			"authorized", ""},
		{"seed_card_authorize_pending", seedValues, []cannedAnswer{{http.StatusAccepted, "card_pending.json"}},
			func(p *Provider) (any, error) { return p.CreatePayment(ctx, cardPayment(plugin.CaptureManual)) },
			"processing", ""},
		{"seed_card_sale", seedValues, []cannedAnswer{ok("card_authorized.json"), ok("card_captured.json")},
			func(p *Provider) (any, error) { return p.CreatePayment(ctx, cardPayment(plugin.CaptureAutomatic)) },
			"succeeded", ""},
		{"seed_card_sale_capture_refused", seedValues, []cannedAnswer{ok("card_authorized.json"), {http.StatusConflict, "card_invalid_state.json"}},
			func(p *Provider) (any, error) { return p.CreatePayment(ctx, cardPayment(plugin.CaptureAutomatic)) },
			"authorized", ""},
		{"seed_card_sale_capture_unknown", seedValues, []cannedAnswer{ok("card_authorized.json"), {http.StatusOK, "not_json.html"}},
			func(p *Provider) (any, error) { return p.CreatePayment(ctx, cardPayment(plugin.CaptureAutomatic)) },
			"unknown", ""},
		{"seed_card_declined", seedValues, []cannedAnswer{{http.StatusPaymentRequired, "card_declined.json"}},
			func(p *Provider) (any, error) { return p.CreatePayment(ctx, cardPayment(plugin.CaptureAutomatic)) },
			"", plugin.KindDeclined},
		{"seed_card_capture_partial", seedValues, []cannedAnswer{ok("card_captured_partial.json")},
			func(p *Provider) (any, error) {
				return p.Capture(ctx, &plugin.CaptureRequest{PaymentRef: cardRef, Amount: usd(4000), AuthorizedAmount: usd(10000)})
			}, "succeeded", ""},
		{"seed_card_refund", seedValues, []cannedAnswer{ok("card_partially_refunded.json")},
			func(p *Provider) (any, error) {
				return p.Refund(ctx, &plugin.RefundRequest{PaymentRef: cardRef, RefundID: "ref_1", Amount: usd(2500), CapturedAmount: usd(10000)})
			}, "succeeded", ""},
		{"seed_card_refund_too_much", seedValues, []cannedAnswer{{http.StatusUnprocessableEntity, "card_amount_exceeds.json"}},
			func(p *Provider) (any, error) {
				return p.Refund(ctx, &plugin.RefundRequest{PaymentRef: cardRef, RefundID: "ref_2", Amount: usd(10000), CapturedAmount: usd(10000)})
			}, "", plugin.KindInvalidRequest},
		{"seed_card_void", seedValues, []cannedAnswer{ok("card_voided.json")},
			func(p *Provider) (any, error) {
				return p.Void(ctx, &plugin.VoidRequest{PaymentRef: cardRef, Amount: usd(10000)})
			},
			"canceled", ""},
		{"seed_card_reversal", seedValues, []cannedAnswer{ok("card_reversed.json")},
			func(p *Provider) (any, error) {
				return p.Reverse(ctx, &plugin.ReverseRequest{PaymentRef: cardRef, Amount: usd(10000)})
			},
			"reversed", ""},
	}
	pub := testPublicKey(t)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p, fake := wireProvider(t, tc.config(t), tc.answers...)
			res, err := tc.call(p)
			if len(fake.answers) != 0 {
				t.Errorf("%d canned answers left unasked", len(fake.answers))
			}
			got := golden{Requests: fake.got}
			if err != nil {
				if plugin.KindOf(err) != tc.wantKind {
					t.Fatalf("error %v, want kind %q", err, tc.wantKind)
				}
				got.Error = err.(*plugin.Error)
			} else {
				if tc.wantKind != "" {
					t.Fatalf("result %+v, want an error of kind %s", res, tc.wantKind)
				}
				got.Result = res
				if status := resultStatus(res); status != tc.wantStatus {
					t.Errorf("status %q, want %q", status, tc.wantStatus)
				}
			}
			for _, r := range fake.got {
				if r.Header["X-R-Signature"] != "" {
					msg := requestStringToSign(r.Method, r.Path, r.Header["X-R-Ak"], r.Header["X-R-Ts"], []byte(r.Body))
					if err := verifyRSA(pub, msg, r.Header["X-R-Signature"]); err != nil {
						t.Errorf("%s %s: the signature does not cover the bytes sent: %v", r.Method, r.Path, err)
					}
				}
			}
			compareGolden(t, filepath.Join("testdata", tc.name+".golden.json"), got)
		})
	}
}

func connectValues(t *testing.T) map[string]any { return connectConfig(t, nil) }
func seedValues(*testing.T) map[string]any      { return seedConfig(nil) }

// resultStatus is the status of any operation's answer.
func resultStatus(res any) string {
	switch r := res.(type) {
	case *plugin.CreatePaymentResponse:
		return string(r.Status)
	case *plugin.GetPaymentResponse:
		return string(r.Status)
	case *plugin.CaptureResponse:
		return string(r.Status)
	case *plugin.VoidResponse:
		return string(r.Status)
	case *plugin.ReverseResponse:
		return string(r.Status)
	case *plugin.RefundResponse:
		return string(r.Status)
	}
	return ""
}

// compareGolden compares v, as indented JSON, with the golden file, or
// rewrites the file with -update.
func compareGolden(t *testing.T, path string, v any) {
	t.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./plugins/redotpay/ -update to create it)", err)
	}
	if !bytes.Equal(buf.Bytes(), want) {
		t.Errorf("%s differs from what the provider did now:\n%s\n(run with -update if the change is intended)", path, buf.Bytes())
	}
}
