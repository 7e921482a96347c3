package bench

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
)

// The histogram drawing's size and plot area, in SVG user units.
const (
	svgWidth   = 960
	svgHeight  = 600
	plotLeft   = 80
	plotRight  = svgWidth - 30
	plotTop    = 150 // below the title, the legend and the percentile labels
	plotBottom = svgHeight - 70
)

// runColors are the runs' colours, in run order.
var runColors = []string{"#1f77b4", "#d62728", "#2ca02c", "#9467bd"}

// WriteHistogramSVG draws the latency histogram of every run of r, overlaid
// on one chart: log-scale latency buckets (ten per power of ten) on the x
// axis, each run's share of its operations per bucket on the y axis (so
// that runs of different sizes compare), each run's p50 and p99 marked,
// with axes, a title and a legend. The SVG stands alone (no script, no
// external resource).
func WriteHistogramSVG(w io.Writer, r *Result) error {
	type series struct {
		run    *RunResult
		shares []float64 // percent of the run's operations, per bucket
		color  string
	}
	var all []series
	first, last := histogramBuckets, -1
	maxShare := 0.0
	for i, run := range r.Runs {
		counts := run.grid()
		var total int64
		for _, n := range counts {
			total += n
		}
		s := series{run: run, shares: make([]float64, histogramBuckets), color: runColors[i%len(runColors)]}
		for b, n := range counts {
			if n == 0 {
				continue
			}
			s.shares[b] = float64(n) / float64(total) * 100
			first, last = min(first, b), max(last, b)
			maxShare = max(maxShare, s.shares[b])
		}
		all = append(all, s)
	}

	// The x axis spans whole powers of ten around the data, at least two.
	loDecade, hiDecade := -1, 2 // 0.1 ms to 100 ms when there is no data
	if last >= 0 {
		lo, _ := bucketBounds(first)
		_, hi := bucketBounds(last)
		loDecade = int(math.Floor(math.Log10(lo) + 1e-9))
		hiDecade = int(math.Ceil(math.Log10(hi) - 1e-9))
		if hiDecade-loDecade < 2 {
			hiDecade = loDecade + 2
		}
	}
	x := func(ms float64) float64 {
		f := (math.Log10(ms) - float64(loDecade)) / float64(hiDecade-loDecade)
		return plotLeft + f*(plotRight-plotLeft)
	}
	yMax, yStep := niceScale(maxShare)
	y := func(share float64) float64 { return plotBottom - share/yMax*(plotBottom-plotTop) }

	var b bytes.Buffer
	fmt.Fprintf(&b, `<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" font-family="sans-serif" font-size="12">
`, svgWidth, svgHeight, svgWidth, svgHeight)
	fmt.Fprintf(&b, `<rect width="%d" height="%d" fill="#ffffff"/>`+"\n", svgWidth, svgHeight)
	c := r.Config
	title := fmt.Sprintf("payhost bench: latency of every operation (%s, mix %s, %s, %s)", c.Provider, c.Mix, clients(c.Concurrency), seconds(c.DurationS))
	fmt.Fprintf(&b, `<text id="title" x="%d" y="28" font-size="16" font-weight="bold">%s</text>`+"\n", plotLeft, esc(title))

	// Grid and axes.
	b.WriteString(`<g id="x-axis" stroke="#000000">` + "\n")
	fmt.Fprintf(&b, `<line x1="%d" y1="%d" x2="%d" y2="%d"/>`+"\n", plotLeft, plotBottom, plotRight, plotBottom)
	for d := loDecade; d <= hiDecade; d++ {
		v := math.Pow(10, float64(d))
		px := x(v)
		fmt.Fprintf(&b, `<line class="grid" x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="#dddddd"/>`+"\n", px, plotTop, px, plotBottom)
		fmt.Fprintf(&b, `<line class="tick" x1="%.1f" y1="%d" x2="%.1f" y2="%d"/>`+"\n", px, plotBottom, px, plotBottom+6)
		fmt.Fprintf(&b, `<text class="tick-label" x="%.1f" y="%d" text-anchor="middle" stroke="none">%s</text>`+"\n", px, plotBottom+20, esc(tickLabel(v)))
		if d == hiDecade {
			break
		}
		for m := 2; m <= 9; m++ {
			px := x(float64(m) * v)
			fmt.Fprintf(&b, `<line class="minor-tick" x1="%.1f" y1="%d" x2="%.1f" y2="%d"/>`+"\n", px, plotBottom, px, plotBottom+3)
		}
	}
	fmt.Fprintf(&b, `<text class="axis-title" x="%d" y="%d" text-anchor="middle" stroke="none">latency (ms, log scale)</text>`+"\n", (plotLeft+plotRight)/2, plotBottom+45)
	b.WriteString("</g>\n")

	b.WriteString(`<g id="y-axis" stroke="#000000">` + "\n")
	fmt.Fprintf(&b, `<line x1="%d" y1="%d" x2="%d" y2="%d"/>`+"\n", plotLeft, plotTop, plotLeft, plotBottom)
	for v := 0.0; v <= yMax+yStep/2; v += yStep {
		py := y(v)
		if v > 0 {
			fmt.Fprintf(&b, `<line class="grid" x1="%d" y1="%.1f" x2="%d" y2="%.1f" stroke="#eeeeee"/>`+"\n", plotLeft, py, plotRight, py)
		}
		fmt.Fprintf(&b, `<line class="tick" x1="%d" y1="%.1f" x2="%d" y2="%.1f"/>`+"\n", plotLeft-6, py, plotLeft, py)
		fmt.Fprintf(&b, `<text class="tick-label" x="%d" y="%.1f" text-anchor="end" stroke="none">%s%%</text>`+"\n", plotLeft-9, py+4, strconv.FormatFloat(v, 'g', 4, 64))
	}
	fmt.Fprintf(&b, `<text class="axis-title" transform="translate(22 %d) rotate(-90)" text-anchor="middle" stroke="none">share of the run's operations (%%)</text>`+"\n", (plotTop+plotBottom)/2)
	b.WriteString("</g>\n")

	// One outline per run: bars as a step path, filled translucent.
	for n, s := range all {
		fmt.Fprintf(&b, `<g id="run-%s" class="run" fill="%s" stroke="%s">`+"\n", esc(s.run.Name), s.color, s.color)
		if last >= 0 {
			var p strings.Builder
			fmt.Fprintf(&p, "M%.1f %d", x(mustLo(first)), plotBottom)
			for i := first; i <= last; i++ {
				lo, hi := bucketBounds(i)
				fmt.Fprintf(&p, " L%.1f %.1f L%.1f %.1f", x(lo), y(s.shares[i]), x(hi), y(s.shares[i]))
			}
			_, hi := bucketBounds(last)
			fmt.Fprintf(&p, " L%.1f %d Z", x(hi), plotBottom)
			fmt.Fprintf(&b, `<path class="bars" d="%s" fill-opacity="0.3" stroke-width="1.5"/>`+"\n", p.String())
		}
		if s.run.Operations > 0 {
			for _, m := range []struct {
				name string
				v    float64
			}{{"p50", s.run.Latency.P50}, {"p99", s.run.Latency.P99}} {
				if m.v <= 0 {
					continue
				}
				px := x(m.v)
				// Each run's labels on a line of their own, so that
				// close percentiles of two runs stay readable.
				labelY := plotTop - 10 - 14*(n%3)
				fmt.Fprintf(&b, `<line class="percentile" x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke-dasharray="5 4" stroke-width="1.5"/>`+"\n", px, labelY+3, px, plotBottom)
				fmt.Fprintf(&b, `<text class="percentile-label" x="%.1f" y="%d" text-anchor="middle" stroke="none">%s %s</text>`+"\n", px, labelY, esc(s.run.Name), m.name)
			}
		}
		b.WriteString("</g>\n")
	}

	// Legend, between the title and the plot, where it hides no bar.
	const lineH = 18
	lx, ly := plotLeft, 44
	b.WriteString(`<g id="legend">` + "\n")
	for i, s := range all {
		yy := ly + i*lineH
		fmt.Fprintf(&b, `<rect class="swatch" x="%d" y="%d" width="14" height="14" fill="%s" fill-opacity="0.3" stroke="%s"/>`, lx, yy, s.color, s.color)
		label := fmt.Sprintf("%s: %d ops, p50 %s ms, p99 %s ms", s.run.Name, s.run.Operations, msf(s.run.Latency.P50), msf(s.run.Latency.P99))
		fmt.Fprintf(&b, `<text x="%d" y="%d">%s</text>`+"\n", lx+22, yy+12, esc(label))
	}
	fmt.Fprintf(&b, `<text x="%d" y="%d" fill="#555555">dashed lines: each run's p50 and p99</text>`+"\n", lx, ly+len(all)*lineH+12)
	b.WriteString("</g>\n</svg>\n")
	_, err := w.Write(b.Bytes())
	return err
}

// grid returns the run's full histogram: the one it measured, or the one
// rebuilt from its JSON buckets.
func (r *RunResult) grid() []int64 {
	if r.counts != nil {
		return r.counts
	}
	counts := make([]int64, histogramBuckets)
	for _, bk := range r.Histogram {
		i := int(math.Round(math.Log10(bk.FromMs/ms(histogramFloor)) * bucketsPerDecade))
		counts[min(max(i, 0), histogramBuckets-1)] += bk.Count
	}
	return counts
}

func mustLo(i int) float64 { lo, _ := bucketBounds(i); return lo }

// niceScale returns an axis maximum at or above v and a step of 1, 2,
// 2.5 or 5 times a power of ten that cuts it in at most six.
func niceScale(v float64) (top, step float64) {
	if v <= 0 {
		return 100, 20
	}
	for p := math.Pow(10, math.Floor(math.Log10(v))-1); ; p *= 10 {
		for _, m := range []float64{1, 2, 2.5, 5} {
			step = m * p
			if n := math.Ceil(v/step - 1e-9); n <= 6 {
				return n * step, step
			}
		}
	}
}

// tickLabel prints a power of ten of milliseconds.
func tickLabel(v float64) string {
	switch {
	case v >= 1000:
		return strconv.FormatFloat(v/1000, 'f', -1, 64) + " s"
	case v < 0.001:
		return strconv.FormatFloat(v*1000, 'f', -1, 64) + " µs"
	default:
		return strconv.FormatFloat(v, 'f', -1, 64) + " ms"
	}
}

func esc(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}
