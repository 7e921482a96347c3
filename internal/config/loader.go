package config

import (
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/json"
)

// LockFileName is the lock file payhost init writes beside the
// configuration; it is not part of the configuration.
const LockFileName = "payhost.lock.hcl"

// Loader loads configurations. The zero Loader reads environment variables
// with os.LookupEnv and leaves provider blocks undecoded.
type Loader struct {
	// Schemas, when set, gives the plugins' schemas and capabilities: every
	// provider block is decoded against its plugin's schema and routes are
	// checked against what their providers can do (see DecodeProviders).
	Schemas SchemaSource
	// LookupEnv reads environment variables for env(); nil means
	// os.LookupEnv.
	LookupEnv func(name string) (string, bool)
}

// Load loads the configuration at path (a file, or a directory of *.hcl and
// *.hcl.json files) and decodes its provider blocks with schemas (nil to
// leave them for DecodeProviders). The Config is never nil: with errors it
// holds what could be decoded, and its WriteDiagnostics prints diags.
func Load(path string, schemas SchemaSource) (*Config, hcl.Diagnostics) {
	return Loader{Schemas: schemas}.Load(path)
}

// Load is the package's Load with l's options.
func (l Loader) Load(path string) (*Config, hcl.Diagnostics) {
	names, dir, diags := configFiles(path)
	sources := make(map[string][]byte, len(names))
	for _, name := range names {
		b, err := os.ReadFile(name)
		if err != nil {
			diags = diags.Append(&hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Failed to read configuration file",
				Detail:   fmt.Sprintf("payhost cannot read %s: %s.", name, err),
			})
			continue
		}
		sources[name] = b
	}
	cfg, d := l.LoadSources(dir, sources)
	return cfg, append(diags, d...)
}

// LoadSources loads a configuration held in memory: sources maps file names
// to contents (names ending in .json use HCL's JSON syntax), read in name
// order; relative paths resolve against dir.
func (l Loader) LoadSources(dir string, sources map[string][]byte) (*Config, hcl.Diagnostics) {
	lookupEnv := l.LookupEnv
	if lookupEnv == nil {
		lookupEnv = os.LookupEnv
	}
	cfg := newConfig(dir, &hcl.EvalContext{Functions: functions(dir, lookupEnv)})
	// Every file is parsed first: when one does not parse, only the syntax
	// errors are reported, since decoding what parsed would report
	// consequences of them (missing blocks, undeclared providers).
	var diags hcl.Diagnostics
	var bodies []hcl.Body
	for _, name := range slices.Sorted(maps.Keys(sources)) {
		f, d := parseFile(name, sources[name])
		diags = append(diags, d...)
		if f != nil && f.Body != nil {
			cfg.files[name] = f
			bodies = append(bodies, f.Body)
		}
	}
	if !diags.HasErrors() {
		for _, body := range bodies {
			diags = append(diags, cfg.addFile(body)...)
		}
	}
	diags = append(diags, cfg.finish()...)
	if l.Schemas != nil {
		diags = append(diags, cfg.DecodeProviders(l.Schemas)...)
	}
	return cfg, diags
}

// ParseFile only checks the syntax of one file (payhost fmt formats only
// files that parse). The Config it returns holds nothing but that file, so
// that its WriteDiagnostics can print the errors.
func ParseFile(filename string, src []byte) (*Config, hcl.Diagnostics) {
	cfg := newConfig(filepath.Dir(filename), nil)
	f, diags := parseFile(filename, src)
	if f != nil && f.Body != nil {
		cfg.files[filename] = f
	}
	return cfg, diags
}

// parseFile parses a file in the syntax its name says: HCL's JSON syntax
// for names ending in .json, the native syntax otherwise.
func parseFile(name string, src []byte) (*hcl.File, hcl.Diagnostics) {
	if strings.HasSuffix(name, ".json") {
		return json.Parse(src, name)
	}
	return hclsyntax.ParseConfig(src, name, hcl.InitialPos)
}

// configFiles lists the configuration files at path and the directory
// relative paths resolve against.
func configFiles(path string) ([]string, string, hcl.Diagnostics) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, path, hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Failed to read configuration",
			Detail:   fmt.Sprintf("payhost cannot read %s: %s. Pass -config with a configuration file, or a directory of .hcl files.", path, unwrapPathError(err)),
		}}
	}
	if !st.IsDir() {
		return []string{path}, filepath.Dir(path), nil
	}
	entries, err := os.ReadDir(path)
	if err != nil {
		return nil, path, hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Failed to read configuration directory",
			Detail:   fmt.Sprintf("payhost cannot list %s: %s.", path, unwrapPathError(err)),
		}}
	}
	var names []string
	for _, e := range entries {
		if !e.IsDir() && isConfigFile(e.Name()) {
			names = append(names, filepath.Join(path, e.Name()))
		}
	}
	if len(names) == 0 {
		return nil, path, hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "No configuration files",
			Detail:   fmt.Sprintf("%s has no .hcl or .hcl.json files. Write the configuration there, or pass -config with its path.", path),
		}}
	}
	return names, path, nil
}

// isConfigFile reports whether a directory entry is part of the
// configuration: *.hcl and *.hcl.json, except the lock file and the hidden
// and backup files editors leave, as Terraform ignores them.
func isConfigFile(name string) bool {
	switch {
	case name == LockFileName,
		strings.HasPrefix(name, "."),
		strings.HasSuffix(name, "~"),
		strings.HasPrefix(name, "#") && strings.HasSuffix(name, "#"):
		return false
	}
	return strings.HasSuffix(name, ".hcl") || strings.HasSuffix(name, ".hcl.json")
}

func unwrapPathError(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err
	}
	return err
}
