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
	out := &pb.Configure_Response{Warnings: r.Warnings}
	if r.Capabilities != nil {
		out.Capabilities = capabilitiesToProto(*r.Capabilities)
	}
	return out
}

func configureResponseFromProto(p *pb.Configure_Response) *ConfigureResponse {
	out := &ConfigureResponse{Warnings: p.GetWarnings()}
	if p.Capabilities != nil {
		caps := capabilitiesFromProto(p.GetCapabilities())
		out.Capabilities = &caps
	}
	return out
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

func createPaymentResponseToProto(r *CreatePaymentResponse) *pb.CreatePayment_Response {
	return &pb.CreatePayment_Response{Result: paymentResultToProto(r.PaymentResult)}
}

func createPaymentResponseFromProto(p *pb.CreatePayment_Response) *CreatePaymentResponse {
	return &CreatePaymentResponse{PaymentResult: paymentResultFromProto(p.GetResult())}
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

func captureResponseToProto(r *CaptureResponse) *pb.Capture_Response {
	return &pb.Capture_Response{Result: paymentResultToProto(r.PaymentResult)}
}

func captureResponseFromProto(p *pb.Capture_Response) *CaptureResponse {
	return &CaptureResponse{PaymentResult: paymentResultFromProto(p.GetResult())}
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

func refundResponseToProto(r *RefundResponse) *pb.Refund_Response {
	return &pb.Refund_Response{Result: refundResultToProto(r.RefundResult)}
}

func refundResponseFromProto(p *pb.Refund_Response) *RefundResponse {
	return &RefundResponse{RefundResult: refundResultFromProto(p.GetResult())}
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

func voidResponseToProto(r *VoidResponse) *pb.Void_Response {
	return &pb.Void_Response{Result: paymentResultToProto(r.PaymentResult)}
}

func voidResponseFromProto(p *pb.Void_Response) *VoidResponse {
	return &VoidResponse{PaymentResult: paymentResultFromProto(p.GetResult())}
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

func reverseResponseToProto(r *ReverseResponse) *pb.Reverse_Response {
	return &pb.Reverse_Response{Result: paymentResultToProto(r.PaymentResult)}
}

func reverseResponseFromProto(p *pb.Reverse_Response) *ReverseResponse {
	return &ReverseResponse{PaymentResult: paymentResultFromProto(p.GetResult())}
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

func getPaymentResponseToProto(r *GetPaymentResponse) *pb.GetPayment_Response {
	return &pb.GetPayment_Response{Result: paymentResultToProto(r.PaymentResult)}
}

func getPaymentResponseFromProto(p *pb.GetPayment_Response) *GetPaymentResponse {
	return &GetPaymentResponse{PaymentResult: paymentResultFromProto(p.GetResult())}
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

func getRefundResponseToProto(r *GetRefundResponse) *pb.GetRefund_Response {
	return &pb.GetRefund_Response{Result: refundResultToProto(r.RefundResult)}
}

func getRefundResponseFromProto(p *pb.GetRefund_Response) *GetRefundResponse {
	return &GetRefundResponse{RefundResult: refundResultFromProto(p.GetResult())}
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

func tokenizeResponseToProto(r *TokenizeResponse) *pb.Tokenize_Response {
	return &pb.Tokenize_Response{Result: tokenResultToProto(r.TokenResult)}
}

func tokenizeResponseFromProto(p *pb.Tokenize_Response) *TokenizeResponse {
	return &TokenizeResponse{TokenResult: tokenResultFromProto(p.GetResult())}
}

func getTokenRequestToProto(r *GetTokenRequest) *pb.GetToken_Request {
	return &pb.GetToken_Request{Token: tokenRefToProto(r.TokenRef)}
}

func getTokenRequestFromProto(p *pb.GetToken_Request) *GetTokenRequest {
	return &GetTokenRequest{TokenRef: tokenRefFromProto(p.GetToken())}
}

func getTokenResponseToProto(r *GetTokenResponse) *pb.GetToken_Response {
	return &pb.GetToken_Response{Result: tokenResultToProto(r.TokenResult)}
}

func getTokenResponseFromProto(p *pb.GetToken_Response) *GetTokenResponse {
	return &GetTokenResponse{TokenResult: tokenResultFromProto(p.GetResult())}
}

func deleteTokenRequestToProto(r *DeleteTokenRequest) *pb.DeleteToken_Request {
	return &pb.DeleteToken_Request{Token: tokenRefToProto(r.TokenRef), IdempotencyKey: r.IdempotencyKey}
}

func deleteTokenRequestFromProto(p *pb.DeleteToken_Request) *DeleteTokenRequest {
	return &DeleteTokenRequest{TokenRef: tokenRefFromProto(p.GetToken()), IdempotencyKey: p.GetIdempotencyKey()}
}

func deleteTokenResponseToProto(r *DeleteTokenResponse) *pb.DeleteToken_Response {
	return &pb.DeleteToken_Response{Result: tokenResultToProto(r.TokenResult)}
}

func deleteTokenResponseFromProto(p *pb.DeleteToken_Response) *DeleteTokenResponse {
	return &DeleteTokenResponse{TokenResult: tokenResultFromProto(p.GetResult())}
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
