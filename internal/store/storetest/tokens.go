package storetest

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/payhost/payhost/internal/store"
	"github.com/payhost/payhost/plugin"
)

func testTokens(t *testing.T, e *env) {
	const secret = "gw-token-4111-secret"
	tok := &store.Token{MerchantID: "acme", ProviderInstance: "reddot.sg", Status: plugin.TokenRequiresAction,
		ProviderReference: "tokreq-1",
		NextAction:        &plugin.NextAction{Type: plugin.ActionRedirect, URL: "https://pay.example/card"},
		Customer:          &plugin.Customer{ID: "cus_1", Email: "ada@example.com"}}
	e.inTx(t, func(tx store.Tx) error { return tx.InsertToken(e.ctx, tok) })
	if !strings.HasPrefix(tok.ID, store.PrefixToken) || tok.Version != 1 {
		t.Errorf("inserted token has id %q, version %d", tok.ID, tok.Version)
	}
	got, err := e.st.GetToken(e.ctx, tok.ID)
	ok(t, "GetToken", err)
	equal(t, "GetToken", got, tok)

	stale := *tok
	e.clock.Advance(time.Minute)
	// The route's next candidate stored the card (the first did not
	// send): the token moves to it.
	tok.ProviderInstance = "reddot.sg2"
	tok.Status, tok.ProviderToken, tok.CustomerRef, tok.NextAction = plugin.TokenActive, plugin.NewSecret(secret), "payer-7", nil
	tok.Card = &plugin.CardInfo{First6: "411111", Last4: "1111", ExpMonth: 1, ExpYear: 2032, Brand: "visa", HolderName: "ADA"}
	e.inTx(t, func(tx store.Tx) error { return tx.UpdateToken(e.ctx, tok) })
	if tok.Version != 2 || tok.Card.HolderName != "" {
		t.Errorf("updated token: version %d, holder name %q", tok.Version, tok.Card.HolderName)
	}
	got, err = e.st.GetToken(e.ctx, tok.ID)
	ok(t, "GetToken", err)
	equal(t, "GetToken after UpdateToken", got, tok)
	if got.ProviderToken.Reveal() != secret {
		t.Errorf("provider token reads back as %q", got.ProviderToken.Reveal())
	}
	if s := fmt.Sprintf("%v %+v", got, *got); strings.Contains(s, secret) {
		t.Errorf("a printed token shows its provider token: %s", s)
	}

	stale.Status = plugin.TokenDeleted
	err = e.st.InTx(e.ctx, func(tx store.Tx) error { return tx.UpdateToken(e.ctx, &stale) })
	wantErr(t, "UpdateToken at an old version", err, store.ErrConflict)
	missing := *tok
	missing.ID = "tok_missing"
	err = e.st.InTx(e.ctx, func(tx store.Tx) error { return tx.UpdateToken(e.ctx, &missing) })
	wantErr(t, "UpdateToken of a missing token", err, store.ErrNotFound)
	_, err = e.st.GetToken(e.ctx, "tok_missing")
	wantErr(t, "GetToken of a missing token", err, store.ErrNotFound)

	for _, bad := range []store.Token{
		{ProviderInstance: "reddot.sg", Status: plugin.TokenActive},
		{MerchantID: "acme", Status: plugin.TokenActive},
		{MerchantID: "acme", ProviderInstance: "reddot.sg", Status: "used"},
	} {
		if err := e.st.InTx(e.ctx, func(tx store.Tx) error { return tx.InsertToken(e.ctx, &bad) }); err == nil {
			t.Errorf("InsertToken took %+v", bad)
		}
	}
}

// testTokenMetadata: a token's metadata is stored on insert, reads back,
// and stays through updates of the token as read; none reads back nil.
func testTokenMetadata(t *testing.T, e *env) {
	metadata := map[string]string{"order": "1042", "note": `gift "for Ada" – ünïcode`, "empty": ""}
	tok := &store.Token{MerchantID: "acme", ProviderInstance: "reddot.sg", Status: plugin.TokenRequiresAction,
		NextAction: &plugin.NextAction{Type: plugin.ActionRedirect, URL: "https://pay.example/card"},
		Metadata:   map[string]string{"order": "1042", "note": `gift "for Ada" – ünïcode`, "empty": ""}}
	e.inTx(t, func(tx store.Tx) error { return tx.InsertToken(e.ctx, tok) })
	equal(t, "metadata of the inserted token", tok.Metadata, metadata)
	got, err := e.st.GetToken(e.ctx, tok.ID)
	ok(t, "GetToken", err)
	equal(t, "GetToken", got, tok)

	// An update of the token as read (what the host does) keeps it.
	e.clock.Advance(time.Minute)
	e.inTx(t, func(tx store.Tx) error {
		read, err := tx.GetToken(e.ctx, tok.ID)
		if err != nil {
			return err
		}
		read.Status, read.NextAction, read.ProviderToken = plugin.TokenActive, nil, plugin.NewSecret("gw-token")
		read.Card = &plugin.CardInfo{Last4: "4242", Brand: "visa"}
		if err := tx.UpdateToken(e.ctx, read); err != nil {
			return err
		}
		tok = read
		return nil
	})
	got, err = e.st.GetToken(e.ctx, tok.ID)
	ok(t, "GetToken after UpdateToken", err)
	equal(t, "GetToken after UpdateToken", got, tok)
	equal(t, "metadata after UpdateToken", got.Metadata, metadata)
	if got.Status != plugin.TokenActive || got.Version != 2 {
		t.Errorf("updated token: status %s, version %d", got.Status, got.Version)
	}

	// No metadata, or an empty map, is none: it reads back nil.
	for _, m := range []map[string]string{nil, {}} {
		none := &store.Token{MerchantID: "acme", ProviderInstance: "reddot.sg", Status: plugin.TokenActive, Metadata: m}
		e.inTx(t, func(tx store.Tx) error { return tx.InsertToken(e.ctx, none) })
		if none.Metadata != nil {
			t.Errorf("InsertToken with metadata %#v left %#v, want nil", m, none.Metadata)
		}
		got, err := e.st.GetToken(e.ctx, none.ID)
		ok(t, "GetToken", err)
		if got.Metadata != nil {
			t.Errorf("a token inserted with metadata %#v reads back %#v, want nil", m, got.Metadata)
		}
	}
}
