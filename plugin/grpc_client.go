package plugin

import (
	"context"

	pb "github.com/payhost/payhost/plugin/internal/proto"
)

// grpcClient is the host's side of the wire: a Provider that forwards each
// call to a plugin over gRPC. It only translates; a failed call comes back
// as an *Error (see errorFromStatus).
type grpcClient struct {
	client pb.ProviderClient
}

// GetInfo calls the plugin's GetInfo.
func (c *grpcClient) GetInfo(ctx context.Context, req *GetInfoRequest) (*GetInfoResponse, error) {
	out, err := c.client.GetInfo(ctx, &pb.GetInfo_Request{})
	if err != nil {
		return nil, errorFromStatus("GetInfo", err)
	}
	info, err := getInfoResponseFromProto(out)
	if err != nil {
		return nil, &Error{Kind: KindInternal, Message: "plugin sent info this SDK cannot read: " + err.Error(), Err: err}
	}
	return info, nil
}

// Configure calls the plugin's Configure.
func (c *grpcClient) Configure(ctx context.Context, req *ConfigureRequest) (*ConfigureResponse, error) {
	in, err := configureRequestToProto(req)
	if err != nil {
		return nil, &Error{Kind: KindInvalidRequest, Param: "config", Message: err.Error(), Err: err}
	}
	out, err := c.client.Configure(ctx, in)
	if err != nil {
		return nil, errorFromStatus("Configure", err)
	}
	return configureResponseFromProto(out), nil
}

// CreatePayment calls the plugin's CreatePayment.
func (c *grpcClient) CreatePayment(ctx context.Context, req *CreatePaymentRequest) (*CreatePaymentResponse, error) {
	out, err := c.client.CreatePayment(ctx, createPaymentRequestToProto(req))
	if err != nil {
		return nil, errorFromStatus("CreatePayment", err)
	}
	return createPaymentResponseFromProto(out), nil
}

// Capture calls the plugin's Capture.
func (c *grpcClient) Capture(ctx context.Context, req *CaptureRequest) (*CaptureResponse, error) {
	out, err := c.client.Capture(ctx, captureRequestToProto(req))
	if err != nil {
		return nil, errorFromStatus("Capture", err)
	}
	return captureResponseFromProto(out), nil
}

// Refund calls the plugin's Refund.
func (c *grpcClient) Refund(ctx context.Context, req *RefundRequest) (*RefundResponse, error) {
	out, err := c.client.Refund(ctx, refundRequestToProto(req))
	if err != nil {
		return nil, errorFromStatus("Refund", err)
	}
	return refundResponseFromProto(out), nil
}

// Void calls the plugin's Void.
func (c *grpcClient) Void(ctx context.Context, req *VoidRequest) (*VoidResponse, error) {
	out, err := c.client.Void(ctx, voidRequestToProto(req))
	if err != nil {
		return nil, errorFromStatus("Void", err)
	}
	return voidResponseFromProto(out), nil
}

// Reverse calls the plugin's Reverse.
func (c *grpcClient) Reverse(ctx context.Context, req *ReverseRequest) (*ReverseResponse, error) {
	out, err := c.client.Reverse(ctx, reverseRequestToProto(req))
	if err != nil {
		return nil, errorFromStatus("Reverse", err)
	}
	return reverseResponseFromProto(out), nil
}

// GetPayment calls the plugin's GetPayment.
func (c *grpcClient) GetPayment(ctx context.Context, req *GetPaymentRequest) (*GetPaymentResponse, error) {
	out, err := c.client.GetPayment(ctx, getPaymentRequestToProto(req))
	if err != nil {
		return nil, errorFromStatus("GetPayment", err)
	}
	return getPaymentResponseFromProto(out), nil
}

// GetRefund calls the plugin's GetRefund.
func (c *grpcClient) GetRefund(ctx context.Context, req *GetRefundRequest) (*GetRefundResponse, error) {
	out, err := c.client.GetRefund(ctx, getRefundRequestToProto(req))
	if err != nil {
		return nil, errorFromStatus("GetRefund", err)
	}
	return getRefundResponseFromProto(out), nil
}

// Tokenize calls the plugin's Tokenize.
func (c *grpcClient) Tokenize(ctx context.Context, req *TokenizeRequest) (*TokenizeResponse, error) {
	out, err := c.client.Tokenize(ctx, tokenizeRequestToProto(req))
	if err != nil {
		return nil, errorFromStatus("Tokenize", err)
	}
	return tokenizeResponseFromProto(out), nil
}

// GetToken calls the plugin's GetToken.
func (c *grpcClient) GetToken(ctx context.Context, req *GetTokenRequest) (*GetTokenResponse, error) {
	out, err := c.client.GetToken(ctx, getTokenRequestToProto(req))
	if err != nil {
		return nil, errorFromStatus("GetToken", err)
	}
	return getTokenResponseFromProto(out), nil
}

// DeleteToken calls the plugin's DeleteToken.
func (c *grpcClient) DeleteToken(ctx context.Context, req *DeleteTokenRequest) (*DeleteTokenResponse, error) {
	out, err := c.client.DeleteToken(ctx, deleteTokenRequestToProto(req))
	if err != nil {
		return nil, errorFromStatus("DeleteToken", err)
	}
	return deleteTokenResponseFromProto(out), nil
}

// HandleCallback calls the plugin's HandleCallback.
func (c *grpcClient) HandleCallback(ctx context.Context, req *HandleCallbackRequest) (*HandleCallbackResponse, error) {
	out, err := c.client.HandleCallback(ctx, handleCallbackRequestToProto(req))
	if err != nil {
		return nil, errorFromStatus("HandleCallback", err)
	}
	return handleCallbackResponseFromProto(out), nil
}

var _ Provider = (*grpcClient)(nil)
