// Command payhost-provider-callback is the host tests' provider plugin
// with callbacks and tokens; see package callbackprovider. It is built by
// the tests and never shipped.
package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/hashicorp/go-hclog"

	"github.com/payhost/payhost/host/internal/callbackprovider"
	"github.com/payhost/payhost/internal/faultprovider"
	"github.com/payhost/payhost/plugin"
)

func main() {
	typ := strings.TrimPrefix(filepath.Base(os.Args[0]), "payhost-provider-")
	fault, err := faultprovider.New(faultprovider.Options{
		Type:        typ,
		StatePath:   os.Getenv(faultprovider.EnvState),
		CallLogPath: os.Getenv(faultprovider.EnvCallLog),
		Logger: hclog.New(&hclog.LoggerOptions{
			Name: typ, Level: hclog.LevelFromString(os.Getenv("PAYHOST_LOG_LEVEL")),
			JSONFormat: true, Output: os.Stderr,
		}),
	})
	if err != nil {
		fmt.Fprintf(os.Stderr, "payhost-provider-%s: %s\n", typ, err)
		os.Exit(1)
	}
	plugin.Serve(callbackprovider.New(fault))
}
