package plugin

import (
	"context"
	"fmt"
	"runtime/debug"
	"strings"
	"sync/atomic"

	"github.com/hashicorp/go-hclog"
	pb "github.com/payhost/payhost/plugin/internal/proto"
)

// grpcServer serves a Provider over gRPC: the plugin's side of the wire.
// Around every call it
//
//   - answers unsupported, without calling the provider, for an operation
//     the provider did not declare in its Capabilities;
//   - gives the provider a per-call logger (see Logger);
//   - turns a panic into kind internal, logged with its stack, so that one
//     bad request never takes the plugin down;
//   - masks card numbers and the instance's sensitive configuration values
//     in every error before it leaves the plugin.
//
// GetInfo is asked once, when the server starts; the RPC answers from that
// copy, so what the host sees is exactly what the server enforces.
type grpcServer struct {
	pb.UnimplementedProviderServer

	impl   Provider
	logger hclog.Logger
	// loggers are logger.With("rpc", name) for every RPC of the service,
	// made once: hclog's With copies the logger, a cost every call paid.
	loggers map[string]hclog.Logger
	redact  redactor

	info    *pb.GetInfo_Response
	infoErr error
	schema  Schema
	// declared is what GetInfo declared; caps what is enforced: declared,
	// or narrower once Configure said so.
	declared Capabilities
	caps     atomic.Pointer[Capabilities]
}

func newGRPCServer(impl Provider, logger hclog.Logger) *grpcServer {
	if logger == nil {
		logger = hclog.NewNullLogger()
	}
	s := &grpcServer{impl: impl, logger: logger, loggers: map[string]hclog.Logger{}}
	for _, m := range pb.Provider_ServiceDesc.Methods {
		s.loggers[m.MethodName] = logger.With("rpc", m.MethodName)
	}
	info, err := serveCall(context.Background(), s, "GetInfo", nil, &GetInfoRequest{}, impl.GetInfo)
	if err == nil {
		s.info, err = getInfoResponseToProto(info)
		if err != nil {
			err = errorToStatus(&Error{Kind: KindInternal, Message: "provider info cannot be sent: " + err.Error()}, s.redact.clean)
		}
	}
	if err != nil {
		logger.Error("provider could not describe itself; it will refuse every operation", "error", err)
		s.infoErr = err
		return s
	}
	s.schema, s.declared = info.Schema, info.Capabilities
	s.caps.Store(&s.declared)
	return s
}

// capabilities returns what the server enforces now.
func (s *grpcServer) capabilities() Capabilities {
	if c := s.caps.Load(); c != nil {
		return *c
	}
	return Capabilities{}
}

// serveCall runs one call of the provider: fn with req, unless one of ops
// is not declared. Its error is ready for the wire.
func serveCall[Req, Resp any](ctx context.Context, s *grpcServer, rpc string, ops []Operation, req *Req, fn func(context.Context, *Req) (*Resp, error)) (resp *Resp, err error) {
	caps := s.capabilities()
	for _, op := range ops {
		if !caps.Supports(op) {
			return nil, errorToStatus(Unsupported(op), s.redact.clean)
		}
	}
	logger, ok := s.loggers[rpc]
	if !ok {
		logger = s.logger.With("rpc", rpc)
	}
	defer func() {
		if r := recover(); r != nil {
			logger.Error("provider panicked", "panic", s.redact.clean(fmt.Sprint(r)), "stack", string(debug.Stack()))
			resp, err = nil, errorToStatus(&Error{
				Kind:    KindInternal,
				Message: "provider panicked in " + rpc + "; the plugin's log has the stack",
			}, s.redact.clean)
		}
	}()
	resp, err = fn(withLogger(ctx, logger), req)
	switch {
	case err != nil:
		return nil, errorToStatus(err, s.redact.clean)
	case resp == nil:
		return nil, errorToStatus(&Error{Kind: KindInternal, Message: "provider returned neither an answer nor an error from " + rpc}, s.redact.clean)
	}
	return resp, nil
}

// createPaymentOps: a manual-capture payment is an authorization.
func createPaymentOps(r *CreatePaymentRequest) []Operation {
	if r.Capture == CaptureManual {
		return []Operation{OpCreatePayment, OpAuthorize}
	}
	return []Operation{OpCreatePayment}
}

// captureOps: capturing less than was authorized is a partial capture.
func captureOps(r *CaptureRequest) []Operation {
	if r.Amount.Amount < r.AuthorizedAmount.Amount {
		return []Operation{OpCapture, OpPartialCapture}
	}
	return []Operation{OpCapture}
}

// refundOps: refunding less than was captured is a partial refund.
func refundOps(r *RefundRequest) []Operation {
	if r.Amount.Amount < r.CapturedAmount.Amount {
		return []Operation{OpRefund, OpPartialRefund}
	}
	return []Operation{OpRefund}
}

// GetInfo answers from the copy taken at start.
func (s *grpcServer) GetInfo(context.Context, *pb.GetInfo_Request) (*pb.GetInfo_Response, error) {
	return s.info, s.infoErr
}

// Configure scrubs the instance's sensitive values from errors from now
// on, including Configure's own.
func (s *grpcServer) Configure(ctx context.Context, in *pb.Configure_Request) (*pb.Configure_Response, error) {
	req, err := configureRequestFromProto(in)
	if err != nil {
		return nil, errorToStatus(InvalidRequest("config", "%v", err), s.redact.clean)
	}
	s.redact.setSecrets(sensitiveValues(s.schema, req.Config))
	resp, err := serveCall(ctx, s, "Configure", nil, req, s.impl.Configure)
	if err != nil {
		return nil, err
	}
	if resp.Capabilities != nil {
		if extra := notDeclared(*resp.Capabilities, s.declared); len(extra) > 0 {
			return nil, errorToStatus(&Error{Kind: KindInternal,
				Message: fmt.Sprintf("Configure narrowed the capabilities to ones GetInfo did not declare: %s", strings.Join(extra, ", "))}, s.redact.clean)
		}
		narrowed := *resp.Capabilities
		s.caps.Store(&narrowed)
	} else {
		s.caps.Store(&s.declared)
	}
	cleaned := &ConfigureResponse{Capabilities: resp.Capabilities}
	for _, w := range resp.Warnings {
		cleaned.Warnings = append(cleaned.Warnings, s.redact.clean(w))
	}
	return configureResponseToProto(cleaned), nil
}

// CreatePayment serves Provider.CreatePayment.
func (s *grpcServer) CreatePayment(ctx context.Context, in *pb.CreatePayment_Request) (*pb.CreatePayment_Response, error) {
	req := createPaymentRequestFromProto(in)
	resp, err := serveCall(ctx, s, "CreatePayment", createPaymentOps(req), req, s.impl.CreatePayment)
	if err != nil {
		return nil, err
	}
	return createPaymentResponseToProto(resp), nil
}

// Capture serves Provider.Capture.
func (s *grpcServer) Capture(ctx context.Context, in *pb.Capture_Request) (*pb.Capture_Response, error) {
	req := captureRequestFromProto(in)
	resp, err := serveCall(ctx, s, "Capture", captureOps(req), req, s.impl.Capture)
	if err != nil {
		return nil, err
	}
	return captureResponseToProto(resp), nil
}

// Refund serves Provider.Refund.
func (s *grpcServer) Refund(ctx context.Context, in *pb.Refund_Request) (*pb.Refund_Response, error) {
	req := refundRequestFromProto(in)
	resp, err := serveCall(ctx, s, "Refund", refundOps(req), req, s.impl.Refund)
	if err != nil {
		return nil, err
	}
	return refundResponseToProto(resp), nil
}

// Void serves Provider.Void.
func (s *grpcServer) Void(ctx context.Context, in *pb.Void_Request) (*pb.Void_Response, error) {
	req := voidRequestFromProto(in)
	resp, err := serveCall(ctx, s, "Void", []Operation{OpVoid}, req, s.impl.Void)
	if err != nil {
		return nil, err
	}
	return voidResponseToProto(resp), nil
}

// Reverse serves Provider.Reverse.
func (s *grpcServer) Reverse(ctx context.Context, in *pb.Reverse_Request) (*pb.Reverse_Response, error) {
	req := reverseRequestFromProto(in)
	resp, err := serveCall(ctx, s, "Reverse", []Operation{OpReverse}, req, s.impl.Reverse)
	if err != nil {
		return nil, err
	}
	return reverseResponseToProto(resp), nil
}

// GetPayment serves Provider.GetPayment.
func (s *grpcServer) GetPayment(ctx context.Context, in *pb.GetPayment_Request) (*pb.GetPayment_Response, error) {
	req := getPaymentRequestFromProto(in)
	resp, err := serveCall(ctx, s, "GetPayment", []Operation{OpGetPayment}, req, s.impl.GetPayment)
	if err != nil {
		return nil, err
	}
	return getPaymentResponseToProto(resp), nil
}

// GetRefund serves Provider.GetRefund.
func (s *grpcServer) GetRefund(ctx context.Context, in *pb.GetRefund_Request) (*pb.GetRefund_Response, error) {
	req := getRefundRequestFromProto(in)
	resp, err := serveCall(ctx, s, "GetRefund", []Operation{OpGetRefund}, req, s.impl.GetRefund)
	if err != nil {
		return nil, err
	}
	return getRefundResponseToProto(resp), nil
}

// Tokenize serves Provider.Tokenize.
func (s *grpcServer) Tokenize(ctx context.Context, in *pb.Tokenize_Request) (*pb.Tokenize_Response, error) {
	req := tokenizeRequestFromProto(in)
	resp, err := serveCall(ctx, s, "Tokenize", []Operation{OpTokenize}, req, s.impl.Tokenize)
	if err != nil {
		return nil, err
	}
	return tokenizeResponseToProto(resp), nil
}

// GetToken serves Provider.GetToken.
func (s *grpcServer) GetToken(ctx context.Context, in *pb.GetToken_Request) (*pb.GetToken_Response, error) {
	req := getTokenRequestFromProto(in)
	resp, err := serveCall(ctx, s, "GetToken", []Operation{OpGetToken}, req, s.impl.GetToken)
	if err != nil {
		return nil, err
	}
	return getTokenResponseToProto(resp), nil
}

// DeleteToken serves Provider.DeleteToken.
func (s *grpcServer) DeleteToken(ctx context.Context, in *pb.DeleteToken_Request) (*pb.DeleteToken_Response, error) {
	req := deleteTokenRequestFromProto(in)
	resp, err := serveCall(ctx, s, "DeleteToken", []Operation{OpDeleteToken}, req, s.impl.DeleteToken)
	if err != nil {
		return nil, err
	}
	return deleteTokenResponseToProto(resp), nil
}

// HandleCallback serves Provider.HandleCallback.
func (s *grpcServer) HandleCallback(ctx context.Context, in *pb.HandleCallback_Request) (*pb.HandleCallback_Response, error) {
	req := handleCallbackRequestFromProto(in)
	resp, err := serveCall(ctx, s, "HandleCallback", []Operation{OpCallbacks}, req, s.impl.HandleCallback)
	if err != nil {
		return nil, err
	}
	return handleCallbackResponseToProto(resp), nil
}

var _ pb.ProviderServer = (*grpcServer)(nil)

// notDeclared lists what narrowed has that declared does not.
func notDeclared(narrowed, declared Capabilities) []string {
	var extra []string
	for _, op := range narrowed.Operations {
		if !declared.Supports(op) {
			extra = append(extra, "operation "+string(op))
		}
	}
	for _, m := range narrowed.Methods {
		if !declared.SupportsMethod(m) {
			extra = append(extra, "method "+string(m))
		}
	}
	for _, c := range narrowed.Currencies {
		if !declared.SupportsCurrency(c) {
			extra = append(extra, "currency "+c)
		}
	}
	return extra
}
