package bench

import (
	"math"
	"testing"
	"time"
)

func TestSummarize(t *testing.T) {
	// 1 ms to 100 ms: nearest rank gives the value at the rank itself.
	var d []time.Duration
	for i := 100; i >= 1; i-- {
		d = append(d, time.Duration(i)*time.Millisecond)
	}
	l := summarize(d)
	want := Latency{P50: 50, P95: 95, P99: 99, Mean: 50.5, Min: 1, Max: 100}
	if l != want {
		t.Errorf("summarize = %+v, want %+v", l, want)
	}
	if one := summarize([]time.Duration{7 * time.Millisecond}); one.P50 != 7 || one.P99 != 7 {
		t.Errorf("one value: %+v", one)
	}
	if zero := summarize(nil); zero != (Latency{}) {
		t.Errorf("no value: %+v", zero)
	}
}

func TestBuckets(t *testing.T) {
	for _, tt := range []struct {
		d    time.Duration
		want int
	}{
		{0, 0},
		{time.Microsecond, 0},
		{10 * time.Microsecond, 10},
		{time.Millisecond, 30},
		{1500 * time.Microsecond, 31}, // 10^(31/10) µs ≈ 1.26 ms ≤ 1.5 ms < 1.58 ms
		{time.Hour, histogramBuckets - 1},
	} {
		if got := bucketOf(tt.d); got != tt.want {
			t.Errorf("bucketOf(%s) = %d, want %d", tt.d, got, tt.want)
		}
		lo, hi := bucketBounds(bucketOf(tt.d))
		if v := ms(tt.d); tt.d > histogramFloor && tt.d < time.Minute && (v < lo*(1-1e-9) || v >= hi) {
			t.Errorf("%s is not in its bucket [%g, %g) ms", tt.d, lo, hi)
		}
	}
	lo, hi := bucketBounds(30)
	if math.Abs(lo-1) > 1e-9 || math.Abs(hi-math.Pow(10, 0.1)) > 1e-9 {
		t.Errorf("bucket 30 is [%g, %g) ms, want [1, 1.259)", lo, hi)
	}
}
