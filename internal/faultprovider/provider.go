package faultprovider

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"

	"github.com/hashicorp/go-hclog"

	"github.com/payhost/payhost/plugin"
)

// Version is the fault provider's version.
const Version = "0.1.0"

// Options configure a fault Provider.
type Options struct {
	// Type is the provider type the plugin declares.
	Type string
	// StatePath, when set, is the file the payment table lives in, so that
	// it survives restarts.
	StatePath string
	// CallLogPath, when set, is the file where every call is recorded, one
	// line each, before it is handled (see ReadCalls).
	CallLogPath string
	// Logger receives the provider's log. Default: no logging.
	Logger hclog.Logger
}

// Provider is the fault gateway as a payhost provider: payments live in an
// in-memory table (or a file), and each call may be made to fail in one of
// the ways a real gateway or plugin fails (see Fault).
type Provider struct {
	plugin.UnimplementedProvider // tokens and callbacks are unsupported

	typ        string
	logger     hclog.Logger
	table      *table
	calls      callLog
	configured atomic.Bool
}

var _ plugin.Provider = (*Provider)(nil)

// New returns a fault Provider, loading its payment table from
// opts.StatePath when that file exists.
func New(opts Options) (*Provider, error) {
	t, err := openTable(opts.StatePath)
	if err != nil {
		return nil, err
	}
	if opts.Logger == nil {
		opts.Logger = hclog.NewNullLogger()
	}
	return &Provider{typ: opts.Type, logger: opts.Logger, table: t, calls: callLog(opts.CallLogPath)}, nil
}

// GetInfo declares the payment operations of the fault gateway.
func (p *Provider) GetInfo(context.Context, *plugin.GetInfoRequest) (*plugin.GetInfoResponse, error) {
	return &plugin.GetInfoResponse{
		Type:        p.typ,
		Version:     Version,
		Description: "Fault-injecting test provider; never use it for real payments.",
		Capabilities: plugin.Capabilities{
			Operations: []plugin.Operation{
				plugin.OpCreatePayment, plugin.OpAuthorize, plugin.OpCapture, plugin.OpPartialCapture,
				plugin.OpRefund, plugin.OpPartialRefund, plugin.OpVoid, plugin.OpReverse,
				plugin.OpGetPayment, plugin.OpGetRefund,
			},
			Methods: []plugin.PaymentMethod{plugin.MethodCard, plugin.MethodBank, plugin.MethodWallet, plugin.MethodQR},
		},
		Schema: plugin.Schema{Attributes: []plugin.Attribute{
			{Name: "api_key", Type: plugin.TypeString, Required: true, Sensitive: true,
				Description: "Credential of the fault gateway; any non-empty value is accepted."},
			{Name: "endpoint", Type: plugin.TypeString, Default: "https://fault.invalid",
				Description: "Base URL of the fault gateway; never contacted."},
		}},
	}, nil
}

// Configure accepts any non-empty api_key.
func (p *Provider) Configure(_ context.Context, req *plugin.ConfigureRequest) (*plugin.ConfigureResponse, error) {
	p.calls.add(OpConfigure, req.Instance)
	key := req.Config.Secret("api_key")
	if key.IsEmpty() {
		return nil, plugin.InvalidRequest("api_key", "api_key must not be empty")
	}
	p.logger.Info("configured", "instance", req.Instance, "api_key", key, "config", req.Config)
	p.configured.Store(true)
	return &plugin.ConfigureResponse{}, nil
}

// CreatePayment records the payment (once per attempt id) with the status
// Metadata["status"] names, or else succeeded for automatic capture and
// authorized for manual capture. Metadata["fault"] selects the call's
// fault, Metadata["fault.<operation>"] those of later operations.
func (p *Provider) CreatePayment(ctx context.Context, req *plugin.CreatePaymentRequest) (*plugin.CreatePaymentResponse, error) {
	p.calls.add(plugin.OpCreatePayment, req.AttemptID)
	if err := p.ready(); err != nil {
		return nil, err
	}
	p.logger.Debug("create payment", "attempt_id", req.AttemptID, "amount", req.Amount.String(), "card", req.Card)
	fault := Fault(req.Metadata["fault"])
	if fault == FaultDecline {
		result := p.newResult(req, plugin.StatusFailed)
		result.FailureCode, result.FailureMessage = DeclineCode, DeclineMessage
		if err := p.table.update(req.AttemptID, func(*record) (*record, error) { return &record{Result: result}, nil }); err != nil {
			return nil, err
		}
	}
	return inject(ctx, fault, func() (*plugin.CreatePaymentResponse, error) {
		var out plugin.PaymentResult
		err := p.table.update(req.AttemptID, func(r *record) (*record, error) {
			if r == nil { // a known attempt id answers what was recorded
				r = &record{Result: p.newResult(req, statusFor(req)), Faults: laterFaults(req.Metadata)}
			}
			out = r.Result
			return r, nil
		})
		return &plugin.CreatePaymentResponse{PaymentResult: out}, err
	})
}

// newResult is the gateway's view of a new payment.
func (p *Provider) newResult(req *plugin.CreatePaymentRequest, status plugin.PaymentStatus) plugin.PaymentResult {
	r := plugin.PaymentResult{
		Status:            status,
		ProviderReference: "fault_" + req.AttemptID,
		Amount:            req.Amount,
		ProviderStatus:    strings.ToUpper(string(status)),
	}
	if status == plugin.StatusSucceeded {
		r.CapturedAmount = req.Amount
	}
	if req.Card != nil {
		info := req.Card.Info()
		r.Card = &info
	}
	return r
}

func statusFor(req *plugin.CreatePaymentRequest) plugin.PaymentStatus {
	if s := plugin.PaymentStatus(req.Metadata["status"]); s.Valid() {
		return s
	}
	if req.Capture == plugin.CaptureManual {
		return plugin.StatusAuthorized
	}
	return plugin.StatusSucceeded
}

// laterFaults keeps the "fault.<operation>" entries of metadata.
func laterFaults(metadata map[string]string) map[string]Fault {
	var faults map[string]Fault
	for k, v := range metadata {
		if op, ok := strings.CutPrefix(k, "fault."); ok {
			if faults == nil {
				faults = map[string]Fault{}
			}
			faults[op] = Fault(v)
		}
	}
	return faults
}

// ready fails calls made before Configure, as a real provider without
// credentials would.
func (p *Provider) ready() error {
	if !p.configured.Load() {
		return &plugin.Error{Kind: plugin.KindInternal, Message: "the provider is not configured: Configure must come first"}
	}
	return nil
}

// notFound is the gateway's answer to operation op about a payment it
// never saw: kind not_found to a status query, invalid_request (naming
// attempt_id) to anything else, as the protocol asks.
func notFound(op plugin.Operation, attemptID string) error {
	msg := fmt.Sprintf("the gateway has no payment with attempt id %q", attemptID)
	if op == plugin.OpGetPayment || op == plugin.OpGetRefund {
		return plugin.NotFound("not_found", msg)
	}
	return &plugin.Error{Kind: plugin.KindInvalidRequest, Code: "not_found", Param: "attempt_id", Message: msg}
}
