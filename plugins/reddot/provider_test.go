package reddot

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	emulator "github.com/payhost/payhost/internal/sandbox/reddot"
	"github.com/payhost/payhost/plugin"
)

// TestFailureClassification: a failure is not_sent only when the request
// certainly never reached RDP, and an unknown outcome whenever RDP may
// have acted; the call is never repeated, and a status query by order id
// finds what RDP did.
func TestFailureClassification(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	refused := "http://" + ln.Addr().String()
	ln.Close()

	cases := []struct {
		name  string
		edits map[string]any
		fault string // injected on the payment API
		want  plugin.ErrorKind
		sent  int // payment-api requests the emulator sees
		// found: the payment exists at RDP afterwards (a status query by
		// order id finds it succeeded); otherwise RDP knows nothing of it.
		found bool
	}{
		{name: "connection refused", edits: map[string]any{attrEndpoint: refused}, want: plugin.KindNotSent},
		{name: "DNS failure", edits: map[string]any{attrEndpoint: "http://payhost-no-such-host.invalid"}, want: plugin.KindNotSent},
		{name: "hang", edits: map[string]any{attrTimeout: "300ms"}, fault: `{"kind":"hang"}`, want: plugin.KindUnknownOutcome, sent: 1},
		{name: "HTTP 500 before acting", fault: `{"kind":"http_500"}`, want: plugin.KindUnknownOutcome, sent: 1},
		{name: "HTTP 500 after acting", fault: `{"kind":"http_500","after":true}`, want: plugin.KindUnknownOutcome, sent: 1, found: true},
		{name: "malformed JSON", fault: `{"kind":"malformed_json"}`, want: plugin.KindUnknownOutcome, sent: 1},
		{name: "dropped connection", fault: `{"kind":"drop_connection"}`, want: plugin.KindUnknownOutcome, sent: 1},
		{name: "dropped connection after acting", fault: `{"kind":"drop_connection","after":true}`, want: plugin.KindUnknownOutcome, sent: 1, found: true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, tc.edits)
			if tc.fault != "" {
				e.emu.control(t, "/__emulator/faults", strings.Replace(tc.fault, "{", `{"path":"/service/payment-api",`, 1))
			}
			_, err := e.pay("att_fault", sgd(1000), plugin.CaptureAutomatic, emulator.CardApprove, nil)
			wantKind(t, "CreatePayment", err, tc.want, "")
			if got := e.emu.requestsTo(pathPaymentAPI); got != tc.sent {
				t.Errorf("the emulator saw %d payment requests, want %d (never a retry)", got, tc.sent)
			}
			if tc.want == plugin.KindNotSent {
				return
			}
			got, err := e.status(plugin.PaymentRef{AttemptID: "att_fault"}, "SGD")
			if !tc.found {
				wantKind(t, "GetPayment of a payment RDP never took", err, plugin.KindNotFound, "-1008")
				return
			}
			if err != nil {
				t.Fatalf("GetPayment by order id: %v", err)
			}
			if got.Status != plugin.StatusSucceeded || got.Amount != sgd(1000) || got.ProviderReference == "" {
				t.Errorf("GetPayment found %+v; want the succeeded payment of 10.00 SGD", got.PaymentResult)
			}
		})
	}
}

// TestTokenizeLostAnswer: a tokenization whose answer was lost is found
// by GetToken through its order id, and is active.
func TestTokenizeLostAnswer(t *testing.T) {
	e := newEnv(t, nil)
	e.emu.control(t, "/__emulator/faults", `{"kind":"http_500","path":"/service/token-api","after":true}`)
	_, err := e.p.Tokenize(e.ctx, &plugin.TokenizeRequest{TokenID: "tok_lost", Customer: customer, Card: e.driver.card(freshPAN())})
	wantKind(t, "Tokenize", e.seen(err), plugin.KindUnknownOutcome, "")
	got, err := e.p.GetToken(e.ctx, &plugin.GetTokenRequest{TokenRef: plugin.TokenRef{TokenID: "tok_lost"}})
	if e.seen(err) != nil || got.Status != plugin.TokenActive || got.Token == "" || got.CustomerRef != "tok_lost" {
		t.Fatalf("GetToken by token id: %+v, %v; want the active token", got, err)
	}
}

// TestMerchantAPIFailures: a Merchant API call that may have reached RDP
// is an unknown outcome too.
func TestMerchantAPIFailures(t *testing.T) {
	for _, fault := range []string{"http_500", "malformed_json", "drop_connection"} {
		t.Run(fault, func(t *testing.T) {
			e := newEnv(t, nil)
			auth, err := e.pay("att_mapi", sgd(1000), plugin.CaptureManual, emulator.CardApprove, nil)
			if err != nil {
				t.Fatal(err)
			}
			e.emu.control(t, "/__emulator/faults", fmt.Sprintf(`{"kind":%q,"path":"/instanpanel/api/payment","after":true}`, fault))
			_, err = e.p.Capture(e.ctx, &plugin.CaptureRequest{
				PaymentRef: plugin.PaymentRef{AttemptID: "att_mapi", ProviderReference: auth.ProviderReference},
				Amount:     sgd(1000), AuthorizedAmount: sgd(1000),
			})
			wantKind(t, "Capture", e.seen(err), plugin.KindUnknownOutcome, "")
			if got := e.emu.requestsTo("/instanpanel/api/payment"); got != 1 {
				t.Errorf("the emulator saw %d Merchant API requests, want 1", got)
			}
		})
	}
}

// TestDeclines: RDP's declines come back as kind declined with RDP's code
// and message; request errors as invalid_request with RDP's code.
func TestDeclines(t *testing.T) {
	e := newEnv(t, nil)
	cases := []struct {
		name    string
		amount  plugin.Money
		pan     string
		token   *plugin.StoredToken
		kind    plugin.ErrorKind
		code    string
		message string
	}{
		{"declined card", sgd(1000), emulator.CardDecline, nil, plugin.KindDeclined, "-1", "Bank rejected the card (acquirer 05: Do not honour)"},
		{"declined amount", sgd(66600), emulator.CardApprove, nil, plugin.KindDeclined, "-1", "Bank rejected the card"},
		{"unknown token", sgd(1000), "", &plugin.StoredToken{Token: "123456789012345678901234567890", CustomerRef: "tok_none"}, plugin.KindInvalidRequest, "-100", "Token is not authorized"},
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := e.pay(fmt.Sprintf("att_decline_%d", i), tc.amount, plugin.CaptureAutomatic, tc.pan, tc.token)
			pe := wantKind(t, "CreatePayment", err, tc.kind, tc.code)
			if !strings.Contains(pe.Message, tc.message) {
				t.Errorf("message %q does not carry RDP's %q", pe.Message, tc.message)
			}
		})
	}
	t.Run("tokenizing a declined card", func(t *testing.T) {
		_, err := e.p.Tokenize(e.ctx, &plugin.TokenizeRequest{TokenID: "tok_declined", Customer: customer, Card: e.driver.card(emulator.CardDecline)})
		wantKind(t, "Tokenize", e.seen(err), plugin.KindDeclined, "-1")
	})
	t.Run("capturing a sale", func(t *testing.T) {
		sale, err := e.pay("att_sale", sgd(1000), plugin.CaptureAutomatic, emulator.CardApprove, nil)
		if err != nil {
			t.Fatal(err)
		}
		_, err = e.p.Capture(e.ctx, &plugin.CaptureRequest{
			PaymentRef: plugin.PaymentRef{AttemptID: "att_sale", ProviderReference: sale.ProviderReference},
			Amount:     sgd(1000), AuthorizedAmount: sgd(1000),
		})
		pe := wantKind(t, "Capture of a sale", e.seen(err), plugin.KindDeclined, "05")
		if !strings.Contains(pe.Message, "authorized") {
			t.Errorf("message %q does not carry RDP's reason", pe.Message)
		}
	})
}

// TestPendingIsNotDeclined: "-01" (pending) and "-1" (declined) both read
// as -1; a pending payment stays processing until RDP decides, by
// notification or status query.
func TestPendingIsNotDeclined(t *testing.T) {
	cases := []struct {
		pan    string
		action string
		want   plugin.PaymentStatus
	}{
		{emulator.CardPendingApprove, "complete", plugin.StatusSucceeded},
		{emulator.CardPendingDecline, "fail", plugin.StatusFailed},
	}
	for _, tc := range cases {
		t.Run(tc.action, func(t *testing.T) {
			e := newEnv(t, nil)
			created, err := e.pay("att_pending", sgd(1000), plugin.CaptureAutomatic, tc.pan, nil)
			if err != nil {
				t.Fatal(err)
			}
			if created.Status != plugin.StatusProcessing || created.ProviderStatus != "-01" {
				t.Fatalf("CreatePayment: %s (%s), want processing (-01)", created.Status, created.ProviderStatus)
			}
			ref := plugin.PaymentRef{AttemptID: "att_pending", ProviderReference: created.ProviderReference}
			if got, err := e.status(ref, "SGD"); err != nil || got.Status != plugin.StatusProcessing {
				t.Fatalf("GetPayment while pending: %+v, %v", got, err)
			}
			e.emu.control(t, "/__emulator/orders/"+created.ProviderReference+"/"+tc.action, "")
			_, cb := e.callback()
			ev := cb.Events[0]
			if ev.Payment.Status != tc.want || ev.AttemptID != "att_pending" || ev.ProviderReference != created.ProviderReference {
				t.Errorf("notification: %s for %q (%s); want %s for att_pending", ev.Payment.Status, ev.AttemptID, ev.ProviderReference, tc.want)
			}
			if got, err := e.status(ref, ""); err != nil || got.Status != tc.want {
				t.Errorf("GetPayment after RDP decided: %+v, %v; want %s", got, err, tc.want)
			}
		})
	}
}

// TestMultipleMIDs: a USD payment goes to the USD MID signed with its
// secret, its notification verifies with that secret (request_mid), and
// a status query without the currency finds it by asking each MID.
func TestMultipleMIDs(t *testing.T) {
	e := newEnv(t, nil)
	created, err := e.pay("att_usd", usd(2500), plugin.CaptureAutomatic, "", nil)
	if err != nil {
		t.Fatalf("hosted USD payment: %v", err)
	}
	if err := e.driver.Complete(e.ctx, &created.PaymentResult, "succeed"); err != nil {
		t.Fatal(err)
	}
	req, cb := e.callback()
	if !strings.Contains(string(req.Body), `"request_mid":"`+usdMID+`"`) {
		t.Errorf("the notification is not the USD MID's: %s", req.Body)
	}
	if got := cb.Events[0].Payment; got.Status != plugin.StatusSucceeded || got.Amount != usd(2500) {
		t.Errorf("notification: %+v", got)
	}
	got, err := e.status(plugin.PaymentRef{AttemptID: "att_usd"}, "")
	if err != nil || got.Status != plugin.StatusSucceeded || got.Amount != usd(2500) {
		t.Errorf("GetPayment without the currency: %+v, %v", got, err)
	}

	t.Run("wrong secret for the USD MID", func(t *testing.T) {
		wrong := newEnv(t, map[string]any{attrSecrets: map[string]string{usdMID: strings.Repeat("A", 128)}})
		_, err := wrong.pay("att_usd_wrong", usd(2500), plugin.CaptureAutomatic, emulator.CardApprove, nil)
		wantKind(t, "CreatePayment signed with the wrong secret", err, plugin.KindAuthentication, "-1003")
	})
}

// TestZeroDecimalIDR: RDP takes IDR without decimals; an amount that
// would need rounding is refused before anything is sent.
func TestZeroDecimalIDR(t *testing.T) {
	e := newEnv(t, nil)
	idr := plugin.Money{Amount: 150000, Currency: "IDR"} // 1500 IDR
	created, err := e.pay("att_idr", idr, plugin.CaptureAutomatic, emulator.CardApprove, nil)
	if err != nil {
		t.Fatal(err)
	}
	if created.Status != plugin.StatusSucceeded || created.Amount != idr || created.CapturedAmount != idr {
		t.Errorf("IDR payment: %+v", created.PaymentResult)
	}
	_, err = e.pay("att_idr_cents", plugin.Money{Amount: 150050, Currency: "IDR"}, plugin.CaptureAutomatic, emulator.CardApprove, nil)
	if pe := wantKind(t, "IDR with cents", err, plugin.KindInvalidRequest, ""); pe.Param != "amount" {
		t.Errorf("param %q, want amount", pe.Param)
	}
	if got := e.emu.requestsTo(pathPaymentAPI); got != 1 {
		t.Errorf("the emulator saw %d payment requests, want 1", got)
	}
}

// TestQueriesNeedAReference: without unique order ids RDP finds a payment
// or token only by its transaction_id.
func TestQueriesNeedAReference(t *testing.T) {
	e := newEnv(t, map[string]any{attrUniqueOrderID: false})
	created, err := e.pay("att_plain", sgd(1000), plugin.CaptureAutomatic, emulator.CardApprove, nil)
	if err != nil {
		t.Fatal(err)
	}
	_, err = e.status(plugin.PaymentRef{AttemptID: "att_plain"}, "SGD")
	if pe := wantKind(t, "GetPayment by attempt id", err, plugin.KindInvalidRequest, ""); pe.Param != "provider_reference" {
		t.Errorf("param %q, want provider_reference", pe.Param)
	}
	got, err := e.status(plugin.PaymentRef{AttemptID: "att_plain", ProviderReference: created.ProviderReference}, "SGD")
	if err != nil || got.Status != plugin.StatusSucceeded {
		t.Errorf("GetPayment by transaction id: %+v, %v", got, err)
	}
	_, err = e.p.GetToken(e.ctx, &plugin.GetTokenRequest{TokenRef: plugin.TokenRef{TokenID: "tok_plain"}})
	wantKind(t, "GetToken by token id", e.seen(err), plugin.KindInvalidRequest, "")
}

// TestNotFound: a payment status query no MID can answer (RDP's -1008)
// is not_found with RDP's code and message; the other calls that look a
// transaction up (capture, refund and void without a transaction_id, the
// token status) keep invalid_request.
func TestNotFound(t *testing.T) {
	e := newEnv(t, nil)
	cases := []struct {
		name string
		call func(attempt string) error
		kind plugin.ErrorKind
	}{
		{"GetPayment by order id", func(attempt string) error {
			_, err := e.status(plugin.PaymentRef{AttemptID: attempt}, "SGD")
			return err
		}, plugin.KindNotFound},
		{"GetPayment by order id, every MID asked", func(attempt string) error {
			_, err := e.status(plugin.PaymentRef{AttemptID: attempt}, "")
			return err
		}, plugin.KindNotFound},
		{"GetPayment by transaction id", func(attempt string) error {
			_, err := e.status(plugin.PaymentRef{AttemptID: attempt, ProviderReference: "T" + attempt}, "SGD")
			return err
		}, plugin.KindNotFound},
		{"Capture by order id", func(attempt string) error {
			_, err := e.p.Capture(e.ctx, &plugin.CaptureRequest{PaymentRef: plugin.PaymentRef{AttemptID: attempt}, Amount: sgd(1000), AuthorizedAmount: sgd(1000)})
			return e.seen(err)
		}, plugin.KindInvalidRequest},
		{"Refund by order id", func(attempt string) error {
			_, err := e.p.Refund(e.ctx, &plugin.RefundRequest{PaymentRef: plugin.PaymentRef{AttemptID: attempt}, RefundID: "re" + attempt, Amount: sgd(1000), CapturedAmount: sgd(1000)})
			return e.seen(err)
		}, plugin.KindInvalidRequest},
		{"Void by order id", func(attempt string) error {
			_, err := e.p.Void(e.ctx, &plugin.VoidRequest{PaymentRef: plugin.PaymentRef{AttemptID: attempt}, Amount: sgd(1000)})
			return e.seen(err)
		}, plugin.KindInvalidRequest},
		{"GetToken by token id", func(attempt string) error {
			_, err := e.p.GetToken(e.ctx, &plugin.GetTokenRequest{TokenRef: plugin.TokenRef{TokenID: "tok" + attempt}})
			return e.seen(err)
		}, plugin.KindInvalidRequest},
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.call(fmt.Sprintf("_never_%d", i))
			if pe := wantKind(t, tc.name, err, tc.kind, "-1008"); pe.Param != "" || !strings.Contains(pe.Message, "cannot find request") {
				t.Errorf("%s: %+v; want RDP's message and no param", tc.name, pe)
			}
		})
	}
	if got := e.emu.requestsTo("/instanpanel/api/payment"); got != 0 {
		t.Errorf("the Merchant API saw %d requests for payments RDP does not have", got)
	}
}

// TestHistoryNotFound: RDP's other "no such transaction" (-1009) answers
// a payment status query as not_found too. RDP here is a stand-in that
// gives that one answer, unsigned as RDP's errors may be.
func TestHistoryNotFound(t *testing.T) {
	rdp := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte(`{"response_status":"error","response_code":"-1009","response_msg":"history not found"}`))
	}))
	defer rdp.Close()
	p := configured(t, map[string]any{attrEndpoint: rdp.URL, attrMerchantAPI: rdp.URL})
	_, err := p.GetPayment(context.Background(), &plugin.GetPaymentRequest{PaymentRef: plugin.PaymentRef{AttemptID: "att_x"}})
	if pe := wantKind(t, "GetPayment", err, plugin.KindNotFound, "-1009"); !strings.Contains(pe.Message, "history not found") {
		t.Errorf("message %q, want RDP's", pe.Message)
	}
	_, err = p.Capture(context.Background(), &plugin.CaptureRequest{PaymentRef: plugin.PaymentRef{AttemptID: "att_x"}, Amount: sgd(1000), AuthorizedAmount: sgd(1000)})
	wantKind(t, "Capture", err, plugin.KindInvalidRequest, "-1009")
}

// TestCaptureRefundVoid: partial capture, repeated partial refunds up to
// what was captured, a refund above it refused, a void after capture
// refused; the Merchant API finds the transaction by order id when the
// host has no transaction_id.
func TestCaptureRefundVoid(t *testing.T) {
	e := newEnv(t, nil)
	auth, err := e.pay("att_auth", sgd(10000), plugin.CaptureManual, emulator.CardApprove, nil)
	if err != nil || auth.Status != plugin.StatusAuthorized {
		t.Fatalf("authorization: %+v, %v", auth, err)
	}
	byOrder := plugin.PaymentRef{AttemptID: "att_auth"} // no ProviderReference: found by order id
	captured, err := e.p.Capture(e.ctx, &plugin.CaptureRequest{PaymentRef: byOrder, Amount: sgd(6000), AuthorizedAmount: sgd(10000)})
	if e.seen(err) != nil || captured.Status != plugin.StatusSucceeded || captured.CapturedAmount != sgd(6000) || captured.ProviderReference != auth.ProviderReference {
		t.Fatalf("partial capture: %+v, %v", captured, err)
	}
	ref := plugin.PaymentRef{AttemptID: "att_auth", ProviderReference: auth.ProviderReference}
	for i, amount := range []int64{2000, 4000} {
		res, err := e.p.Refund(e.ctx, &plugin.RefundRequest{PaymentRef: ref, RefundID: fmt.Sprintf("re_%d", i), Amount: sgd(amount), CapturedAmount: sgd(6000)})
		if e.seen(err) != nil || res.Status != plugin.RefundSucceeded || res.Amount != sgd(amount) {
			t.Fatalf("refund %d: %+v, %v", i, res, err)
		}
	}
	_, err = e.p.Refund(e.ctx, &plugin.RefundRequest{PaymentRef: ref, RefundID: "re_over", Amount: sgd(1), CapturedAmount: sgd(6000)})
	wantKind(t, "refund above what is left", e.seen(err), plugin.KindDeclined, "")
	_, err = e.p.Void(e.ctx, &plugin.VoidRequest{PaymentRef: ref, Amount: sgd(10000)})
	wantKind(t, "void after capture", e.seen(err), plugin.KindDeclined, "")
}

// TestTokens: a stored card pays in its MID's currency; a hosted
// tokenization the customer fails reads failed; a token deleted twice is
// deleted once.
func TestTokens(t *testing.T) {
	e := newEnv(t, nil)
	tok, err := e.p.Tokenize(e.ctx, &plugin.TokenizeRequest{TokenID: "tok_usd", Customer: customer, Currency: "USD", Card: e.driver.card(freshPAN())})
	if e.seen(err) != nil || tok.Status != plugin.TokenActive || tok.CustomerRef != "tok_usd" || tok.Card == nil || tok.Card.ExpYear != expYear {
		t.Fatalf("Tokenize in USD: %+v, %v", tok, err)
	}
	stored := &plugin.StoredToken{Token: tok.Token, CustomerRef: tok.CustomerRef}
	paid, err := e.pay("att_tok_usd", usd(1234), plugin.CaptureManual, "", stored)
	if err != nil || paid.Status != plugin.StatusAuthorized || paid.Amount != usd(1234) {
		t.Fatalf("token authorization in USD: %+v, %v", paid, err)
	}

	ref := plugin.TokenRef{TokenID: "tok_usd", Token: tok.Token, CustomerRef: tok.CustomerRef, ProviderReference: tok.ProviderReference}
	for i := range 2 {
		del, err := e.p.DeleteToken(e.ctx, &plugin.DeleteTokenRequest{TokenRef: ref})
		if e.seen(err) != nil || del.Status != plugin.TokenDeleted {
			t.Fatalf("DeleteToken %d: %+v, %v", i+1, del, err)
		}
	}
	if got := e.emu.requestsTo(pathTokenAPI); got != 2 {
		t.Errorf("the emulator saw %d token-api requests, want 2 (create, one removal)", got)
	}

	hosted, err := e.p.Tokenize(e.ctx, &plugin.TokenizeRequest{TokenID: "tok_hosted", Customer: customer, ReturnURL: "https://merchant.example/return"})
	if e.seen(err) != nil || hosted.Status != plugin.TokenRequiresAction {
		t.Fatalf("hosted Tokenize: %+v, %v", hosted, err)
	}
	got, err := e.p.GetToken(e.ctx, &plugin.GetTokenRequest{TokenRef: plugin.TokenRef{TokenID: "tok_hosted"}})
	if e.seen(err) != nil || got.Status != plugin.TokenRequiresAction {
		t.Fatalf("GetToken before the customer acted: %+v, %v", got, err)
	}
	if err := e.driver.CompleteToken(e.ctx, &hosted.TokenResult, "decline"); err != nil {
		t.Fatal(err)
	}
	_, cb := e.callback()
	if ev := cb.Events[0]; ev.Type != plugin.EventToken || ev.TokenID != "tok_hosted" || ev.Token.Status != plugin.TokenFailed || ev.Token.FailureCode != "-1" {
		t.Errorf("token notification: %+v %+v", ev, ev.Token)
	}
	got, err = e.p.GetToken(e.ctx, &plugin.GetTokenRequest{TokenRef: plugin.TokenRef{TokenID: "tok_hosted"}})
	if e.seen(err) != nil || got.Status != plugin.TokenFailed {
		t.Errorf("GetToken after the customer failed: %+v, %v", got, err)
	}
}
