// Command payhost-provider-fault is the fault-injecting test provider
// plugin; see package faultprovider. It is built by faultprovider.Build for
// tests and never shipped.
package main

import "github.com/payhost/payhost/internal/faultprovider"

func main() {
	faultprovider.Main()
}
