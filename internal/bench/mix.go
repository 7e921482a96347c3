package bench

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
)

// Op is one kind of operation a run sends.
type Op string

// The operations, in the order reports list them.
const (
	// OpCreate creates a payment.
	OpCreate Op = "create"
	// OpStatus reads a payment's status.
	OpStatus Op = "status"
	// OpSync asks the gateway for a payment's status.
	OpSync Op = "sync"
	// OpRefund refunds part of a paid payment.
	OpRefund Op = "refund"
)

// Ops lists every operation, in report order.
var Ops = []Op{OpCreate, OpStatus, OpSync, OpRefund}

// opNames is Ops for messages: "create, status, sync or refund".
func opNames(ops []Op) string {
	names := make([]string, len(ops))
	for i, op := range ops {
		names[i] = string(op)
	}
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}

// Weight is one operation's share of a Mix.
type Weight struct {
	Op     Op
	Weight int
}

// Mix is what a run sends: each operation drawn with probability its
// weight over the total. It lists operations in Ops order, without zero
// weights.
type Mix []Weight

// maxWeight bounds one weight, so that totals cannot overflow.
const maxWeight = 1_000_000

// ParseMix reads a mix written as "create=80,status=15,refund=5": each
// operation at most once, whole non-negative weights, at least one above
// zero. Weights need not add up to 100. Errors say what is wrong without
// naming a flag; the caller names it.
func ParseMix(s string) (Mix, error) {
	weights := map[Op]int{}
	for part := range strings.SplitSeq(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		name, value, ok := strings.Cut(part, "=")
		if !ok {
			return nil, fmt.Errorf("%q is not operation=weight (such as create=80)", part)
		}
		op := Op(strings.TrimSpace(name))
		if !known(op) {
			return nil, fmt.Errorf("unknown operation %q (want %s)", op, opNames(Ops))
		}
		if _, dup := weights[op]; dup {
			return nil, fmt.Errorf("%s is given twice", op)
		}
		w, err := strconv.Atoi(strings.TrimSpace(value))
		if err != nil || w < 0 || w > maxWeight {
			return nil, fmt.Errorf("the weight of %s must be a whole number from 0 to %d, got %q", op, maxWeight, strings.TrimSpace(value))
		}
		weights[op] = w
	}
	var m Mix
	for _, op := range Ops {
		if w := weights[op]; w > 0 {
			m = append(m, Weight{op, w})
		}
	}
	if len(m) == 0 {
		return nil, fmt.Errorf("%q gives no operation a weight above zero", s)
	}
	return m, nil
}

// MustParseMix is ParseMix for mixes written in the code.
func MustParseMix(s string) Mix {
	m, err := ParseMix(s)
	if err != nil {
		panic(err)
	}
	return m
}

func known(op Op) bool {
	for _, o := range Ops {
		if o == op {
			return true
		}
	}
	return false
}

// String writes the mix as ParseMix reads it.
func (m Mix) String() string {
	parts := make([]string, len(m))
	for i, w := range m {
		parts[i] = fmt.Sprintf("%s=%d", w.Op, w.Weight)
	}
	return strings.Join(parts, ",")
}

// Has reports whether the mix sends op.
func (m Mix) Has(op Op) bool {
	for _, w := range m {
		if w.Op == op {
			return true
		}
	}
	return false
}

// Unsupported returns the first operation of the mix that supported does
// not list, or "".
func (m Mix) Unsupported(supported []Op) Op {
	for _, w := range m {
		ok := false
		for _, s := range supported {
			ok = ok || s == w.Op
		}
		if !ok {
			return w.Op
		}
	}
	return ""
}

// Supported names the operations of supported for a message, as
// "create, status or sync".
func Supported(supported []Op) string { return opNames(supported) }

// picker returns a draw of operations by weight. The sequence depends
// only on the mix and seed, so that client i sends the same operations,
// in the same order, in every run.
func (m Mix) picker(seed uint64) func() Op {
	total := 0
	for _, w := range m {
		total += w.Weight
	}
	r := rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15))
	return func() Op {
		n := r.IntN(total)
		for _, w := range m {
			if n < w.Weight {
				return w.Op
			}
			n -= w.Weight
		}
		return m[len(m)-1].Op // not reached
	}
}
