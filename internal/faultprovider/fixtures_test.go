package faultprovider

import (
	"strings"
	"testing"
	"time"

	"github.com/payhost/payhost/plugin"
)

// pair returns a fixture's request and response as values to inspect.
func pair[Req, Resp any](f func() (Req, Resp)) [2]any {
	req, resp := f()
	return [2]any{req, resp}
}

// TestFixturesArePopulated keeps the echo round trip honest: every field of
// every request and response fixture is set, so a field the wire drops
// shows. A field added to the SDK fails here until the fixtures set it.
func TestFixturesArePopulated(t *testing.T) {
	fixtures := map[string][2]any{
		"GetInfo":        pair(EchoGetInfo),
		"Configure":      pair(EchoConfigure),
		"CreatePayment":  pair(EchoCreatePayment),
		"Capture":        pair(EchoCapture),
		"Refund":         pair(EchoRefund),
		"Void":           pair(EchoVoid),
		"Reverse":        pair(EchoReverse),
		"GetPayment":     pair(EchoGetPayment),
		"GetRefund":      pair(EchoGetRefund),
		"Tokenize":       pair(EchoTokenize),
		"GetToken":       pair(EchoGetToken),
		"DeleteToken":    pair(EchoDeleteToken),
		"HandleCallback": pair(EchoHandleCallback),
	}
	for name, f := range fixtures {
		for i, v := range f {
			if zero := Unpopulated(v); len(zero) > 0 {
				t.Errorf("%s %s fixture leaves fields unset: %v", name, []string{"request", "response"}[i], zero)
			}
		}
	}
	_, perr := EchoCreatePaymentError()
	if zero := Unpopulated(perr, "Err"); len(zero) > 0 {
		t.Errorf("error fixture leaves fields unset: %v", zero)
	}
	if _, info := EchoGetInfo(); info.Schema.Validate() != nil {
		t.Errorf("GetInfo fixture schema is invalid: %v", info.Schema.Validate())
	}
}

func TestUnpopulated(t *testing.T) {
	type inner struct{ A, B string }
	type outer struct {
		X     int
		In    *inner
		Items []inner
	}
	got := Unpopulated(outer{In: &inner{A: "a"}, Items: []inner{{A: "a"}, {B: "b"}}})
	if want := "In.B X"; strings.Join(got, " ") != want {
		t.Errorf("Unpopulated = %v, want [%s] (a field set in any element counts)", got, want)
	}
}

func TestDiff(t *testing.T) {
	base := func() *plugin.CreatePaymentRequest { req, _ := EchoCreatePayment(); return req }
	tests := []struct {
		name   string
		change func(r *plugin.CreatePaymentRequest)
		want   []string // substrings of the diff; none means equal
	}{
		{"equal", func(*plugin.CreatePaymentRequest) {}, nil},
		{"string", func(r *plugin.CreatePaymentRequest) { r.Reference = "other" }, []string{`Reference: got "other", want "order-42"`}},
		{"money", func(r *plugin.CreatePaymentRequest) { r.Amount.Amount = 1 }, []string{"Amount: got 0.01 USD, want 1234.56 USD"}},
		{"card number is masked", func(r *plugin.CreatePaymentRequest) { r.Card.Number = plugin.NewCardNumber("4000056655665556") }, []string{"Card.Number: got 400005******5556, want 411111******1111"}},
		{"secret is redacted", func(r *plugin.CreatePaymentRequest) { r.Card.CVC = plugin.NewSecret("999") }, []string{"Card.CVC: got REDACTED, want REDACTED"}},
		{"nil pointer", func(r *plugin.CreatePaymentRequest) { r.Token = nil }, []string{"Token: got <nil>"}},
		{"map entry", func(r *plugin.CreatePaymentRequest) { delete(r.Metadata, "cart"); r.Metadata["new"] = "1" }, []string{"Metadata[cart]: got nothing", "Metadata[new]: got \"1\", want nothing"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := base()
			tt.change(got)
			d := Diff(base(), got)
			if len(tt.want) == 0 && d != "" {
				t.Fatalf("Diff of equal values = %q", d)
			}
			for _, w := range tt.want {
				if !strings.Contains(d, w) {
					t.Errorf("Diff = %q, want it to contain %q", d, w)
				}
			}
			if strings.Contains(d, "4111111111111111") || strings.Contains(d, "4000056655665556") || strings.Contains(d, "999") {
				t.Errorf("Diff shows card data: %q", d)
			}
		})
	}
}

func TestDiffTimesCompareWithEqual(t *testing.T) {
	want := struct{ At time.Time }{EchoTime}
	if d := Diff(want, struct{ At time.Time }{EchoTime.In(time.FixedZone("ICT", 7*3600))}); d != "" {
		t.Errorf("same instant in another zone differs: %s", d)
	}
	if d := Diff(want, struct{ At time.Time }{EchoTime.Add(time.Nanosecond)}); d == "" {
		t.Errorf("times a nanosecond apart compare equal")
	}
}
