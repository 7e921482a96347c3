package plugin

import (
	"context"

	"github.com/hashicorp/go-hclog"
)

type loggerKey struct{}

// Logger returns the logger of the call ctx belongs to. Inside a plugin it
// writes to the plugin's stderr in hclog's JSON format, which the host shows
// as structured fields under the plugin's name, and it names the RPC being
// served ("rpc" field). Outside a served call it discards everything.
//
// Log identifiers and statuses, never credentials or card data: Secret and
// CardNumber values print safely, raw strings do not.
func Logger(ctx context.Context) hclog.Logger {
	if l, ok := ctx.Value(loggerKey{}).(hclog.Logger); ok {
		return l
	}
	return hclog.NewNullLogger()
}

// withLogger returns ctx carrying l for Logger.
func withLogger(ctx context.Context, l hclog.Logger) context.Context {
	return context.WithValue(ctx, loggerKey{}, l)
}
