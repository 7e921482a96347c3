package plugin

import (
	"reflect"

	"google.golang.org/protobuf/proto"
)

// Test hooks for the external tests of this package.

// WireCodecs maps each request and response type that crosses the wire
// (as a pointer type) to a function that converts a value to its proto
// message, encodes and decodes it, and converts it back.
var WireCodecs = map[reflect.Type]func(any) (any, error){
	reflect.TypeFor[*GetInfoResponse]():   codecErr(getInfoResponseToProto, getInfoResponseFromProto),
	reflect.TypeFor[*ConfigureRequest]():  codecErr(configureRequestToProto, configureRequestFromProto),
	reflect.TypeFor[*ConfigureResponse](): codec(configureResponseToProto, configureResponseFromProto),

	reflect.TypeFor[*CreatePaymentRequest]():   codec(createPaymentRequestToProto, createPaymentRequestFromProto),
	reflect.TypeFor[*CreatePaymentResponse]():  codec(createPaymentResponseToProto, createPaymentResponseFromProto),
	reflect.TypeFor[*CaptureRequest]():         codec(captureRequestToProto, captureRequestFromProto),
	reflect.TypeFor[*CaptureResponse]():        codec(captureResponseToProto, captureResponseFromProto),
	reflect.TypeFor[*RefundRequest]():          codec(refundRequestToProto, refundRequestFromProto),
	reflect.TypeFor[*RefundResponse]():         codec(refundResponseToProto, refundResponseFromProto),
	reflect.TypeFor[*VoidRequest]():            codec(voidRequestToProto, voidRequestFromProto),
	reflect.TypeFor[*VoidResponse]():           codec(voidResponseToProto, voidResponseFromProto),
	reflect.TypeFor[*ReverseRequest]():         codec(reverseRequestToProto, reverseRequestFromProto),
	reflect.TypeFor[*ReverseResponse]():        codec(reverseResponseToProto, reverseResponseFromProto),
	reflect.TypeFor[*GetPaymentRequest]():      codec(getPaymentRequestToProto, getPaymentRequestFromProto),
	reflect.TypeFor[*GetPaymentResponse]():     codec(getPaymentResponseToProto, getPaymentResponseFromProto),
	reflect.TypeFor[*GetRefundRequest]():       codec(getRefundRequestToProto, getRefundRequestFromProto),
	reflect.TypeFor[*GetRefundResponse]():      codec(getRefundResponseToProto, getRefundResponseFromProto),
	reflect.TypeFor[*TokenizeRequest]():        codec(tokenizeRequestToProto, tokenizeRequestFromProto),
	reflect.TypeFor[*TokenizeResponse]():       codec(tokenizeResponseToProto, tokenizeResponseFromProto),
	reflect.TypeFor[*GetTokenRequest]():        codec(getTokenRequestToProto, getTokenRequestFromProto),
	reflect.TypeFor[*GetTokenResponse]():       codec(getTokenResponseToProto, getTokenResponseFromProto),
	reflect.TypeFor[*DeleteTokenRequest]():     codec(deleteTokenRequestToProto, deleteTokenRequestFromProto),
	reflect.TypeFor[*DeleteTokenResponse]():    codec(deleteTokenResponseToProto, deleteTokenResponseFromProto),
	reflect.TypeFor[*HandleCallbackRequest]():  codec(handleCallbackRequestToProto, handleCallbackRequestFromProto),
	reflect.TypeFor[*HandleCallbackResponse](): codec(handleCallbackResponseToProto, handleCallbackResponseFromProto),
}

func codec[T any, P proto.Message](to func(*T) P, from func(P) *T) func(any) (any, error) {
	return codecErr(
		func(v *T) (P, error) { return to(v), nil },
		func(p P) (*T, error) { return from(p), nil },
	)
}

func codecErr[T any, P proto.Message](to func(*T) (P, error), from func(P) (*T, error)) func(any) (any, error) {
	return func(v any) (any, error) {
		msg, err := to(v.(*T))
		if err != nil {
			return nil, err
		}
		b, err := proto.MarshalOptions{Deterministic: true}.Marshal(msg)
		if err != nil {
			return nil, err
		}
		back := msg.ProtoReflect().New().Interface().(P)
		if err := proto.Unmarshal(b, back); err != nil {
			return nil, err
		}
		return from(back)
	}
}

// Redact returns s as a redactor that knows secrets leaves it.
func Redact(s string, secrets ...string) string {
	r := &redactor{}
	r.setSecrets(secrets)
	return r.clean(s)
}

// The pieces of Serve, for its tests.
var (
	ErrorFromStatus = errorFromStatus
	NewPluginLogger = newPluginLogger
	SetGOMAXPROCS   = setGOMAXPROCS
	WatchParent     = watchParent
	ServeConfig     = serveConfig
)

// EncodedSize is the size of r on the wire.
func EncodedSize(r *CreatePaymentRequest) int {
	return proto.Size(createPaymentRequestToProto(r))
}

// SensitiveValues exposes the values the redactor scrubs for a schema.
var SensitiveValues = sensitiveValues
