package config

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/payhost/payhost/plugin"
)

// OperationFor is the operation a payment with capture mode c needs:
// authorize for manual capture, create_payment otherwise.
func OperationFor(c plugin.CaptureMode) plugin.Operation {
	if c == plugin.CaptureManual {
		return plugin.OpAuthorize
	}
	return plugin.OpCreatePayment
}

// DecodeProviders reads each provider type's info from src (once per
// type), decodes every provider block against its plugin's schema, filling
// Provider.Info, Config and AttrRanges, and warns about routes to providers
// that cannot take the payments the route admits. Load calls it when given
// a SchemaSource.
func (c *Config) DecodeProviders(src SchemaSource) hcl.Diagnostics {
	var diags hcl.Diagnostics
	infos := map[string]*plugin.GetInfoResponse{}
	failed := map[string]bool{}
	for _, p := range c.providersInOrder() {
		if failed[p.Type] {
			continue
		}
		info := infos[p.Type]
		if info == nil {
			var err error
			if info, err = providerInfo(src, p.Type); err != nil {
				failed[p.Type] = true
				diags = diags.Append(&hcl.Diagnostic{
					Severity: hcl.DiagError,
					Summary:  "Provider plugin unavailable",
					Detail:   unavailableDetail(p.Type, err),
					Subject:  p.TypeRange.Ptr(),
				})
				continue
			}
			infos[p.Type] = info
		}
		cfg, ranges, d := decodeProviderConfig(p.Body, info.Schema, c.ctx)
		diags = append(diags, d...)
		p.Info, p.Config, p.AttrRanges = info, cfg, ranges
	}
	return append(diags, c.checkCapabilities()...)
}

// unavailableDetail explains why a type's plugin could not be read and,
// unless the error already does, how to fix it.
func unavailableDetail(typ string, err error) string {
	msg := strings.TrimSuffix(err.Error(), ".")
	detail := fmt.Sprintf("payhost cannot read the schema of provider type %q: %s.", typ, msg)
	if !strings.Contains(msg, "payhost-provider-") {
		detail += fmt.Sprintf(" Fix the type, or put payhost-provider-%s in plugin_dir, in $PAYHOST_PLUGIN_PATH or beside payhost.", typ)
	}
	return detail
}

// providerInfo asks src for a type's info and checks the schema in it.
func providerInfo(src SchemaSource, typ string) (*plugin.GetInfoResponse, error) {
	info, err := src.ProviderInfo(typ)
	switch {
	case err != nil:
		return nil, err
	case info == nil:
		return nil, errors.New("the plugin returned no info")
	}
	if err := info.Schema.Validate(); err != nil {
		return nil, fmt.Errorf("the plugin declares an invalid schema (%w); this is a bug in the plugin", err)
	}
	return info, nil
}

// checkCapabilities warns about route targets that cannot take any payment
// the route admits.
func (c *Config) checkCapabilities() hcl.Diagnostics {
	var diags hcl.Diagnostics
	for _, m := range c.merchantsInOrder() {
		for _, r := range m.Routes {
			if r.when.never || r.when.invalid {
				continue
			}
			for _, ref := range r.Targets() {
				p := c.Providers[ref.Addr()]
				if ref.Type == "" || p == nil || p.Info == nil {
					continue
				}
				if d := checkTargetCapability(r, ref, p.Info.Capabilities); d != nil {
					diags = diags.Append(d)
				}
			}
		}
	}
	return diags
}

// checkTargetCapability warns when caps can take none of the method and
// capture pairs, or none of the currencies, that route r admits.
func checkTargetCapability(r *Route, ref ProviderRef, caps plugin.Capabilities) *hcl.Diagnostic {
	supported := func(a admission) bool {
		return caps.SupportsMethod(a.method) && caps.Supports(OperationFor(a.capture))
	}
	if !admits(r.When, r.when.refs, supported) {
		return &hcl.Diagnostic{
			Severity: hcl.DiagWarning,
			Summary:  "Provider cannot serve this route",
			Detail: fmt.Sprintf("Route %q matches %s, but %s declares methods [%s] and operations [%s], so routing always skips it here. Send these payments to a provider that can take them, or remove it from this route.",
				r.Name, describeAdmissions(admissions(r.When, r.when.refs)), ref, strings.Join(methodNames(caps.Methods), ", "), joinOperations(caps.Operations)),
			Subject: ref.Range.Ptr(),
		}
	}
	if !r.when.refs[FieldCurrency] || len(caps.Currencies) == 0 {
		return nil
	}
	if slices.ContainsFunc(caps.Currencies, func(cur string) bool {
		return mayBeTrue(r.When, partial{currency: cur})
	}) {
		return nil
	}
	return &hcl.Diagnostic{
		Severity: hcl.DiagWarning,
		Summary:  "Provider accepts none of this route's currencies",
		Detail: fmt.Sprintf("Route %q only matches currencies %s does not accept (it accepts %s), so routing always skips it here. Send these payments to a provider that accepts them, or remove it from this route.",
			r.Name, ref, strings.Join(caps.Currencies, ", ")),
		Subject: ref.Range.Ptr(),
	}
}

// describeAdmissions says which payments a list of admissions covers.
func describeAdmissions(admits []admission) string {
	if len(admits) == len(plugin.PaymentMethods)*len(plugin.CaptureModes) {
		return "any payment"
	}
	var methods, captures []string
	for _, a := range admits {
		if !slices.Contains(methods, string(a.method)) {
			methods = append(methods, string(a.method))
		}
		if !slices.Contains(captures, string(a.capture)) {
			captures = append(captures, string(a.capture))
		}
	}
	method := "any method"
	if len(methods) < len(plugin.PaymentMethods) {
		method = "method " + strings.Join(methods, " or ")
	}
	capture := "any capture"
	if len(captures) < len(plugin.CaptureModes) {
		capture = strings.Join(captures, " or ") + " capture"
	}
	return fmt.Sprintf("payments with %s and %s", method, capture)
}

func joinOperations(ops []plugin.Operation) string {
	s := make([]string, len(ops))
	for i, o := range ops {
		s[i] = string(o)
	}
	return strings.Join(s, ", ")
}
