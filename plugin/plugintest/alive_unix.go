//go:build unix

package plugintest

import (
	"errors"
	"syscall"
)

// processAlive reports whether a process with id pid exists (one of
// another user counts).
func processAlive(pid int) bool {
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}
