package plugin_test

import (
	"context"
	"sync"

	"github.com/payhost/payhost/plugin"
)

// recorder is a provider for the wire tests: it answers GetInfo with info
// or infoErr,
// and every other call by recording the request it received and returning
// resp, err, or panicking with panicValue, whichever is set.
type recorder struct {
	info    *plugin.GetInfoResponse
	infoErr error

	mu         sync.Mutex
	infoCalls  int
	calls      int
	req        any
	resp       any
	err        error
	panicValue any
}

// allOperations declares every operation, so that nothing is refused
// before it reaches the provider.
func allOperations() *plugin.GetInfoResponse {
	return &plugin.GetInfoResponse{
		Type: "recorder", Version: "1.0.0",
		Capabilities: plugin.Capabilities{Operations: plugin.Operations},
	}
}

// answer records req and returns the planned answer.
func answer[Resp any](r *recorder, req any) (*Resp, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.calls++
	r.req = req
	if r.panicValue != nil {
		panic(r.panicValue)
	}
	if r.err != nil {
		return nil, r.err
	}
	resp, _ := r.resp.(*Resp)
	return resp, nil
}

func (r *recorder) received() (calls int, req any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.calls, r.req
}

func (r *recorder) plan(resp any, err error, panicValue any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.resp, r.err, r.panicValue = resp, err, panicValue
}

func (r *recorder) GetInfo(context.Context, *plugin.GetInfoRequest) (*plugin.GetInfoResponse, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.infoCalls++
	return r.info, r.infoErr
}

func (r *recorder) Configure(_ context.Context, req *plugin.ConfigureRequest) (*plugin.ConfigureResponse, error) {
	return answer[plugin.ConfigureResponse](r, req)
}

func (r *recorder) CreatePayment(_ context.Context, req *plugin.CreatePaymentRequest) (*plugin.CreatePaymentResponse, error) {
	return answer[plugin.CreatePaymentResponse](r, req)
}

func (r *recorder) Capture(_ context.Context, req *plugin.CaptureRequest) (*plugin.CaptureResponse, error) {
	return answer[plugin.CaptureResponse](r, req)
}

func (r *recorder) Refund(_ context.Context, req *plugin.RefundRequest) (*plugin.RefundResponse, error) {
	return answer[plugin.RefundResponse](r, req)
}

func (r *recorder) Void(_ context.Context, req *plugin.VoidRequest) (*plugin.VoidResponse, error) {
	return answer[plugin.VoidResponse](r, req)
}

func (r *recorder) Reverse(_ context.Context, req *plugin.ReverseRequest) (*plugin.ReverseResponse, error) {
	return answer[plugin.ReverseResponse](r, req)
}

func (r *recorder) GetPayment(_ context.Context, req *plugin.GetPaymentRequest) (*plugin.GetPaymentResponse, error) {
	return answer[plugin.GetPaymentResponse](r, req)
}

func (r *recorder) GetRefund(_ context.Context, req *plugin.GetRefundRequest) (*plugin.GetRefundResponse, error) {
	return answer[plugin.GetRefundResponse](r, req)
}

func (r *recorder) Tokenize(_ context.Context, req *plugin.TokenizeRequest) (*plugin.TokenizeResponse, error) {
	return answer[plugin.TokenizeResponse](r, req)
}

func (r *recorder) GetToken(_ context.Context, req *plugin.GetTokenRequest) (*plugin.GetTokenResponse, error) {
	return answer[plugin.GetTokenResponse](r, req)
}

func (r *recorder) DeleteToken(_ context.Context, req *plugin.DeleteTokenRequest) (*plugin.DeleteTokenResponse, error) {
	return answer[plugin.DeleteTokenResponse](r, req)
}

func (r *recorder) HandleCallback(_ context.Context, req *plugin.HandleCallbackRequest) (*plugin.HandleCallbackResponse, error) {
	return answer[plugin.HandleCallbackResponse](r, req)
}

var _ plugin.Provider = (*recorder)(nil)
