package faultprovider

import (
	"context"

	"github.com/payhost/payhost/plugin"
)

// echo is the fault plugin in echo mode (EnvEcho): every RPC checks that
// its request equals the fixture exactly and answers the fixture response.
// A request that differs is answered with an invalid_request error listing
// the differences.
type echo struct{}

var _ plugin.Provider = echo{}

// answer checks got against the fixture's request and answers its response.
func answer[Req, Resp any](got Req, fixture func() (Req, Resp)) (Resp, error) {
	want, resp := fixture()
	if d := Diff(want, got); d != "" {
		var zero Resp
		return zero, plugin.InvalidRequest("", "echo: the request differs from the fixture:\n%s", d)
	}
	return resp, nil
}

// GetInfo checks the request against its fixture and answers the fixture.
func (echo) GetInfo(_ context.Context, req *plugin.GetInfoRequest) (*plugin.GetInfoResponse, error) {
	return answer(req, EchoGetInfo)
}

// Configure checks the request against its fixture and answers the fixture.
func (echo) Configure(_ context.Context, req *plugin.ConfigureRequest) (*plugin.ConfigureResponse, error) {
	return answer(req, EchoConfigure)
}

// CreatePayment also answers the error fixture to EchoCreatePaymentError's
// request.
func (echo) CreatePayment(_ context.Context, req *plugin.CreatePaymentRequest) (*plugin.CreatePaymentResponse, error) {
	if errReq, perr := EchoCreatePaymentError(); Diff(errReq, req) == "" {
		return nil, perr
	}
	return answer(req, EchoCreatePayment)
}

// Capture checks the request against its fixture and answers the fixture.
func (echo) Capture(_ context.Context, req *plugin.CaptureRequest) (*plugin.CaptureResponse, error) {
	return answer(req, EchoCapture)
}

// Refund checks the request against its fixture and answers the fixture.
func (echo) Refund(_ context.Context, req *plugin.RefundRequest) (*plugin.RefundResponse, error) {
	return answer(req, EchoRefund)
}

// Void checks the request against its fixture and answers the fixture.
func (echo) Void(_ context.Context, req *plugin.VoidRequest) (*plugin.VoidResponse, error) {
	return answer(req, EchoVoid)
}

// Reverse checks the request against its fixture and answers the fixture.
func (echo) Reverse(_ context.Context, req *plugin.ReverseRequest) (*plugin.ReverseResponse, error) {
	return answer(req, EchoReverse)
}

// GetPayment checks the request against its fixture and answers the fixture.
func (echo) GetPayment(_ context.Context, req *plugin.GetPaymentRequest) (*plugin.GetPaymentResponse, error) {
	return answer(req, EchoGetPayment)
}

// GetRefund checks the request against its fixture and answers the fixture.
func (echo) GetRefund(_ context.Context, req *plugin.GetRefundRequest) (*plugin.GetRefundResponse, error) {
	return answer(req, EchoGetRefund)
}

// Tokenize checks the request against its fixture and answers the fixture.
func (echo) Tokenize(_ context.Context, req *plugin.TokenizeRequest) (*plugin.TokenizeResponse, error) {
	return answer(req, EchoTokenize)
}

// GetToken checks the request against its fixture and answers the fixture.
func (echo) GetToken(_ context.Context, req *plugin.GetTokenRequest) (*plugin.GetTokenResponse, error) {
	return answer(req, EchoGetToken)
}

// DeleteToken checks the request against its fixture and answers the fixture.
func (echo) DeleteToken(_ context.Context, req *plugin.DeleteTokenRequest) (*plugin.DeleteTokenResponse, error) {
	return answer(req, EchoDeleteToken)
}

// HandleCallback checks the request against its fixture and answers the fixture.
func (echo) HandleCallback(_ context.Context, req *plugin.HandleCallbackRequest) (*plugin.HandleCallbackResponse, error) {
	return answer(req, EchoHandleCallback)
}
