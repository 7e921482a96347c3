package host_test

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/payhost/payhost/api"
	"github.com/payhost/payhost/plugin"
)

// TestTokenMetadata: a token's metadata, from its creation request, is
// in the answer to the create, in every later answer about the token
// (GetToken, its event, DeleteToken) and over HTTP, on both stores; it is
// validated as a payment's is.
func TestTokenMetadata(t *testing.T) {
	forEachStore(t, envConfig{providers: []string{"callback.cb"}}, testTokenMetadata)
}

func testTokenMetadata(t *testing.T, c envConfig) {
	e := newEnv(t, c)
	metadata := map[string]string{"order": "1042", "note": `gift "for Ada" – ünïcode`}
	wantMetadata := func(t *testing.T, what string, got *api.Token) {
		t.Helper()
		if !maps.Equal(got.Metadata, metadata) {
			t.Errorf("%s: metadata %#v, want %#v", what, got.Metadata, metadata)
		}
	}

	t.Run("direct", func(t *testing.T) {
		tok, err := e.h.CreateToken(e.ctx, "acme", &api.CreateTokenRequest{Method: plugin.MethodCard, Card: e.card(),
			Metadata: maps.Clone(metadata)}, api.WithIdempotencyKey("tok-metadata"))
		if err != nil {
			t.Fatal(err)
		}
		if tok.Status != plugin.TokenActive {
			t.Fatalf("token %+v, want active", tok)
		}
		wantMetadata(t, "CreateToken", tok)
		got, err := e.h.GetToken(e.ctx, "acme", tok.ID)
		if err != nil {
			t.Fatal(err)
		}
		wantMetadata(t, "GetToken", got)
		wantMetadata(t, "the token.active event", e.tokenEvent(tok.ID, "token.active"))
		again, err := e.h.CreateToken(e.ctx, "acme", &api.CreateTokenRequest{Method: plugin.MethodCard, Card: e.card(),
			Metadata: maps.Clone(metadata)}, api.WithIdempotencyKey("tok-metadata"))
		if err != nil || again.ID != tok.ID {
			t.Fatalf("the create's retry: %+v, %v; want token %s", again, err, tok.ID)
		}
		wantMetadata(t, "the create's retry", again)
		deleted, err := e.h.DeleteToken(e.ctx, "acme", tok.ID)
		if err != nil || deleted.Status != plugin.TokenDeleted {
			t.Fatalf("DeleteToken: %+v, %v", deleted, err)
		}
		wantMetadata(t, "DeleteToken", deleted)
	})

	t.Run("hosted page", func(t *testing.T) {
		tok, err := e.h.CreateToken(e.ctx, "acme", &api.CreateTokenRequest{Method: plugin.MethodCard,
			ReturnURL: "https://acme.example/back", Metadata: maps.Clone(metadata)})
		if err != nil {
			t.Fatal(err)
		}
		if tok.Status != plugin.TokenRequiresAction {
			t.Fatalf("token %+v, want requires_action", tok)
		}
		wantMetadata(t, "CreateToken", tok)
		// The gateway's report updates the token; its metadata stays.
		ev := plugin.Event{ID: "evt-token-metadata", Type: plugin.EventToken, TokenID: tok.ID,
			Token: &plugin.TokenResult{Status: plugin.TokenActive, Token: "ctok_metadata", Card: &plugin.CardInfo{Last4: "4242", Brand: "visa"}}}
		if _, err := e.callback(providerKey, ev); err != nil {
			t.Fatal(err)
		}
		got, err := e.h.GetToken(e.ctx, "acme", tok.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != plugin.TokenActive {
			t.Fatalf("token %+v, want active after the gateway's report", got)
		}
		wantMetadata(t, "GetToken after the gateway's report", got)
	})

	t.Run("none", func(t *testing.T) {
		tok, err := e.h.CreateToken(e.ctx, "acme", &api.CreateTokenRequest{Method: plugin.MethodCard, Card: e.card()})
		if err != nil {
			t.Fatal(err)
		}
		got, err := e.h.GetToken(e.ctx, "acme", tok.ID)
		if err != nil {
			t.Fatal(err)
		}
		if tok.Metadata != nil || got.Metadata != nil {
			t.Errorf("a token created without metadata has %#v, then %#v; want none", tok.Metadata, got.Metadata)
		}
	})

	t.Run("over HTTP", func(t *testing.T) {
		srv := httptest.NewServer(e.h.Handler())
		defer srv.Close()
		do := func(method, path, body string, want int) *api.Token {
			t.Helper()
			status, b := e.httpCall(srv, method, path, body, "")
			if status != want {
				t.Fatalf("%s %s: %d %s, want %d", method, path, status, b, want)
			}
			var tok api.Token
			if err := json.Unmarshal([]byte(b), &tok); err != nil {
				t.Fatalf("%s %s: %v in %s", method, path, err, b)
			}
			return &tok
		}
		m, err := json.Marshal(metadata)
		if err != nil {
			t.Fatal(err)
		}
		created := do(http.MethodPost, "/v1/tokens", fmt.Sprintf(
			`{"method": "card", "card": {"number": %q, "exp_month": 12, "exp_year": 2099, "cvc": %q}, "metadata": %s}`,
			cardNumber, cardCVC, m), http.StatusCreated)
		wantMetadata(t, "POST /v1/tokens", created)
		wantMetadata(t, "GET /v1/tokens/{id}", do(http.MethodGet, "/v1/tokens/"+created.ID, "", http.StatusOK))
	})

	t.Run("validated as a payment's", func(t *testing.T) {
		tooMany := map[string]string{}
		for i := range 51 {
			tooMany[fmt.Sprintf("k%d", i)] = "v"
		}
		for _, bad := range []map[string]string{
			tooMany,
			{"": "empty key"},
			{strings.Repeat("k", 41): "long key"},
			{"note": strings.Repeat("v", 501)},
		} {
			_, err := e.h.CreateToken(e.ctx, "acme", &api.CreateTokenRequest{Method: plugin.MethodCard, Card: e.card(), Metadata: bad})
			tokErr := wantCode(t, err, api.CodeInvalidRequest)
			_, err = e.h.CreatePayment(e.ctx, "acme", e.payment(1050, plugin.CaptureAutomatic, bad))
			payErr := wantCode(t, err, api.CodeInvalidRequest)
			if tokErr.Param != payErr.Param || tokErr.Message != payErr.Message || !strings.HasPrefix(tokErr.Param, "metadata") {
				t.Errorf("token refused with %q (%s), payment with %q (%s); want the same, about metadata",
					tokErr.Param, tokErr.Message, payErr.Param, payErr.Message)
			}
		}
	})
}

// tokenEvent returns the token in the event of type typ about token id.
func (e *env) tokenEvent(id, typ string) *api.Token {
	e.t.Helper()
	evs, err := storeEvents(e)
	if err != nil {
		e.t.Fatal(err)
	}
	for _, ev := range evs {
		var payload struct {
			Type string    `json:"type"`
			Data api.Token `json:"data"`
		}
		if err := json.Unmarshal(ev.Payload, &payload); err != nil {
			e.t.Fatalf("event %s: %v", ev.ID, err)
		}
		if payload.Type == typ && payload.Data.ID == id {
			return &payload.Data
		}
	}
	e.t.Fatalf("no %s event about token %s", typ, id)
	return nil
}
