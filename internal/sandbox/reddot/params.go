package reddot

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
)

// maxBodyBytes bounds every request body the emulator reads.
const maxBodyBytes = 1 << 20

// params is a JSON request body decoded generically (numbers kept as
// json.Number), so that sign_generic sees exactly what the client sent,
// including fields the emulator does not otherwise use.
type params map[string]any

// errNotJSONObject reports a body that is not a single JSON object.
var errNotJSONObject = errors.New("request body must be a JSON object")

// decodeParams reads a JSON object from r's body.
func decodeParams(r *http.Request) (params, error) {
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBodyBytes))
	if err != nil {
		return nil, err
	}
	return parseParams(body)
}

// parseParams decodes one JSON object, rejecting anything else (arrays,
// scalars, trailing data).
func parseParams(body []byte) (params, error) {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var p map[string]any
	if err := dec.Decode(&p); err != nil || p == nil {
		return nil, errNotJSONObject
	}
	if dec.More() {
		return nil, errNotJSONObject
	}
	return params(p), nil
}

// has reports whether key was sent at all (even empty or null).
func (p params) has(key string) bool {
	_, ok := p[key]
	return ok
}

// str returns the value of key as PHP would see it in a string context;
// absent keys and objects or arrays give "".
func (p params) str(key string) string {
	return phpString(p[key])
}

// isScalar reports whether key holds a scalar (not an object or array).
func (p params) isScalar(key string) bool {
	switch p[key].(type) {
	case map[string]any, []any:
		return false
	}
	return true
}
