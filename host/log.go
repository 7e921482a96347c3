package host

import (
	"context"

	"github.com/hashicorp/go-hclog"

	"github.com/payhost/payhost/api"
)

// A call's log lines carry its request id (api.WithRequestID: the HTTP
// API's X-Request-Id), so that one request's lines can be found among
// everyone's. The id travels in the call's context, from the api.Service
// method down to the provider call and the store, and logger reads it.

// requestKey is the context key of a call's request id.
type requestKey struct{}

// withCall returns ctx carrying the request id of o, if it has one.
func withCall(ctx context.Context, o api.CallOptions) context.Context {
	if o.RequestID == "" {
		return ctx
	}
	return context.WithValue(ctx, requestKey{}, o.RequestID)
}

// logger is the host's log for the call of ctx: with its request id, when
// it has one.
func (h *Host) logger(ctx context.Context) hclog.Logger {
	if id, ok := ctx.Value(requestKey{}).(string); ok {
		return h.log.With("request_id", id)
	}
	return h.log
}
