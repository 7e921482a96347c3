package plugin_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/go-hclog"
	goplugin "github.com/hashicorp/go-plugin"
	"github.com/payhost/payhost/plugin"
	"github.com/payhost/payhost/plugin/plugintest"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// TestEveryRPCRoundTripsOverGRPC sends a randomly filled request of every
// Provider method through the in-memory gRPC pair and has the provider
// answer a randomly filled response: the provider must receive exactly the
// request and the host exactly the response.
func TestEveryRPCRoundTripsOverGRPC(t *testing.T) {
	for _, m := range providerMethods() {
		t.Run(m.Name, func(t *testing.T) {
			for seed := range uint64(5) {
				f := newFiller(t, seed)
				req := f.newFilled(m.Type.In(1).Elem())
				resp := f.newFilled(m.Type.Out(0).Elem())

				rec := &recorder{info: allOperations()}
				switch r := resp.Interface().(type) {
				case *plugin.GetInfoResponse:
					rec.info = r
				case *plugin.ConfigureResponse:
					// Configure may only narrow what GetInfo declared.
					rec.info.Capabilities = *r.Capabilities
				}
				rec.plan(resp.Interface(), nil, nil)
				host := plugintest.Connect(t, rec)

				out := reflect.ValueOf(host).MethodByName(m.Name).Call([]reflect.Value{reflect.ValueOf(context.Background()), req})
				if err, _ := out[1].Interface().(error); err != nil {
					t.Fatalf("%s: %v", m.Name, err)
				}
				if got := out[0].Interface(); !reflect.DeepEqual(got, resp.Interface()) {
					t.Errorf("host received\n%+v\nprovider sent\n%+v", got, resp.Interface())
				}
				if m.Name == "GetInfo" {
					continue // its request carries nothing
				}
				if _, got := rec.received(); !reflect.DeepEqual(got, req.Interface()) {
					t.Errorf("provider received\n%+v\nhost sent\n%+v", got, req.Interface())
				}
			}
		})
	}
}

func TestErrorsCrossTheWireWithTheirKind(t *testing.T) {
	tests := []struct {
		name     string
		provider error
		want     *plugin.Error
		sentinel error
	}{
		{
			name:     "declined",
			provider: plugin.Declined("05", "Do not honour"),
			want:     &plugin.Error{Kind: plugin.KindDeclined, Code: "05", Message: "Do not honour"},
			sentinel: plugin.ErrDeclined,
		},
		{
			name:     "rate limited keeps retry after",
			provider: &plugin.Error{Kind: plugin.KindRateLimited, Code: "429", Message: "slow down", RetryAfter: 1500 * time.Millisecond},
			want:     &plugin.Error{Kind: plugin.KindRateLimited, Code: "429", Message: "slow down", RetryAfter: 1500 * time.Millisecond},
			sentinel: plugin.ErrRateLimited,
		},
		{
			name:     "invalid request keeps param",
			provider: plugin.InvalidRequest("amount", "must be at least %d", 1000),
			want:     &plugin.Error{Kind: plugin.KindInvalidRequest, Param: "amount", Message: "must be at least 1000"},
			sentinel: plugin.ErrInvalidRequest,
		},
		{
			name:     "cause stays behind",
			provider: plugin.NotSent(errors.New("dial tcp: connection refused"), "gateway unreachable"),
			want:     &plugin.Error{Kind: plugin.KindNotSent, Message: "gateway unreachable"},
			sentinel: plugin.ErrNotSent,
		},
		{
			name:     "wrapped",
			provider: fmt.Errorf("refund: %w", plugin.AuthenticationFailed("E401", "bad key")),
			want:     &plugin.Error{Kind: plugin.KindAuthentication, Code: "E401", Message: "bad key"},
			sentinel: plugin.ErrAuthentication,
		},
		{
			name:     "unknown outcome",
			provider: plugin.UnknownOutcome(nil, "gateway timed out"),
			want:     &plugin.Error{Kind: plugin.KindUnknownOutcome, Message: "gateway timed out"},
			sentinel: plugin.ErrUnknownOutcome,
		},
		{
			name:     "not found",
			provider: plugin.NotFound("-1009", "history not found"),
			want:     &plugin.Error{Kind: plugin.KindNotFound, Code: "-1009", Message: "history not found"},
			sentinel: plugin.ErrNotFound,
		},
		{
			name:     "plain error becomes internal",
			provider: errors.New("nil map write in transform"),
			want:     &plugin.Error{Kind: plugin.KindInternal, Message: "nil map write in transform"},
			sentinel: plugin.ErrInternal,
		},
		{
			name:     "error without kind becomes internal",
			provider: &plugin.Error{Message: "forgot the kind"},
			want:     &plugin.Error{Kind: plugin.KindInternal, Message: "forgot the kind"},
			sentinel: plugin.ErrInternal,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := &recorder{info: allOperations()}
			rec.plan(nil, tt.provider, nil)
			host := plugintest.Connect(t, rec)

			_, err := host.Refund(context.Background(), &plugin.RefundRequest{})
			var got *plugin.Error
			if !errors.As(err, &got) {
				t.Fatalf("error %v (%T) is not a *plugin.Error", err, err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %#v, want %#v", got, tt.want)
			}
			if !errors.Is(err, tt.sentinel) {
				t.Errorf("errors.Is(%v, %v) is false", err, tt.sentinel)
			}
		})
	}
}

// TestUndeclaredOperationsAnswerUnsupported declares every operation but
// one, and expects the call that needs it refused as unsupported without
// reaching the provider.
func TestUndeclaredOperationsAnswerUnsupported(t *testing.T) {
	for _, missing := range plugin.Operations {
		t.Run(string(missing), func(t *testing.T) {
			info := allOperations()
			info.Capabilities.Operations = nil
			for _, op := range plugin.Operations {
				if op != missing {
					info.Capabilities.Operations = append(info.Capabilities.Operations, op)
				}
			}
			rec := &recorder{info: info}
			rec.plan(nil, errors.New("provider reached"), nil)
			host := plugintest.Connect(t, rec)

			err := plugintest.CallOperation(context.Background(), host, missing)
			if plugin.KindOf(err) != plugin.KindUnsupported {
				t.Fatalf("got %v, want kind unsupported", err)
			}
			if !strings.Contains(err.Error(), string(missing)) {
				t.Errorf("error %q does not name %s", err, missing)
			}
			if calls, _ := rec.received(); calls != 0 {
				t.Errorf("the provider was called %d times", calls)
			}
		})
	}
}

func TestGetInfoIsAskedOnce(t *testing.T) {
	rec := &recorder{info: allOperations()}
	host := plugintest.Connect(t, rec)
	for range 3 {
		if _, err := host.GetInfo(context.Background(), &plugin.GetInfoRequest{}); err != nil {
			t.Fatal(err)
		}
	}
	rec.mu.Lock()
	defer rec.mu.Unlock()
	if rec.infoCalls != 1 {
		t.Errorf("provider's GetInfo was called %d times, want once", rec.infoCalls)
	}
}

func TestProviderWithoutInfoRefusesEverything(t *testing.T) {
	rec := &recorder{infoErr: &plugin.Error{Kind: plugin.KindInternal, Message: "schema not loaded"}}
	host := plugintest.Connect(t, rec)

	if _, err := host.GetInfo(context.Background(), &plugin.GetInfoRequest{}); !strings.Contains(fmt.Sprint(err), "schema not loaded") {
		t.Errorf("GetInfo: got %v, want the provider's error", err)
	}
	if err := plugintest.CallOperation(context.Background(), host, plugin.OpCreatePayment); plugin.KindOf(err) != plugin.KindUnsupported {
		t.Errorf("CreatePayment: got %v, want unsupported", err)
	}
}

// connectLogged is plugintest.Connect with the plugin's log in w and the
// server returned, for tests that read the log or stop the plugin.
func connectLogged(t *testing.T, p plugin.Provider, w io.Writer) (plugin.Provider, *goplugin.GRPCServer) {
	t.Helper()
	glue := &plugin.GRPCProviderPlugin{Impl: p, Logger: hclog.New(&hclog.LoggerOptions{Output: w, Level: hclog.Trace})}
	client, server := goplugin.TestPluginGRPCConn(t, false, map[string]goplugin.Plugin{plugin.PluginName: glue})
	// Closing the client shuts the server down, as with a real plugin.
	t.Cleanup(func() { _ = client.Close() })
	raw, err := client.Dispense(plugin.PluginName)
	if err != nil {
		t.Fatal(err)
	}
	return raw.(plugin.Provider), server
}

// syncBuffer is a bytes.Buffer safe for the server's goroutines.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

const testPAN = "4111111111111111"

func TestPanicBecomesInternalAndThePluginLivesOn(t *testing.T) {
	var log syncBuffer
	rec := &recorder{info: allOperations()}
	host, _ := connectLogged(t, rec, &log)

	rec.plan(nil, nil, "index out of range for card "+testPAN)
	_, err := host.Void(context.Background(), &plugin.VoidRequest{})
	if plugin.KindOf(err) != plugin.KindInternal {
		t.Fatalf("got %v, want kind internal", err)
	}
	if strings.Contains(err.Error(), "index out of range") {
		t.Errorf("the panic value reached the host: %q", err)
	}

	rec.plan(&plugin.VoidResponse{PaymentResult: plugin.PaymentResult{Status: plugin.StatusCanceled}}, nil, nil)
	resp, err := host.Void(context.Background(), &plugin.VoidRequest{})
	if err != nil || resp.Status != plugin.StatusCanceled {
		t.Fatalf("after the panic: got %+v, %v; want a canceled payment", resp, err)
	}

	logged := log.String()
	for _, want := range []string{"provider panicked", "rpc=Void", "411111******1111", "goroutine"} {
		if !strings.Contains(logged, want) {
			t.Errorf("plugin log lacks %q:\n%s", want, logged)
		}
	}
	if strings.Contains(logged, testPAN) {
		t.Errorf("plugin log has the full card number:\n%s", logged)
	}
}

func TestErrorsLeaveThePluginWithoutCardNumbersOrSecrets(t *testing.T) {
	const apiKey = "sk_live_9f8e7d6c"
	info := allOperations()
	info.Schema = plugin.Schema{Attributes: []plugin.Attribute{
		{Name: "api_key", Type: plugin.TypeString, Required: true, Sensitive: true},
		{Name: "endpoint", Type: plugin.TypeString, Required: true},
	}}
	rec := &recorder{info: info}
	host := plugintest.Connect(t, rec)

	config, err := plugin.NewConfig(map[string]any{"api_key": apiKey, "endpoint": "http://gateway.test"})
	if err != nil {
		t.Fatal(err)
	}
	rec.plan(&plugin.ConfigureResponse{Warnings: []string{"key " + apiKey + " is a live key"}}, nil, nil)
	resp, err := host.Configure(context.Background(), &plugin.ConfigureRequest{Config: config})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := resp.Warnings, []string{"key REDACTED is a live key"}; !reflect.DeepEqual(got, want) {
		t.Errorf("warnings %q, want %q", got, want)
	}

	rec.plan(nil, &plugin.Error{
		Kind:    plugin.KindDeclined,
		Code:    "card " + testPAN,
		Message: "gateway said: card 4111 1111 1111 1111 refused with key " + apiKey,
		Param:   "card.number=" + testPAN,
	}, nil)
	_, err = host.CreatePayment(context.Background(), &plugin.CreatePaymentRequest{})
	var e *plugin.Error
	if !errors.As(err, &e) {
		t.Fatalf("got %v, want a *plugin.Error", err)
	}
	want := &plugin.Error{
		Kind:    plugin.KindDeclined,
		Code:    "card 411111******1111",
		Message: "gateway said: card 4111 11** **** 1111 refused with key REDACTED",
		Param:   "card.number=411111******1111",
	}
	if !reflect.DeepEqual(e, want) {
		t.Errorf("got  %#v\nwant %#v", e, want)
	}
}

func TestNoAnswerIsInternal(t *testing.T) {
	rec := &recorder{info: allOperations()}
	rec.plan(nil, nil, nil)
	host := plugintest.Connect(t, rec)
	_, err := host.GetPayment(context.Background(), &plugin.GetPaymentRequest{})
	if plugin.KindOf(err) != plugin.KindInternal || !strings.Contains(err.Error(), "neither an answer nor an error") {
		t.Errorf("got %v, want kind internal saying the provider answered nothing", err)
	}
}

// blocker is a provider whose CreatePayment waits for its context.
type blocker struct{ plugin.UnimplementedProvider }

func (blocker) GetInfo(context.Context, *plugin.GetInfoRequest) (*plugin.GetInfoResponse, error) {
	return allOperations(), nil
}

func (blocker) CreatePayment(ctx context.Context, _ *plugin.CreatePaymentRequest) (*plugin.CreatePaymentResponse, error) {
	<-ctx.Done()
	return nil, ctx.Err()
}

func TestNoAnswerFromThePluginIsAnUnknownOutcome(t *testing.T) {
	t.Run("deadline", func(t *testing.T) {
		host := plugintest.Connect(t, blocker{})
		ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
		defer cancel()
		_, err := host.CreatePayment(ctx, &plugin.CreatePaymentRequest{})
		assertNoAnswer(t, err, codes.DeadlineExceeded)
	})
	t.Run("plugin gone", func(t *testing.T) {
		host, server := connectLogged(t, blocker{}, io.Discard)
		server.Stop()
		_, err := host.CreatePayment(context.Background(), &plugin.CreatePaymentRequest{})
		assertNoAnswer(t, err, codes.Unavailable)
	})
}

func assertNoAnswer(t *testing.T, err error, code codes.Code) {
	t.Helper()
	var e *plugin.Error
	if !errors.As(err, &e) || e.Kind != plugin.KindUnknownOutcome {
		t.Fatalf("got %v, want kind unknown_outcome", err)
	}
	if !strings.Contains(e.Message, "plugin did not answer CreatePayment; its log may say why") {
		t.Errorf("message %q does not say the plugin did not answer", e.Message)
	}
	if got := status.Code(e.Err); got != code {
		t.Errorf("Err is %v (code %v), want the gRPC error with code %v", e.Err, got, code)
	}
}

func TestErrorFromStatusWithoutDetail(t *testing.T) {
	tests := []struct {
		err  error
		want plugin.ErrorKind
	}{
		{status.Error(codes.Unavailable, "connection reset"), plugin.KindUnknownOutcome},
		{status.Error(codes.DeadlineExceeded, "deadline"), plugin.KindUnknownOutcome},
		{status.Error(codes.Canceled, "canceled"), plugin.KindUnknownOutcome},
		{status.Error(codes.Internal, "transport"), plugin.KindUnknownOutcome},
		{errors.New("not a status"), plugin.KindUnknownOutcome},
		{status.Error(codes.Unimplemented, "unknown method"), plugin.KindUnsupported},
	}
	for _, tt := range tests {
		t.Run(tt.err.Error(), func(t *testing.T) {
			err := plugin.ErrorFromStatus("Capture", tt.err)
			var e *plugin.Error
			if !errors.As(err, &e) || e.Kind != tt.want {
				t.Fatalf("got %v, want kind %s", err, tt.want)
			}
			if !errors.Is(err, tt.err) {
				t.Errorf("the gRPC error is not kept as the cause")
			}
		})
	}
}

// loggingProvider logs through plugin.Logger.
type loggingProvider struct{ blocker }

func (loggingProvider) GetPayment(ctx context.Context, req *plugin.GetPaymentRequest) (*plugin.GetPaymentResponse, error) {
	plugin.Logger(ctx).Info("querying gateway", "attempt", req.AttemptID)
	return &plugin.GetPaymentResponse{}, nil
}

func TestProvidersLogWithTheRPCName(t *testing.T) {
	var log syncBuffer
	host, _ := connectLogged(t, loggingProvider{}, &log)
	if _, err := host.GetPayment(context.Background(), &plugin.GetPaymentRequest{PaymentRef: plugin.PaymentRef{AttemptID: "att_1"}}); err != nil {
		t.Fatal(err)
	}
	if got := log.String(); !strings.Contains(got, "querying gateway: rpc=GetPayment attempt=att_1") {
		t.Errorf("log lacks the provider's line with the rpc field:\n%s", got)
	}
	if l := plugin.Logger(context.Background()); l.IsError() {
		t.Errorf("Logger outside a call should discard, got %T at level error", l)
	}
}

// declaresAll declares every operation and implements none.
type declaresAll struct{ plugin.UnimplementedProvider }

func (declaresAll) GetInfo(context.Context, *plugin.GetInfoRequest) (*plugin.GetInfoResponse, error) {
	return allOperations(), nil
}

func TestUnimplementedProviderAnswersUnsupportedOverTheWire(t *testing.T) {
	host := plugintest.Connect(t, declaresAll{})
	for _, op := range plugin.Operations {
		if err := plugintest.CallOperation(context.Background(), host, op); plugin.KindOf(err) != plugin.KindUnsupported {
			t.Errorf("%s: got %v, want unsupported from UnimplementedProvider", op, err)
		}
	}
	if _, err := host.Configure(context.Background(), &plugin.ConfigureRequest{}); err != nil {
		t.Errorf("UnimplementedProvider's Configure: %v", err)
	}
}
