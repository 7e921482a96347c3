package plugintest

import (
	"context"
	"fmt"
	"regexp"
	"testing"

	"github.com/payhost/payhost/plugin"
)

// semver is a semantic version without a leading "v" (semver.org's
// grammar, slightly relaxed in pre-release and build identifiers).
var semver = regexp.MustCompile(`^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$`)

// providerType is what an HCL provider label and a plugin binary suffix
// can be.
var providerType = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)

// infoProblems lists what is wrong with a provider's description.
func infoProblems(info *plugin.GetInfoResponse) []string {
	var out []string
	if !providerType.MatchString(info.Type) {
		out = append(out, fmt.Sprintf("type %q is not lower-case letters, digits and underscores", info.Type))
	}
	if !semver.MatchString(info.Version) {
		out = append(out, fmt.Sprintf("version %q is not a semantic version such as 1.2.3", info.Version))
	}
	if err := info.Schema.Validate(); err != nil {
		out = append(out, "schema: "+err.Error())
	}
	caps := info.Capabilities
	if len(caps.Operations) == 0 {
		out = append(out, "capabilities declare no operation")
	}
	out = append(out, invalidValues("operation", caps.Operations)...)
	out = append(out, invalidValues("payment method", caps.Methods)...)
	for _, c := range caps.Currencies {
		if _, ok := plugin.CurrencyExponent(c); !ok {
			out = append(out, fmt.Sprintf("currency %q is not an ISO 4217 code payhost knows", c))
		}
	}
	if (caps.Supports(plugin.OpCreatePayment) || caps.Supports(plugin.OpAuthorize)) && len(caps.Methods) == 0 {
		out = append(out, "capabilities declare payments but no payment method")
	}
	for _, dep := range []struct{ op, needs plugin.Operation }{
		{plugin.OpAuthorize, plugin.OpCreatePayment},
		{plugin.OpPartialCapture, plugin.OpCapture},
		{plugin.OpPartialRefund, plugin.OpRefund},
	} {
		if caps.Supports(dep.op) && !caps.Supports(dep.needs) {
			out = append(out, fmt.Sprintf("capabilities declare %s without %s", dep.op, dep.needs))
		}
	}
	return out
}

// invalidValues lists the values that are not in their enumeration.
func invalidValues[T interface {
	~string
	Valid() bool
}](what string, values []T) []string {
	var out []string
	seen := map[T]bool{}
	for _, v := range values {
		switch {
		case !v.Valid():
			out = append(out, fmt.Sprintf("%s %q is not one payhost knows", what, v))
		case seen[v]:
			out = append(out, fmt.Sprintf("%s %q is declared twice", what, v))
		}
		seen[v] = true
	}
	return out
}

// operationCalls calls, for each operation, the RPC that needs it with a
// request that asks for that operation and nothing else. The ids are
// fresh, so that a provider that wrongly goes ahead cannot touch a real
// payment.
var operationCalls = map[plugin.Operation]func(context.Context, plugin.Provider) error{
	plugin.OpCreatePayment: func(ctx context.Context, p plugin.Provider) error {
		_, err := p.CreatePayment(ctx, &plugin.CreatePaymentRequest{PaymentID: newID("pay"), AttemptID: newID("att"), Capture: plugin.CaptureAutomatic})
		return err
	},
	plugin.OpAuthorize: func(ctx context.Context, p plugin.Provider) error {
		_, err := p.CreatePayment(ctx, &plugin.CreatePaymentRequest{PaymentID: newID("pay"), AttemptID: newID("att"), Capture: plugin.CaptureManual})
		return err
	},
	plugin.OpCapture: func(ctx context.Context, p plugin.Provider) error {
		_, err := p.Capture(ctx, &plugin.CaptureRequest{PaymentRef: newPaymentRef(), Amount: minor(100), AuthorizedAmount: minor(100)})
		return err
	},
	plugin.OpPartialCapture: func(ctx context.Context, p plugin.Provider) error {
		_, err := p.Capture(ctx, &plugin.CaptureRequest{PaymentRef: newPaymentRef(), Amount: minor(40), AuthorizedAmount: minor(100)})
		return err
	},
	plugin.OpRefund: func(ctx context.Context, p plugin.Provider) error {
		_, err := p.Refund(ctx, &plugin.RefundRequest{PaymentRef: newPaymentRef(), RefundID: newID("ref"), Amount: minor(100), CapturedAmount: minor(100)})
		return err
	},
	plugin.OpPartialRefund: func(ctx context.Context, p plugin.Provider) error {
		_, err := p.Refund(ctx, &plugin.RefundRequest{PaymentRef: newPaymentRef(), RefundID: newID("ref"), Amount: minor(40), CapturedAmount: minor(100)})
		return err
	},
	plugin.OpVoid: func(ctx context.Context, p plugin.Provider) error {
		_, err := p.Void(ctx, &plugin.VoidRequest{PaymentRef: newPaymentRef()})
		return err
	},
	plugin.OpReverse: func(ctx context.Context, p plugin.Provider) error {
		_, err := p.Reverse(ctx, &plugin.ReverseRequest{PaymentRef: newPaymentRef()})
		return err
	},
	plugin.OpGetPayment: func(ctx context.Context, p plugin.Provider) error {
		_, err := p.GetPayment(ctx, &plugin.GetPaymentRequest{PaymentRef: newPaymentRef()})
		return err
	},
	plugin.OpGetRefund: func(ctx context.Context, p plugin.Provider) error {
		_, err := p.GetRefund(ctx, &plugin.GetRefundRequest{PaymentRef: newPaymentRef(), RefundID: newID("ref")})
		return err
	},
	plugin.OpTokenize: func(ctx context.Context, p plugin.Provider) error {
		_, err := p.Tokenize(ctx, &plugin.TokenizeRequest{TokenID: newID("tok")})
		return err
	},
	plugin.OpGetToken: func(ctx context.Context, p plugin.Provider) error {
		_, err := p.GetToken(ctx, &plugin.GetTokenRequest{TokenRef: plugin.TokenRef{TokenID: newID("tok")}})
		return err
	},
	plugin.OpDeleteToken: func(ctx context.Context, p plugin.Provider) error {
		_, err := p.DeleteToken(ctx, &plugin.DeleteTokenRequest{TokenRef: plugin.TokenRef{TokenID: newID("tok")}})
		return err
	},
	plugin.OpCallbacks: func(ctx context.Context, p plugin.Provider) error {
		_, err := p.HandleCallback(ctx, &plugin.HandleCallbackRequest{Method: "POST", Path: "/"})
		return err
	},
}

// CallOperation calls the RPC that exercises op, with a minimal request
// and fresh ids, and returns its error. The unsupported check uses it on
// every undeclared operation; provider tests may use it too.
func CallOperation(ctx context.Context, p plugin.Provider, op plugin.Operation) error {
	call, ok := operationCalls[op]
	if !ok {
		return fmt.Errorf("plugintest does not know operation %q", op)
	}
	return call(ctx, p)
}

func newPaymentRef() plugin.PaymentRef {
	return plugin.PaymentRef{PaymentID: newID("pay"), AttemptID: newID("att")}
}

// minor is an amount in the one currency the unsupported checks use.
func minor(amount int64) plugin.Money { return plugin.Money{Amount: amount, Currency: "USD"} }

// checkUnsupported calls every operation the provider leaves out and
// expects kind unsupported.
func (c *conformance) checkUnsupported(t *testing.T) {
	if len(c.info.Capabilities.Operations) == len(plugin.Operations) {
		t.Skip("the provider declares every operation")
	}
	reportProblems(t, unsupportedProblems(context.Background(), c.provider(), c.info.Capabilities))
}

// unsupportedProblems lists the undeclared operations that p does not
// refuse as unsupported.
func unsupportedProblems(ctx context.Context, p plugin.Provider, caps plugin.Capabilities) []string {
	var out []string
	for _, op := range plugin.Operations {
		if caps.Supports(op) {
			continue
		}
		if err := CallOperation(ctx, p, op); plugin.KindOf(err) != plugin.KindUnsupported {
			out = append(out, fmt.Sprintf("%s is not declared, but calling it answered %v; want kind unsupported", op, err))
		}
	}
	return out
}
