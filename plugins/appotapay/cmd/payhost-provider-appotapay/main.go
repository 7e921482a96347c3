// Command payhost-provider-appotapay is the AppotaPay provider plugin.
// payhost starts it; it is not run by hand.
package main

import (
	"github.com/payhost/payhost/plugin"
	"github.com/payhost/payhost/plugins/appotapay"
)

func main() {
	plugin.Serve(appotapay.New())
}
