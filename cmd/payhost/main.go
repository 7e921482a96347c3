// Command payhost is the payment gateway host: it validates and formats
// configuration, finds and locks provider plugins, serves the payment API
// and runs the gateway emulators. See `payhost -help`.
package main

import (
	"os"

	"github.com/payhost/payhost/internal/command"
)

func main() {
	os.Exit(command.Run(os.Args[1:]))
}
