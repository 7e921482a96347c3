package plugintest

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/payhost/payhost/plugin"
)

func fakeConfig(t *testing.T) plugin.Config {
	t.Helper()
	c, err := plugin.NewConfig(map[string]any{"webhook_secret": fakeSecret})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestConformanceOfAFakeProvider(t *testing.T) {
	gw := newFakeGateway()
	RunConformance(t, Suite{
		Provider: Connect(t, newFakeProvider(gw)),
		Config:   fakeConfig(t),
		Driver:   fakeDriver{gw: gw},
	})
}

// TestConformanceWithoutCallbacks runs the scenarios against a gateway
// that never calls back: the suite polls GetPayment instead.
func TestConformanceWithoutCallbacks(t *testing.T) {
	gw := newFakeGateway()
	gw.quiet = true
	p := newFakeProvider(gw)
	p.ops = slices.DeleteFunc(p.ops, func(op plugin.Operation) bool { return op == plugin.OpCallbacks })
	RunConformance(t, Suite{Provider: Connect(t, p), Config: fakeConfig(t), Driver: fakeDriver{gw: gw}})
}

func TestConformanceWithoutDriver(t *testing.T) {
	RunConformance(t, Suite{Provider: Connect(t, newFakeProvider(newFakeGateway())), Config: fakeConfig(t)})
}

func TestInfoProblems(t *testing.T) {
	good := func() *plugin.GetInfoResponse {
		return &plugin.GetInfoResponse{
			Type: "reddot", Version: "1.2.3-rc.1+build.5",
			Capabilities: plugin.Capabilities{
				Operations: []plugin.Operation{plugin.OpCreatePayment, plugin.OpGetPayment},
				Methods:    []plugin.PaymentMethod{plugin.MethodCard},
				Currencies: []string{"SGD", "USD"},
			},
			Schema: plugin.Schema{Attributes: []plugin.Attribute{{Name: "key", Type: plugin.TypeString, Sensitive: true, Required: true}}},
		}
	}
	if p := infoProblems(good()); len(p) != 0 {
		t.Fatalf("a good description has problems: %q", p)
	}
	tests := []struct {
		name   string
		change func(*plugin.GetInfoResponse)
		want   string
	}{
		{"no type", func(i *plugin.GetInfoResponse) { i.Type = "" }, "type"},
		{"upper-case type", func(i *plugin.GetInfoResponse) { i.Type = "RedDot" }, "type"},
		{"v prefix", func(i *plugin.GetInfoResponse) { i.Version = "v1.2.3" }, "semantic version"},
		{"two parts", func(i *plugin.GetInfoResponse) { i.Version = "1.2" }, "semantic version"},
		{"bad schema", func(i *plugin.GetInfoResponse) { i.Schema.Attributes[0].Type = "text" }, "schema"},
		{"no operations", func(i *plugin.GetInfoResponse) { i.Capabilities.Operations = nil }, "no operation"},
		{"unknown operation", func(i *plugin.GetInfoResponse) {
			i.Capabilities.Operations = append(i.Capabilities.Operations, "teleport")
		}, `operation "teleport"`},
		{"duplicate operation", func(i *plugin.GetInfoResponse) {
			i.Capabilities.Operations = append(i.Capabilities.Operations, plugin.OpGetPayment)
		}, "declared twice"},
		{"unknown method", func(i *plugin.GetInfoResponse) { i.Capabilities.Methods = []plugin.PaymentMethod{"cash"} }, `payment method "cash"`},
		{"payments without methods", func(i *plugin.GetInfoResponse) { i.Capabilities.Methods = nil }, "no payment method"},
		{"unknown currency", func(i *plugin.GetInfoResponse) { i.Capabilities.Currencies = []string{"usd"} }, `currency "usd"`},
		{"partial refund without refund", func(i *plugin.GetInfoResponse) {
			i.Capabilities.Operations = append(i.Capabilities.Operations, plugin.OpPartialRefund)
		}, "partial_refund without refund"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			info := good()
			tt.change(info)
			problems := infoProblems(info)
			if len(problems) != 1 || !strings.Contains(problems[0], tt.want) {
				t.Errorf("problems %q, want one mentioning %q", problems, tt.want)
			}
		})
	}
}

// permissive answers Void though it does not declare it: only the SDK's
// server would refuse its undeclared operations.
type permissive struct{ plugin.UnimplementedProvider }

func (permissive) Void(context.Context, *plugin.VoidRequest) (*plugin.VoidResponse, error) {
	return &plugin.VoidResponse{}, nil
}

func TestUnsupportedProblems(t *testing.T) {
	p := &permissive{}
	caps := plugin.Capabilities{Operations: []plugin.Operation{plugin.OpGetPayment}}

	problems := unsupportedProblems(context.Background(), p, caps)
	if len(problems) != 1 || !strings.Contains(problems[0], "void is not declared") {
		t.Errorf("called directly, the provider's undeclared Void should be the one problem; got %q", problems)
	}
}

func TestPaymentProblems(t *testing.T) {
	tests := []struct {
		name string
		res  plugin.PaymentResult
		want string // "" for none
	}{
		{"fine", plugin.PaymentResult{Status: plugin.StatusSucceeded, Amount: plugin.Money{Amount: 100, Currency: "USD"}}, ""},
		{"redirect", plugin.PaymentResult{Status: plugin.StatusRequiresAction, NextAction: &plugin.NextAction{Type: plugin.ActionRedirect, URL: "https://x"}}, ""},
		{"unknown status", plugin.PaymentResult{Status: "paid"}, `status "paid"`},
		{"action missing", plugin.PaymentResult{Status: plugin.StatusRequiresAction}, "without a next action"},
		{"empty QR", plugin.PaymentResult{Status: plugin.StatusRequiresAction, NextAction: &plugin.NextAction{Type: plugin.ActionQRCode, URL: "https://x"}}, "nothing to show"},
		{"unknown action", plugin.PaymentResult{Status: plugin.StatusRequiresAction, NextAction: &plugin.NextAction{Type: "popup"}}, `type "popup"`},
		{"bad amount", plugin.PaymentResult{Status: plugin.StatusSucceeded, Amount: plugin.Money{Amount: 100, Currency: "XXX"}}, "amount"},
	}
	for _, tt := range tests {
		problems := paymentProblems(&tt.res)
		switch {
		case tt.want == "" && len(problems) > 0:
			t.Errorf("%s: unexpected problems %q", tt.name, problems)
		case tt.want != "" && (len(problems) != 1 || !strings.Contains(problems[0], tt.want)):
			t.Errorf("%s: problems %q, want one mentioning %q", tt.name, problems, tt.want)
		}
	}
}
