package command

import (
	"fmt"
	"runtime"

	"github.com/hashicorp/cli"
	"github.com/payhost/payhost/plugin"
)

func init() {
	register("version", func(m Meta) cli.Command { return &versionCommand{m} })
}

type versionCommand struct{ Meta }

func (c *versionCommand) Synopsis() string { return "Print the payhost version" }

func (c *versionCommand) Help() string {
	return "Usage: payhost version\n\n  Prints the payhost version, the plugin protocol versions it speaks, and the Go runtime.\n"
}

func (c *versionCommand) Run(args []string) int {
	if len(args) > 0 {
		fmt.Fprintf(c.Stderr, "payhost version takes no arguments\n")
		return 1
	}
	fmt.Fprintf(c.Stdout, "payhost v%s\nplugin protocol %v\n%s %s/%s\n",
		Version, plugin.SupportedProtocolVersions, runtime.Version(), runtime.GOOS, runtime.GOARCH)
	return 0
}
