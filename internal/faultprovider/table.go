package faultprovider

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"

	"github.com/payhost/payhost/plugin"
)

// record is what the fault gateway keeps of one payment.
type record struct {
	Result plugin.PaymentResult
	// Faults are the payment's "fault.<operation>" metadata, applied to
	// later operations on it.
	Faults  map[string]Fault               `json:",omitempty"`
	Refunds map[string]plugin.RefundResult `json:",omitempty"`
}

// table is the fault gateway's payment table, keyed by attempt id. With a
// path it is loaded from and saved to that file, so that a restarted
// plugin still knows what happened before it crashed.
type table struct {
	path string

	mu       sync.Mutex
	Payments map[string]*record
}

// openTable loads the table at path; an empty path keeps it in memory.
func openTable(path string) (*table, error) {
	t := &table{path: path, Payments: map[string]*record{}}
	if path == "" {
		return t, nil
	}
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return t, nil
	}
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(b, t); err != nil {
		return nil, fmt.Errorf("payment table %s: %w", path, err)
	}
	return t, nil
}

// get returns a copy of the record of attemptID.
func (t *table) get(attemptID string) (record, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	r, ok := t.Payments[attemptID]
	if !ok {
		return record{}, false
	}
	return *r, true
}

// update applies change to the record of attemptID (nil when there is
// none) and stores what it returns; the file is written before update
// returns.
func (t *table) update(attemptID string, change func(r *record) (*record, error)) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	r, err := change(t.Payments[attemptID])
	if err != nil {
		return err
	}
	t.Payments[attemptID] = r
	return t.save()
}

// save writes the table to its file atomically. t.mu must be held.
func (t *table) save() error {
	if t.path == "" {
		return nil
	}
	b, err := json.Marshal(t)
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(t.path), ".faultprovider-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), t.path)
}
