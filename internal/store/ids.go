package store

import (
	"crypto/rand"
	"encoding/base32"
	"encoding/binary"
	"time"
)

// The id prefixes, one per kind of record.
const (
	PrefixPayment = "pay_"
	PrefixAttempt = "att_"
	PrefixRefund  = "re_"
	PrefixToken   = "tok_"
	PrefixEvent   = "evt_"
)

// idEncoding is lower-case Crockford base32: no padding, no I, L, O or U,
// and it sorts in byte order.
var idEncoding = base32.NewEncoding("0123456789abcdefghjkmnpqrstvwxyz").WithPadding(base32.NoPadding)

// NewID returns prefix followed by 26 characters: 48 bits of the current
// time in milliseconds, then 80 random bits. Ids made later sort later
// (to the millisecond), which keeps the tables' primary key indexes
// appending rather than splitting pages.
//
// Insert methods assign an id when the record has none; call NewID when the
// id is needed before the insert.
func NewID(prefix string) string {
	var b [16]byte
	binary.BigEndian.PutUint64(b[:8], uint64(time.Now().UnixMilli())<<16)
	// crypto/rand.Read never fails (Go 1.24+): it crashes the program
	// rather than return predictable bytes.
	_, _ = rand.Read(b[6:])
	return prefix + idEncoding.EncodeToString(b[:])
}
