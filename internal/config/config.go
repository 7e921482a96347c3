package config

import (
	"cmp"
	"fmt"
	"maps"
	"path/filepath"
	"slices"

	"github.com/hashicorp/hcl/v2"
)

// Config is a whole payhost configuration: every file of a directory,
// decoded, merged and checked.
type Config struct {
	// Dir is the configuration's directory: relative paths (plugin_dir,
	// the sqlite path, file()) are resolved against it.
	Dir string
	// Host is the payhost block, or its defaults.
	Host *Host
	// Store is the store block, or the default sqlite store.
	Store *Store
	// Providers are the provider instances by address ("type.name").
	Providers map[string]*Provider
	// Merchants are the merchants by id.
	Merchants map[string]*Merchant

	// ctx evaluates attributes outside when (functions, env, file).
	ctx *hcl.EvalContext
	// files are the parsed files, for diagnostics.
	files map[string]*hcl.File
}

var rootSchema = &hcl.BodySchema{
	Blocks: []hcl.BlockHeaderSchema{
		{Type: "payhost"},
		{Type: "store", LabelNames: []string{"type"}},
		{Type: "provider", LabelNames: []string{"type", "name"}},
		{Type: "merchant", LabelNames: []string{"id"}},
	},
}

func newConfig(dir string, ctx *hcl.EvalContext) *Config {
	return &Config{
		Dir:       dir,
		Host:      defaultHost(),
		Providers: map[string]*Provider{},
		Merchants: map[string]*Merchant{},
		ctx:       ctx,
		files:     map[string]*hcl.File{},
	}
}

// addFile decodes the blocks of one file into c.
func (c *Config) addFile(body hcl.Body) hcl.Diagnostics {
	content, diags := bodyContent(body, rootSchema)
	for _, block := range content.Blocks {
		switch block.Type {
		case "payhost":
			h, d := decodeHostBlock(block, c.ctx)
			diags = append(diags, d...)
			if c.Host.DeclRange != (hcl.Range{}) {
				diags = diags.Append(duplicate("Duplicate payhost block", "A payhost block", c.Host.DeclRange, block.DefRange,
					"A configuration has one payhost block; merge them."))
				continue
			}
			c.Host = h
		case "store":
			s, d := decodeStoreBlock(block, c.ctx)
			diags = append(diags, d...)
			if c.Store != nil {
				diags = diags.Append(duplicate("Duplicate store block", "A store", c.Store.DeclRange, block.DefRange,
					"payhost keeps its state in one store; remove one of them."))
				continue
			}
			c.Store = s
		case "provider":
			p, d := decodeProviderBlock(block)
			diags = append(diags, d...)
			if prev, ok := c.Providers[p.Addr()]; ok {
				diags = diags.Append(duplicate("Duplicate provider", fmt.Sprintf("Provider %q %q", p.Type, p.Name), prev.DeclRange, p.NameRange,
					"Each provider instance needs its own name; rename one of them."))
				continue
			}
			c.Providers[p.Addr()] = p
		case "merchant":
			m, d := decodeMerchantBlock(block, c.ctx)
			diags = append(diags, d...)
			if prev, ok := c.Merchants[m.ID]; ok {
				diags = diags.Append(duplicate("Duplicate merchant", fmt.Sprintf("Merchant %q", m.ID), prev.DeclRange, m.IDRange,
					"Merchant ids must be unique; rename one of them, or merge the blocks."))
				continue
			}
			c.Merchants[m.ID] = m
		}
	}
	return diags
}

// finish applies defaults and resolves paths once every file is decoded,
// and runs the checks that span blocks.
func (c *Config) finish() hcl.Diagnostics {
	if c.Store == nil {
		c.Store = &Store{Type: StoreSQLite, Path: DefaultSQLitePath}
	}
	if c.Store.Type == StoreSQLite {
		c.Store.Path = c.resolve(c.Store.Path)
	}
	if c.Host.PluginDir != "" {
		c.Host.PluginDir = c.resolve(c.Host.PluginDir)
	}
	diags := c.checkReferences()
	return append(diags, c.checkAPIKeys()...)
}

// resolve makes a relative path relative to the configuration's directory.
func (c *Config) resolve(p string) string {
	if filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(c.Dir, p)
}

// checkReferences reports routes that reference providers not declared.
func (c *Config) checkReferences() hcl.Diagnostics {
	var diags hcl.Diagnostics
	addrs := make([]string, 0, len(c.Providers))
	for _, p := range c.providersInOrder() {
		addrs = append(addrs, "provider."+p.Addr())
	}
	for _, m := range c.merchantsInOrder() {
		for _, r := range m.Routes {
			for _, ref := range r.Targets() {
				if ref.Type == "" || c.Providers[ref.Addr()] != nil {
					continue
				}
				diags = diags.Append(&hcl.Diagnostic{
					Severity: hcl.DiagError,
					Summary:  "Reference to undeclared provider",
					Detail: fmt.Sprintf("There is no provider %q %q block.%s Declare the instance, or fix the reference.",
						ref.Type, ref.Name, didYouMean(ref.String(), addrs)),
					Subject: ref.Range.Ptr(),
				})
			}
		}
	}
	return diags
}

// checkAPIKeys refuses an API key used twice, by one merchant or two: a key
// must identify exactly one merchant.
func (c *Config) checkAPIKeys() hcl.Diagnostics {
	type use struct {
		merchant string
		rng      hcl.Range
	}
	var diags hcl.Diagnostics
	seen := map[string]use{}
	for _, m := range c.merchantsInOrder() {
		for _, k := range m.APIKeys {
			if first, ok := seen[k.Key.Reveal()]; ok {
				diags = diags.Append(&hcl.Diagnostic{
					Severity: hcl.DiagError,
					Summary:  "Duplicate API key",
					Detail: fmt.Sprintf("This API key is already a key of merchant %q (at %s). A key must identify one merchant; generate a new one.",
						first.merchant, first.rng),
					Subject: k.Range.Ptr(),
				})
				continue
			}
			seen[k.Key.Reveal()] = use{merchant: m.ID, rng: k.Range}
		}
	}
	return diags
}

// providersInOrder returns the providers in declaration order.
func (c *Config) providersInOrder() []*Provider {
	return inDeclOrder(c.Providers, func(p *Provider) hcl.Range { return p.DeclRange })
}

// merchantsInOrder returns the merchants in declaration order.
func (c *Config) merchantsInOrder() []*Merchant {
	return inDeclOrder(c.Merchants, func(m *Merchant) hcl.Range { return m.DeclRange })
}

func inDeclOrder[T any](m map[string]T, rng func(T) hcl.Range) []T {
	return slices.SortedFunc(maps.Values(m), func(a, b T) int {
		ra, rb := rng(a), rng(b)
		return cmp.Or(cmp.Compare(ra.Filename, rb.Filename), cmp.Compare(ra.Start.Byte, rb.Start.Byte))
	})
}
