package bench

import (
	"strings"
	"testing"
)

func TestParseMix(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want string
	}{
		{"create=80,status=15,refund=5", "create=80,status=15,refund=5"},
		{" refund=5 , create=80 ", "create=80,refund=5"}, // listed in Ops order
		{"create=1,sync=0", "create=1"},                  // zero weights dropped
		{"sync=3,status=2,create=1,refund=4,", "create=1,status=2,sync=3,refund=4"},
	} {
		m, err := ParseMix(tt.in)
		if err != nil {
			t.Errorf("ParseMix(%q): %v", tt.in, err)
			continue
		}
		if got := m.String(); got != tt.want {
			t.Errorf("ParseMix(%q) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

func TestParseMixRefusals(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"create", `"create" is not operation=weight`},
		{"capture=5", `unknown operation "capture" (want create, status, sync or refund)`},
		{"create=1,create=2", "create is given twice"},
		{"create=-1", `the weight of create must be a whole number from 0 to 1000000, got "-1"`},
		{"create=1.5", `got "1.5"`},
		{"create=0,status=0", "gives no operation a weight above zero"},
		{"", "gives no operation a weight above zero"},
	} {
		_, err := ParseMix(tt.in)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("ParseMix(%q) = %v, want an error containing %q", tt.in, err, tt.want)
		}
	}
}

func TestMixUnsupported(t *testing.T) {
	m := MustParseMix("create=80,status=15,refund=5")
	if op := m.Unsupported([]Op{OpCreate, OpStatus, OpSync}); op != OpRefund {
		t.Errorf("Unsupported = %q, want refund", op)
	}
	if op := m.Unsupported(Ops); op != "" {
		t.Errorf("Unsupported(Ops) = %q", op)
	}
	if !m.Has(OpStatus) || m.Has(OpSync) {
		t.Error("Has is wrong")
	}
}

// The draw follows the weights, and a seed gives the same sequence every
// time: what lets two runs send the same operations.
func TestPicker(t *testing.T) {
	m := MustParseMix("create=80,status=15,refund=5")
	const n = 20_000
	counts := map[Op]int{}
	a, b := m.picker(3), m.picker(3)
	other := m.picker(4)
	same := true
	for range n {
		op := a()
		counts[op]++
		same = same && op == b()
		_ = other()
	}
	if !same {
		t.Error("two pickers with the same seed drew different sequences")
	}
	for op, want := range map[Op]float64{OpCreate: 0.80, OpStatus: 0.15, OpRefund: 0.05} {
		got := float64(counts[op]) / n
		if got < want-0.02 || got > want+0.02 {
			t.Errorf("%s drawn %.3f of the time, want about %.2f", op, got, want)
		}
	}
	if counts[OpSync] != 0 {
		t.Errorf("sync drawn %d times, not in the mix", counts[OpSync])
	}
	diff := false
	c, d := m.picker(3), m.picker(4)
	for range 100 {
		diff = diff || c() != d()
	}
	if !diff {
		t.Error("seeds 3 and 4 drew the same 100 operations")
	}
}
