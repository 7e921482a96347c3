//go:build !linux

package pluginhost

import "syscall"

// sysProcAttr returns nil: outside Linux, plugin.Serve's own watch on its
// parent is what ends a plugin whose host died.
func sysProcAttr() *syscall.SysProcAttr { return nil }
