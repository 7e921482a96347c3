package emukit

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
)

// ErrNotFound is returned (wrapped) by an OrderController, or the kit, when
// the named order or callback does not exist. The control API answers 404.
var ErrNotFound = errors.New("not found")

// OrderController moves an emulator's orders for the control API. Each
// gateway implements it over its own state machine; an illegal move returns
// an error (answered 409), an unknown id one that wraps ErrNotFound.
type OrderController interface {
	CompleteOrder(id string) error
	FailOrder(id string) error
	ExpireOrder(id string) error
}

// Resetter is implemented by an OrderController whose emulator can forget
// its orders; POST /__emulator/reset then clears them too.
type Resetter interface {
	ResetState()
}

// ControlPrefix is where the control API is served.
const ControlPrefix = "/__emulator/"

// control builds the JSON control API:
//
//	GET  /__emulator/requests               requests received (masked)
//	GET  /__emulator/callbacks              the callback delivery log
//	GET  /__emulator/faults                 faults still pending
//	POST /__emulator/faults                 inject a Fault
//	POST /__emulator/orders/{id}/{action}   complete, fail or expire an order
//	POST /__emulator/callbacks/{id}/resend  deliver a callback again
//	POST /__emulator/reset                  clear requests, deliveries and faults,
//	                                        and the emulator's orders if it is a Resetter
func (k *Kit) control(orders OrderController) *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /__emulator/requests", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, map[string]any{"requests": nonNil(k.Recorder.Requests())})
	})
	mux.HandleFunc("GET /__emulator/callbacks", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, map[string]any{"deliveries": nonNil(k.Callbacks.Deliveries())})
	})
	mux.HandleFunc("GET /__emulator/faults", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, map[string]any{"faults": nonNil(k.Faults.Pending())})
	})
	mux.HandleFunc("POST /__emulator/faults", func(w http.ResponseWriter, r *http.Request) {
		var f Fault
		dec := json.NewDecoder(r.Body)
		dec.DisallowUnknownFields()
		if err := dec.Decode(&f); err != nil {
			writeError(w, http.StatusBadRequest, fmt.Errorf("decoding fault: %w", err))
			return
		}
		if err := k.Faults.Add(f); err != nil {
			writeError(w, http.StatusBadRequest, err)
			return
		}
		writeJSON(w, http.StatusCreated, map[string]any{"faults": k.Faults.Pending()})
	})
	mux.HandleFunc("POST /__emulator/orders/{id}/{action}", func(w http.ResponseWriter, r *http.Request) {
		if orders == nil {
			writeError(w, http.StatusNotFound, errors.New("this emulator has no order controls"))
			return
		}
		id := r.PathValue("id")
		var err error
		switch action := r.PathValue("action"); action {
		case "complete":
			err = orders.CompleteOrder(id)
		case "fail":
			err = orders.FailOrder(id)
		case "expire":
			err = orders.ExpireOrder(id)
		default:
			writeError(w, http.StatusNotFound, fmt.Errorf("unknown order action %q (want complete, fail or expire)", action))
			return
		}
		if err != nil {
			writeControlError(w, err)
			return
		}
		writeJSON(w, http.StatusOK, map[string]any{"id": id, "ok": true})
	})
	mux.HandleFunc("POST /__emulator/callbacks/{id}/resend", func(w http.ResponseWriter, r *http.Request) {
		if err := k.Callbacks.Resend(r.PathValue("id")); err != nil {
			writeControlError(w, err)
			return
		}
		writeJSON(w, http.StatusAccepted, map[string]any{"ok": true})
	})
	mux.HandleFunc("POST /__emulator/reset", func(w http.ResponseWriter, r *http.Request) {
		k.Recorder.Reset()
		k.Callbacks.Reset()
		k.Faults.Reset()
		if r, ok := orders.(Resetter); ok {
			r.ResetState()
		}
		writeJSON(w, http.StatusOK, map[string]any{"ok": true})
	})
	return mux
}

func writeControlError(w http.ResponseWriter, err error) {
	status := http.StatusConflict
	if errors.Is(err, ErrNotFound) {
		status = http.StatusNotFound
	}
	writeError(w, status, err)
}

func writeError(w http.ResponseWriter, status int, err error) {
	writeJSON(w, status, map[string]any{"error": err.Error()})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(v)
}

// nonNil makes an empty list encode as [] rather than null.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
