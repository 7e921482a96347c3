package webhook

import (
	"errors"
	"math/rand/v2"
	"time"
)

// Backoff says when an event whose delivery failed is tried again, and
// when it is given up.
type Backoff struct {
	// Delays are the waits after the first, second, … failed attempt; the
	// last one repeats until the horizon. Each must be positive.
	Delays []time.Duration
	// Jitter spreads each wait uniformly over ±Jitter of it (0.2: from 80
	// to 120 %), so that the events that failed together, when a merchant
	// went down, are not all retried at the same instant. In [0, 1).
	Jitter float64
	// Horizon is how long after its creation an event is tried: retries
	// are scheduled up to CreatedAt+Horizon (the last one at that instant,
	// when a wait would pass it), and an attempt that fails at or after it
	// gives the event up. The contract promises at least 24 hours.
	Horizon time.Duration
}

// DefaultBackoff retries after 10 s, 30 s, 1 min, 5 min, 30 min, 1 h, then
// every 3 h, each ±20 %, for 3 days: about 30 attempts, and a merchant
// down over a weekend day still gets its events.
var DefaultBackoff = Backoff{
	Delays: []time.Duration{
		10 * time.Second, 30 * time.Second, time.Minute, 5 * time.Minute,
		30 * time.Minute, time.Hour, 3 * time.Hour,
	},
	Jitter:  0.2,
	Horizon: 72 * time.Hour,
}

// validate says what is wrong with b, if anything.
func (b Backoff) validate() error {
	if len(b.Delays) == 0 {
		return errors.New("backoff needs at least one delay")
	}
	for _, d := range b.Delays {
		if d <= 0 {
			return errors.New("backoff delays must be positive")
		}
	}
	if b.Jitter < 0 || b.Jitter >= 1 {
		return errors.New("backoff jitter must be in [0, 1)")
	}
	if b.Horizon <= 0 {
		return errors.New("backoff horizon must be positive")
	}
	return nil
}

// next returns when to try an event created at created again, after its
// attempts-th attempt failed at now; false gives it up.
func (b Backoff) next(attempts int, created, now time.Time) (time.Time, bool) {
	end := created.Add(b.Horizon)
	if !now.Before(end) {
		return time.Time{}, false
	}
	d := b.Delays[min(max(attempts, 1), len(b.Delays))-1]
	if b.Jitter > 0 {
		d = time.Duration(float64(d) * (1 + b.Jitter*(2*rand.Float64()-1)))
	}
	if at := now.Add(d); at.Before(end) {
		return at, true
	}
	return end, true
}
