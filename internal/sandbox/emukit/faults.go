package emukit

import (
	"bytes"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"
)

// FaultKind names a failure the emulator can inject.
type FaultKind string

// The faults an emulator can inject. The first four act on the gateway's
// HTTP answers; the last two act on outbound callbacks.
const (
	FaultHTTP500           FaultKind = "http_500"
	FaultHang              FaultKind = "hang"
	FaultMalformedJSON     FaultKind = "malformed_json"
	FaultDropConnection    FaultKind = "drop_connection"
	FaultDuplicateCallback FaultKind = "duplicate_callback"
	FaultDelayCallback     FaultKind = "delay_callback"
)

// DefaultHangTime bounds a hang fault whose Delay is zero. It is far past any
// sensible client timeout, and a hang also ends when the client goes away.
const DefaultHangTime = 2 * time.Minute

// Fault is one injected failure, applied to the next Count matching calls.
type Fault struct {
	Kind FaultKind `json:"kind"`
	// Count is how many calls the fault applies to; zero means one.
	Count int `json:"count"`
	// Path limits a request fault to paths with this prefix; empty matches
	// every gateway path.
	Path string `json:"path,omitempty"`
	// DelayMS is the hang time for FaultHang (default DefaultHangTime) and
	// the delay before the first attempt for FaultDelayCallback.
	DelayMS int64 `json:"delay_ms,omitempty"`
	// After makes a request fault strike after the gateway has processed
	// the request, so that its state has moved although the client sees a
	// failure: the case a client must treat as an unknown outcome.
	After bool `json:"after,omitempty"`
}

func (f Fault) delay() time.Duration { return time.Duration(f.DelayMS) * time.Millisecond }

func (f Fault) validate() error {
	switch f.Kind {
	case FaultHTTP500, FaultHang, FaultMalformedJSON, FaultDropConnection,
		FaultDuplicateCallback, FaultDelayCallback:
	default:
		return fmt.Errorf("kind: unknown fault %q", f.Kind)
	}
	if f.Count < 0 {
		return fmt.Errorf("count: must not be negative")
	}
	if f.DelayMS < 0 {
		return fmt.Errorf("delay_ms: must not be negative")
	}
	return nil
}

func (f Fault) isCallbackFault() bool {
	return f.Kind == FaultDuplicateCallback || f.Kind == FaultDelayCallback
}

// Faults holds the injected faults waiting to strike. It is safe for
// concurrent use.
type Faults struct {
	mu      sync.Mutex
	pending []Fault
}

// Add queues a fault. It returns an error naming the bad field.
func (fs *Faults) Add(f Fault) error {
	if err := f.validate(); err != nil {
		return err
	}
	if f.Count == 0 {
		f.Count = 1
	}
	fs.mu.Lock()
	defer fs.mu.Unlock()
	fs.pending = append(fs.pending, f)
	return nil
}

// Pending returns the faults still waiting, with their remaining counts.
func (fs *Faults) Pending() []Fault {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	return append([]Fault(nil), fs.pending...)
}

// Reset drops every pending fault.
func (fs *Faults) Reset() {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	fs.pending = nil
}

// take consumes one use of the first pending fault that matches.
func (fs *Faults) take(match func(Fault) bool) (Fault, bool) {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	for i, f := range fs.pending {
		if !match(f) {
			continue
		}
		fs.pending[i].Count--
		if fs.pending[i].Count <= 0 {
			fs.pending = append(fs.pending[:i], fs.pending[i+1:]...)
		}
		return f, true
	}
	return Fault{}, false
}

func (fs *Faults) takeRequestFault(path string) (Fault, bool) {
	return fs.take(func(f Fault) bool {
		return !f.isCallbackFault() && strings.HasPrefix(path, f.Path)
	})
}

func (fs *Faults) takeCallbackFault() (Fault, bool) {
	return fs.take(Fault.isCallbackFault)
}

// Middleware applies pending request faults to the calls that reach next.
func (fs *Faults) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f, ok := fs.takeRequestFault(r.URL.Path)
		if !ok {
			next.ServeHTTP(w, r)
			return
		}
		if f.After {
			// Let the gateway act, then throw its answer away.
			next.ServeHTTP(&discardWriter{header: http.Header{}}, r)
		}
		strike(w, r, f)
	})
}

// strike answers r with the fault instead of the gateway's answer.
func strike(w http.ResponseWriter, r *http.Request, f Fault) {
	switch f.Kind {
	case FaultHTTP500:
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(http.StatusInternalServerError)
		fmt.Fprint(w, "<html><body><h1>500 Internal Server Error</h1></body></html>")
	case FaultMalformedJSON:
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"code":"SUCCESS","data":{"status":`)
	case FaultHang:
		d := f.delay()
		if d == 0 {
			d = DefaultHangTime
		}
		t := time.NewTimer(d)
		defer t.Stop()
		select {
		case <-r.Context().Done():
		case <-t.C:
		}
		dropConnection(w)
	case FaultDropConnection:
		dropConnection(w)
	}
}

// dropConnection closes the client's connection without an answer.
func dropConnection(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		// HTTP/2 or a recorder: abort the handler, which resets the stream.
		panic(http.ErrAbortHandler)
	}
	conn.Close()
}

// discardWriter swallows a gateway's answer for faults that strike after it.
type discardWriter struct {
	header http.Header
	body   bytes.Buffer
}

func (d *discardWriter) Header() http.Header         { return d.header }
func (d *discardWriter) Write(p []byte) (int, error) { return d.body.Write(p) }
func (d *discardWriter) WriteHeader(int)             {}
