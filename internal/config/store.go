package config

import (
	"fmt"

	"github.com/hashicorp/hcl/v2"

	"github.com/payhost/payhost/plugin"
)

// The store types.
const (
	StoreSQLite   = "sqlite"
	StorePostgres = "postgres"
)

// DefaultSQLitePath is the sqlite database of a configuration without a
// store block, or with a store "sqlite" block without path.
const DefaultSQLitePath = "payhost.db"

var storeTypes = []string{StoreSQLite, StorePostgres}

// Store is the store block: where payhost keeps its state.
type Store struct {
	// Type is StoreSQLite or StorePostgres.
	Type string
	// Path is the sqlite database file, resolved against Config.Dir.
	Path string
	// DSN is the postgres connection string; it holds a password.
	DSN plugin.Secret
	// DSNRange is where the DSN was set, for errors about it.
	DSNRange hcl.Range
	// DeclRange and TypeRange are zero for the default store.
	DeclRange, TypeRange hcl.Range
}

var sqliteStoreSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{{Name: "path"}},
}

var postgresStoreSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{{Name: "dsn", Required: true}},
}

func decodeStoreBlock(block *hcl.Block, ctx *hcl.EvalContext) (*Store, hcl.Diagnostics) {
	s := &Store{Type: block.Labels[0], DeclRange: block.DefRange, TypeRange: block.LabelRanges[0]}
	switch s.Type {
	case StoreSQLite:
		s.Path = DefaultSQLitePath
		content, diags := bodyContent(block.Body, sqliteStoreSchema)
		return s, append(diags, decodeStringAttr(content, "path", ctx, &s.Path, nonEmptyCheck("path"))...)
	case StorePostgres:
		content, diags := bodyContent(block.Body, postgresStoreSchema)
		if attr, ok := content.Attributes["dsn"]; ok {
			s.DSNRange = attr.Expr.Range()
			var d hcl.Diagnostics
			s.DSN, d = evalSecret(attr, ctx)
			diags = append(diags, d...)
		}
		return s, diags
	}
	return s, hcl.Diagnostics{{
		Severity: hcl.DiagError,
		Summary:  "Unsupported store type",
		Detail:   fmt.Sprintf("payhost has no store %q.%s Use %s.", s.Type, didYouMean(s.Type, storeTypes), quotedList(storeTypes)),
		Subject:  block.LabelRanges[0].Ptr(),
	}}
}

// nonEmptyCheck refuses an empty string.
func nonEmptyCheck(name string) func(string) (string, string) {
	return func(s string) (string, string) {
		if s == "" {
			return "Empty " + name, fmt.Sprintf("The %s must not be empty; remove the argument to use the default.", name)
		}
		return "", ""
	}
}
