package faultprovider

import (
	"fmt"
	"reflect"
	"sort"
	"strings"
)

var (
	stringerType  = reflect.TypeFor[fmt.Stringer]()
	formatterType = reflect.TypeFor[fmt.Formatter]()
)

// Diff compares two values of the SDK field by field and describes every
// difference, one per line, by field path; "" means equal. Values that
// print themselves (Money, Secret, CardNumber, Config, time.Time) are
// compared whole and printed as they print, so a difference never shows a
// secret or a full card number. Times compare with Equal.
func Diff(want, got any) string {
	var d differ
	d.walk("", reflect.ValueOf(want), reflect.ValueOf(got))
	return strings.Join(d.lines, "\n")
}

type differ struct{ lines []string }

func (d *differ) add(path string, want, got reflect.Value) {
	d.lines = append(d.lines, fmt.Sprintf("%s: got %s, want %s", pathOrRoot(path), show(got), show(want)))
}

func (d *differ) walk(path string, w, g reflect.Value) {
	if !w.IsValid() || !g.IsValid() {
		if w.IsValid() != g.IsValid() {
			d.add(path, w, g)
		}
		return
	}
	if w.Type() != g.Type() {
		d.lines = append(d.lines, fmt.Sprintf("%s: got type %s, want %s", pathOrRoot(path), g.Type(), w.Type()))
		return
	}
	if whole(w.Type()) {
		if !equalWhole(w, g) {
			d.add(path, w, g)
		}
		return
	}
	switch w.Kind() {
	case reflect.Pointer, reflect.Interface:
		if w.IsNil() || g.IsNil() {
			if w.IsNil() != g.IsNil() {
				d.add(path, w, g)
			}
			return
		}
		d.walk(path, w.Elem(), g.Elem())
	case reflect.Struct:
		for i := range w.NumField() {
			d.walk(path+"."+w.Type().Field(i).Name, w.Field(i), g.Field(i))
		}
	case reflect.Slice, reflect.Array:
		if w.Kind() == reflect.Slice && w.IsNil() != g.IsNil() {
			d.add(path, w, g)
			return
		}
		if w.Len() != g.Len() {
			d.lines = append(d.lines, fmt.Sprintf("%s: got %d elements, want %d", pathOrRoot(path), g.Len(), w.Len()))
			return
		}
		for i := range w.Len() {
			d.walk(fmt.Sprintf("%s[%d]", path, i), w.Index(i), g.Index(i))
		}
	case reflect.Map:
		if w.IsNil() != g.IsNil() {
			d.add(path, w, g)
			return
		}
		for _, k := range sortedKeys(w, g) {
			d.walk(fmt.Sprintf("%s[%v]", path, k), w.MapIndex(k), g.MapIndex(k))
		}
	default:
		if !w.Equal(g) {
			d.add(path, w, g)
		}
	}
}

// whole reports whether values of t are compared and printed whole: they
// print themselves, or have an Equal method.
func whole(t reflect.Type) bool {
	_, hasEqual := t.MethodByName("Equal")
	return t.Implements(stringerType) || t.Implements(formatterType) || hasEqual
}

func equalWhole(w, g reflect.Value) bool {
	if m := w.MethodByName("Equal"); m.IsValid() && m.Type().NumIn() == 1 && m.Type().In(0) == g.Type() && w.CanInterface() {
		return m.Call([]reflect.Value{g})[0].Bool()
	}
	return reflect.DeepEqual(w.Interface(), g.Interface())
}

// show prints a value as its type prints it (masked, for card data).
func show(v reflect.Value) string {
	switch {
	case !v.IsValid():
		return "nothing"
	case !v.CanInterface():
		return "(unexported " + v.Type().String() + ")"
	case v.Kind() == reflect.String:
		return fmt.Sprintf("%q", v.Interface())
	}
	return fmt.Sprintf("%v", v.Interface())
}

func pathOrRoot(path string) string {
	if path == "" {
		return "(value)"
	}
	return strings.TrimPrefix(path, ".")
}

// sortedKeys returns the keys of both maps, sorted by how they print.
func sortedKeys(a, b reflect.Value) []reflect.Value {
	seen := map[string]reflect.Value{}
	for _, m := range []reflect.Value{a, b} {
		for _, k := range m.MapKeys() {
			seen[fmt.Sprint(k)] = k
		}
	}
	names := make([]string, 0, len(seen))
	for n := range seen {
		names = append(names, n)
	}
	sort.Strings(names)
	keys := make([]reflect.Value, len(names))
	for i, n := range names {
		keys[i] = seen[n]
	}
	return keys
}

// Unpopulated returns the paths of the fields of v left at their zero
// value. A field inside a slice or map counts as populated when any element
// sets it. Paths listed in except are not reported.
func Unpopulated(v any, except ...string) []string {
	p := populated{zero: map[string]bool{}, set: map[string]bool{}}
	p.walk("", reflect.ValueOf(v))
	skip := map[string]bool{}
	for _, e := range except {
		skip[e] = true
	}
	var out []string
	for path := range p.zero {
		if !p.set[path] && !skip[path] {
			out = append(out, path)
		}
	}
	sort.Strings(out)
	return out
}

type populated struct{ zero, set map[string]bool }

func (p *populated) walk(path string, v reflect.Value) {
	if !v.IsValid() || v.IsZero() {
		if !(v.IsValid() && v.Kind() == reflect.Struct && v.NumField() == 0) {
			p.zero[pathOrRoot(path)] = true
		}
		return
	}
	p.set[pathOrRoot(path)] = true
	if whole(v.Type()) {
		return
	}
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		p.walk(path, v.Elem())
	case reflect.Struct:
		for i := range v.NumField() {
			p.walk(path+"."+v.Type().Field(i).Name, v.Field(i))
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			p.walk(path+"[]", v.Index(i))
		}
	case reflect.Map:
		iter := v.MapRange()
		for iter.Next() {
			p.walk(path+"[]", iter.Value())
		}
	}
}
