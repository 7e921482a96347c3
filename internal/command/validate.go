package command

import (
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"strings"

	"github.com/hashicorp/cli"
	"github.com/hashicorp/hcl/v2"

	"github.com/payhost/payhost/internal/config"
	"github.com/payhost/payhost/internal/pluginhost"
)

func init() {
	register("validate", func(m Meta) cli.Command { return &validateCommand{Meta: m} })
}

type validateCommand struct {
	Meta
}

func (c *validateCommand) Synopsis() string { return "Check the configuration" }

func (c *validateCommand) Help() string {
	return strings.TrimSpace(`
Usage: payhost validate [-config PATH] [-plugin-dir DIR] [-json]

  Reads the configuration and checks it: every block and attribute, every
  reference, every route. Each provider block is decoded against the
  schema its plugin declares (each plugin is started once to read it), and
  each route is checked against what its providers can do.

  Once payhost init has written payhost.lock.hcl, each plugin must be the
  binary it locks, as payhost serve requires: a plugin that changed since,
  or whose provider type the lock file does not name, is an error and is
  not started. Before payhost init, every plugin found is used.

  Every problem is printed with its file, line and column, the source
  line, and how to fix it; values of sensitive attributes are masked.
  payhost validate exits 1 when there is an error; warnings do not fail it.

  Environment variables read with env() must be set, as for payhost serve.

  With -json, the result is printed to stdout as JSON in the format of
  terraform validate -json (format_version "1.0": valid, error_count,
  warning_count, and each diagnostic's severity, summary, detail, range
  and masked snippet), and nothing else is printed; the exit status is
  the same.

Options:

  -config=PATH      Configuration file or directory (default: the current directory).
  -plugin-dir=DIR   Look for plugins here first, instead of the configured plugin_dir.
  -json             Print the result as JSON.
`) + "\n"
}

func (c *validateCommand) Run(args []string) int {
	fs := flag.NewFlagSet("validate", flag.ContinueOnError)
	fs.SetOutput(c.Stderr)
	configPath := fs.String("config", ".", "configuration file or directory")
	pluginDir := fs.String("plugin-dir", "", "directory searched for plugins first")
	asJSON := fs.Bool("json", false, "print the result as JSON")
	if err := fs.Parse(args); err != nil {
		return 1
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(c.Stderr, "payhost validate takes no arguments, got %q\n", fs.Args())
		return 1
	}
	cfg, diags := c.loadWithPlugins(*configPath, *pluginDir)
	if *asJSON {
		if err := cfg.WriteValidation(c.Stdout, diags); err != nil {
			fmt.Fprintf(c.Stderr, "Error: %s\n", err)
			return 1
		}
		if diags.HasErrors() {
			return 1
		}
		return 0
	}
	if len(diags) > 0 {
		if err := cfg.WriteDiagnostics(c.Stderr, diags, diagnosticsWidth); err != nil {
			fmt.Fprintf(c.Stderr, "Error: %s\n", err)
			return 1
		}
	}
	switch {
	case diags.HasErrors():
		return 1
	case len(diags) > 0:
		fmt.Fprintln(c.Stdout, "Success! The configuration is valid, but there were some warnings.")
	default:
		fmt.Fprintln(c.Stdout, "Success! The configuration is valid.")
	}
	return 0
}

// diagnosticsWidth is the width configuration diagnostics are wrapped at.
const diagnosticsWidth = 78

// openSchemaSource returns where the schemas of cfg's provider plugins come
// from, and how to release it: the plugins found in pluginDir (when set,
// else the configured plugin_dir), $PAYHOST_PLUGIN_PATH and beside payhost,
// each started once, and only when lock (when not nil) allows the binary.
// Tests replace it with static schemas.
var openSchemaSource = func(m Meta, cfg *config.Config, pluginDir string, lock *pluginhost.LockFile) (config.SchemaSource, func()) {
	if pluginDir == "" {
		pluginDir = cfg.Host.PluginDir
	}
	h := pluginhost.New(pluginhost.Options{Logger: cliLogger(m.Stderr)})
	return pluginhost.NewCatalog(h, pluginhost.SearchDirs(pluginDir), lock), func() { _ = h.Close() }
}

// LoadConfig loads the configuration at path and decodes its provider
// blocks against their plugins' schemas (plugins looked for in pluginDir
// first), as payhost validate and serve do; m.Stderr gets the plugins'
// logs. When the configuration has errors, the error holds its
// diagnostics as payhost validate prints them. The bench program
// (./bench) uses it to start a host of its own.
func (m Meta) LoadConfig(path, pluginDir string) (*config.Config, error) {
	cfg, diags := m.loadWithPlugins(path, pluginDir)
	if diags.HasErrors() {
		var b strings.Builder
		_ = cfg.WriteDiagnostics(&b, diags, diagnosticsWidth)
		return nil, errors.New(strings.TrimRight(b.String(), "\n"))
	}
	return cfg, nil
}

// loadWithPlugins loads the configuration at path and decodes its provider
// blocks against their plugins' schemas. Once payhost init has written the
// configuration's lock file, a plugin binary it does not lock is an error
// and is not started, as payhost serve would refuse it; before, every
// plugin found is used.
func (m Meta) loadWithPlugins(path, pluginDir string) (*config.Config, hcl.Diagnostics) {
	cfg, diags := config.Load(path, nil)
	if len(cfg.Providers) == 0 {
		return cfg, diags
	}
	lock, lockDiags := readLockFile(pluginhost.LockFilePath(path), cfg)
	if diags = append(diags, lockDiags...); lockDiags.HasErrors() {
		return cfg, diags
	}
	src, release := openSchemaSource(m, cfg, pluginDir, lock)
	defer release()
	return cfg, append(diags, cfg.DecodeProviders(src)...)
}

// readLockFile reads the lock file at path: nil when there is none (payhost
// init has not run), and an error diagnostic when it cannot be read. The
// source of a lock file that does not parse is added to cfg, for its
// diagnostics to show their lines.
func readLockFile(path string, cfg *config.Config) (*pluginhost.LockFile, hcl.Diagnostics) {
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	lock, err := pluginhost.ReadLockFile(path)
	if diags, ok := errors.AsType[hcl.Diagnostics](err); ok {
		if src, err := os.ReadFile(path); err == nil {
			cfg.AddSource(path, src)
		}
		return nil, diags
	}
	if err != nil {
		return nil, hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Cannot read the lock file",
			Detail:   fmt.Sprintf("%s: %s. Fix its permissions, or run \"payhost init\" to write it again.", path, err),
		}}
	}
	return lock, nil
}
