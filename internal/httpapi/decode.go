package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"reflect"

	"github.com/payhost/payhost/api"
)

// emptyBody says whether a request may come without a body.
type emptyBody bool

const (
	// bodyRequired: an empty body is 400 (creates).
	bodyRequired emptyBody = false
	// bodyOptional: an empty body is the zero request.
	bodyOptional emptyBody = true
)

// decodeJSON reads r's body, at most limit bytes, into dst, a pointer to a
// struct, strictly: a JSON object with no field dst lacks, every value of
// its field's type, nothing after it. Its errors are *api.Error naming the
// field at fault.
func decodeJSON(w http.ResponseWriter, r *http.Request, limit int64, dst any, empty emptyBody) error {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		if mt, _, err := mime.ParseMediaType(ct); err != nil || mt != "application/json" {
			return api.Errorf(codeUnsupportedMediaType, "Content-Type", "send the body as JSON, with Content-Type: application/json")
		}
	}
	body, err := readBody(w, r, limit)
	if err != nil {
		return err
	}
	trimmed := bytes.TrimSpace(body)
	switch {
	case len(trimmed) == 0 && empty == bodyOptional:
		return nil
	case len(trimmed) == 0:
		return api.Errorf(api.CodeInvalidRequest, "", "the request body is empty; send a JSON object")
	case trimmed[0] != '{':
		return api.Errorf(api.CodeInvalidRequest, "", "the request body must be a JSON object")
	}
	dec := json.NewDecoder(bytes.NewReader(trimmed))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return decodeError(trimmed, reflect.TypeOf(dst).Elem(), err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return api.Errorf(api.CodeInvalidRequest, "", "the request body has data after its JSON object")
	}
	return nil
}

// readBody reads r's body, answering 413 beyond limit bytes.
func readBody(w http.ResponseWriter, r *http.Request, limit int64) ([]byte, error) {
	tooLarge := api.Errorf(codeRequestTooLarge, "", "the request body is larger than %d bytes", limit)
	if r.ContentLength > limit {
		return nil, tooLarge
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	var maxErr *http.MaxBytesError
	switch {
	case errors.As(err, &maxErr):
		return nil, tooLarge
	case err != nil:
		return nil, api.Errorf(api.CodeInvalidRequest, "", "cannot read the request body: %v", err)
	}
	return body, nil
}

// decodeError turns a json decoding error of body into t into an
// *api.Error naming the field at fault. The decoder's own messages are not
// used: some quote the value, which may be card data.
func decodeError(body []byte, t reflect.Type, err error) error {
	var syntax *json.SyntaxError
	switch {
	case errors.As(err, &syntax):
		return api.Errorf(api.CodeInvalidRequest, "", "the request body is not valid JSON (at byte %d)", syntax.Offset)
	case errors.Is(err, io.ErrUnexpectedEOF):
		return api.Errorf(api.CodeInvalidRequest, "", "the request body ends in the middle of its JSON object")
	}
	if e := locate(body, t, ""); e != nil {
		return e
	}
	return api.Errorf(api.CodeInvalidRequest, "", "the request body does not match the request's fields")
}
