package plugin

import (
	"errors"

	pb "github.com/payhost/payhost/plugin/internal/proto"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// kindCodes gives each error kind the gRPC code that travels with it. The
// code is for gRPC tooling and logs only: the kind itself travels in the
// status's Error detail and is what the client reads back.
var kindCodes = map[ErrorKind]codes.Code{
	KindInvalidRequest: codes.InvalidArgument,
	KindAuthentication: codes.Unauthenticated,
	KindDeclined:       codes.FailedPrecondition,
	KindNotSent:        codes.Unavailable,
	KindUnknownOutcome: codes.Unknown,
	KindUnsupported:    codes.Unimplemented,
	KindRateLimited:    codes.ResourceExhausted,
	KindInternal:       codes.Internal,
	KindNotFound:       codes.NotFound,
}

// errorToStatus turns a provider's error into the gRPC status error sent to
// the host: an *Error keeps its kind, code, message, param and retry_after;
// any other error becomes kind internal with its text as the message. Every
// text goes through clean first.
func errorToStatus(err error, clean func(string) string) error {
	var e *Error
	if !errors.As(err, &e) {
		e = &Error{Kind: KindInternal, Message: err.Error()}
	}
	detail := &pb.Error{
		Kind:       string(e.Kind),
		Code:       clean(e.Code),
		Message:    clean(e.Message),
		Param:      clean(e.Param),
		RetryAfter: durationToProto(e.RetryAfter),
	}
	if detail.Kind == "" {
		detail.Kind = string(KindInternal)
	}
	code, ok := kindCodes[ErrorKind(detail.Kind)]
	if !ok {
		code = codes.Unknown
	}
	st, werr := status.New(code, detail.Message).WithDetails(detail)
	if werr != nil {
		// Only a detail that cannot be marshalled fails here, which a
		// generated message cannot be.
		return status.Error(codes.Internal, detail.Message)
	}
	return st.Err()
}

// errorFromStatus turns the error of a gRPC call to rpc back into an
// *Error. A status carrying an Error detail is the provider's own error,
// restored field by field. Anything else means the plugin did not answer
// (it died, the connection broke, the deadline passed or the host gave
// up): the call may or may not have reached the gateway, so it is an
// unknown outcome, with the gRPC error kept as Err. The exception is a
// call the plugin's gRPC server does not know at all, from a plugin built
// with an older SDK: it certainly did nothing, so it is unsupported.
func errorFromStatus(rpc string, err error) error {
	st, _ := status.FromError(err)
	for _, d := range st.Details() {
		if detail, ok := d.(*pb.Error); ok {
			return &Error{
				Kind:       ErrorKind(detail.GetKind()),
				Code:       detail.GetCode(),
				Message:    detail.GetMessage(),
				Param:      detail.GetParam(),
				RetryAfter: detail.GetRetryAfter().AsDuration(),
			}
		}
	}
	if st.Code() == codes.Unimplemented {
		return &Error{
			Kind:    KindUnsupported,
			Message: "plugin does not know " + rpc + "; it may be built with an older payhost SDK",
			Err:     err,
		}
	}
	return &Error{
		Kind:    KindUnknownOutcome,
		Message: "plugin did not answer " + rpc + "; its log may say why",
		Err:     err,
	}
}
