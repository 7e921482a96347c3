package sqlstore

import (
	"context"
	"fmt"

	"github.com/payhost/payhost/internal/store"
	"github.com/payhost/payhost/plugin"
)

// tokenKept are the token columns UpdateToken leaves alone.
var tokenKept = columns{"id", "merchant_id", "created_at"}

// tokenUpdated are the token columns UpdateToken writes. The provider
// instance is one: a tokenization the route's first candidate did not
// send goes to the next, which then holds the card.
var tokenUpdated = columns{"provider_instance", "status", "provider_token", "customer_ref", "provider_reference",
	"card_first6", "card_last4", "card_exp_month", "card_exp_year", "card_brand",
	"next_action", "customer", "failure_code", "failure_message", "metadata", "version", "updated_at"}

var (
	tokenColumns = tokenKept.concat(tokenUpdated)
	selectToken  = "SELECT " + tokenColumns.list() + " FROM tokens"
	insertToken  = tokenColumns.insert("tokens")
	updateToken  = fmt.Sprintf("UPDATE tokens SET %s WHERE id = $%d AND version = $%d",
		tokenUpdated.set(1), len(tokenUpdated)+1, len(tokenUpdated)+2)
)

// keepToken makes t what the store keeps of it, as it will read back.
func keepToken(t *store.Token) {
	t.Card, t.NextAction, t.Metadata = keptCard(t.Card), keptNextAction(t.NextAction), keptMetadata(t.Metadata)
}

func tokenUpdatedArgs(t *store.Token) ([]any, error) {
	action, err := nextActionArg(t.NextAction)
	if err != nil {
		return nil, fmt.Errorf("token %s: encode next action: %w", t.ID, err)
	}
	customer, err := customerArg(t.Customer)
	if err != nil {
		return nil, fmt.Errorf("token %s: encode customer: %w", t.ID, err)
	}
	metadata, err := metadataArg(t.Metadata)
	if err != nil {
		return nil, fmt.Errorf("token %s: encode metadata: %w", t.ID, err)
	}
	c := cardOf(t.Card)
	return []any{t.ProviderInstance, string(t.Status), t.ProviderToken.Reveal(), t.CustomerRef, t.ProviderReference,
		c.first6, c.last4, c.expMonth, c.expYear, c.brand,
		action, customer, t.FailureCode, t.FailureMessage, metadata, t.Version, t.UpdatedAt}, nil
}

func scanToken(s scanner) (store.Token, error) {
	var (
		t                              store.Token
		c                              card
		providerToken                  string
		action, customerJSON, metadata []byte
	)
	err := s.Scan(
		// tokenKept
		&t.ID, &t.MerchantID, &t.CreatedAt,
		// tokenUpdated
		&t.ProviderInstance, &t.Status, &providerToken, &t.CustomerRef, &t.ProviderReference,
		&c.first6, &c.last4, &c.expMonth, &c.expYear, &c.brand,
		&action, &customerJSON, &t.FailureCode, &t.FailureMessage, &metadata, &t.Version, &t.UpdatedAt)
	if err != nil {
		return t, err
	}
	if providerToken != "" {
		t.ProviderToken = plugin.NewSecret(providerToken)
	}
	t.Card = c.info()
	t.CreatedAt, t.UpdatedAt = t.CreatedAt.UTC(), t.UpdatedAt.UTC()
	if t.NextAction, err = decodeNextAction(action); err != nil {
		return t, fmt.Errorf("token %s: decode next action: %w", t.ID, err)
	}
	if t.Customer, err = decodeCustomer(customerJSON); err != nil {
		return t, fmt.Errorf("token %s: decode customer: %w", t.ID, err)
	}
	if t.Metadata, err = decodeMetadata(metadata); err != nil {
		return t, fmt.Errorf("token %s: decode metadata: %w", t.ID, err)
	}
	return t, nil
}

// GetToken implements store.TokenReader.
func (c *conn) GetToken(ctx context.Context, id string) (*store.Token, error) {
	t, err := scanToken(c.q.queryRow(ctx, selectToken+" WHERE id = $1", id))
	if err != nil {
		return nil, c.fail(err, "token %s", id)
	}
	return &t, nil
}

// InsertToken implements store.TokenWriter.
func (t *tx) InsertToken(ctx context.Context, tok *store.Token) error {
	if tok.ID == "" {
		tok.ID = store.NewID(store.PrefixToken)
	}
	if err := tok.Validate(); err != nil {
		return err
	}
	row := *tok
	now := t.now()
	row.Version, row.CreatedAt, row.UpdatedAt = 1, now, now
	keepToken(&row)
	updated, err := tokenUpdatedArgs(&row)
	if err != nil {
		return err
	}
	kept := []any{row.ID, row.MerchantID, row.CreatedAt}
	if _, err := t.q.exec(ctx, insertToken, append(kept, updated...)...); err != nil {
		return t.fail(err, "insert token %s", tok.ID)
	}
	*tok = row
	return nil
}

// UpdateToken implements store.TokenWriter.
func (t *tx) UpdateToken(ctx context.Context, tok *store.Token) error {
	if err := tok.Validate(); err != nil {
		return err
	}
	row := *tok
	row.Version, row.UpdatedAt = tok.Version+1, t.now()
	keepToken(&row)
	args, err := tokenUpdatedArgs(&row)
	if err != nil {
		return err
	}
	ok, err := t.execOne(ctx, updateToken, append(args, tok.ID, tok.Version)...)
	if err != nil {
		return t.fail(err, "update token %s", tok.ID)
	}
	if !ok {
		return t.missed(ctx, "tokens", tok.ID, "token", fmt.Sprintf("it is no longer at version %d", tok.Version))
	}
	*tok = row
	return nil
}
