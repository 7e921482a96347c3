package emukit

import (
	"bytes"
	"io"
	"net/http"
	"sync"
	"time"

	"github.com/hashicorp/go-hclog"
)

// maxRecorded bounds the request log; older entries are dropped first.
const maxRecorded = 1000

// RecordedRequest is one request the emulator received, as the control API
// lists it. Credentials and card numbers are masked.
type RecordedRequest struct {
	Seq      int         `json:"seq"`
	At       time.Time   `json:"at"`
	Method   string      `json:"method"`
	Path     string      `json:"path"`
	Query    string      `json:"query,omitempty"`
	Header   http.Header `json:"header"`
	Body     string      `json:"body,omitempty"`
	Status   int         `json:"status"`
	Duration string      `json:"duration"`
}

// Recorder keeps the requests an emulator received and logs each one. It is
// safe for concurrent use.
type Recorder struct {
	clock  Clock
	logger hclog.Logger

	mu   sync.Mutex
	seq  int
	ring [maxRecorded]RecordedRequest // ring[(seq-1) % maxRecorded] is the newest
}

// NewRecorder returns a Recorder stamping requests with clock and logging
// them to logger.
func NewRecorder(clock Clock, logger hclog.Logger) *Recorder {
	if logger == nil {
		logger = hclog.NewNullLogger()
	}
	return &Recorder{clock: clock, logger: logger}
}

// Requests returns the recorded requests, oldest first: the last
// maxRecorded of them.
func (rc *Recorder) Requests() []RecordedRequest {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	n := min(rc.seq, maxRecorded)
	out := make([]RecordedRequest, 0, n)
	for seq := rc.seq - n + 1; seq <= rc.seq; seq++ {
		if r := rc.ring[(seq-1)%maxRecorded]; r.Seq == seq {
			out = append(out, r)
		}
	}
	return out
}

// Reset forgets every recorded request.
func (rc *Recorder) Reset() {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	rc.ring = [maxRecorded]RecordedRequest{}
}

// Middleware records and logs every request that passes through it.
func (rc *Recorder) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			http.Error(w, "reading request body: "+err.Error(), http.StatusBadRequest)
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		defer func() {
			elapsed := time.Since(start)
			rec := RecordedRequest{
				At:       rc.clock.Now(),
				Method:   r.Method,
				Path:     r.URL.Path,
				Query:    MaskText(r.URL.RawQuery),
				Header:   MaskHeader(r.Header),
				Body:     MaskText(string(body)),
				Status:   sw.status,
				Duration: elapsed.String(),
			}
			rc.add(rec)
			rc.logger.Info("request", "method", r.Method, "path", r.URL.Path,
				"status", sw.status, "duration", elapsed, "remote", r.RemoteAddr)
		}()
		next.ServeHTTP(sw, r)
	})
}

func (rc *Recorder) add(rec RecordedRequest) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	rc.seq++
	rec.Seq = rc.seq
	rc.ring[(rc.seq-1)%maxRecorded] = rec
}

// statusWriter remembers the status code an answer was sent with.
type statusWriter struct {
	http.ResponseWriter
	status      int
	wroteHeader bool
}

func (w *statusWriter) WriteHeader(code int) {
	if !w.wroteHeader {
		w.status, w.wroteHeader = code, true
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(p []byte) (int, error) {
	w.wroteHeader = true
	return w.ResponseWriter.Write(p)
}

// Unwrap lets http.ResponseController reach the connection (for hijacking).
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
