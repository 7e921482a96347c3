package routing

import (
	"cmp"
	"fmt"
	"slices"
)

// Splits are deterministic: a payment id always falls in the same bucket,
//
//	bucket = mix64(fnv1a64(id)) mod total
//
// where total is the sum of the route's weights, fnv1a64 is 64-bit FNV-1a
// over the id's bytes and mix64 is the SplitMix64 finalizer (which spreads
// ids that differ only in their last characters). Buckets [0, w1) go to
// the first split, [w1, w1+w2) to the second, and so on.

// bucket returns the payment id's bucket among total.
func bucket(id string, total int64) int64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(id); i++ {
		h ^= uint64(id[i])
		h *= 1099511628211
	}
	h ^= h >> 30
	h *= 0xbf58476d1ce4e5b9
	h ^= h >> 27
	h *= 0x94d049bb133111eb
	h ^= h >> 31
	return int64(h % uint64(total))
}

// splitCandidates returns the split the payment's bucket falls in, then
// the other splits by decreasing weight (declaration order among equals),
// as fallbacks.
func (rt *route) splitCandidates(paymentID string) []Candidate {
	b := bucket(paymentID, rt.total)
	chosen, start := 0, int64(0)
	for i, s := range rt.splits {
		if b < start+s.weight {
			chosen = i
			break
		}
		start += s.weight
	}
	out := []Candidate{{
		Provider: rt.splits[chosen].provider,
		Reason: fmt.Sprintf("split: bucket %d of %d falls in its weight %d (%s)",
			b, rt.total, rt.splits[chosen].weight, share(rt.splits[chosen].weight, rt.total)),
	}}
	rest := slices.Delete(slices.Clone(rt.splits), chosen, chosen+1)
	slices.SortStableFunc(rest, func(a, b split) int { return cmp.Compare(b.weight, a.weight) })
	for _, s := range rest {
		out = append(out, Candidate{
			Provider: s.provider,
			Reason:   fmt.Sprintf("split fallback: weight %d (%s)", s.weight, share(s.weight, rt.total)),
		})
	}
	return out
}

// share renders weight/total as a percentage with one decimal.
func share(weight, total int64) string {
	tenths := (weight*1000 + total/2) / total
	return fmt.Sprintf("%d.%d%%", tenths/10, tenths%10)
}
