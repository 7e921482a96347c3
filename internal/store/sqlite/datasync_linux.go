package sqlite

import (
	"os"
	"syscall"
)

// datasync flushes f's data (and the metadata needed to read it back) to
// the disk: fdatasync(2), as SQLite itself syncs on Linux.
func datasync(f *os.File) error {
	for {
		err := syscall.Fdatasync(int(f.Fd()))
		if err != syscall.EINTR {
			return err
		}
	}
}
