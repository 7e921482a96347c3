// Command tinyprovider is the smallest provider there is: it exists so that
// plugintest's own tests can launch a real plugin binary.
package main

import (
	"context"

	"github.com/payhost/payhost/plugin"
)

type tiny struct{ plugin.UnimplementedProvider }

func (tiny) GetInfo(context.Context, *plugin.GetInfoRequest) (*plugin.GetInfoResponse, error) {
	return &plugin.GetInfoResponse{
		Type: "tiny", Version: "1.0.0",
		Capabilities: plugin.Capabilities{
			Operations: []plugin.Operation{plugin.OpGetPayment},
			Methods:    []plugin.PaymentMethod{plugin.MethodCard},
		},
	}, nil
}

// GetPayment reports every payment as processing, under its attempt id.
func (tiny) GetPayment(_ context.Context, req *plugin.GetPaymentRequest) (*plugin.GetPaymentResponse, error) {
	return &plugin.GetPaymentResponse{PaymentResult: plugin.PaymentResult{
		Status: plugin.StatusProcessing, ProviderReference: req.AttemptID,
	}}, nil
}

func main() { plugin.Serve(tiny{}) }
