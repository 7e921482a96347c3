package pluginhost

import (
	"context"

	"github.com/payhost/payhost/plugin"
)

// forward sends one call through call and drops the process that handled it.
func forward[Req, Resp any](i *Instance, ctx context.Context, op string, req Req, method func(plugin.Provider, context.Context, Req) (Resp, error)) (Resp, error) {
	resp, _, err := call(i, ctx, op, func(ctx context.Context, p plugin.Provider) (Resp, error) {
		return method(p, ctx, req)
	})
	return resp, err
}

// GetInfo asks the plugin to describe itself.
func (i *Instance) GetInfo(ctx context.Context, req *plugin.GetInfoRequest) (*plugin.GetInfoResponse, error) {
	return forward(i, ctx, "GetInfo", req, plugin.Provider.GetInfo)
}

// Configure configures the plugin and, once it accepted the request,
// remembers it to configure the plugin again after every restart. If the
// plugin was restarted while it was being configured, the new process is
// configured too before Configure returns.
func (i *Instance) Configure(ctx context.Context, req *plugin.ConfigureRequest) (*plugin.ConfigureResponse, error) {
	for {
		resp, pr, err := call(i, ctx, "Configure", func(ctx context.Context, p plugin.Provider) (*plugin.ConfigureResponse, error) {
			return p.Configure(ctx, req)
		})
		if err != nil {
			return nil, err
		}
		i.mu.Lock()
		current := i.proc == pr
		if current {
			i.configure = req
		}
		i.mu.Unlock()
		if current {
			return resp, nil
		}
	}
}

// CreatePayment forwards to the plugin.
func (i *Instance) CreatePayment(ctx context.Context, req *plugin.CreatePaymentRequest) (*plugin.CreatePaymentResponse, error) {
	return forward(i, ctx, "CreatePayment", req, plugin.Provider.CreatePayment)
}

// Capture forwards to the plugin.
func (i *Instance) Capture(ctx context.Context, req *plugin.CaptureRequest) (*plugin.CaptureResponse, error) {
	return forward(i, ctx, "Capture", req, plugin.Provider.Capture)
}

// Refund forwards to the plugin.
func (i *Instance) Refund(ctx context.Context, req *plugin.RefundRequest) (*plugin.RefundResponse, error) {
	return forward(i, ctx, "Refund", req, plugin.Provider.Refund)
}

// Void forwards to the plugin.
func (i *Instance) Void(ctx context.Context, req *plugin.VoidRequest) (*plugin.VoidResponse, error) {
	return forward(i, ctx, "Void", req, plugin.Provider.Void)
}

// Reverse forwards to the plugin.
func (i *Instance) Reverse(ctx context.Context, req *plugin.ReverseRequest) (*plugin.ReverseResponse, error) {
	return forward(i, ctx, "Reverse", req, plugin.Provider.Reverse)
}

// GetPayment forwards to the plugin.
func (i *Instance) GetPayment(ctx context.Context, req *plugin.GetPaymentRequest) (*plugin.GetPaymentResponse, error) {
	return forward(i, ctx, "GetPayment", req, plugin.Provider.GetPayment)
}

// GetRefund forwards to the plugin.
func (i *Instance) GetRefund(ctx context.Context, req *plugin.GetRefundRequest) (*plugin.GetRefundResponse, error) {
	return forward(i, ctx, "GetRefund", req, plugin.Provider.GetRefund)
}

// Tokenize forwards to the plugin.
func (i *Instance) Tokenize(ctx context.Context, req *plugin.TokenizeRequest) (*plugin.TokenizeResponse, error) {
	return forward(i, ctx, "Tokenize", req, plugin.Provider.Tokenize)
}

// GetToken forwards to the plugin.
func (i *Instance) GetToken(ctx context.Context, req *plugin.GetTokenRequest) (*plugin.GetTokenResponse, error) {
	return forward(i, ctx, "GetToken", req, plugin.Provider.GetToken)
}

// DeleteToken forwards to the plugin.
func (i *Instance) DeleteToken(ctx context.Context, req *plugin.DeleteTokenRequest) (*plugin.DeleteTokenResponse, error) {
	return forward(i, ctx, "DeleteToken", req, plugin.Provider.DeleteToken)
}

// HandleCallback forwards to the plugin.
func (i *Instance) HandleCallback(ctx context.Context, req *plugin.HandleCallbackRequest) (*plugin.HandleCallbackResponse, error) {
	return forward(i, ctx, "HandleCallback", req, plugin.Provider.HandleCallback)
}
