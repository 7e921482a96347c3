package faultprovider

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/hashicorp/go-hclog"

	"github.com/payhost/payhost/plugin"
)

// The environment variables the fault plugin reads when it starts.
const (
	// EnvStdout: text the plugin prints on stdout before its handshake.
	EnvStdout = "PAYHOST_PLUGIN_FAULT_STDOUT"
	// EnvProtocol: a protocol version the plugin announces in a handshake
	// line of its own instead of serving; it then waits to be killed.
	EnvProtocol = "PAYHOST_PLUGIN_FAULT_PROTOCOL"
	// EnvSilent: "1" makes the plugin never handshake; it waits to be
	// killed.
	EnvSilent = "PAYHOST_PLUGIN_FAULT_SILENT"
	// EnvEcho: "1" serves the echo fixtures instead of the fault gateway.
	EnvEcho = "PAYHOST_PLUGIN_FAULT_ECHO"
	// EnvState: the file holding the payment table (Options.StatePath).
	EnvState = "PAYHOST_PLUGIN_FAULT_STATE"
	// EnvCallLog: the file recording every call (Options.CallLogPath).
	EnvCallLog = "PAYHOST_PLUGIN_FAULT_CALL_LOG"
)

// BinaryName is the fault plugin's file name as Build builds it. A copy
// under another name payhost-provider-<type> is a provider of that type.
const BinaryName = "payhost-provider-fault"

// Main is the fault plugin's main: it applies the start-up faults the
// environment selects, then serves the fault gateway (or the echo
// fixtures) with plugin.Serve. The provider type is the binary's name
// without "payhost-provider-".
func Main() {
	if s := os.Getenv(EnvStdout); s != "" {
		fmt.Println(s)
	}
	if v := os.Getenv(EnvProtocol); v != "" {
		// go-plugin's handshake line: core version|app version|network|address|protocol
		fmt.Printf("1|%s|unix|%s|grpc|\n", v, filepath.Join(os.TempDir(), "payhost-fault-never-listens.sock"))
		waitToBeKilled()
	}
	if os.Getenv(EnvSilent) == "1" {
		waitToBeKilled()
	}
	if os.Getenv(EnvEcho) == "1" {
		plugin.Serve(echo{})
		return
	}
	typ := strings.TrimPrefix(filepath.Base(os.Args[0]), "payhost-provider-")
	p, err := New(Options{
		Type:        typ,
		StatePath:   os.Getenv(EnvState),
		CallLogPath: os.Getenv(EnvCallLog),
		Logger: hclog.New(&hclog.LoggerOptions{
			Name:       typ,
			Level:      hclog.LevelFromString(os.Getenv("PAYHOST_LOG_LEVEL")),
			JSONFormat: true,
			Output:     os.Stderr,
		}),
	})
	if err != nil {
		fmt.Fprintf(os.Stderr, "payhost-provider-%s: %s\n", typ, err)
		os.Exit(1)
	}
	plugin.Serve(p)
}

func waitToBeKilled() {
	for {
		time.Sleep(time.Hour)
	}
}
