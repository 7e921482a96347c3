package config

import (
	"fmt"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/payhost/payhost/plugin"
)

// Provider is a provider "<type>" "<name>" block: one configured instance
// of a provider plugin.
type Provider struct {
	// Type is the plugin's provider type, Name the instance's name.
	Type, Name string
	// Body is the block's body, decoded against the plugin's schema by
	// DecodeProviders.
	Body hcl.Body
	// Info is what the plugin declared (schema, capabilities); nil until
	// DecodeProviders.
	Info *plugin.GetInfoResponse
	// Config holds the decoded attributes with the schema's defaults
	// applied; empty until DecodeProviders. It never prints values.
	Config plugin.Config
	// AttrRanges are where each attribute set in the block was written,
	// for errors the plugin reports about them.
	AttrRanges map[string]hcl.Range
	DeclRange  hcl.Range
	TypeRange  hcl.Range
	NameRange  hcl.Range
}

// Addr is the instance's address, "type.name", as used in API requests,
// callbacks URLs and logs.
func (p *Provider) Addr() string { return ProviderAddr(p.Type, p.Name) }

// ProviderAddr is the address of a provider instance.
func ProviderAddr(typ, name string) string { return typ + "." + name }

func decodeProviderBlock(block *hcl.Block) (*Provider, hcl.Diagnostics) {
	p := &Provider{
		Type:      block.Labels[0],
		Name:      block.Labels[1],
		Body:      block.Body,
		DeclRange: block.DefRange,
		TypeRange: block.LabelRanges[0],
		NameRange: block.LabelRanges[1],
	}
	var diags hcl.Diagnostics
	diags = append(diags, checkName("provider type", p.Type, p.TypeRange)...)
	diags = append(diags, checkName("provider name", p.Name, p.NameRange)...)
	return p, diags
}

// checkName requires a label to be an HCL identifier, so that it can be
// referenced (provider.<type>.<name>) and used in URLs.
func checkName(what, name string, rng hcl.Range) hcl.Diagnostics {
	if hclsyntax.ValidIdentifier(name) {
		return nil
	}
	return hcl.Diagnostics{{
		Severity: hcl.DiagError,
		Summary:  "Invalid " + what,
		Detail:   fmt.Sprintf("%q is not a valid %s: it must start with a letter or underscore and contain only letters, digits, underscores and dashes.", name, what),
		Subject:  rng.Ptr(),
	}}
}
