package plugin

import (
	"fmt"

	pb "github.com/payhost/payhost/plugin/internal/proto"
)

// Conversions between each RPC's request and response structs and their
// wire messages, in the order of the Provider interface. The client adapter
// uses the ...RequestToProto and ...ResponseFromProto halves, the server
// adapter the other two.

func getInfoResponseToProto(r *GetInfoResponse) (*pb.GetInfo_Response, error) {
	schema, err := schemaToProto(r.Schema)
	if err != nil {
		return nil, fmt.Errorf("schema: %w", err)
	}
	return &pb.GetInfo_Response{
		Type:         r.Type,
		Version:      r.Version,
		Description:  r.Description,
		Capabilities: capabilitiesToProto(r.Capabilities),
		Schema:       schema,
	}, nil
}

func getInfoResponseFromProto(p *pb.GetInfo_Response) (*GetInfoResponse, error) {
	schema, err := schemaFromProto(p.GetSchema())
	if err != nil {
		return nil, fmt.Errorf("schema: %w", err)
	}
	return &GetInfoResponse{
		Type:         p.GetType(),
		Version:      p.GetVersion(),
		Description:  p.GetDescription(),
		Capabilities: capabilitiesFromProto(p.GetCapabilities()),
		Schema:       schema,
	}, nil
}

func configureRequestToProto(r *ConfigureRequest) (*pb.Configure_Request, error) {
	config, err := configToProto(r.Config)
	if err != nil {
		return nil, err
	}
	return &pb.Configure_Request{Instance: r.Instance, Config: config, CallbackUrl: r.CallbackURL}, nil
}

func configureRequestFromProto(p *pb.Configure_Request) (*ConfigureRequest, error) {
	config, err := configFromProto(p.GetConfig())
	if err != nil {
		return nil, err
	}
	return &ConfigureRequest{Instance: p.GetInstance(), Config: config, CallbackURL: p.GetCallbackUrl()}, nil
}

func configureResponseToProto(r *ConfigureResponse) *pb.Configure_Response {
	return &pb.Configure_Response{Warnings: r.Warnings}
}

func configureResponseFromProto(p *pb.Configure_Response) *ConfigureResponse {
	return &ConfigureResponse{Warnings: p.GetWarnings()}
}

func createPaymentRequestToProto(r *CreatePaymentRequest) *pb.CreatePayment_Request {
	return &pb.CreatePayment_Request{
		PaymentId:      r.PaymentID,
		AttemptId:      r.AttemptID,
		IdempotencyKey: r.IdempotencyKey,
		Amount:         moneyToProto(r.Amount),
		Method:         string(r.Method),
		Capture:        string(r.Capture),
		Reference:      r.Reference,
		Description:    r.Description,
		ReturnUrl:      r.ReturnURL,
		Customer:       customerToProto(r.Customer),
		Card:           optionalToProto(r.Card, cardToProto),
		Token:          optionalToProto(r.Token, storedTokenToProto),
		Country:        r.Country,
		Metadata:       r.Metadata,
		Options:        r.Options,
	}
}

func createPaymentRequestFromProto(p *pb.CreatePayment_Request) *CreatePaymentRequest {
	return &CreatePaymentRequest{
		PaymentID:      p.GetPaymentId(),
		AttemptID:      p.GetAttemptId(),
		IdempotencyKey: p.GetIdempotencyKey(),
		Amount:         moneyFromProto(p.GetAmount()),
		Method:         PaymentMethod(p.GetMethod()),
		Capture:        CaptureMode(p.GetCapture()),
		Reference:      p.GetReference(),
		Description:    p.GetDescription(),
		ReturnURL:      p.GetReturnUrl(),
		Customer:       customerFromProto(p.GetCustomer()),
		Card:           optionalFromProto(p.GetCard(), cardFromProto),
		Token:          optionalFromProto(p.GetToken(), storedTokenFromProto),
		Country:        p.GetCountry(),
		Metadata:       p.GetMetadata(),
		Options:        p.GetOptions(),
	}
}

func captureRequestToProto(r *CaptureRequest) *pb.Capture_Request {
	return &pb.Capture_Request{
		Payment:          paymentRefToProto(r.PaymentRef),
		IdempotencyKey:   r.IdempotencyKey,
		Amount:           moneyToProto(r.Amount),
		AuthorizedAmount: moneyToProto(r.AuthorizedAmount),
	}
}

func captureRequestFromProto(p *pb.Capture_Request) *CaptureRequest {
	return &CaptureRequest{
		PaymentRef:       paymentRefFromProto(p.GetPayment()),
		IdempotencyKey:   p.GetIdempotencyKey(),
		Amount:           moneyFromProto(p.GetAmount()),
		AuthorizedAmount: moneyFromProto(p.GetAuthorizedAmount()),
	}
}

func refundRequestToProto(r *RefundRequest) *pb.Refund_Request {
	return &pb.Refund_Request{
		Payment:        paymentRefToProto(r.PaymentRef),
		RefundId:       r.RefundID,
		IdempotencyKey: r.IdempotencyKey,
		Amount:         moneyToProto(r.Amount),
		CapturedAmount: moneyToProto(r.CapturedAmount),
		Reason:         r.Reason,
	}
}

func refundRequestFromProto(p *pb.Refund_Request) *RefundRequest {
	return &RefundRequest{
		PaymentRef:     paymentRefFromProto(p.GetPayment()),
		RefundID:       p.GetRefundId(),
		IdempotencyKey: p.GetIdempotencyKey(),
		Amount:         moneyFromProto(p.GetAmount()),
		CapturedAmount: moneyFromProto(p.GetCapturedAmount()),
		Reason:         p.GetReason(),
	}
}

func voidRequestToProto(r *VoidRequest) *pb.Void_Request {
	return &pb.Void_Request{
		Payment:        paymentRefToProto(r.PaymentRef),
		IdempotencyKey: r.IdempotencyKey,
		Amount:         moneyToProto(r.Amount),
	}
}

func voidRequestFromProto(p *pb.Void_Request) *VoidRequest {
	return &VoidRequest{
		PaymentRef:     paymentRefFromProto(p.GetPayment()),
		IdempotencyKey: p.GetIdempotencyKey(),
		Amount:         moneyFromProto(p.GetAmount()),
	}
}

func reverseRequestToProto(r *ReverseRequest) *pb.Reverse_Request {
	return &pb.Reverse_Request{
		Payment:        paymentRefToProto(r.PaymentRef),
		IdempotencyKey: r.IdempotencyKey,
		Amount:         moneyToProto(r.Amount),
	}
}

func reverseRequestFromProto(p *pb.Reverse_Request) *ReverseRequest {
	return &ReverseRequest{
		PaymentRef:     paymentRefFromProto(p.GetPayment()),
		IdempotencyKey: p.GetIdempotencyKey(),
		Amount:         moneyFromProto(p.GetAmount()),
	}
}

func getPaymentRequestToProto(r *GetPaymentRequest) *pb.GetPayment_Request {
	return &pb.GetPayment_Request{
		Payment: paymentRefToProto(r.PaymentRef),
		Amount:  moneyToProto(r.Amount),
		Method:  string(r.Method),
	}
}

func getPaymentRequestFromProto(p *pb.GetPayment_Request) *GetPaymentRequest {
	return &GetPaymentRequest{
		PaymentRef: paymentRefFromProto(p.GetPayment()),
		Amount:     moneyFromProto(p.GetAmount()),
		Method:     PaymentMethod(p.GetMethod()),
	}
}

func getRefundRequestToProto(r *GetRefundRequest) *pb.GetRefund_Request {
	return &pb.GetRefund_Request{
		Payment:                 paymentRefToProto(r.PaymentRef),
		RefundId:                r.RefundID,
		ProviderRefundReference: r.ProviderRefundReference,
		Amount:                  moneyToProto(r.Amount),
	}
}

func getRefundRequestFromProto(p *pb.GetRefund_Request) *GetRefundRequest {
	return &GetRefundRequest{
		PaymentRef:              paymentRefFromProto(p.GetPayment()),
		RefundID:                p.GetRefundId(),
		ProviderRefundReference: p.GetProviderRefundReference(),
		Amount:                  moneyFromProto(p.GetAmount()),
	}
}

func tokenizeRequestToProto(r *TokenizeRequest) *pb.Tokenize_Request {
	return &pb.Tokenize_Request{
		TokenId:        r.TokenID,
		IdempotencyKey: r.IdempotencyKey,
		Customer:       customerToProto(r.Customer),
		Card:           optionalToProto(r.Card, cardToProto),
		ReturnUrl:      r.ReturnURL,
		Currency:       r.Currency,
		Metadata:       r.Metadata,
	}
}

func tokenizeRequestFromProto(p *pb.Tokenize_Request) *TokenizeRequest {
	return &TokenizeRequest{
		TokenID:        p.GetTokenId(),
		IdempotencyKey: p.GetIdempotencyKey(),
		Customer:       customerFromProto(p.GetCustomer()),
		Card:           optionalFromProto(p.GetCard(), cardFromProto),
		ReturnURL:      p.GetReturnUrl(),
		Currency:       p.GetCurrency(),
		Metadata:       p.GetMetadata(),
	}
}

func getTokenRequestToProto(r *GetTokenRequest) *pb.GetToken_Request {
	return &pb.GetToken_Request{Token: tokenRefToProto(r.TokenRef)}
}

func getTokenRequestFromProto(p *pb.GetToken_Request) *GetTokenRequest {
	return &GetTokenRequest{TokenRef: tokenRefFromProto(p.GetToken())}
}

func deleteTokenRequestToProto(r *DeleteTokenRequest) *pb.DeleteToken_Request {
	return &pb.DeleteToken_Request{Token: tokenRefToProto(r.TokenRef), IdempotencyKey: r.IdempotencyKey}
}

func deleteTokenRequestFromProto(p *pb.DeleteToken_Request) *DeleteTokenRequest {
	return &DeleteTokenRequest{TokenRef: tokenRefFromProto(p.GetToken()), IdempotencyKey: p.GetIdempotencyKey()}
}

func handleCallbackRequestToProto(r *HandleCallbackRequest) *pb.HandleCallback_Request {
	return &pb.HandleCallback_Request{
		Method:   r.Method,
		Path:     r.Path,
		RawQuery: r.RawQuery,
		Header:   headerToProto(r.Header),
		Body:     r.Body,
	}
}

func handleCallbackRequestFromProto(p *pb.HandleCallback_Request) *HandleCallbackRequest {
	return &HandleCallbackRequest{
		Method:   p.GetMethod(),
		Path:     p.GetPath(),
		RawQuery: p.GetRawQuery(),
		Header:   headerFromProto(p.GetHeader()),
		Body:     p.GetBody(),
	}
}

func handleCallbackResponseToProto(r *HandleCallbackResponse) *pb.HandleCallback_Response {
	out := &pb.HandleCallback_Response{
		Response: &pb.HTTPResponse{
			StatusCode: int64(r.Response.StatusCode),
			Header:     headerToProto(r.Response.Header),
			Body:       r.Response.Body,
		},
	}
	for _, e := range r.Events {
		out.Events = append(out.Events, eventToProto(e))
	}
	return out
}

func handleCallbackResponseFromProto(p *pb.HandleCallback_Response) *HandleCallbackResponse {
	out := &HandleCallbackResponse{
		Response: HTTPResponse{
			StatusCode: int(p.GetResponse().GetStatusCode()),
			Header:     headerFromProto(p.GetResponse().GetHeader()),
			Body:       p.GetResponse().GetBody(),
		},
	}
	for _, e := range p.GetEvents() {
		out.Events = append(out.Events, eventFromProto(e))
	}
	return out
}
