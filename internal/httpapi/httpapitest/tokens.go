package httpapitest

import (
	"context"
	"net/http"

	"github.com/payhost/payhost/api"
	"github.com/payhost/payhost/plugin"
)

// CreateToken implements api.Service: a token with card data is active.
func (s *Service) CreateToken(ctx context.Context, merchantID string, req *api.CreateTokenRequest, opts ...api.CallOption) (*api.Token, error) {
	if err := s.begin(ctx, Call{Op: "CreateToken", Merchant: merchantID, Options: api.Options(opts...), Request: req}); err != nil {
		return nil, err
	}
	if req.Card == nil {
		return nil, api.Errorf(api.CodeUnsupported, "card", "this service tokenizes card data only")
	}
	t := &api.Token{
		Status: plugin.TokenActive, Provider: req.Provider, Card: cardInfo(req.Card),
		Customer: req.Customer, Metadata: req.Metadata, CreatedAt: now(), UpdatedAt: now(),
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	t.ID = s.newID("tok")
	s.tokens[t.ID], s.owner[t.ID] = t, merchantID
	c := *t
	return &c, nil
}

// GetToken implements api.Service.
func (s *Service) GetToken(ctx context.Context, merchantID, tokenID string, opts ...api.CallOption) (*api.Token, error) {
	return s.token(ctx, Call{Op: "GetToken", Merchant: merchantID, ID: tokenID, Options: api.Options(opts...)}, false)
}

// DeleteToken implements api.Service.
func (s *Service) DeleteToken(ctx context.Context, merchantID, tokenID string, opts ...api.CallOption) (*api.Token, error) {
	return s.token(ctx, Call{Op: "DeleteToken", Merchant: merchantID, ID: tokenID, Options: api.Options(opts...)}, true)
}

// token records c and returns the merchant's token, deleting it first
// when asked to.
func (s *Service) token(ctx context.Context, c Call, deleteIt bool) (*api.Token, error) {
	if err := s.begin(ctx, c); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := s.tokens[c.ID]
	if !ok || s.owner[c.ID] != c.Merchant {
		return nil, notFound("token", c.ID)
	}
	if deleteIt {
		t.Status, t.UpdatedAt = plugin.TokenDeleted, now()
	}
	out := *t
	return &out, nil
}

// HandleCallback implements api.Service with Service.Callback.
func (s *Service) HandleCallback(ctx context.Context, instance string, cb *plugin.HandleCallbackRequest, opts ...api.CallOption) (*plugin.HTTPResponse, error) {
	if err := s.begin(ctx, Call{Op: "HandleCallback", ID: instance, Request: cb, Options: api.Options(opts...)}); err != nil {
		return nil, err
	}
	if s.Callback != nil {
		return s.Callback(instance, cb)
	}
	return &plugin.HTTPResponse{StatusCode: http.StatusOK, Body: []byte("OK")}, nil
}
