// Command payhost-provider-reddot is the Red Dot Payment provider plugin
// of payhost; the host starts it, it is not run by hand.
package main

import (
	"github.com/payhost/payhost/plugin"
	"github.com/payhost/payhost/plugins/reddot"
)

func main() { plugin.Serve(reddot.New()) }
