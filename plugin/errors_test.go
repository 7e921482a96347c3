package plugin_test

import (
	"errors"
	"fmt"
	"io"
	"testing"
	"time"

	"github.com/payhost/payhost/plugin"
)

func TestErrorsIsMatchesKindSentinels(t *testing.T) {
	sentinels := map[plugin.ErrorKind]error{
		plugin.KindInvalidRequest: plugin.ErrInvalidRequest,
		plugin.KindAuthentication: plugin.ErrAuthentication,
		plugin.KindDeclined:       plugin.ErrDeclined,
		plugin.KindNotSent:        plugin.ErrNotSent,
		plugin.KindUnknownOutcome: plugin.ErrUnknownOutcome,
		plugin.KindUnsupported:    plugin.ErrUnsupported,
		plugin.KindRateLimited:    plugin.ErrRateLimited,
		plugin.KindInternal:       plugin.ErrInternal,
		plugin.KindNotFound:       plugin.ErrNotFound,
	}
	if len(sentinels) != len(plugin.ErrorKinds) {
		t.Fatalf("%d sentinels for %d kinds", len(sentinels), len(plugin.ErrorKinds))
	}
	for _, kind := range plugin.ErrorKinds {
		err := fmt.Errorf("calling gateway: %w", &plugin.Error{Kind: kind, Code: "X1", Message: "m"})
		for other, sentinel := range sentinels {
			if got := errors.Is(err, sentinel); got != (other == kind) {
				t.Errorf("errors.Is(%s error, %s sentinel) = %v", kind, other, got)
			}
		}
		if got := plugin.KindOf(err); got != kind {
			t.Errorf("KindOf(wrapped %s) = %s", kind, got)
		}
	}
	if errors.Is(plugin.Declined("05", "no"), &plugin.Error{Kind: plugin.KindDeclined, Code: "51"}) {
		t.Error("a target with a code matched an error with another code")
	}
}

func TestKindOf(t *testing.T) {
	tests := []struct {
		err  error
		want plugin.ErrorKind
	}{
		{nil, ""},
		{io.EOF, plugin.KindInternal},
		{plugin.Unsupported(plugin.OpVoid), plugin.KindUnsupported},
		{fmt.Errorf("a: %w", fmt.Errorf("b: %w", plugin.NotSent(io.EOF, "down"))), plugin.KindNotSent},
	}
	for _, tt := range tests {
		if got := plugin.KindOf(tt.err); got != tt.want {
			t.Errorf("KindOf(%v) = %q, want %q", tt.err, got, tt.want)
		}
	}
}

func TestErrorConstructorsAndText(t *testing.T) {
	cause := errors.New("read tcp: i/o timeout")
	tests := []struct {
		err  *plugin.Error
		want string
	}{
		{plugin.InvalidRequest("card.exp_month", "month %d is not 1 to 12", 13), "invalid_request: month 13 is not 1 to 12 [param card.exp_month]"},
		{plugin.Declined("51", "Insufficient funds"), "declined (code 51): Insufficient funds"},
		{plugin.NotSent(cause, "gateway unreachable"), "not_sent: gateway unreachable"},
		{plugin.UnknownOutcome(cause, "no answer after %s", time.Second), "unknown_outcome: no answer after 1s"},
		{plugin.Unsupported(plugin.OpReverse), "unsupported: this provider does not support reverse"},
		{plugin.AuthenticationFailed("401", "bad signature"), "authentication (code 401): bad signature"},
		{plugin.GatewayError(plugin.KindRateLimited, "429", "slow down"), "rate_limited (code 429): slow down"},
		{&plugin.Error{Kind: plugin.KindInternal}, "internal"},
		{plugin.NotFound("36", "transaction not found"), "not_found (code 36): transaction not found"},
	}
	for _, tt := range tests {
		if got := tt.err.Error(); got != tt.want {
			t.Errorf("Error() = %q, want %q", got, tt.want)
		}
		if !tt.err.Kind.Valid() {
			t.Errorf("%q has invalid kind", tt.want)
		}
	}
	if err := plugin.UnknownOutcome(cause, "x"); !errors.Is(err, cause) {
		t.Error("the cause is not unwrapped")
	}
}

func TestNotFoundConversions(t *testing.T) {
	invalid := plugin.GatewayError(plugin.KindInvalidRequest, "ORDER_NOT_FOUND", "no such order")
	other := plugin.GatewayError(plugin.KindInvalidRequest, "BAD_AMOUNT", "amount too small")
	notFound := plugin.NotFound("36", "transaction not found")
	declined := plugin.Declined("05", "do not honour")
	wrapped := fmt.Errorf("query: %w", invalid)
	tests := []struct {
		name string
		got  error
		// kind, code and param of the answer; kind "" for nil.
		kind        plugin.ErrorKind
		code, param string
	}{
		{"AsNotFound of a listed code", plugin.AsNotFound(invalid, "X", "ORDER_NOT_FOUND"), plugin.KindNotFound, "ORDER_NOT_FOUND", ""},
		{"AsNotFound of a wrapped listed code", plugin.AsNotFound(wrapped, "ORDER_NOT_FOUND"), plugin.KindNotFound, "ORDER_NOT_FOUND", ""},
		{"AsNotFound of another code", plugin.AsNotFound(other, "ORDER_NOT_FOUND"), plugin.KindInvalidRequest, "BAD_AMOUNT", ""},
		{"AsNotFound of another kind", plugin.AsNotFound(plugin.GatewayError(plugin.KindDeclined, "ORDER_NOT_FOUND", "x"), "ORDER_NOT_FOUND"), plugin.KindDeclined, "ORDER_NOT_FOUND", ""},
		{"AsNotFound of nil", plugin.AsNotFound(nil, "ORDER_NOT_FOUND"), "", "", ""},
		{"NotFoundAsInvalid of not_found", plugin.NotFoundAsInvalid(notFound, "attempt_id"), plugin.KindInvalidRequest, "36", "attempt_id"},
		{"NotFoundAsInvalid of a decline", plugin.NotFoundAsInvalid(declined, "attempt_id"), plugin.KindDeclined, "05", ""},
		{"NotFoundAsInvalid of nil", plugin.NotFoundAsInvalid(nil, "attempt_id"), "", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.kind == "" {
				if tt.got != nil {
					t.Fatalf("got %v, want nil", tt.got)
				}
				return
			}
			var e *plugin.Error
			if !errors.As(tt.got, &e) || e.Kind != tt.kind || e.Code != tt.code || e.Param != tt.param {
				t.Errorf("got %#v, want kind %s, code %s, param %q", tt.got, tt.kind, tt.code, tt.param)
			}
		})
	}
	if got := plugin.AsNotFound(invalid, "ORDER_NOT_FOUND"); got.Error() == "" || !errors.Is(got, plugin.ErrNotFound) {
		t.Errorf("AsNotFound = %v, want errors.Is ErrNotFound", got)
	}
}
