package plugin_test

import (
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"github.com/payhost/payhost/plugin"
)

// filler sets every field of a value, however deep, to a random non-zero
// value, by reflection: a field added to a request or response later is
// covered without touching the tests, and one the wire drops shows up as a
// difference. Strings use letters only, so that redaction (which masks
// digit runs) never changes them; card numbers are digits.
type filler struct {
	t   testing.TB
	rnd *rand.Rand
}

func newFiller(t testing.TB, seed uint64) *filler {
	t.Helper()
	return &filler{t: t, rnd: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))}
}

// newFilled returns a pointer to a filled value of type typ.
func (f *filler) newFilled(typ reflect.Type) reflect.Value {
	f.t.Helper()
	v := reflect.New(typ)
	f.fill(v.Elem(), typ.String())
	return v
}

// The types filled by hand: their fields are unexported, or they hold
// values of a few allowed types only.
var (
	secretType     = reflect.TypeFor[plugin.Secret]()
	cardNumberType = reflect.TypeFor[plugin.CardNumber]()
	configType     = reflect.TypeFor[plugin.Config]()
	timeType       = reflect.TypeFor[time.Time]()
	anyType        = reflect.TypeFor[any]()
)

func (f *filler) fill(v reflect.Value, path string) {
	f.t.Helper()
	switch v.Type() {
	case secretType:
		v.Set(reflect.ValueOf(plugin.NewSecret(f.word())))
		return
	case cardNumberType:
		v.Set(reflect.ValueOf(plugin.NewCardNumber(f.digits(16))))
		return
	case configType:
		c, err := plugin.NewConfig(map[string]any{
			"s": f.word(), "n": f.rnd.Int64(), "b": true,
			"l": f.words(), "m": map[string]string{f.word(): f.word()},
		})
		if err != nil {
			f.t.Fatalf("%s: %v", path, err)
		}
		v.Set(reflect.ValueOf(c))
		return
	case timeType:
		v.Set(reflect.ValueOf(time.Unix(f.rnd.Int64N(1<<35), f.rnd.Int64N(1e9)+1).UTC()))
		return
	case anyType:
		v.Set(reflect.ValueOf(f.configValue()))
		return
	}
	switch v.Kind() {
	case reflect.String:
		v.SetString(f.word())
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int, reflect.Int64:
		v.SetInt(f.rnd.Int64N(1<<62) + 1)
	case reflect.Slice:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			b := make([]byte, 1+f.rnd.IntN(64))
			for i := range b {
				b[i] = byte(f.rnd.Uint32())
			}
			v.SetBytes(b)
			return
		}
		n := 1 + f.rnd.IntN(3)
		s := reflect.MakeSlice(v.Type(), n, n)
		for i := range n {
			f.fill(s.Index(i), path+"[]")
		}
		v.Set(s)
	case reflect.Map:
		m := reflect.MakeMap(v.Type())
		for range 1 + f.rnd.IntN(3) {
			k := reflect.New(v.Type().Key()).Elem()
			f.fill(k, path+"{key}")
			e := reflect.New(v.Type().Elem()).Elem()
			f.fill(e, path+"{}")
			m.SetMapIndex(k, e)
		}
		v.Set(m)
	case reflect.Pointer:
		p := reflect.New(v.Type().Elem())
		f.fill(p.Elem(), path)
		v.Set(p)
	case reflect.Struct:
		for i := range v.NumField() {
			field := v.Type().Field(i)
			if !field.IsExported() {
				f.t.Fatalf("%s.%s: unexported field of %s; teach the filler this type", path, field.Name, v.Type())
			}
			if field.Type.Kind() == reflect.Interface && field.Type != anyType {
				continue // Error.Err: kept on its side, never sent.
			}
			f.fill(v.Field(i), path+"."+field.Name)
		}
	default:
		f.t.Fatalf("%s: the filler does not know %s values", path, v.Type())
	}
}

// configValue returns a value of one of the configuration value types.
func (f *filler) configValue() any {
	switch f.rnd.IntN(5) {
	case 0:
		return f.word()
	case 1:
		return f.rnd.Int64()
	case 2:
		return true
	case 3:
		return f.words()
	}
	return map[string]string{f.word(): f.word()}
}

func (f *filler) word() string {
	const letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_."
	b := make([]byte, 1+f.rnd.IntN(12))
	for i := range b {
		b[i] = letters[f.rnd.IntN(len(letters))]
	}
	return string(b)
}

func (f *filler) words() []string {
	out := make([]string, 1+f.rnd.IntN(3))
	for i := range out {
		out[i] = f.word()
	}
	return out
}

func (f *filler) digits(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte('0' + f.rnd.IntN(10))
	}
	return string(b)
}

// providerMethods lists the methods of plugin.Provider with their request
// and response types (both pointer types).
func providerMethods() []reflect.Method {
	iface := reflect.TypeFor[plugin.Provider]()
	out := make([]reflect.Method, iface.NumMethod())
	for i := range out {
		out[i] = iface.Method(i)
	}
	return out
}

// TestFillerSetsEveryField guards the round-trip tests: a filled value must
// differ from the zero value in every field, or a dropped field could go
// unnoticed.
func TestFillerSetsEveryField(t *testing.T) {
	f := newFiller(t, 1)
	for _, m := range providerMethods() {
		for _, typ := range []reflect.Type{m.Type.In(1).Elem(), m.Type.Out(0).Elem()} {
			v := f.newFilled(typ).Elem()
			assertNoZeroField(t, v, typ.String())
		}
	}
}

func assertNoZeroField(t *testing.T, v reflect.Value, path string) {
	t.Helper()
	switch v.Kind() {
	case reflect.Struct:
		if v.Type() == secretType || v.Type() == cardNumberType || v.Type() == configType || v.Type() == timeType {
			if v.IsZero() {
				t.Errorf("%s is zero", path)
			}
			return
		}
		for i := range v.NumField() {
			if v.Type().Field(i).Type.Kind() == reflect.Interface && v.Type().Field(i).Type != anyType {
				continue
			}
			assertNoZeroField(t, v.Field(i), path+"."+v.Type().Field(i).Name)
		}
	case reflect.Pointer:
		if v.IsNil() {
			t.Errorf("%s is nil", path)
			return
		}
		assertNoZeroField(t, v.Elem(), path)
	case reflect.Slice:
		if v.Len() == 0 {
			t.Errorf("%s is empty", path)
		}
		if v.Type().Elem().Kind() != reflect.Uint8 {
			for i := range v.Len() {
				assertNoZeroField(t, v.Index(i), path+"[]")
			}
		}
	default:
		if v.IsZero() {
			t.Errorf("%s is zero", path)
		}
	}
}
