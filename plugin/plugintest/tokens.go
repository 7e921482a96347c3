package plugintest

import (
	"context"
	"slices"
	"testing"

	"github.com/payhost/payhost/plugin"
)

// The token scenarios: stored cards, direct and through the gateway's
// hosted page. They run when the Driver also implements TokenDriver.
//
//   - token_direct_lifecycle: a card is tokenized directly and is active;
//     GetToken finds it active; a sale with the token succeeds (when the
//     provider declares method token); DeleteToken deletes it; GetToken
//     then finds it deleted (or no longer finds it), and a payment with it
//     no longer succeeds;
//   - token_hosted_callback: a tokenization without card data waits for
//     the customer (requires_action with a redirect); the Driver enters a
//     card on the hosted page; the gateway's token callback says active,
//     and so does GetToken.

func init() {
	scenarios = append(scenarios,
		scenario{"token_direct_lifecycle", []plugin.Operation{plugin.OpTokenize, plugin.OpGetToken, plugin.OpDeleteToken}, scenarioTokenDirectLifecycle},
		scenario{"token_hosted_callback", []plugin.Operation{plugin.OpTokenize, plugin.OpCallbacks}, scenarioTokenHostedCallback},
	)
}

// TokenDriver is implemented by Drivers whose gateway stores cards; it
// enables the token scenarios.
type TokenDriver interface {
	// Tokenization returns a new tokenize request the gateway's emulator
	// accepts: the customer, the currency if any, and with direct a card
	// it stores (a card not stored before, where the gateway refuses to
	// store one card twice). Without direct, the request has no card, for
	// the gateway's hosted page. The suite sets the ids and a return URL
	// when there is none.
	Tokenization(direct bool) *plugin.TokenizeRequest
	// CompleteToken acts as the customer on a hosted tokenization that
	// waits for them (requires_action): enters a card on the gateway's
	// page, or fails to, so that the gateway decides the token as outcome
	// says and sends its callback to the instance's callback URL. It
	// returns once the gateway has taken the customer's action.
	CompleteToken(ctx context.Context, token *plugin.TokenResult, outcome Outcome) error
}

// scenarioTokenDirectLifecycle: tokenize a card, find it, pay with it,
// delete it, and it is gone.
func scenarioTokenDirectLifecycle(ctx context.Context, t *testing.T, c *conformance) {
	d := c.tokenDriver(t)
	req := c.newTokenization(d, true)
	created, err := c.provider().Tokenize(ctx, req)
	if err != nil {
		t.Fatalf("Tokenize with a card: %v", err)
	}
	checkToken(t, "Tokenize", &created.TokenResult, plugin.TokenActive)
	if created.Token == "" {
		t.Fatal("Tokenize: an active token without the gateway's token")
	}
	ref := tokenRefOf(req, &created.TokenResult)

	got, err := c.provider().GetToken(ctx, &plugin.GetTokenRequest{TokenRef: ref})
	if err != nil {
		t.Fatalf("GetToken of the token just stored: %v", err)
	}
	checkToken(t, "GetToken", &got.TokenResult, plugin.TokenActive)
	if got.Token != "" && got.Token != created.Token {
		t.Errorf("GetToken found token %q, Tokenize said %q", got.Token, created.Token)
	}

	stored := &plugin.StoredToken{Token: created.Token, CustomerRef: created.CustomerRef}
	canPay := c.info.Capabilities.Supports(plugin.OpCreatePayment) && c.info.Capabilities.SupportsMethod(plugin.MethodToken)
	if canPay {
		preq, resp, err := c.payWithToken(ctx, stored)
		if err != nil {
			t.Fatalf("CreatePayment with the token: %v", err)
		}
		for _, p := range paymentProblems(&resp.PaymentResult) {
			t.Errorf("CreatePayment with the token: %s", p)
		}
		final, _ := c.settle(ctx, t, refOf(preq, &resp.PaymentResult), &resp.PaymentResult, OutcomeSucceed)
		checkPayment(t, "payment with the token", final, plugin.StatusSucceeded)
		if !final.Amount.IsZero() && final.Amount != preq.Amount {
			t.Errorf("payment with the token reports amount %v, the payment is for %v", final.Amount, preq.Amount)
		}
	}

	deleted, err := c.provider().DeleteToken(ctx, &plugin.DeleteTokenRequest{TokenRef: ref, IdempotencyKey: newID("idem")})
	if err != nil {
		t.Fatalf("DeleteToken: %v", err)
	}
	checkToken(t, "DeleteToken", &deleted.TokenResult, plugin.TokenDeleted)

	after, err := c.provider().GetToken(ctx, &plugin.GetTokenRequest{TokenRef: ref})
	switch kind := plugin.KindOf(err); {
	case err == nil:
		checkToken(t, "GetToken after DeleteToken", &after.TokenResult, plugin.TokenDeleted)
	case kind != plugin.KindInvalidRequest:
		t.Errorf("GetToken after DeleteToken answered %v; want status deleted, or kind invalid_request (no such token)", err)
	}
	if canPay {
		_, resp, err := c.payWithToken(ctx, stored)
		switch kind := plugin.KindOf(err); {
		case err == nil && resp.Status != plugin.StatusFailed:
			t.Errorf("a payment with the deleted token answered status %s; want a refusal", resp.Status)
		case err != nil && kind != plugin.KindDeclined && kind != plugin.KindInvalidRequest:
			t.Errorf("a payment with the deleted token answered %v; want kind declined or invalid_request, or status failed", err)
		}
	}
}

// scenarioTokenHostedCallback: a hosted tokenization waits for the
// customer, who enters a card; the token callback says active, and so
// does GetToken.
func scenarioTokenHostedCallback(ctx context.Context, t *testing.T, c *conformance) {
	d := c.tokenDriver(t)
	req := c.newTokenization(d, false)
	created, err := c.provider().Tokenize(ctx, req)
	if err != nil {
		t.Fatalf("Tokenize without a card: %v", err)
	}
	checkToken(t, "Tokenize", &created.TokenResult, plugin.TokenRequiresAction)
	if a := created.NextAction; a == nil || a.Type != plugin.ActionRedirect || a.URL == "" {
		t.Fatalf("Tokenize: next action %+v, want a redirect to the hosted page", a)
	}
	ref := tokenRefOf(req, &created.TokenResult)
	if err := d.CompleteToken(ctx, &created.TokenResult, OutcomeSucceed); err != nil {
		t.Fatalf("TokenDriver.CompleteToken: %v", err)
	}
	rc, e, err := c.callbacks.waitToken(ctx, ref)
	if err != nil {
		t.Fatalf("no callback decided token %s: %v", ref.TokenID, err)
	}
	if code := rc.response.Response.StatusCode; code != 0 && (code < 200 || code > 299) {
		t.Errorf("the provider answered the gateway's token callback with HTTP %d", code)
	}
	if e.ID == "" {
		t.Error("the token callback's event has no id; the host could not apply it once")
	}
	checkToken(t, "token callback", e.Token, plugin.TokenActive)
	if e.Token.Token == "" {
		t.Error("token callback: an active token without the gateway's token")
	}
	again, err := c.provider().HandleCallback(ctx, cloneCallback(rc.request))
	if err != nil {
		t.Fatalf("the same token callback again: %v", err)
	}
	if first, second := eventKeys(rc.response.Events), eventKeys(again.Events); !slices.Equal(first, second) {
		t.Errorf("the same token callback gave events %v, then %v", first, second)
	}
	if !c.info.Capabilities.Supports(plugin.OpGetToken) {
		return
	}
	if ref.ProviderReference == "" {
		ref.ProviderReference = e.ProviderReference
	}
	got, err := c.provider().GetToken(ctx, &plugin.GetTokenRequest{TokenRef: ref})
	if err != nil {
		t.Fatalf("GetToken after the callback: %v", err)
	}
	checkToken(t, "GetToken after the callback", &got.TokenResult, plugin.TokenActive)
	if got.Token != e.Token.Token {
		t.Errorf("GetToken found token %q, the callback said %q", got.Token, e.Token.Token)
	}
}

// tokenDriver returns the Driver's token side, or skips the scenario.
func (c *conformance) tokenDriver(t *testing.T) TokenDriver {
	t.Helper()
	d, ok := c.suite.Driver.(TokenDriver)
	if !ok {
		t.Skip("the Driver does not implement TokenDriver")
	}
	return d
}

// newTokenization asks the TokenDriver for a tokenization and sets what
// the host sets.
func (c *conformance) newTokenization(d TokenDriver, direct bool) *plugin.TokenizeRequest {
	req := d.Tokenization(direct)
	req.TokenID, req.IdempotencyKey = newID("tok"), newID("idem")
	if req.ReturnURL == "" {
		req.ReturnURL = "https://merchant.example/return"
	}
	return req
}

// payWithToken creates a sale paid with a stored token, for an amount the
// Driver takes to success.
func (c *conformance) payWithToken(ctx context.Context, token *plugin.StoredToken) (*plugin.CreatePaymentRequest, *plugin.CreatePaymentResponse, error) {
	req := c.newPayment(OutcomeSucceed, plugin.CaptureAutomatic)
	req.Method, req.Card, req.Token = plugin.MethodToken, nil, token
	resp, err := c.provider().CreatePayment(ctx, req)
	return req, resp, err
}

func tokenRefOf(req *plugin.TokenizeRequest, res *plugin.TokenResult) plugin.TokenRef {
	return plugin.TokenRef{TokenID: req.TokenID, Token: res.Token, CustomerRef: res.CustomerRef, ProviderReference: res.ProviderReference}
}

// checkToken reports what is wrong with a token result, and a status
// other than the one wanted.
func checkToken(t *testing.T, what string, res *plugin.TokenResult, want plugin.TokenStatus) {
	t.Helper()
	if !res.Status.Valid() {
		t.Errorf("%s: token status %q is not one payhost knows", what, res.Status)
	}
	if res.Status != want {
		t.Errorf("%s: token status %q, want %q", what, res.Status, want)
	}
}

// waitToken waits for a callback with a token event about the given token
// (by token id or provider reference) whose status is decided, and
// returns the callback and the event.
func (c *callbackIntake) waitToken(ctx context.Context, ref plugin.TokenRef) (receivedCallback, plugin.Event, error) {
	for {
		c.mu.Lock()
		for _, rc := range c.received {
			if rc.response == nil {
				continue
			}
			for _, e := range rc.response.Events {
				if e.Type == plugin.EventToken && e.Token != nil && e.Token.Status != plugin.TokenRequiresAction &&
					(e.TokenID == ref.TokenID || (ref.ProviderReference != "" && e.ProviderReference == ref.ProviderReference)) {
					c.mu.Unlock()
					return rc, e, nil
				}
			}
		}
		arrived := c.arrived
		c.mu.Unlock()
		select {
		case <-arrived:
		case <-ctx.Done():
			return receivedCallback{}, plugin.Event{}, ctx.Err()
		}
	}
}
