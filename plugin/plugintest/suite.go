package plugintest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"testing"
	"time"

	"github.com/payhost/payhost/plugin"
)

// Suite describes one provider instance for RunConformance.
type Suite struct {
	// Provider is the provider under test, as the host sees it: wrap an
	// in-memory provider with Connect, or pass the Provider the host
	// dispensed from a real plugin binary.
	Provider plugin.Provider
	// Config is the instance's configuration, as the host would decode it
	// (defaults applied); it typically points the provider at its emulator.
	Config plugin.Config
	// Driver plays the customer. Without one, only the checks that need no
	// payment run (info, configure, unsupported).
	Driver Driver
	// Timeout bounds each scenario; zero means 30 seconds.
	Timeout time.Duration
}

// Outcome is how a scenario wants the gateway to decide a payment.
type Outcome string

// The outcomes a Driver must be able to bring about.
const (
	// OutcomeSucceed: the customer pays and the gateway accepts.
	OutcomeSucceed Outcome = "succeed"
	// OutcomeDecline: the gateway or issuer declines.
	OutcomeDecline Outcome = "decline"
)

// Driver is the customer's side of a payment, which the suite cannot play
// alone because it differs per gateway: which card or account the emulator
// declines, and how a customer pays on its hosted page or QR screen.
type Driver interface {
	// Payment returns a new payment request that the gateway's emulator
	// will take to outcome: amount, currency, method, customer, and the
	// card or other data that makes it so. The suite sets the ids, the
	// idempotency key and the capture mode, and a return URL when there is
	// none.
	Payment(outcome Outcome) *plugin.CreatePaymentRequest
	// Complete acts as the customer on a payment that waits for them
	// (requires_action, or processing with a NextAction): pays or fails to
	// pay on the gateway's hosted page or through the emulator's control
	// API, so that the gateway decides the payment as outcome says and
	// sends its callback to the instance's callback URL. It returns once
	// the gateway has taken the customer's action.
	Complete(ctx context.Context, payment *plugin.PaymentResult, outcome Outcome) error
}

// CallbackTamperer is implemented by Drivers that know where their
// gateway's callback signature is; it enables the bad-signature scenario.
type CallbackTamperer interface {
	// TamperCallback changes a genuine callback so that its signature no
	// longer verifies while it stays well-formed (flip one character of the
	// signature, or of a signed field).
	TamperCallback(cb *plugin.HandleCallbackRequest)
}

// RunConformance runs the conformance suite against one provider
// instance: every check and scenario is a subtest, skipped (with the reason)
// when the provider does not declare what it needs. See the package
// documentation for the list.
func RunConformance(t *testing.T, s Suite) {
	t.Helper()
	if s.Timeout == 0 {
		s.Timeout = 30 * time.Second
	}
	info, err := s.Provider.GetInfo(context.Background(), &plugin.GetInfoRequest{})
	if err != nil {
		t.Fatalf("GetInfo: %v", err)
	}
	c := &conformance{suite: s, info: info}
	c.callbacks = newCallbackIntake(t, s.Provider, info.Type)

	t.Run("info", func(t *testing.T) { reportProblems(t, infoProblems(info)) })
	if !t.Run("configure", c.checkConfigure) {
		t.Fatal("the provider refused its configuration; nothing else can run")
	}
	t.Run("unsupported", c.checkUnsupported)
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			for _, op := range sc.needs {
				if !c.info.Capabilities.Supports(op) {
					t.Skipf("the provider does not declare %s", op)
				}
			}
			if s.Driver == nil {
				t.Skip("no Driver to play the customer")
			}
			ctx, cancel := context.WithTimeout(context.Background(), s.Timeout)
			defer cancel()
			sc.run(ctx, t, c)
		})
	}
}

// conformance is one run of the suite.
type conformance struct {
	suite     Suite
	info      *plugin.GetInfoResponse
	callbacks *callbackIntake
}

func (c *conformance) provider() plugin.Provider { return c.suite.Provider }

func (c *conformance) checkConfigure(t *testing.T) {
	resp, err := c.provider().Configure(context.Background(), &plugin.ConfigureRequest{
		Instance:    c.info.Type + ".conformance",
		Config:      c.suite.Config,
		CallbackURL: c.callbacks.url,
	})
	if err != nil {
		t.Fatalf("Configure: %v", err)
	}
	for _, w := range resp.Warnings {
		t.Logf("configuration warning: %s", w)
	}
	if resp.Capabilities != nil {
		// The instance does less than the provider declared: judge it by
		// what it says it does now.
		t.Logf("the instance narrows its capabilities to %v", resp.Capabilities.Operations)
		c.info.Capabilities = *resp.Capabilities
	}
}

// newID returns a fresh id with the given prefix, unique across runs so
// that a long-lived emulator never sees one twice.
func newID(prefix string) string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return prefix + "_conf_" + hex.EncodeToString(b)
}

func reportProblems(t *testing.T, problems []string) {
	t.Helper()
	for _, p := range problems {
		t.Error(p)
	}
}
