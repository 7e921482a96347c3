// Command payhost-provider-tinypay is the tinypay provider plugin of
// payhost; payhost starts it, it is not run by hand.
package main

import (
	"github.com/payhost/payhost/plugin"

	tinypay "example.com/payhost-provider-tinypay"
)

func main() { plugin.Serve(tinypay.New()) }
