// Command payhost-provider-redotpay is the RedotPay provider plugin. The
// payhost host starts it; started by hand it says so and exits.
package main

import (
	"github.com/payhost/payhost/plugin"
	"github.com/payhost/payhost/plugins/redotpay"
)

func main() {
	plugin.Serve(redotpay.New())
}
