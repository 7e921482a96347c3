package httpapi

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"sync"

	"github.com/payhost/payhost/api"
)

// locate walks raw, a valid JSON value, against t as encoding/json decodes
// it, in document order, and returns the first problem as an *api.Error
// whose Param is the dotted path to the field ("card.exp_month"), or nil.
// Structs and maps are walked; every other value is checked whole. It
// runs only after the decoder failed, to say where.
func locate(raw []byte, t reflect.Type, path string) *api.Error {
	if u, ok := reflect.New(t).Interface().(json.Unmarshaler); ok {
		if err := u.UnmarshalJSON(raw); err != nil {
			return api.Errorf(api.CodeInvalidRequest, path, "%s: %v", path, err)
		}
		return nil
	}
	if bytes.Equal(raw, []byte("null")) {
		return nil
	}
	switch t.Kind() {
	case reflect.Pointer:
		return locate(raw, t.Elem(), path)
	case reflect.Struct:
		return locateObject(raw, t, path, func(key string) (reflect.Type, bool) {
			f, ok := fieldsOf(t).lookup(key)
			return f, ok
		})
	case reflect.Map:
		if t.Key().Kind() == reflect.String {
			return locateObject(raw, t, path, func(string) (reflect.Type, bool) { return t.Elem(), true })
		}
	}
	if json.Unmarshal(raw, reflect.New(t).Interface()) != nil {
		return api.Errorf(api.CodeInvalidRequest, path, "%s must be %s", path, describe(t))
	}
	return nil
}

// locateObject walks the members of raw, which must be an object, with
// member giving each key's type (false for an unknown field).
func locateObject(raw []byte, t reflect.Type, path string, member func(key string) (reflect.Type, bool)) *api.Error {
	if raw[0] != '{' {
		return api.Errorf(api.CodeInvalidRequest, path, "%s must be %s", path, describe(t))
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	_, _ = dec.Token() // {
	for dec.More() {
		tok, _ := dec.Token()
		key, _ := tok.(string)
		sub := join(path, key)
		mt, ok := member(key)
		if !ok {
			return api.Errorf(api.CodeInvalidRequest, sub, "unknown field %s", sub)
		}
		var v json.RawMessage
		_ = dec.Decode(&v) // raw is valid JSON
		if e := locate(v, mt, sub); e != nil {
			return e
		}
	}
	return nil
}

// join appends key to a dotted path.
func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// describe says what a JSON value of type t must be.
func describe(t reflect.Type) string {
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "an integer"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Struct, reflect.Map:
		return "an object"
	case reflect.Slice, reflect.Array:
		return "an array"
	}
	return "a " + t.String()
}

// fields are the JSON members of a struct type, by name.
type fields map[string]reflect.Type

// lookup finds the field of key as encoding/json does: by exact name,
// else case-insensitively.
func (f fields) lookup(key string) (reflect.Type, bool) {
	if t, ok := f[key]; ok {
		return t, true
	}
	for name, t := range f {
		if strings.EqualFold(name, key) {
			return t, true
		}
	}
	return nil, false
}

var fieldCache sync.Map // reflect.Type -> fields

// fieldsOf returns the JSON members of struct type t: exported fields,
// named by their json tag, "-" skipped.
func fieldsOf(t reflect.Type) fields {
	if f, ok := fieldCache.Load(t); ok {
		return f.(fields)
	}
	f := fields{}
	for sf := range t.Fields() {
		if !sf.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(sf.Tag.Get("json"), ",")
		switch name {
		case "-":
			continue
		case "":
			name = sf.Name
		}
		f[name] = sf.Type
	}
	fieldCache.Store(t, f)
	return f
}
