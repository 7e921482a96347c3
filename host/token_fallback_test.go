package host_test

import (
	"testing"

	"github.com/payhost/payhost/api"
	"github.com/payhost/payhost/plugin"
)

// TestTokenFallback: a tokenization the route's first instance reports
// not sent goes to the next, and the token is bound to the instance that
// stored the card: its answers name it, and a payment with the token goes
// there, on both stores.
func TestTokenFallback(t *testing.T) {
	forEachStore(t, envConfig{providers: []string{"callback.a", "callback.b"}}, testTokenFallback)
}

func testTokenFallback(t *testing.T, c envConfig) {
	e := newEnv(t, c)
	tok, err := e.h.CreateToken(e.ctx, "acme", &api.CreateTokenRequest{Method: plugin.MethodCard, Card: e.card(),
		Metadata: map[string]string{"fault@callback.a": "not_sent"}}, api.WithIdempotencyKey("tok-fallback"))
	if err != nil {
		t.Fatal(err)
	}
	if tok.Status != plugin.TokenActive || tok.Provider != "callback.b" {
		t.Fatalf("token %+v, want active at callback.b", tok)
	}
	got, err := e.h.GetToken(e.ctx, "acme", tok.ID)
	if err != nil || got.Provider != "callback.b" {
		t.Fatalf("GetToken: %+v, %v; want it bound to callback.b", got, err)
	}
	p, err := e.h.CreatePayment(e.ctx, "acme", &api.CreatePaymentRequest{Amount: 500, Currency: "USD",
		Method: plugin.MethodToken, Token: tok.ID})
	if err != nil {
		t.Fatal(err)
	}
	wantStatus(t, p, plugin.StatusSucceeded)
	if p.Provider != "callback.b" {
		t.Errorf("the token's payment went to %s, want callback.b", p.Provider)
	}
}
