package command

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"strings"

	"github.com/hashicorp/cli"

	"github.com/payhost/payhost/internal/pluginhost"
)

func init() {
	register("init", func(m Meta) cli.Command { return &initCommand{Meta: m} })
}

type initCommand struct {
	Meta
}

func (c *initCommand) Synopsis() string {
	return "Find the configuration's provider plugins and lock their checksums"
}

func (c *initCommand) Help() string {
	return strings.TrimSpace(`
Usage: payhost init [-config PATH] [-plugin-dir DIR]

  Finds the plugin of every provider type the configuration declares,
  starts each once to read its version and protocol, and writes
  payhost.lock.hcl beside the configuration with the version, protocol
  and SHA-256 checksum of each plugin binary. payhost serve refuses a
  plugin whose checksum differs from the lock file.

  Running init again with the same binaries changes nothing. Run it again
  after installing, upgrading or removing a plugin.

  Environment variables the configuration reads with env() need not be
  set: init uses no secrets.

Options:

  -config=PATH      Configuration file or directory (default: the current directory).
  -plugin-dir=DIR   Look for plugins here first, instead of the configured plugin_dir.
`) + "\n"
}

func (c *initCommand) Run(args []string) int {
	fs := flag.NewFlagSet("init", flag.ContinueOnError)
	fs.SetOutput(c.Stderr)
	configPath := fs.String("config", ".", "configuration file or directory")
	pluginDir := fs.String("plugin-dir", "", "directory searched for plugins first")
	if err := fs.Parse(args); err != nil {
		return 1
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(c.Stderr, "payhost init takes no arguments, got %q\n", fs.Args())
		return 1
	}
	sel, ok := c.selectPlugins(*configPath, *pluginDir, true)
	if !ok {
		return 1
	}
	lockPath := pluginhost.LockFilePath(*configPath)
	old, err := pluginhost.ReadLockFile(lockPath)
	if err != nil {
		fmt.Fprintf(c.Stderr, "Warning: ignoring the current lock file, which is not valid: %s\n", err)
		old = &pluginhost.LockFile{}
	}

	fmt.Fprintf(c.Stdout, "Initializing provider plugins...\n")
	h := pluginhost.New(pluginhost.Options{Logger: cliLogger(c.Stderr)})
	defer h.Close()
	infos, errs := inspectPlugins(context.Background(), h, sel.dirs, sel.types)
	if len(errs) > 0 {
		fmt.Fprintf(c.Stderr, "\n%s was not written.\n", pluginhost.LockFileName)
		return reportErrors(c.Stderr, errs)
	}
	lock := &pluginhost.LockFile{}
	for _, info := range infos {
		locked := pluginhost.LockedProvider{Type: info.Type, Version: info.Version, Protocol: info.Protocol, SHA256: info.Plugin.Checksum}
		lock.Set(locked)
		before, _ := old.Provider(info.Type)
		fmt.Fprintf(c.Stdout, "- %s v%s (plugin protocol %d) at %s: %s\n", info.Type, info.Version, info.Protocol, info.Plugin.Path, lockChange(before, locked))
	}
	for _, p := range old.Providers() {
		if _, kept := lock.Provider(p.Type); !kept {
			fmt.Fprintf(c.Stdout, "- %s: removed; the configuration no longer declares it\n", p.Type)
		}
	}
	if len(infos) == 0 {
		fmt.Fprintf(c.Stdout, "The configuration declares no providers.\n")
	}
	return c.writeLock(lockPath, lock)
}

// lockChange says how a provider's lock changes from before (zero when it
// was not locked) to after.
func lockChange(before, after pluginhost.LockedProvider) string {
	switch {
	case before.Type == "":
		return fmt.Sprintf("locked (sha256:%x)", after.SHA256)
	case bytes.Equal(before.SHA256, after.SHA256) && before.Version == after.Version && before.Protocol == after.Protocol:
		return "unchanged"
	default:
		return fmt.Sprintf("updated from v%s (sha256:%x) to sha256:%x", before.Version, before.SHA256, after.SHA256)
	}
}

func (c *initCommand) writeLock(path string, lock *pluginhost.LockFile) int {
	changed, err := pluginhost.WriteLockFile(path, lock)
	if err != nil {
		fmt.Fprintf(c.Stderr, "Error: %s\n", err)
		return 1
	}
	if changed {
		fmt.Fprintf(c.Stdout, "\nWrote %s. Commit it with the configuration, so that payhost serve runs exactly these plugin binaries.\n", path)
	} else {
		fmt.Fprintf(c.Stdout, "\n%s is up to date; nothing changed.\n", path)
	}
	return 0
}
