package pluginhost

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
)

// Checksum returns the SHA-256 of the file at path.
func Checksum(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("cannot read plugin binary: %w", err)
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return nil, fmt.Errorf("cannot read plugin binary %s: %w", path, err)
	}
	return h.Sum(nil), nil
}

// ChecksumError reports a plugin binary whose checksum differs from the one
// in the lock file: it was replaced or changed since `payhost init`.
type ChecksumError struct {
	Path string
	// Want is the checksum in the lock file, Got the binary's.
	Want, Got []byte
}

// Error names the file, both checksums and the fix.
func (e *ChecksumError) Error() string {
	got := "unreadable"
	if e.Got != nil {
		got = "sha256:" + hex.EncodeToString(e.Got)
	}
	return fmt.Sprintf("plugin binary %s has checksum %s, but %s expects sha256:%s; "+
		"the binary changed since the lock file was written. If you installed it on purpose, run \"payhost init\" to update %s; otherwise restore the locked binary",
		e.Path, got, LockFileName, hex.EncodeToString(e.Want), LockFileName)
}

// newChecksumError describes the mismatch between p's binary and p.Checksum.
func newChecksumError(p Plugin) *ChecksumError {
	got, _ := Checksum(p.Path)
	return &ChecksumError{Path: p.Path, Want: p.Checksum, Got: got}
}
