package bench

import (
	"math"
	"slices"
	"time"
)

// Latency summarises latencies, in milliseconds.
type Latency struct {
	P50  float64 `json:"p50"`
	P95  float64 `json:"p95"`
	P99  float64 `json:"p99"`
	Mean float64 `json:"mean"`
	Min  float64 `json:"min"`
	Max  float64 `json:"max"`
}

// summarize returns the percentiles (nearest rank), mean and extremes of
// d, which it sorts.
func summarize(d []time.Duration) Latency {
	if len(d) == 0 {
		return Latency{}
	}
	slices.Sort(d)
	var sum time.Duration
	for _, v := range d {
		sum += v
	}
	return Latency{
		P50:  ms(percentile(d, 50)),
		P95:  ms(percentile(d, 95)),
		P99:  ms(percentile(d, 99)),
		Mean: ms(sum / time.Duration(len(d))),
		Min:  ms(d[0]),
		Max:  ms(d[len(d)-1]),
	}
}

// percentile returns the p-th percentile of sorted by the nearest-rank
// method: the smallest value at or above which p percent of the values lie.
func percentile(sorted []time.Duration, p float64) time.Duration {
	rank := int(math.Ceil(p / 100 * float64(len(sorted))))
	return sorted[max(rank, 1)-1]
}

// ms is d in milliseconds.
func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// The histogram's buckets: bucketsPerDecade per power of ten from
// histogramFloor up; bucket i holds latencies in
// [floor·10^(i/perDecade), floor·10^((i+1)/perDecade)).
const (
	bucketsPerDecade = 10
	histogramFloor   = time.Microsecond
	histogramBuckets = 8 * bucketsPerDecade // 1µs to 100s
)

// bucketOf returns the histogram bucket of d; latencies outside the range
// go to the first or last bucket.
func bucketOf(d time.Duration) int {
	if d <= histogramFloor {
		return 0
	}
	i := int(math.Floor(math.Log10(float64(d)/float64(histogramFloor)) * bucketsPerDecade))
	return min(max(i, 0), histogramBuckets-1)
}

// bucketBounds returns the lower and upper bounds of bucket i, in
// milliseconds.
func bucketBounds(i int) (lo, hi float64) {
	floor := ms(histogramFloor)
	return floor * math.Pow(10, float64(i)/bucketsPerDecade), floor * math.Pow(10, float64(i+1)/bucketsPerDecade)
}

// Bucket is one non-empty bucket of a latency histogram: Count operations
// took at least FromMs and less than ToMs milliseconds.
type Bucket struct {
	FromMs float64 `json:"from_ms"`
	ToMs   float64 `json:"to_ms"`
	Count  int64   `json:"count"`
}

// histogram counts d in the log-scale buckets.
func histogram(d []time.Duration) []int64 {
	counts := make([]int64, histogramBuckets)
	for _, v := range d {
		counts[bucketOf(v)]++
	}
	return counts
}

// nonEmpty lists the buckets of counts that hold operations.
func nonEmpty(counts []int64) []Bucket {
	var out []Bucket
	for i, n := range counts {
		if n > 0 {
			lo, hi := bucketBounds(i)
			out = append(out, Bucket{FromMs: round(lo, 4), ToMs: round(hi, 4), Count: n})
		}
	}
	return out
}

// round rounds x to digits significant digits, for readable JSON.
func round(x float64, digits int) float64 {
	if x == 0 || math.IsNaN(x) || math.IsInf(x, 0) {
		return x
	}
	scale := math.Pow(10, float64(digits)-math.Ceil(math.Log10(math.Abs(x))))
	return math.Round(x*scale) / scale
}
