package command

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/hashicorp/cli"
	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/hcl/v2"

	"github.com/payhost/payhost/internal/config"
	"github.com/payhost/payhost/internal/pluginhost"
	"github.com/payhost/payhost/plugin"
)

func init() {
	register("providers", func(m Meta) cli.Command { return &providersCommand{Meta: m} })
}

type providersCommand struct {
	Meta
}

func (c *providersCommand) Synopsis() string {
	return "List provider plugins: version, protocol, capabilities, configuration"
}

func (c *providersCommand) Help() string {
	return strings.TrimSpace(`
Usage: payhost providers [-config PATH] [-plugin-dir DIR] [-json]

  Finds the plugin of every provider type the configuration declares,
  starts each once to read what it says about itself, and lists its
  version, plugin protocol, capabilities and configuration schema
  (sensitive attributes marked). When payhost.lock.hcl exists beside the
  configuration, each plugin also says whether payhost serve would launch
  it: locked, not locked, or changed since it was locked.

  Plugins are files named payhost-provider-<type>, found in plugin_dir,
  then in each directory of $PAYHOST_PLUGIN_PATH, then beside payhost.
  Without -config and without configuration files in the current
  directory, every plugin found is listed.

Options:

  -config=PATH      Configuration file or directory (default: the current directory).
  -plugin-dir=DIR   Look for plugins here first, instead of the configured plugin_dir.
  -json             Print JSON instead of text.
`) + "\n"
}

func (c *providersCommand) Run(args []string) int {
	fs := flag.NewFlagSet("providers", flag.ContinueOnError)
	fs.SetOutput(c.Stderr)
	configPath := fs.String("config", ".", "configuration file or directory")
	pluginDir := fs.String("plugin-dir", "", "directory searched for plugins first")
	asJSON := fs.Bool("json", false, "print JSON")
	if err := fs.Parse(args); err != nil {
		return 1
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(c.Stderr, "payhost providers takes no arguments, got %q\n", fs.Args())
		return 1
	}
	sel, ok := c.selectPlugins(*configPath, *pluginDir, isFlagSet(fs, "config"))
	if !ok {
		return 1
	}
	var lock *pluginhost.LockFile
	if sel.types != nil {
		var diags hcl.Diagnostics
		sources := &config.Config{}
		if lock, diags = readLockFile(pluginhost.LockFilePath(*configPath), sources); diags.HasErrors() {
			_ = sources.WriteDiagnostics(c.Stderr, diags, diagnosticsWidth)
			return 1
		}
	}
	h := pluginhost.New(pluginhost.Options{Logger: cliLogger(c.Stderr)})
	defer h.Close()
	infos, errs := inspectPlugins(context.Background(), h, sel.dirs, sel.types)
	var err error
	if *asJSON {
		err = writeProvidersJSON(c.Stdout, infos, lock)
	} else {
		err = writeProvidersText(c.Stdout, infos, sel.dirs, lock)
	}
	if err != nil {
		fmt.Fprintf(c.Stderr, "Error: %s\n", err)
		return 1
	}
	return reportErrors(c.Stderr, errs)
}

// pluginSelection is what a command works on: the provider types (nil for
// every plugin found) and the directories to find their plugins in.
type pluginSelection struct {
	types []string
	dirs  []string
}

// selectPlugins reads the configuration at configPath for its plugin_dir
// and provider types; a non-empty pluginDir wins over plugin_dir. Without
// configuration files in the current directory and configRequired false,
// it selects every plugin found. Missing environment variables are no
// error here: finding plugins needs no secrets. It prints diagnostics and
// reports false when the configuration has errors.
func (m Meta) selectPlugins(configPath, pluginDir string, configRequired bool) (pluginSelection, bool) {
	if !configRequired && !hasConfigFiles(configPath) {
		return pluginSelection{dirs: pluginhost.SearchDirs(pluginDir)}, true
	}
	cfg, diags := config.Load(configPath, nil)
	diags = withoutMissingEnv(diags)
	if len(diags) > 0 {
		cfg.WriteDiagnostics(m.Stderr, diags, 78)
	}
	if diags.HasErrors() {
		return pluginSelection{}, false
	}
	if pluginDir == "" {
		pluginDir = cfg.Host.PluginDir
	}
	types := []string{} // not nil: only what the configuration declares
	for _, p := range cfg.Providers {
		if !slices.Contains(types, p.Type) {
			types = append(types, p.Type)
		}
	}
	slices.Sort(types)
	return pluginSelection{types: types, dirs: pluginhost.SearchDirs(pluginDir)}, true
}

// missingEnvSummary is the summary of config's diagnostic for env() of a
// variable that is not set.
const missingEnvSummary = "Missing environment variable"

func withoutMissingEnv(diags hcl.Diagnostics) hcl.Diagnostics {
	var out hcl.Diagnostics
	for _, d := range diags {
		if d.Summary != missingEnvSummary {
			out = append(out, d)
		}
	}
	return out
}

// hasConfigFiles reports whether path is a file, or a directory holding
// configuration files (*.hcl and *.hcl.json other than the lock file).
func hasConfigFiles(path string) bool {
	fi, err := os.Stat(path)
	if err != nil || !fi.IsDir() {
		return err == nil
	}
	for _, pattern := range []string{"*.hcl", "*.hcl.json"} {
		matches, _ := filepath.Glob(filepath.Join(path, pattern))
		for _, m := range matches {
			if filepath.Base(m) != pluginhost.LockFileName {
				return true
			}
		}
	}
	return false
}

// inspectPlugins starts the plugin of each provider type once, found in
// dirs, and returns what each said about itself, sorted by type, and an
// error for each plugin that could not be read. Nil types means every
// plugin found in dirs.
func inspectPlugins(ctx context.Context, h *pluginhost.Host, dirs, types []string) ([]pluginhost.Info, []error) {
	if types == nil {
		found, err := pluginhost.FindAll(dirs)
		if err != nil {
			return nil, []error{err}
		}
		for _, p := range found {
			types = append(types, p.Type)
		}
	}
	catalog := pluginhost.NewCatalog(h, dirs, nil)
	var infos []pluginhost.Info
	var errs []error
	for _, typ := range types {
		info, err := catalog.Info(ctx, typ)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		infos = append(infos, info)
	}
	return infos, errs
}

// reportErrors prints errs and returns the exit code: 1 with errors.
func reportErrors(w io.Writer, errs []error) int {
	for _, err := range errs {
		fmt.Fprintf(w, "Error: %s\n", err)
	}
	if len(errs) > 0 {
		return 1
	}
	return 0
}

// cliLogger shows plugin logs on w when $PAYHOST_LOG_LEVEL asks for them.
func cliLogger(w io.Writer) hclog.Logger {
	level := os.Getenv(pluginhost.LogLevelEnv)
	if level == "" {
		return nil
	}
	return hclog.New(&hclog.LoggerOptions{Name: "payhost", Level: hclog.LevelFromString(level), Output: w})
}

func isFlagSet(fs *flag.FlagSet, name string) bool {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}

// lockStatus says whether lock allows info's binary: "locked",
// "not_locked" or "changed"; empty without a lock file.
func lockStatus(lock *pluginhost.LockFile, info pluginhost.Info) string {
	if lock == nil {
		return ""
	}
	err := lock.Check(info.Plugin)
	if _, ok := errors.AsType[*pluginhost.NotLockedError](err); ok {
		return "not_locked"
	}
	if err != nil {
		return "changed"
	}
	return "locked"
}

// lockText is how the text listing shows a lock status.
var lockText = map[string]string{
	"locked":     "locked in " + pluginhost.LockFileName,
	"not_locked": "not locked; run \"payhost init\" before payhost serve",
	"changed":    "changed since " + pluginhost.LockFileName + " locked it; payhost serve refuses it until \"payhost init\" locks it again",
}

func writeProvidersText(w io.Writer, infos []pluginhost.Info, dirs []string, lock *pluginhost.LockFile) error {
	if len(infos) == 0 {
		fmt.Fprintf(w, "No provider plugins found. Searched:\n  %s\n", strings.Join(dirs, "\n  "))
		return nil
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for i, info := range infos {
		if i > 0 {
			fmt.Fprintln(tw)
		}
		fmt.Fprintf(tw, "%s v%s (plugin protocol %d)\n", info.Type, info.Version, info.Protocol)
		if info.Description != "" {
			fmt.Fprintf(tw, "  %s\n", info.Description)
		}
		fmt.Fprintf(tw, "  binary:\t%s\n", info.Plugin.Path)
		fmt.Fprintf(tw, "  sha256:\t%x\n", info.Plugin.Checksum)
		if st := lockStatus(lock, info); st != "" {
			fmt.Fprintf(tw, "  lock:\t%s\n", lockText[st])
		}
		fmt.Fprintf(tw, "  operations:\t%s\n", joinOr(info.Capabilities.Operations, "none"))
		fmt.Fprintf(tw, "  methods:\t%s\n", joinOr(info.Capabilities.Methods, "none"))
		fmt.Fprintf(tw, "  currencies:\t%s\n", joinOr(info.Capabilities.Currencies, "any"))
		fmt.Fprintf(tw, "  configuration:\n")
		if len(info.Schema.Attributes) == 0 {
			fmt.Fprintf(tw, "    (no attributes)\n")
		}
		for _, a := range info.Schema.Attributes {
			fmt.Fprintf(tw, "    %s\t%s\t%s\t%s\n", a.Name, a.Type, attributeFlags(a), a.Description)
		}
	}
	return tw.Flush()
}

func joinOr[T ~string](items []T, none string) string {
	if len(items) == 0 {
		return none
	}
	s := make([]string, len(items))
	for i, item := range items {
		s[i] = string(item)
	}
	return strings.Join(s, ", ")
}

// attributeFlags describes an attribute's requirement, sensitivity and
// default; a sensitive default is never shown.
func attributeFlags(a plugin.Attribute) string {
	var flags []string
	switch {
	case a.Required:
		flags = append(flags, "required")
	case a.Default != nil && a.Sensitive:
		flags = append(flags, "optional, has a default")
	case a.Default != nil:
		flags = append(flags, "optional, default "+formatDefault(a.Default))
	default:
		flags = append(flags, "optional")
	}
	if a.Sensitive {
		flags = append(flags, "sensitive")
	}
	return strings.Join(flags, ", ")
}

// formatDefault prints a default value as it would be written in HCL.
func formatDefault(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

// providerJSON is one plugin in `payhost providers -json`.
type providerJSON struct {
	Type        string `json:"type"`
	Version     string `json:"version"`
	Protocol    int    `json:"protocol"`
	Description string `json:"description,omitempty"`
	Path        string `json:"path"`
	SHA256      string `json:"sha256"`
	// Lock is whether payhost.lock.hcl allows the binary: locked,
	// not_locked or changed; absent without a lock file.
	Lock         string          `json:"lock,omitempty"`
	Capabilities capabilityJSON  `json:"capabilities"`
	Attributes   []attributeJSON `json:"attributes"`
}

type capabilityJSON struct {
	Operations []plugin.Operation     `json:"operations"`
	Methods    []plugin.PaymentMethod `json:"methods"`
	// Currencies is empty when the provider takes any currency.
	Currencies []string `json:"currencies"`
}

type attributeJSON struct {
	Name        string               `json:"name"`
	Type        plugin.AttributeType `json:"type"`
	Required    bool                 `json:"required"`
	Sensitive   bool                 `json:"sensitive"`
	Default     any                  `json:"default,omitempty"`
	Description string               `json:"description,omitempty"`
}

func writeProvidersJSON(w io.Writer, infos []pluginhost.Info, lock *pluginhost.LockFile) error {
	out := struct {
		FormatVersion string         `json:"format_version"`
		Providers     []providerJSON `json:"providers"`
	}{FormatVersion: "1.0", Providers: []providerJSON{}}
	for _, info := range infos {
		p := providerJSON{
			Type: info.Type, Version: info.Version, Protocol: info.Protocol, Description: info.Description,
			Path: info.Plugin.Path, SHA256: fmt.Sprintf("%x", info.Plugin.Checksum), Lock: lockStatus(lock, info),
			Capabilities: capabilityJSON{
				Operations: nonNil(info.Capabilities.Operations),
				Methods:    nonNil(info.Capabilities.Methods),
				Currencies: nonNil(info.Capabilities.Currencies),
			},
			Attributes: []attributeJSON{},
		}
		for _, a := range info.Schema.Attributes {
			aj := attributeJSON{Name: a.Name, Type: a.Type, Required: a.Required, Sensitive: a.Sensitive, Description: a.Description}
			if !a.Sensitive {
				aj.Default = a.Default
			}
			p.Attributes = append(p.Attributes, aj)
		}
		out.Providers = append(out.Providers, p)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

// nonNil makes an empty list print as [] rather than null.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
