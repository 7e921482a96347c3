package emukit

import (
	"crypto/rand"
	"fmt"
	"math/big"
	"strings"
	"sync"
)

// IDs generates identifiers for orders, transactions and tokens. In
// deterministic mode it counts (prefix000001, prefix000002, ...) so that
// tests and golden files see the same ids on every run; otherwise it draws
// random digits.
type IDs struct {
	deterministic bool

	mu      sync.Mutex
	counter uint64
}

// NewIDs returns an ID generator; deterministic selects counting ids.
func NewIDs(deterministic bool) *IDs {
	return &IDs{deterministic: deterministic}
}

// Next returns a new id made of prefix and 12 digits.
func (g *IDs) Next(prefix string) string {
	return prefix + g.Digits(12)
}

// Digits returns a new id of exactly n decimal digits (n >= 1). In
// deterministic mode the digits are a zero-padded counter; the first digit
// is never zero, so the id also reads as a number of n digits.
func (g *IDs) Digits(n int) string {
	if n < 1 {
		panic("emukit: Digits needs n >= 1")
	}
	if g.deterministic {
		g.mu.Lock()
		g.counter++
		c := g.counter
		g.mu.Unlock()
		s := fmt.Sprintf("%d", c)
		if len(s) >= n {
			return s[len(s)-n:]
		}
		return "1" + strings.Repeat("0", n-1-len(s)) + s
	}
	var b strings.Builder
	b.Grow(n)
	for i := 0; i < n; i++ {
		lo := int64(0)
		if i == 0 {
			lo = 1
		}
		d, err := rand.Int(rand.Reader, big.NewInt(10-lo))
		if err != nil {
			panic(fmt.Sprintf("emukit: reading random digits: %v", err))
		}
		b.WriteByte(byte('0' + lo + d.Int64()))
	}
	return b.String()
}
