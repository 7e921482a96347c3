package plugin

import (
	"context"

	"github.com/hashicorp/go-hclog"
	goplugin "github.com/hashicorp/go-plugin"
	pb "github.com/payhost/payhost/plugin/internal/proto"
	"google.golang.org/grpc"
)

// GRPCProviderPlugin is the go-plugin glue of the provider protocol. On the
// plugin side Serve builds it around the provider; on the host side
// HostPluginSets declares it empty, and dispensing PluginName returns a
// Provider that talks to the plugin. Neither hosts nor providers need to
// touch it directly; plugintest uses it to run the same glue in memory.
type GRPCProviderPlugin struct {
	goplugin.NetRPCUnsupportedPlugin

	// Impl is the provider served; plugin side only.
	Impl Provider
	// Logger is the base of the per-call loggers (see Logger); plugin side
	// only. Nil discards.
	Logger hclog.Logger
}

// GRPCServer registers the provider's gRPC server. It asks the provider
// for its info once, here.
func (p *GRPCProviderPlugin) GRPCServer(_ *goplugin.GRPCBroker, s *grpc.Server) error {
	pb.RegisterProviderServer(s, newGRPCServer(p.Impl, p.Logger))
	return nil
}

// GRPCClient returns the Provider that forwards to the plugin over c.
func (p *GRPCProviderPlugin) GRPCClient(_ context.Context, _ *goplugin.GRPCBroker, c *grpc.ClientConn) (any, error) {
	return &grpcClient{client: pb.NewProviderClient(c)}, nil
}

var _ goplugin.GRPCPlugin = (*GRPCProviderPlugin)(nil)
