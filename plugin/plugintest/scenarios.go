package plugintest

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/payhost/payhost/plugin"
)

// scenario is one payment story of the suite; it runs when the provider
// declares every operation in needs and the suite has a Driver.
type scenario struct {
	name  string
	needs []plugin.Operation
	run   func(ctx context.Context, t *testing.T, c *conformance)
}

var scenarios = []scenario{
	{"create_then_status", []plugin.Operation{plugin.OpCreatePayment}, scenarioCreateThenStatus},
	{"pay_with_callback", []plugin.Operation{plugin.OpCreatePayment, plugin.OpCallbacks}, scenarioPayWithCallback},
	{"repeated_callback", []plugin.Operation{plugin.OpCreatePayment, plugin.OpCallbacks}, scenarioRepeatedCallback},
	{"bad_callback_signature", []plugin.Operation{plugin.OpCreatePayment, plugin.OpCallbacks}, scenarioBadCallbackSignature},
	{"decline", []plugin.Operation{plugin.OpCreatePayment}, scenarioDecline},
	{"authorize_capture_refund", []plugin.Operation{plugin.OpCreatePayment, plugin.OpAuthorize, plugin.OpCapture, plugin.OpRefund}, scenarioAuthorizeCaptureRefund},
	{"void", []plugin.Operation{plugin.OpCreatePayment, plugin.OpAuthorize, plugin.OpVoid}, scenarioVoid},
}

// pollInterval is how often a payment is queried while waiting for it
// without callbacks.
const pollInterval = 200 * time.Millisecond

// scenarioCreateThenStatus: a payment is created, and a status query
// finds it.
func scenarioCreateThenStatus(ctx context.Context, t *testing.T, c *conformance) {
	req, ref, res := c.mustCreate(ctx, t, OutcomeSucceed, plugin.CaptureAutomatic)
	checkPayment(t, "CreatePayment", res, plugin.StatusRequiresAction, plugin.StatusProcessing, plugin.StatusSucceeded)
	if !c.info.Capabilities.Supports(plugin.OpGetPayment) {
		return
	}
	got, err := c.provider().GetPayment(ctx, &plugin.GetPaymentRequest{PaymentRef: ref, Amount: req.Amount, Method: req.Method})
	if err != nil {
		t.Fatalf("GetPayment of the payment just created: %v", err)
	}
	checkPayment(t, "GetPayment", &got.PaymentResult, plugin.StatusRequiresAction, plugin.StatusProcessing, plugin.StatusSucceeded)
	if ref.ProviderReference != "" && got.ProviderReference != "" && got.ProviderReference != ref.ProviderReference {
		t.Errorf("GetPayment found provider reference %q, CreatePayment said %q", got.ProviderReference, ref.ProviderReference)
	}
	if !got.Amount.IsZero() && got.Amount != req.Amount {
		t.Errorf("GetPayment reports amount %v, the payment is for %v", got.Amount, req.Amount)
	}
}

// scenarioPayWithCallback: create, the customer pays, the gateway's
// callback says succeeded, and so does a status query.
func scenarioPayWithCallback(ctx context.Context, t *testing.T, c *conformance) {
	ref, final, _ := c.paidWithCallback(ctx, t)
	checkPayment(t, "callback", final, plugin.StatusSucceeded)
	if !c.info.Capabilities.Supports(plugin.OpGetPayment) {
		return
	}
	got, err := c.provider().GetPayment(ctx, &plugin.GetPaymentRequest{PaymentRef: ref})
	if err != nil {
		t.Fatalf("GetPayment after the callback: %v", err)
	}
	checkPayment(t, "GetPayment after the callback", &got.PaymentResult, plugin.StatusSucceeded)
}

// scenarioRepeatedCallback: the same callback delivered twice gives the
// same events (same ids), so that the host applies it once.
func scenarioRepeatedCallback(ctx context.Context, t *testing.T, c *conformance) {
	_, _, rc := c.paidWithCallback(ctx, t)
	again, err := c.provider().HandleCallback(ctx, cloneCallback(rc.request))
	if err != nil {
		t.Fatalf("the same callback again: %v", err)
	}
	if first, second := eventKeys(rc.response.Events), eventKeys(again.Events); !slices.Equal(first, second) {
		t.Errorf("the same callback gave events %v, then %v", first, second)
	}
	if again.Response.StatusCode != rc.response.Response.StatusCode {
		t.Errorf("the same callback was answered %d, then %d", rc.response.Response.StatusCode, again.Response.StatusCode)
	}
}

// scenarioBadCallbackSignature: a callback whose signature does not
// verify is refused as authentication.
func scenarioBadCallbackSignature(ctx context.Context, t *testing.T, c *conformance) {
	tamperer, ok := c.suite.Driver.(CallbackTamperer)
	if !ok {
		t.Skip("the Driver does not implement CallbackTamperer")
	}
	_, _, rc := c.paidWithCallback(ctx, t)
	bad := cloneCallback(rc.request)
	tamperer.TamperCallback(bad)
	resp, err := c.provider().HandleCallback(ctx, bad)
	if plugin.KindOf(err) != plugin.KindAuthentication {
		t.Errorf("a tampered callback answered %+v, %v; want kind authentication", resp, err)
	}
}

// scenarioDecline: a payment the gateway declines ends as kind declined
// or status failed, never as a success.
func scenarioDecline(ctx context.Context, t *testing.T, c *conformance) {
	req := c.newPayment(OutcomeDecline, plugin.CaptureAutomatic)
	resp, err := c.provider().CreatePayment(ctx, req)
	if err != nil {
		if kind := plugin.KindOf(err); kind != plugin.KindDeclined {
			t.Fatalf("a declined payment answered %v; want kind declined, or a failed payment", err)
		}
		return
	}
	checkPayment(t, "CreatePayment", &resp.PaymentResult, plugin.StatusRequiresAction, plugin.StatusProcessing, plugin.StatusFailed)
	final, _ := c.settle(ctx, t, refOf(req, &resp.PaymentResult), &resp.PaymentResult, OutcomeDecline)
	checkPayment(t, "declined payment", final, plugin.StatusFailed)
}

// scenarioAuthorizeCaptureRefund: authorize, capture in full, refund
// (partially twice when declared), and a refund above what is left is
// refused.
func scenarioAuthorizeCaptureRefund(ctx context.Context, t *testing.T, c *conformance) {
	req, ref := c.authorized(ctx, t)
	captured, err := c.provider().Capture(ctx, &plugin.CaptureRequest{
		PaymentRef: ref, IdempotencyKey: newID("idem"), Amount: req.Amount, AuthorizedAmount: req.Amount,
	})
	if err != nil {
		t.Fatalf("Capture: %v", err)
	}
	checkPayment(t, "Capture", &captured.PaymentResult, plugin.StatusSucceeded, plugin.StatusProcessing)

	amount := req.Amount
	refunds := []plugin.Money{amount}
	if c.info.Capabilities.Supports(plugin.OpPartialRefund) && amount.Amount >= 4 {
		quarter := plugin.Money{Amount: amount.Amount / 4, Currency: amount.Currency}
		refunds = []plugin.Money{quarter, quarter}
	}
	for i, r := range refunds {
		res, err := c.refund(ctx, ref, r, amount)
		if err != nil {
			t.Fatalf("refund %d of %v: %v", i+1, r, err)
		}
		checkRefund(t, fmt.Sprintf("refund %d", i+1), res, r)
	}
	// Whatever is left, refunding the whole captured amount again is more.
	_, err = c.refund(ctx, ref, amount, amount)
	if kind := plugin.KindOf(err); kind != plugin.KindInvalidRequest && kind != plugin.KindDeclined {
		t.Errorf("a refund above what is left answered %v; want kind invalid_request or declined", err)
	}
}

// scenarioVoid: an authorization is voided.
func scenarioVoid(ctx context.Context, t *testing.T, c *conformance) {
	req, ref := c.authorized(ctx, t)
	voided, err := c.provider().Void(ctx, &plugin.VoidRequest{PaymentRef: ref, IdempotencyKey: newID("idem"), Amount: req.Amount})
	if err != nil {
		t.Fatalf("Void: %v", err)
	}
	checkPayment(t, "Void", &voided.PaymentResult, plugin.StatusCanceled, plugin.StatusProcessing)
}

// newPayment asks the Driver for a payment and sets what the host sets.
func (c *conformance) newPayment(outcome Outcome, capture plugin.CaptureMode) *plugin.CreatePaymentRequest {
	req := c.suite.Driver.Payment(outcome)
	req.PaymentID, req.AttemptID, req.IdempotencyKey = newID("pay"), newID("att"), newID("idem")
	req.Capture = capture
	if req.ReturnURL == "" {
		req.ReturnURL = "https://merchant.example/return"
	}
	return req
}

// mustCreate creates a payment that should go through.
func (c *conformance) mustCreate(ctx context.Context, t *testing.T, outcome Outcome, capture plugin.CaptureMode) (*plugin.CreatePaymentRequest, plugin.PaymentRef, *plugin.PaymentResult) {
	t.Helper()
	req := c.newPayment(outcome, capture)
	resp, err := c.provider().CreatePayment(ctx, req)
	if err != nil {
		t.Fatalf("CreatePayment: %v", err)
	}
	if !resp.Amount.IsZero() && resp.Amount != req.Amount {
		t.Errorf("CreatePayment reports amount %v, the payment is for %v", resp.Amount, req.Amount)
	}
	return req, refOf(req, &resp.PaymentResult), &resp.PaymentResult
}

// authorized creates a manual-capture payment and takes it to authorized.
func (c *conformance) authorized(ctx context.Context, t *testing.T) (*plugin.CreatePaymentRequest, plugin.PaymentRef) {
	t.Helper()
	req, ref, res := c.mustCreate(ctx, t, OutcomeSucceed, plugin.CaptureManual)
	checkPayment(t, "authorization", res, plugin.StatusRequiresAction, plugin.StatusProcessing, plugin.StatusAuthorized)
	final, _ := c.settle(ctx, t, ref, res, OutcomeSucceed)
	checkPayment(t, "authorization", final, plugin.StatusAuthorized)
	if ref.ProviderReference == "" {
		ref.ProviderReference = final.ProviderReference
	}
	return req, ref
}

// paidWithCallback creates a payment that waits for the customer, has the
// Driver pay it, and returns it as the gateway's callback decided it.
func (c *conformance) paidWithCallback(ctx context.Context, t *testing.T) (plugin.PaymentRef, *plugin.PaymentResult, receivedCallback) {
	t.Helper()
	_, ref, res := c.mustCreate(ctx, t, OutcomeSucceed, plugin.CaptureAutomatic)
	if !pending(res.Status) {
		t.Skipf("the payment was decided at once (%s); there is no callback to wait for", res.Status)
	}
	final, rc := c.settle(ctx, t, ref, res, OutcomeSucceed)
	if rc == nil {
		t.Fatal("the payment was decided without a callback")
	}
	return ref, final, *rc
}

// settle takes a payment that waits for the customer to its decision: the
// Driver acts, then the gateway's callback (or, for providers without
// callbacks, status queries) tells the result. The callback is returned
// when there was one.
func (c *conformance) settle(ctx context.Context, t *testing.T, ref plugin.PaymentRef, res *plugin.PaymentResult, outcome Outcome) (*plugin.PaymentResult, *receivedCallback) {
	t.Helper()
	if !pending(res.Status) {
		return res, nil
	}
	if err := c.suite.Driver.Complete(ctx, res, outcome); err != nil {
		t.Fatalf("Driver.Complete: %v", err)
	}
	if c.info.Capabilities.Supports(plugin.OpCallbacks) {
		rc, e, err := c.callbacks.waitPayment(ctx, ref)
		if err != nil {
			t.Fatalf("no callback decided attempt %s: %v", ref.AttemptID, err)
		}
		if code := rc.response.Response.StatusCode; code != 0 && (code < 200 || code > 299) {
			t.Errorf("the provider answered the gateway's callback with HTTP %d", code)
		}
		if e.ID == "" {
			t.Error("the callback's event has no id; the host could not apply it once")
		}
		return e.Payment, &rc
	}
	if !c.info.Capabilities.Supports(plugin.OpGetPayment) {
		t.Skip("the payment waits for the customer, and the provider declares neither callbacks nor get_payment")
	}
	for {
		got, err := c.provider().GetPayment(ctx, &plugin.GetPaymentRequest{PaymentRef: ref})
		if err != nil {
			t.Fatalf("GetPayment while waiting: %v", err)
		}
		if !pending(got.Status) {
			return &got.PaymentResult, nil
		}
		select {
		case <-time.After(pollInterval):
		case <-ctx.Done():
			t.Fatalf("attempt %s still %s: %v", ref.AttemptID, got.Status, ctx.Err())
		}
	}
}

func (c *conformance) refund(ctx context.Context, ref plugin.PaymentRef, amount, captured plugin.Money) (*plugin.RefundResult, error) {
	resp, err := c.provider().Refund(ctx, &plugin.RefundRequest{
		PaymentRef: ref, RefundID: newID("ref"), IdempotencyKey: newID("idem"),
		Amount: amount, CapturedAmount: captured, Reason: "conformance",
	})
	if err != nil {
		return nil, err
	}
	return &resp.RefundResult, nil
}

func refOf(req *plugin.CreatePaymentRequest, res *plugin.PaymentResult) plugin.PaymentRef {
	return plugin.PaymentRef{PaymentID: req.PaymentID, AttemptID: req.AttemptID, ProviderReference: res.ProviderReference}
}

// checkPayment reports what is wrong with a payment result, and a status
// other than those wanted.
func checkPayment(t *testing.T, what string, res *plugin.PaymentResult, want ...plugin.PaymentStatus) {
	t.Helper()
	for _, p := range paymentProblems(res) {
		t.Errorf("%s: %s", what, p)
	}
	if !slices.Contains(want, res.Status) {
		t.Errorf("%s: status %q, want one of %q", what, res.Status, want)
	}
}

// paymentProblems lists what is wrong with a payment result whatever its
// status.
func paymentProblems(res *plugin.PaymentResult) []string {
	var out []string
	if !res.Status.Valid() {
		out = append(out, fmt.Sprintf("status %q is not one payhost knows", res.Status))
	}
	if res.Status == plugin.StatusRequiresAction && res.NextAction == nil {
		out = append(out, "requires_action without a next action")
	}
	if a := res.NextAction; a != nil {
		target := map[plugin.NextActionType]string{plugin.ActionRedirect: a.URL, plugin.ActionQRCode: a.QRCode, plugin.ActionDeepLink: a.DeepLink}
		if v, ok := target[a.Type]; !ok {
			out = append(out, fmt.Sprintf("next action type %q is not one payhost knows", a.Type))
		} else if v == "" {
			out = append(out, fmt.Sprintf("next action %s has nothing to show the customer", a.Type))
		}
	}
	for name, m := range map[string]plugin.Money{"amount": res.Amount, "captured amount": res.CapturedAmount} {
		if !m.IsZero() {
			if err := m.Validate(); err != nil {
				out = append(out, name+": "+err.Error())
			}
		}
	}
	return out
}

// checkRefund reports what is wrong with a refund result.
func checkRefund(t *testing.T, what string, res *plugin.RefundResult, amount plugin.Money) {
	t.Helper()
	if res.Status != plugin.RefundPending && res.Status != plugin.RefundSucceeded {
		t.Errorf("%s: status %q, want pending or succeeded", what, res.Status)
	}
	if !res.Amount.IsZero() && res.Amount != amount {
		t.Errorf("%s: amount %v, asked for %v", what, res.Amount, amount)
	}
}

// cloneCallback copies a callback deeply, so that replaying or tampering
// leaves the original as received.
func cloneCallback(r *plugin.HandleCallbackRequest) *plugin.HandleCallbackRequest {
	c := *r
	c.Header = make(map[string][]string, len(r.Header))
	for k, v := range r.Header {
		c.Header[k] = slices.Clone(v)
	}
	c.Body = slices.Clone(r.Body)
	return &c
}

// eventKeys summarises events as id, type and status, for comparison.
func eventKeys(events []plugin.Event) []string {
	out := make([]string, len(events))
	for i, e := range events {
		status := ""
		switch {
		case e.Payment != nil:
			status = string(e.Payment.Status)
		case e.Refund != nil:
			status = string(e.Refund.Status)
		case e.Token != nil:
			status = string(e.Token.Status)
		}
		out[i] = fmt.Sprintf("%s/%s/%s", e.ID, e.Type, status)
	}
	return out
}
