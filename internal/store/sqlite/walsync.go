package sqlite

import (
	"fmt"
	"os"
	"sync"
)

// walSync makes the commits of a write connection running with
// synchronous=NORMAL durable, by syncing the write-ahead log file itself
// (see sqlstore.NewGrouped). SQLite appends each commit to the log with
// write(2); the sync makes the file's data, up to that point, durable, as
// SQLite's own sync at COMMIT would have (synchronous=FULL). Checkpoints
// sync the log before copying it into the database, and the database
// after, as with FULL.
//
// The log is the file beside the database with "-wal" appended; SQLite
// keeps it while any connection is open (the store's write connection
// always is), but should it ever be made anew, the file syncWAL holds open
// would be the old one: each sync checks that the name still leads to it,
// and opens it again when not.
type walSync struct {
	path string
	mu   sync.Mutex
	f    *os.File
	info os.FileInfo
}

// sync syncs the log's data.
func (s *walSync) sync() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	cur, err := os.Stat(s.path)
	if err != nil {
		return err
	}
	if s.f == nil || !os.SameFile(cur, s.info) {
		if s.f != nil {
			_ = s.f.Close()
			s.f = nil
		}
		f, err := os.OpenFile(s.path, os.O_RDWR, 0)
		if err != nil {
			return err
		}
		info, err := f.Stat()
		if err != nil {
			_ = f.Close()
			return err
		}
		s.f, s.info = f, info
	}
	if err := datasync(s.f); err != nil {
		return fmt.Errorf("%s: %w", s.path, err)
	}
	return nil
}

// close closes the log file.
func (s *walSync) close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.f == nil {
		return nil
	}
	err := s.f.Close()
	s.f = nil
	return err
}
