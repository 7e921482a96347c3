package pluginhost

import "syscall"

// sysProcAttr makes the kernel SIGKILL a plugin when the host dies, even by
// SIGKILL, so that no plugin outlives its host.
//
// The signal is tied to the thread that started the plugin; Go only ends
// threads whose goroutine locked them, and plugins are never started from
// such a goroutine.
func sysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
