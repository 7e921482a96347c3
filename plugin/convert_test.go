package plugin_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/payhost/payhost/plugin"
)

// TestWireConversionRoundTrip converts every request and response of
// every Provider method to its proto message, encodes, decodes and converts
// it back, filled with random values (several seeds) and as the zero value,
// and expects the value it started from.
func TestWireConversionRoundTrip(t *testing.T) {
	for _, m := range providerMethods() {
		for _, typ := range []reflect.Type{m.Type.In(1), m.Type.Out(0)} {
			if typ.Elem().NumField() == 0 {
				continue // GetInfoRequest: nothing crosses the wire.
			}
			t.Run(typ.Elem().Name(), func(t *testing.T) {
				roundTrip, ok := plugin.WireCodecs[typ]
				if !ok {
					t.Fatalf("no wire conversion for %s", typ)
				}
				for seed := range uint64(20) {
					in := newFiller(t, seed).newFilled(typ.Elem()).Interface()
					assertRoundTrip(t, roundTrip, in)
				}
				assertRoundTrip(t, roundTrip, reflect.New(typ.Elem()).Interface())
			})
		}
	}
}

func assertRoundTrip(t *testing.T, roundTrip func(any) (any, error), in any) {
	t.Helper()
	out, err := roundTrip(in)
	if err != nil {
		t.Fatalf("round trip of %#v: %v", in, err)
	}
	if !reflect.DeepEqual(in, out) {
		t.Errorf("round trip changed the value\n got: %+v\nwant: %+v", out, in)
	}
}

func TestConfigValuesOfUnknownTypeAreRefused(t *testing.T) {
	info := &plugin.GetInfoResponse{Schema: plugin.Schema{Attributes: []plugin.Attribute{
		{Name: "timeout", Type: plugin.TypeNumber, Default: 30}, // int, not int64
	}}}
	_, err := plugin.WireCodecs[reflect.TypeOf(info)](info)
	if err == nil {
		t.Fatal("a default of type int crossed the wire; want an error naming the attribute")
	}
	if want := `attribute "timeout" default`; !strings.Contains(err.Error(), want) {
		t.Errorf("error %q does not say %q", err, want)
	}
}
