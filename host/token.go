package host

import (
	"context"
	"net/http"

	"github.com/payhost/payhost/api"
	"github.com/payhost/payhost/internal/routing"
	"github.com/payhost/payhost/internal/store"
	"github.com/payhost/payhost/plugin"
)

// CreateToken implements api.Service: it stores a card at a provider that
// tokenizes (the one the request names, or the merchant's routes' choice),
// directly from card data, or through the gateway's hosted page (the token
// is requires_action with a next_action until the gateway reports). The
// token is bound to that provider instance: payments with it go there.
func (h *Host) CreateToken(ctx context.Context, merchantID string, req *api.CreateTokenRequest, opts ...api.CallOption) (*api.Token, error) {
	ctx = withCall(ctx, api.Options(opts...))
	if err := h.checkMerchant(merchantID); err != nil {
		return nil, err
	}
	if req == nil {
		return nil, api.Errorf(api.CodeInvalidRequest, "", "the request has no body")
	}
	r := *req
	if err := h.validateToken(&r); err != nil {
		return nil, err
	}
	w := write{merchant: merchantID, opts: api.Options(opts...), op: "create_token", body: &r, status: http.StatusCreated, inRun: true}
	return idempotent(h, ctx, w, func(ctx context.Context, k *keyed) (*api.Token, error) {
		return h.createToken(ctx, merchantID, &r, k)
	})
}

// validateToken checks a tokenization request strictly.
func (h *Host) validateToken(r *api.CreateTokenRequest) error {
	switch {
	case r.Method != plugin.MethodCard:
		return invalid("method", "method %q cannot be tokenized; use card", r.Method)
	case r.Card == nil && r.ReturnURL == "":
		return invalid("return_url", "a tokenization without card data goes through the gateway's page and needs return_url, where the customer comes back")
	case r.Currency != "" && !knownCurrency(r.Currency):
		return invalid("currency", "currency %q is not an ISO 4217 code payhost knows", r.Currency)
	case r.Provider != "" && h.providers[r.Provider] == nil:
		return invalid("provider", "provider %q is not configured; name an instance as type.name", r.Provider)
	}
	for _, err := range []error{
		h.validateCard("card", r.Card), validateURL("return_url", r.ReturnURL),
		validateCustomer(r.Customer), validateMap("metadata", r.Metadata),
	} {
		if err != nil {
			return err
		}
	}
	return nil
}

// createToken routes the tokenization, stores the token, and asks the
// candidates in turn while they report not sent. Its first transaction
// takes the idempotency key and stores the token; the one that records
// the provider's answer stores it as the key's (settleToken).
func (h *Host) createToken(ctx context.Context, merchantID string, r *api.CreateTokenRequest, k *keyed) (*api.Token, error) {
	var (
		t       *store.Token
		d       *routing.Decision
		resumed bool
	)
	err := h.keyTx(ctx, k, func(tx store.Tx) (err error) {
		// The id derives from the key's record (k.id), known once the key
		// is taken, and routing splits by the id.
		t = &store.Token{
			ID: k.id(store.PrefixToken), MerchantID: merchantID, Status: plugin.TokenRequiresAction,
			Card: cardInfo(r.Card), Customer: pluginCustomer(r.Customer), Metadata: r.Metadata,
		}
		if d, err = h.routeToken(merchantID, r, t.ID); err != nil {
			return err
		}
		resumed, t.ProviderInstance = false, d.Candidates[0].Provider
		if k.takenOver {
			// The key's first owner stopped; it may have stored the token
			// already.
			_, err := tx.GetToken(ctx, t.ID)
			if resumed = err == nil; !isNotFound(err) {
				return err
			}
		}
		return tx.InsertToken(ctx, t)
	})
	switch {
	case err != nil:
		return nil, err
	case resumed:
		return h.GetToken(ctx, merchantID, t.ID)
	}
	for i, c := range d.Candidates {
		if i > 0 {
			t.ProviderInstance = c.Provider
			if err := h.inTx(ctx, func(tx store.Tx) error { return tx.UpdateToken(ctx, t) }); err != nil {
				return nil, err
			}
		}
		resp, callErr := call(h, ctx, h.providers[c.Provider], plugin.OpTokenize, func(ctx context.Context, pp plugin.Provider) (*plugin.TokenizeResponse, error) {
			req := &plugin.TokenizeRequest{TokenID: t.ID, IdempotencyKey: t.ID, Card: pluginCard(r.Card),
				ReturnURL: r.ReturnURL, Currency: r.Currency, Metadata: r.Metadata}
			if t.Customer != nil {
				req.Customer = *t.Customer
			}
			return pp.Tokenize(ctx, req)
		})
		if classify(callErr) == outcomeNotSent && i < len(d.Candidates)-1 {
			continue
		}
		var result *plugin.TokenResult
		if resp != nil {
			result = &resp.TokenResult
		}
		return h.settleToken(ctx, t.ID, tokenResult(result, callErr), k)
	}
	return nil, refuse(api.CodeNoRoute, "", "no provider can tokenize")
}

// routeToken decides which providers to ask to tokenize: the one the
// request names, or the merchant's routes' choice for a card.
func (h *Host) routeToken(merchantID string, r *api.CreateTokenRequest, id string) (*routing.Decision, error) {
	rp := routing.Payment{ID: id, Currency: r.Currency, Method: plugin.MethodCard, Capture: plugin.CaptureAutomatic,
		Metadata: r.Metadata, Operation: plugin.OpTokenize}
	var (
		d   *routing.Decision
		err error
	)
	if r.Provider != "" {
		d, err = h.router.Pin(merchantID, r.Provider, rp)
	} else {
		d, err = h.router.Route(merchantID, rp)
	}
	if err != nil {
		return nil, routeError(err)
	}
	return d, nil
}

// tokenResult is what a tokenization came to: the provider's answer, or a
// failure that says why there is none.
func tokenResult(result *plugin.TokenResult, err error) *plugin.TokenResult {
	if err == nil {
		return result
	}
	code, msg := failureOf(err)
	switch classify(err) {
	case outcomeNotSent:
		code = string(api.CodeProviderUnavailable)
	case outcomeUnknown:
		msg = "the provider may have stored the card but did not say; create a new token: " + msg
	}
	return &plugin.TokenResult{Status: plugin.TokenFailed, FailureCode: code, FailureMessage: msg}
}

// settleToken applies a provider's report to token id and queues the
// merchant event of its new status; the same transaction stores the token
// as k's answer, when the report answers a request with a key.
func (h *Host) settleToken(ctx context.Context, id string, result *plugin.TokenResult, k *keyed) (*api.Token, error) {
	var view *api.Token
	err := h.inTx(ctx, func(tx store.Tx) error {
		t, err := tx.GetToken(ctx, id)
		if err != nil {
			return err
		}
		if err := h.applyToken(ctx, tx, t, result); err != nil {
			return err
		}
		view = apiToken(t)
		return h.completeKey(ctx, tx, k, k.status, view)
	})
	if err != nil {
		return nil, err
	}
	k.settled = k.key != ""
	return view, nil
}

// applyToken moves token t, read in tx, as result reports: a token
// waiting for the customer becomes active (with the gateway's token) or
// failed, or gets a new next action; a token that is settled stays so.
func (h *Host) applyToken(ctx context.Context, tx store.Tx, t *store.Token, result *plugin.TokenResult) error {
	if t.Status != plugin.TokenRequiresAction {
		h.logger(ctx).Info("token update not applied", "token", t.ID, "status", t.Status, "reported", result.Status)
		return nil
	}
	if !result.Status.Valid() || result.Status == plugin.TokenDeleted {
		h.logger(ctx).Warn("token update not applied", "token", t.ID, "reason", "not a status a tokenization ends in", "reported", result.Status)
		return nil
	}
	if result.ProviderReference != "" {
		t.ProviderReference = result.ProviderReference
	}
	t.Status, t.NextAction = result.Status, nil
	switch result.Status {
	case plugin.TokenActive:
		t.ProviderToken, t.CustomerRef = plugin.NewSecret(result.Token), result.CustomerRef
		if result.Card != nil {
			info := *result.Card
			info.HolderName = ""
			t.Card = &info
		}
	case plugin.TokenRequiresAction:
		t.NextAction = result.NextAction
	case plugin.TokenFailed:
		t.FailureCode, t.FailureMessage = result.FailureCode, result.FailureMessage
	}
	if err := tx.UpdateToken(ctx, t); err != nil {
		return err
	}
	if t.Status == plugin.TokenRequiresAction {
		return nil
	}
	return h.appendEvent(ctx, tx, t.MerchantID, "token."+string(t.Status), apiToken(t))
}

// GetToken implements api.Service. A token still waiting for the customer
// is asked about at its provider first.
func (h *Host) GetToken(ctx context.Context, merchantID, tokenID string, opts ...api.CallOption) (*api.Token, error) {
	ctx = withCall(ctx, api.Options(opts...))
	t, err := h.token(ctx, merchantID, tokenID)
	if err != nil {
		return nil, h.answer(ctx, err)
	}
	prov := h.providers[t.ProviderInstance]
	if t.Status != plugin.TokenRequiresAction || t.ProviderReference == "" || prov == nil || !prov.caps.Supports(plugin.OpGetToken) {
		return apiToken(t), nil
	}
	resp, err := call(h, ctx, prov, plugin.OpGetToken, func(ctx context.Context, pp plugin.Provider) (*plugin.GetTokenResponse, error) {
		return pp.GetToken(ctx, &plugin.GetTokenRequest{TokenRef: tokenRef(t)})
	})
	if err != nil {
		return apiToken(t), nil // the stored token is the answer; the call is logged
	}
	view, err := h.settleToken(ctx, t.ID, &resp.TokenResult, &keyed{})
	return view, h.answer(ctx, err)
}

// DeleteToken implements api.Service: it removes the card at the provider
// and marks the token deleted; payments can no longer use it.
func (h *Host) DeleteToken(ctx context.Context, merchantID, tokenID string, opts ...api.CallOption) (*api.Token, error) {
	ctx = withCall(ctx, api.Options(opts...))
	if err := h.checkMerchant(merchantID); err != nil {
		return nil, err
	}
	w := write{merchant: merchantID, opts: api.Options(opts...), op: "delete_token", pathID: tokenID, body: struct{}{}, status: http.StatusOK}
	return idempotent(h, ctx, w, func(ctx context.Context, k *keyed) (*api.Token, error) {
		t, err := h.token(ctx, merchantID, tokenID)
		if err != nil || t.Status == plugin.TokenDeleted {
			return tokenView(t, err)
		}
		prov := h.providers[t.ProviderInstance]
		if !t.ProviderToken.IsEmpty() && prov != nil && prov.caps.Supports(plugin.OpDeleteToken) {
			_, err := call(h, ctx, prov, plugin.OpDeleteToken, func(ctx context.Context, pp plugin.Provider) (*plugin.DeleteTokenResponse, error) {
				return pp.DeleteToken(ctx, &plugin.DeleteTokenRequest{TokenRef: tokenRef(t), IdempotencyKey: "del_" + t.ID})
			})
			if err != nil {
				e := providerError(err, prov.addr, plugin.OpDeleteToken, "")
				if classify(err) == outcomeNotSent {
					return nil, &refusal{e}
				}
				return nil, e
			}
		}
		err = h.inTx(ctx, func(tx store.Tx) (err error) {
			if t, err = tx.GetToken(ctx, tokenID); err != nil {
				return err
			}
			t.Status, t.NextAction = plugin.TokenDeleted, nil
			if err := tx.UpdateToken(ctx, t); err != nil {
				return err
			}
			return h.completeKey(ctx, tx, k, k.status, apiToken(t))
		})
		k.settled = err == nil && k.key != ""
		return tokenView(t, err)
	})
}

// token reads the merchant's token id.
func (h *Host) token(ctx context.Context, merchantID, id string) (*store.Token, error) {
	if err := h.checkMerchant(merchantID); err != nil {
		return nil, err
	}
	var t *store.Token
	err := h.store.View(ctx, func(r store.Reader) (err error) {
		t, err = r.GetToken(ctx, id)
		return err
	})
	if isNotFound(err) || (err == nil && t.MerchantID != merchantID) {
		return nil, notFound("token", id)
	}
	return t, err
}

func tokenView(t *store.Token, err error) (*api.Token, error) {
	if err != nil {
		return nil, err
	}
	return apiToken(t), nil
}

// tokenRef identifies token t at its provider.
func tokenRef(t *store.Token) plugin.TokenRef {
	return plugin.TokenRef{TokenID: t.ID, Token: t.ProviderToken.Reveal(), CustomerRef: t.CustomerRef, ProviderReference: t.ProviderReference}
}
