package httpapi

import (
	"context"
	"net/http"
	"time"
)

// readyTimeout bounds one readiness check.
const readyTimeout = 5 * time.Second

type statusBody struct {
	Status string `json:"status"`
}

// healthz answers while the process serves: liveness.
func (h *handler) healthz(w http.ResponseWriter, r *http.Request) {
	h.writeJSON(w, r, http.StatusOK, statusBody{"ok"})
}

// readyz answers 200 when the service can take traffic, else 503; why
// not is logged, never shown (the endpoint is as public as callbacks).
func (h *handler) readyz(w http.ResponseWriter, r *http.Request) {
	if h.opts.Readiness != nil {
		ctx, cancel := context.WithTimeout(r.Context(), readyTimeout)
		defer cancel()
		if err := h.opts.Readiness.Ready(ctx); err != nil {
			requestOf(r).log.Warn("not ready", "error", maskPANs(err.Error()))
			h.writeJSON(w, r, http.StatusServiceUnavailable, statusBody{"unavailable"})
			return
		}
	}
	h.writeJSON(w, r, http.StatusOK, statusBody{"ready"})
}
