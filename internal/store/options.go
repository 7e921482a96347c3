package store

import "time"

// Options are what every backend's Open takes besides where the data is.
type Options struct {
	// Clock returns the current time; nil means time.Now. Every timestamp
	// the store writes, and every "is it due / has it expired" decision it
	// makes, reads this clock, so tests can move time.
	Clock func() time.Time
	// MaxConns bounds the store's connections: all of them on PostgreSQL,
	// the read connections on SQLite (which writes through one). Zero picks
	// the backend's default.
	MaxConns int
}

// Now returns the current time from o.Clock, in UTC and truncated to the
// microsecond: the precision both backends keep, so that what is written
// reads back equal.
func (o Options) Now() time.Time {
	now := time.Now
	if o.Clock != nil {
		now = o.Clock
	}
	return Timestamp(now())
}

// Timestamp normalises t the way the store keeps times: UTC, truncated to
// the microsecond. The zero time stays zero.
func Timestamp(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	return t.UTC().Truncate(time.Microsecond)
}
