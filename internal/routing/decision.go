package routing

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"
)

// Decision explains where a payment goes and why.
type Decision struct {
	Merchant string `json:"merchant"`
	// Route is the route that matched; empty when the provider was pinned.
	Route string `json:"route,omitempty"`
	// RouteRange is where that route is declared.
	RouteRange hcl.Range `json:"-"`
	// Pinned is set when the payment named its provider (or a token bound
	// it to one) and the routes were not consulted.
	Pinned bool `json:"pinned,omitempty"`
	// Candidates are the instances to try, in order.
	Candidates []Candidate `json:"candidates"`
	// Skipped are the routes before the winner, and why each did not match.
	Skipped []Skipped `json:"skipped_routes,omitempty"`
	// Dropped are the winner's providers that cannot take the payment.
	Dropped []Dropped `json:"dropped,omitempty"`
}

// Candidate is a provider instance to try.
type Candidate struct {
	// Provider is the instance's address, "type.name".
	Provider string `json:"provider"`
	Reason   string `json:"reason"`
}

// Skipped is a route that did not match.
type Skipped struct {
	Route  string `json:"route"`
	Reason string `json:"reason"`
}

// Dropped is a provider left out because it cannot take the payment.
type Dropped struct {
	Provider string `json:"provider"`
	Reason   string `json:"reason"`
}

// Providers returns the candidates' addresses, in order.
func (d *Decision) Providers() []string {
	out := make([]string, len(d.Candidates))
	for i, c := range d.Candidates {
		out[i] = c.Provider
	}
	return out
}

// The kinds of routing failure; errors.Is matches an *Error against them.
var (
	ErrUnknownMerchant = errors.New("unknown merchant")
	ErrUnknownProvider = errors.New("unknown provider")
	ErrNoRoute         = errors.New("no route matches")
	ErrNoCandidate     = errors.New("no provider can take the payment")
)

// Error is a routing failure, with its Decision so far.
type Error struct {
	// Kind is one of the Err variables.
	Kind     error
	Decision *Decision
	msg      string
}

func (e *Error) Error() string { return e.msg }

// Unwrap returns Kind.
func (e *Error) Unwrap() error { return e.Kind }

// noRoute builds the error for a payment that matches none of the
// merchant's routes: it names the merchant, the payment's fields and every
// route tried.
func noRoute(d *Decision, p Payment) *Error {
	tried := make([]string, len(d.Skipped))
	for i, s := range d.Skipped {
		tried[i] = fmt.Sprintf("%q (%s)", s.Route, s.Reason)
	}
	routes := "it has no routes"
	if len(tried) > 0 {
		routes = "routes tried: " + strings.Join(tried, ", ")
	}
	return &Error{Kind: ErrNoRoute, Decision: d, msg: fmt.Sprintf(
		"merchant %q has no route for payment %s; %s. Add a route that matches it (a last route without when matches every payment), or name the provider",
		d.Merchant, describePayment(p), routes)}
}

// noCandidate builds the error for a route whose providers all dropped.
func noCandidate(d *Decision) *Error {
	dropped := make([]string, len(d.Dropped))
	for i, x := range d.Dropped {
		dropped[i] = fmt.Sprintf("%s (%s)", x.Provider, x.Reason)
	}
	where := fmt.Sprintf("route %q of merchant %q matched, but", d.Route, d.Merchant)
	if d.Pinned {
		where = fmt.Sprintf("merchant %q named the provider, but", d.Merchant)
	}
	return &Error{Kind: ErrNoCandidate, Decision: d, msg: fmt.Sprintf(
		"%s no provider can take the payment: %s", where, strings.Join(dropped, "; "))}
}

// describePayment renders the fields routes read. Metadata values may be
// personal data: only the keys are shown.
func describePayment(p Payment) string {
	keys := make([]string, 0, len(p.Metadata))
	for k := range p.Metadata {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return fmt.Sprintf("{id=%q amount=%d currency=%q method=%q capture=%q country=%q reference=%q metadata keys=%q}",
		p.ID, p.Amount, p.Currency, p.Method, p.Capture, p.Country, p.Reference, keys)
}
