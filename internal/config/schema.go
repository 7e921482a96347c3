package config

import (
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/gocty"

	"github.com/payhost/payhost/plugin"
)

// SchemaSource gives the info (schema and capabilities) of provider
// plugins. pluginhost implements it by launching each plugin once; tests
// and embedders use StaticSchemas.
type SchemaSource interface {
	// ProviderInfo returns the info of the plugin for a provider type, or
	// an error that says why it is not available.
	ProviderInfo(providerType string) (*plugin.GetInfoResponse, error)
}

// StaticSchemas is a SchemaSource over fixed infos, keyed by provider type.
type StaticSchemas map[string]*plugin.GetInfoResponse

// ProviderInfo returns the info for typ.
func (s StaticSchemas) ProviderInfo(typ string) (*plugin.GetInfoResponse, error) {
	if info, ok := s[typ]; ok {
		return info, nil
	}
	types := slices.Sorted(maps.Keys(s))
	return nil, fmt.Errorf("no plugin provides provider type %q;%s the known types are %s", typ, didYouMean(typ, types), quotedList(types))
}

// decodeProviderConfig decodes a provider block's body against the
// plugin's schema: unknown attributes, missing required ones and values of
// the wrong type are errors; defaults apply to attributes left out.
func decodeProviderConfig(body hcl.Body, schema plugin.Schema, ctx *hcl.EvalContext) (plugin.Config, map[string]hcl.Range, hcl.Diagnostics) {
	bs := &hcl.BodySchema{}
	for _, a := range schema.Attributes {
		bs.Attributes = append(bs.Attributes, hcl.AttributeSchema{Name: a.Name, Required: a.Required})
	}
	content, diags := bodyContent(body, bs)
	values := map[string]any{}
	ranges := map[string]hcl.Range{}
	for _, a := range schema.Attributes {
		attr, ok := content.Attributes[a.Name]
		if !ok {
			if a.Default != nil {
				values[a.Name] = a.Default
			}
			continue
		}
		ranges[a.Name] = attr.Expr.Range()
		v, d := decodeSchemaValue(attr, a, ctx)
		diags = append(diags, d...)
		if !d.HasErrors() {
			values[a.Name] = v
		}
	}
	cfg, err := plugin.NewConfig(values)
	if err != nil {
		diags = diags.Append(internalError(body.MissingItemRange(), err))
	}
	return cfg, ranges, diags
}

// attributeTypes maps schema types to the cty types they are decoded as.
var attributeTypes = map[plugin.AttributeType]cty.Type{
	plugin.TypeString:      cty.String,
	plugin.TypeNumber:      cty.Number,
	plugin.TypeBool:        cty.Bool,
	plugin.TypeDuration:    cty.String,
	plugin.TypeListString:  cty.List(cty.String),
	plugin.TypeMapOfString: cty.Map(cty.String),
}

// decodeSchemaValue decodes one attribute into the Go value plugin.Config
// holds for its type.
func decodeSchemaValue(attr *hcl.Attribute, a plugin.Attribute, ctx *hcl.EvalContext) (any, hcl.Diagnostics) {
	v, diags := evalAttr(attr, ctx, attributeTypes[a.Type], a.Sensitive)
	if diags.HasErrors() {
		return nil, diags
	}
	switch a.Type {
	case plugin.TypeNumber:
		n, d := attrWholeNumber(attr, v)
		return n, append(diags, d...)
	case plugin.TypeBool:
		return v.True(), diags
	case plugin.TypeDuration:
		if _, err := time.ParseDuration(v.AsString()); err != nil {
			return nil, diags.Append(&hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Invalid duration",
				Detail:   fmt.Sprintf("The argument %q must be a duration such as \"30s\", \"1m30s\" or \"500ms\".", attr.Name),
				Subject:  attr.Expr.Range().Ptr(),
			})
		}
		return v.AsString(), diags
	case plugin.TypeListString:
		var l []string
		d := goValue(attr, v, &l)
		return l, append(diags, d...)
	case plugin.TypeMapOfString:
		var m map[string]string
		d := goValue(attr, v, &m)
		return m, append(diags, d...)
	}
	if a.Sensitive && v.AsString() == "" {
		return nil, diags.Append(emptySecretAt(attr.Name, attr.Expr.Range()))
	}
	return v.AsString(), diags
}

// goValue converts an already type-checked value to Go.
func goValue(attr *hcl.Attribute, v cty.Value, dst any) hcl.Diagnostics {
	if err := gocty.FromCtyValue(v, dst); err != nil {
		return hcl.Diagnostics{internalError(attr.Expr.Range(), err)}
	}
	return nil
}
