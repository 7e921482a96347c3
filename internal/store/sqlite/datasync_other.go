//go:build !linux

package sqlite

import "os"

// datasync flushes f to the disk (fsync(2); on macOS, F_FULLFSYNC).
func datasync(f *os.File) error { return f.Sync() }
