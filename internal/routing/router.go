package routing

import (
	"fmt"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"

	"github.com/payhost/payhost/internal/config"
	"github.com/payhost/payhost/plugin"
)

// Router routes payments. It is immutable and safe for concurrent use.
type Router struct {
	merchants map[string][]*route
	providers map[string]plugin.Capabilities
}

// route is a config.Route prepared for evaluation.
type route struct {
	name string
	// when is nil for a route that matches everything; compiled is when
	// compiled, or nil when HCL must evaluate it.
	when      hcl.Expression
	compiled  boolFn
	providers []string // addresses, primary first
	splits    []split  // or weighted
	total     int64    // sum of the splits' weights
	rng       hcl.Range
}

type split struct {
	provider string
	weight   int64
}

// New prepares cfg's routes. cfg must have loaded without errors and with
// its provider blocks decoded (so that capabilities are known).
func New(cfg *config.Config) (*Router, error) {
	r := &Router{
		merchants: make(map[string][]*route, len(cfg.Merchants)),
		providers: make(map[string]plugin.Capabilities, len(cfg.Providers)),
	}
	for addr, p := range cfg.Providers {
		if p.Info == nil {
			return nil, fmt.Errorf("provider %s has no plugin info; load the configuration with a schema source", addr)
		}
		r.providers[addr] = p.Info.Capabilities
	}
	for id, m := range cfg.Merchants {
		routes := make([]*route, 0, len(m.Routes))
		for _, cr := range m.Routes {
			rt, err := r.prepare(cr)
			if err != nil {
				return nil, fmt.Errorf("merchant %q: %w", id, err)
			}
			routes = append(routes, rt)
		}
		r.merchants[id] = routes
	}
	return r, nil
}

func (r *Router) prepare(cr *config.Route) (*route, error) {
	rt := &route{name: cr.Name, rng: cr.DeclRange}
	if !cr.MatchesEverything() {
		rt.when, rt.compiled = cr.When, compile(cr.When)
	}
	for _, ref := range cr.Providers {
		rt.providers = append(rt.providers, ref.Addr())
	}
	for _, s := range cr.Splits {
		rt.splits = append(rt.splits, split{provider: s.Provider.Addr(), weight: s.Weight})
		rt.total += s.Weight
	}
	for _, ref := range cr.Targets() {
		if _, ok := r.providers[ref.Addr()]; !ok {
			return nil, fmt.Errorf("route %q references %s, which is not declared", cr.Name, ref)
		}
	}
	if len(rt.providers) == 0 && rt.total <= 0 {
		return nil, fmt.Errorf("route %q has no providers", cr.Name)
	}
	return rt, nil
}

// Route decides where a payment of merchant goes. The Decision is returned
// on failure too (inside *Error) to explain it.
func (r *Router) Route(merchant string, p Payment) (*Decision, error) {
	routes, ok := r.merchants[merchant]
	if !ok {
		return nil, &Error{Kind: ErrUnknownMerchant, msg: fmt.Sprintf("merchant %q is not configured", merchant)}
	}
	d := &Decision{Merchant: merchant}
	ev := evaluation{payment: &p}
	for _, rt := range routes {
		if reason := ev.mismatch(rt); reason != "" {
			d.Skipped = append(d.Skipped, Skipped{Route: rt.name, Reason: reason})
			continue
		}
		d.Route, d.RouteRange = rt.name, rt.rng
		for _, c := range rt.candidates(p.ID) {
			if reason := cannotTake(r.providers[c.Provider], p); reason != "" {
				d.Dropped = append(d.Dropped, Dropped{Provider: c.Provider, Reason: reason})
				continue
			}
			d.Candidates = append(d.Candidates, c)
		}
		if len(d.Candidates) == 0 {
			return d, noCandidate(d)
		}
		return d, nil
	}
	return d, noRoute(d, p)
}

// Pin decides on a payment whose provider is given: one the merchant named
// in its request, or the instance that issued the token of a token
// payment. The routes are not consulted; the capability check applies.
func (r *Router) Pin(merchant, provider string, p Payment) (*Decision, error) {
	if _, ok := r.merchants[merchant]; !ok {
		return nil, &Error{Kind: ErrUnknownMerchant, msg: fmt.Sprintf("merchant %q is not configured", merchant)}
	}
	d := &Decision{Merchant: merchant, Pinned: true}
	caps, ok := r.providers[provider]
	if !ok {
		return d, &Error{Kind: ErrUnknownProvider, Decision: d, msg: fmt.Sprintf("provider %q is not configured; name an instance as type.name", provider)}
	}
	if reason := cannotTake(caps, p); reason != "" {
		d.Dropped = append(d.Dropped, Dropped{Provider: provider, Reason: reason})
		return d, noCandidate(d)
	}
	d.Candidates = []Candidate{{Provider: provider, Reason: "pinned: the payment names this provider"}}
	return d, nil
}

// evaluation evaluates routes for one payment; it builds the payment's
// representations once, when a route first needs them.
type evaluation struct {
	payment *Payment
	view    *view
	ctx     *hcl.EvalContext
}

// mismatch returns "" when rt matches the payment, or why it does not.
func (ev *evaluation) mismatch(rt *route) string {
	if rt.when == nil {
		return ""
	}
	if rt.compiled != nil {
		if ev.view == nil {
			ev.view = newView(ev.payment)
		}
		switch rt.compiled(ev.view) {
		case outTrue:
			return ""
		case outFalse:
			return "when is false"
		}
		// A failure: HCL evaluates it again to say why.
	}
	if ev.ctx == nil {
		ev.ctx = config.WhenContext(ev.payment.Value())
	}
	return evalWhen(rt.when, ev.ctx)
}

// evalWhen returns "" when expr is true, or why the route does not match.
func evalWhen(expr hcl.Expression, ctx *hcl.EvalContext) string {
	v, diags := expr.Value(ctx)
	switch {
	case diags.HasErrors():
		var msgs []string
		for _, d := range diags.Errs() {
			msgs = append(msgs, d.Error())
		}
		return "when failed: " + strings.Join(msgs, "; ")
	case !v.IsKnown() || v.IsNull() || v.Type() != cty.Bool:
		return "when is not true or false"
	case v.False():
		return "when is false"
	}
	return ""
}

// candidates lists the route's providers in the order to try them.
func (rt *route) candidates(paymentID string) []Candidate {
	if len(rt.splits) == 0 {
		out := make([]Candidate, len(rt.providers))
		for i, p := range rt.providers {
			reason := "primary"
			if i > 0 {
				reason = fmt.Sprintf("fallback %d", i)
			}
			out[i] = Candidate{Provider: p, Reason: reason}
		}
		return out
	}
	return rt.splitCandidates(paymentID)
}

// cannotTake returns "" when caps can take p, or why not.
func cannotTake(caps plugin.Capabilities, p Payment) string {
	op := p.operation()
	switch {
	case !caps.SupportsMethod(p.Method):
		return fmt.Sprintf("does not support method %q", p.Method)
	case p.Currency != "" && !caps.SupportsCurrency(p.Currency):
		return fmt.Sprintf("does not accept currency %s", p.Currency)
	case !caps.Supports(op):
		return fmt.Sprintf("does not support operation %s", op)
	}
	return ""
}
