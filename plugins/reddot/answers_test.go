package reddot

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	emulator "github.com/payhost/payhost/internal/sandbox/reddot"
	"github.com/payhost/payhost/plugin"
)

// signedBody is an answer with a sign_generic signature by secret (the
// signing itself is pinned by the known-answer tests).
func signedBody(t *testing.T, body, secret string) string {
	t.Helper()
	a, err := parseAnswer([]byte(body))
	if err != nil {
		t.Fatal(err)
	}
	return body[:len(body)-1] + `,"signature":"` + signGeneric(a.fields, secret) + `"}`
}

// md5Body is a Merchant API answer with its MD5 signature by secret.
func md5Body(fields url.Values, secret string) string {
	fields.Set("signature", merchantSignature(fields, secret))
	out := "{"
	for k := range fields {
		if out != "{" {
			out += ","
		}
		out += `"` + k + `":"` + fields.Get(k) + `"`
	}
	return out + "}"
}

// TestAnswersThatCannotBeTrusted: an answer that reports a success is
// believed only with a signature that verifies; error answers may come
// unsigned; a result payhost does not know is never a success. RDP here
// is a stand-in that gives one canned answer.
func TestAnswersThatCannotBeTrusted(t *testing.T) {
	const sale = `{"response_code":"0","response_msg":"successful","mid":"1000089029","request_mid":"1000089029","transaction_id":"T1","order_id":"att_x","transaction_type":"S","request_amount":"10.00","request_ccy":"SGD"}`
	accepted := url.Values{"result_status": {"accepted"}, "reason_code": {"00"}, "order_number": {"att_x"}, "amount": {"10.00"}, "currency": {"SGD"}}
	cases := []struct {
		name    string
		status  int
		body    string
		call    string // "pay" or "capture"
		kind    plugin.ErrorKind
		outcome plugin.PaymentStatus // when there is no error
	}{
		{name: "signed success", status: 200, body: signedBody(t, sale, emulator.DefaultSecret), call: "pay", outcome: plugin.StatusSucceeded},
		{name: "success without signature", status: 200, body: sale, call: "pay", kind: plugin.KindUnknownOutcome},
		{name: "success signed with another secret", status: 200, body: signedBody(t, sale, usdSecret), call: "pay", kind: plugin.KindUnknownOutcome},
		{name: "success with response_code as a number", status: 200, body: signedBody(t, `{"response_code":0,"transaction_id":"T1","transaction_type":"S","mid":"1000089029"}`, emulator.DefaultSecret), call: "pay", outcome: plugin.StatusSucceeded},
		{name: "unknown transaction type", status: 200, body: signedBody(t, `{"response_code":"0","transaction_id":"T1","transaction_type":"I"}`, emulator.DefaultSecret), call: "pay", outcome: plugin.StatusProcessing},
		{name: "unknown response code", status: 200, body: signedBody(t, `{"response_code":"7","transaction_id":"T1","transaction_type":"S"}`, emulator.DefaultSecret), call: "pay", outcome: plugin.StatusProcessing},
		{name: "unsigned decline", status: 200, body: `{"response_code":"-1","response_msg":"Do not honour","transaction_id":"T1","transaction_type":"S"}`, call: "pay", kind: plugin.KindDeclined},
		{name: "unsigned error answer", status: 200, body: `{"response_status":"error","response_code":"-1003","response_msg":"invalid signature"}`, call: "pay", kind: plugin.KindAuthentication},
		{name: "JSON null", status: 200, body: `null`, call: "pay", kind: plugin.KindUnknownOutcome},
		{name: "HTTP 302 is not followed", status: 302, body: `moved`, call: "pay", kind: plugin.KindInvalidRequest},
		{name: "HTTP 404", status: 404, body: `not found`, call: "pay", kind: plugin.KindInvalidRequest},
		{name: "HTTP 403", status: 403, body: `forbidden`, call: "pay", kind: plugin.KindAuthentication},
		{name: "HTTP 502", status: 502, body: `bad gateway`, call: "pay", kind: plugin.KindUnknownOutcome},
		{name: "Merchant API accepted, signed", status: 200, body: md5Body(accepted, emulator.DefaultSecret), call: "capture", outcome: plugin.StatusSucceeded},
		{name: "Merchant API accepted, unsigned", status: 200, body: `{"result_status":"accepted","reason_code":"00"}`, call: "capture", kind: plugin.KindUnknownOutcome},
		{name: "Merchant API accepted, badly signed", status: 200, body: md5Body(accepted, "wrong"), call: "capture", kind: plugin.KindUnknownOutcome},
		{name: "Merchant API failed, unsigned", status: 200, body: `{"result_status":"failed","reason_code":"99","reason_msg":"no"}`, call: "capture", kind: plugin.KindDeclined},
		{name: "Merchant API unknown status, signed", status: 200, body: md5Body(url.Values{"result_status": {"queued"}, "reason_code": {"00"}}, emulator.DefaultSecret), call: "capture", outcome: plugin.StatusProcessing},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rdp := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if tc.status == http.StatusFound {
					w.Header().Set("Location", "/elsewhere")
				}
				w.WriteHeader(tc.status)
				_, _ = w.Write([]byte(tc.body))
			}))
			defer rdp.Close()
			p := configured(t, map[string]any{attrEndpoint: rdp.URL, attrMerchantAPI: rdp.URL})
			ctx := context.Background()
			var res *plugin.PaymentResult
			var err error
			switch tc.call {
			case "pay":
				var resp *plugin.CreatePaymentResponse
				resp, err = p.CreatePayment(ctx, &plugin.CreatePaymentRequest{
					AttemptID: "att_x", Amount: sgd(1000), Method: plugin.MethodCard, Capture: plugin.CaptureAutomatic,
					Card: &plugin.Card{Number: plugin.NewCardNumber(emulator.CardApprove), ExpMonth: 12, ExpYear: expYear, CVC: plugin.NewSecret(testCVV)},
				})
				if resp != nil {
					res = &resp.PaymentResult
				}
			case "capture":
				var resp *plugin.CaptureResponse
				resp, err = p.Capture(ctx, &plugin.CaptureRequest{PaymentRef: plugin.PaymentRef{AttemptID: "att_x", ProviderReference: "T1"}, Amount: sgd(1000), AuthorizedAmount: sgd(1000)})
				if resp != nil {
					res = &resp.PaymentResult
				}
			}
			if tc.kind != "" {
				if plugin.KindOf(err) != tc.kind {
					t.Fatalf("answered %+v, %v; want kind %s", res, err, tc.kind)
				}
				return
			}
			if err != nil || res.Status != tc.outcome {
				t.Fatalf("answered %+v, %v; want status %s", res, err, tc.outcome)
			}
		})
	}
}
