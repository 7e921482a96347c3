// Package command implements the payhost CLI (github.com/hashicorp/cli):
// one file per command, each registering itself with register in an init
// function, so that commands are added without touching a shared list.
//
// It owns flag parsing, output and exit codes; the work itself belongs to
// the packages the commands call (config, pluginhost, routing, host,
// sandbox). cmd/payhost only calls Run.
package command
