package appotapay

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/payhost/payhost/plugin"
)

// TestFailureClassification: every way a call can fail is classified as
// the host needs it, against the emulator's injected faults. The
// provider never repeats a call; when the gateway may have acted,
// GetPayment (or GetRefund) finds the truth.
func TestFailureClassification(t *testing.T) {
	closed, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	refused := "http://" + closed.Addr().String()
	closed.Close()

	cases := []struct {
		name     string
		endpoint string // instead of the emulator's
		fault    map[string]any
		timeout  string
		kind     plugin.ErrorKind
		code     string
		sent     int  // create requests the emulator saw
		created  bool // whether GetPayment then finds the order
	}{
		{name: "connection refused", endpoint: refused, kind: plugin.KindNotSent},
		{name: "DNS failure", endpoint: "http://appotapay-payhost-test.invalid", kind: plugin.KindNotSent},
		{name: "hang past the client's timeout", fault: map[string]any{"kind": "hang"}, timeout: "300ms", kind: plugin.KindUnknownOutcome, sent: 1},
		{name: "HTTP 500", fault: map[string]any{"kind": "http_500"}, kind: plugin.KindUnknownOutcome, code: "500", sent: 1},
		{name: "HTTP 500 after acting", fault: map[string]any{"kind": "http_500", "after": true}, kind: plugin.KindUnknownOutcome, code: "500", sent: 1, created: true},
		{name: "malformed JSON", fault: map[string]any{"kind": "malformed_json"}, kind: plugin.KindUnknownOutcome, sent: 1},
		{name: "malformed JSON after acting", fault: map[string]any{"kind": "malformed_json", "after": true}, kind: plugin.KindUnknownOutcome, sent: 1, created: true},
		{name: "dropped connection", fault: map[string]any{"kind": "drop_connection"}, kind: plugin.KindUnknownOutcome, sent: 1},
		{name: "dropped connection after acting", fault: map[string]any{"kind": "drop_connection", "after": true}, kind: plugin.KindUnknownOutcome, sent: 1, created: true},
	}
	eachVersion(t, func(t *testing.T, v apiPaths) {
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				more := v.with(nil)
				if tc.endpoint != "" {
					more[attrEndpoint] = tc.endpoint
				}
				if tc.timeout != "" {
					more[attrTimeout] = tc.timeout
				}
				s := newSetup(t, more)
				if tc.fault != nil {
					tc.fault["path"] = v.create
					s.control("/__emulator/faults", tc.fault)
				}
				req := payment(20_000, plugin.MethodBank)
				_, err := s.host.CreatePayment(context.Background(), req)
				s.scan.addErr(err)
				wantError(t, "CreatePayment", err, tc.kind, tc.code, "")
				if got := s.requestsTo(v.create); got != tc.sent {
					t.Errorf("the emulator saw %d create requests, want %d", got, tc.sent)
				}
				if tc.endpoint != "" {
					return
				}
				got, err := s.host.GetPayment(context.Background(), &plugin.GetPaymentRequest{PaymentRef: plugin.PaymentRef{AttemptID: req.AttemptID}})
				s.scan.addErr(err)
				switch {
				case tc.created && (err != nil || got.Status != plugin.StatusProcessing || got.ProviderReference == "" || got.Amount != req.Amount):
					t.Errorf("GetPayment after the fault = %+v, %v; want the order, processing", got, err)
				case !tc.created:
					wantError(t, "GetPayment after the fault", err, plugin.KindNotFound, "36", "")
				}
			})
		}
	})
}

// TestRefundUnknownOutcome: a refund whose answer is lost after the
// gateway acted is unknown_outcome, and GetRefund finds it.
func TestRefundUnknownOutcome(t *testing.T) {
	eachVersion(t, testRefundUnknownOutcome)
}

func testRefundUnknownOutcome(t *testing.T, v apiPaths) {
	s := newSetup(t, v.with(nil))
	_, ref := s.paid(t, 30_000)
	s.control("/__emulator/faults", map[string]any{"kind": "http_500", "after": true, "path": v.refund})
	_, err := s.host.Refund(context.Background(), &plugin.RefundRequest{PaymentRef: ref, RefundID: "ref_lost", Amount: vnd(10_000), CapturedAmount: vnd(30_000)})
	s.scan.addErr(err)
	wantError(t, "Refund", err, plugin.KindUnknownOutcome, "500", "")
	if n := s.requestsTo(v.refund); n != 1 {
		t.Errorf("the emulator saw %d refund requests, want 1", n)
	}
	got, err := s.host.GetRefund(context.Background(), &plugin.GetRefundRequest{PaymentRef: ref, RefundID: "ref_lost"})
	if err != nil || got.Status != plugin.RefundPending || got.Amount != vnd(10_000) {
		t.Errorf("GetRefund = %+v, %v; want the refund, pending", got, err)
	}
}

// TestTamperedAnswers: a v1.x answer whose signature does not verify, or
// that should be signed and is not, is an unknown outcome, never a
// success. (v2 answers are not signed.)
func TestTamperedAnswers(t *testing.T) {
	cases := []struct {
		name string
		path string
		edit func(map[string]any)
		call func(context.Context, *setup, *testing.T) error
	}{
		{"create: amount changed", pathCreateV11, func(m map[string]any) { m["amount"] = json.Number("1") }, createCall},
		{"create: paymentUrl changed", pathCreateV11, func(m map[string]any) { m["paymentUrl"] = "https://phishing.example/pay" }, createCall},
		{"create: signature removed", pathCreateV11, func(m map[string]any) { delete(m, "signature") }, createCall},
		{"status: pending made paid", pathStatusV11, func(m map[string]any) { m["errorCode"] = json.Number("0") }, statusCall},
		{"status: paid and unsigned", pathStatusV11, func(m map[string]any) {
			m["errorCode"] = json.Number("0")
			delete(m, "signature")
		}, statusCall},
		{"refund: status made success", pathRefund, func(m map[string]any) { m["data"].(map[string]any)["status"] = "success" }, refundCall},
		{"refund status: amount changed", pathRefundLookup, func(m map[string]any) { m["data"].(map[string]any)["amount"] = json.Number("1") }, refundLookupCall},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			upstream := startEmulator(t)
			target, _ := url.Parse(upstream.url)
			proxy := httputil.NewSingleHostReverseProxy(target)
			proxy.ModifyResponse = func(resp *http.Response) error {
				if !strings.HasPrefix(resp.Request.URL.Path, tc.path) {
					return nil
				}
				return editJSON(resp, tc.edit)
			}
			front := httptest.NewServer(proxy)
			t.Cleanup(front.Close)
			s := newSetupWith(t, upstream, map[string]any{attrEndpoint: front.URL})
			err := tc.call(context.Background(), s, t)
			s.scan.addErr(err)
			e := wantError(t, tc.name, err, plugin.KindUnknownOutcome, "", "")
			if !strings.Contains(e.Message, "signature does not verify") && !strings.Contains(e.Message, "not signed") {
				t.Errorf("the error %q does not say the answer failed its signature", e.Message)
			}
		})
	}
}

// editJSON rewrites a JSON answer with edit.
func editJSON(resp *http.Response, edit func(map[string]any)) error {
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		return err
	}
	edit(m)
	if b, err = json.Marshal(m); err != nil {
		return err
	}
	resp.Body = io.NopCloser(bytes.NewReader(b))
	resp.ContentLength = int64(len(b))
	resp.Header.Set("Content-Length", strconv.Itoa(len(b)))
	return nil
}

func createCall(ctx context.Context, s *setup, t *testing.T) error {
	_, err := s.host.CreatePayment(ctx, payment(20_000, plugin.MethodBank))
	return err
}

func statusCall(ctx context.Context, s *setup, t *testing.T) error {
	req := payment(20_000, plugin.MethodBank)
	s.create(t, req)
	_, err := s.host.GetPayment(ctx, &plugin.GetPaymentRequest{PaymentRef: plugin.PaymentRef{AttemptID: req.AttemptID}})
	return err
}

func refundCall(ctx context.Context, s *setup, t *testing.T) error {
	_, ref := s.paid(t, 20_000)
	_, err := s.host.Refund(ctx, &plugin.RefundRequest{PaymentRef: ref, RefundID: "ref_t", Amount: vnd(5_000), CapturedAmount: vnd(20_000)})
	return err
}

func refundLookupCall(ctx context.Context, s *setup, t *testing.T) error {
	_, ref := s.paid(t, 20_000)
	if _, err := s.host.Refund(ctx, &plugin.RefundRequest{PaymentRef: ref, RefundID: "ref_t", Amount: vnd(5_000), CapturedAmount: vnd(20_000)}); err != nil {
		t.Fatalf("Refund: %v", err)
	}
	_, err := s.host.GetRefund(ctx, &plugin.GetRefundRequest{PaymentRef: ref, RefundID: "ref_t"})
	return err
}
