// Package report draws what a job's measurements look like: bench charts (bars
// above timelines, one time scale per group) and the timeline of a job's
// workers, as pictures, and the same spans as a Chrome trace. It knows images
// and encodings, never files (the caller writes them, see output.Temps) or how
// the figures were measured; only the render command's bench, --trace and
// --timeline use it.
package report

import (
	"fmt"
	"image"
	"image/color"
	"math"
	"strconv"

	"github.com/fogleman/gg"

	"github.com/sdfrender/render/internal/typeface"
)

// Box is one piece of work on a timeline: Lane's work from Start to End seconds.
// Boxes of the same Group (a frame, say) share a colour.
type Box struct {
	Lane       int
	Start, End float64
	Group      int
}

// Timeline is the work of several lanes (workers, say) over time.
type Timeline struct {
	Title    string
	Lanes    []string // lane labels, top to bottom
	Boxes    []Box
	Duration float64 // seconds
	// Group names the timelines that DrawBench draws to one time scale, that of
	// the longest among them, so that their lengths compare at a glance.
	Group string
}

// Bar is one bar of a bar chart: Value drawn to scale, Note printed after it.
type Bar struct {
	Label string
	Value float64
	Note  string
}

// Chart layout, in pixels.
const (
	chartWidth   = 1200
	chartMargin  = 24
	labelWidth   = 230
	barHeight    = 22
	laneHeight   = 16
	titleHeight  = 30
	sectionSpace = 26
)

// DrawBench draws a bar chart (wall time by configuration, say) above timelines,
// each group of them drawn to one time scale.
func DrawBench(title string, bars []Bar, unit string, timelines []Timeline) *image.RGBA {
	height := chartMargin + titleHeight + len(bars)*(barHeight+6) + sectionSpace
	for _, t := range timelines {
		height += titleHeight + len(t.Lanes)*laneHeight + sectionSpace
	}
	height += chartMargin
	dc := newCanvas(chartWidth, height)
	y := float64(chartMargin)
	heading(dc, title, y)
	y += titleHeight
	y = drawBars(dc, bars, unit, y)
	y += sectionSpace
	longest := map[string]float64{}
	for _, t := range timelines {
		longest[t.Group] = max(longest[t.Group], t.Duration)
	}
	for _, t := range timelines {
		y = drawTimeline(dc, t, longest[t.Group], y) + sectionSpace
	}
	return dc.Image().(*image.RGBA)
}

// DrawTimeline draws one timeline on its own, with a time axis.
func DrawTimeline(t Timeline) *image.RGBA {
	height := 2*chartMargin + titleHeight + len(t.Lanes)*laneHeight + sectionSpace
	dc := newCanvas(chartWidth, height)
	drawTimeline(dc, t, t.Duration, chartMargin)
	return dc.Image().(*image.RGBA)
}

func newCanvas(w, h int) *gg.Context {
	dc := gg.NewContext(w, h)
	dc.SetRGB(1, 1, 1)
	dc.Clear()
	return dc
}

func heading(dc *gg.Context, s string, y float64) {
	dc.SetFontFace(typeface.Face(true, 16))
	dc.SetRGB(0.1, 0.1, 0.12)
	dc.DrawStringAnchored(s, chartMargin, y+10, 0, 0.5)
}

func drawBars(dc *gg.Context, bars []Bar, unit string, y float64) float64 {
	most := 0.0
	for _, b := range bars {
		most = max(most, b.Value)
	}
	span := float64(chartWidth-chartMargin-labelWidth) - 260 // room for the note
	dc.SetFontFace(typeface.Face(false, 12))
	for i, b := range bars {
		dc.SetRGB(0.2, 0.2, 0.22)
		dc.DrawStringAnchored(b.Label, chartMargin, y+barHeight/2, 0, 0.35)
		w := 0.0
		if most > 0 {
			w = span * b.Value / most
		}
		dc.SetColor(hue(i))
		dc.DrawRectangle(chartMargin+labelWidth, y, w, barHeight)
		dc.Fill()
		dc.SetRGB(0.2, 0.2, 0.22)
		dc.DrawStringAnchored(fmt.Sprintf("%.3g %s  %s", b.Value, unit, b.Note), chartMargin+labelWidth+w+8, y+barHeight/2, 0, 0.35)
		y += barHeight + 6
	}
	return y
}

// drawTimeline draws t with duration seconds across the plot, from y down, and
// returns the y below it.
func drawTimeline(dc *gg.Context, t Timeline, duration, y float64) float64 {
	heading(dc, t.Title, y)
	y += titleHeight
	left := float64(chartMargin + labelWidth)
	width := float64(chartWidth - chartMargin - labelWidth - chartMargin)
	scale := width / max(duration, 1e-9)
	dc.SetFontFace(typeface.Face(false, 11))
	for i, label := range t.Lanes {
		ly := y + float64(i*laneHeight)
		if i%2 == 0 {
			dc.SetRGB(0.95, 0.95, 0.96)
			dc.DrawRectangle(left, ly, width, laneHeight)
			dc.Fill()
		}
		dc.SetRGB(0.3, 0.3, 0.33)
		dc.DrawStringAnchored(label, chartMargin, ly+laneHeight/2, 0, 0.35)
	}
	for _, b := range t.Boxes {
		x0, x1 := left+float64(b.Start*scale), left+float64(b.End*scale)
		by := y + float64(b.Lane*laneHeight) + 1
		dc.SetColor(hue(b.Group))
		dc.DrawRectangle(x0, by, max(x1-x0, 0.5), laneHeight-2)
		dc.Fill()
	}
	// The time axis: the end of this timeline, and the shared scale's ticks.
	bottom := y + float64(len(t.Lanes)*laneHeight)
	dc.SetRGB(0.3, 0.3, 0.33)
	dc.SetLineWidth(1)
	dc.DrawLine(left, bottom+2, left+width, bottom+2)
	dc.Stroke()
	step := niceStep(duration / 8)
	for s := 0.0; s <= duration+1e-9; s += step {
		x := left + float64(s*scale)
		dc.DrawLine(x, bottom+2, x, bottom+6)
		dc.Stroke()
		dc.DrawStringAnchored(strconv.FormatFloat(roundTo(s, step), 'g', 4, 64)+"s", x, bottom+14, 0.5, 0.35)
	}
	if t.Duration < duration {
		x := left + float64(t.Duration*scale)
		dc.SetRGB(0.8, 0.1, 0.1)
		dc.DrawLine(x, y, x, bottom+2)
		dc.Stroke()
	}
	return bottom + 18
}

// niceStep rounds a tick spacing up to 1, 2 or 5 times a power of ten.
func niceStep(x float64) float64 {
	if x <= 0 {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(x)))
	for _, m := range []float64{1, 2, 5, 10} {
		if m*p >= x {
			return m * p
		}
	}
	return 10 * p
}

func roundTo(x, step float64) float64 { return math.Round(x/step) * step }

// hue returns a distinct, pleasant colour for index i: hues a golden angle apart.
func hue(i int) color.Color {
	h := math.Mod(float64(i)*137.508, 360)
	return hsl(h, 0.55, 0.58)
}

func hsl(h, s, l float64) color.Color {
	c := (1 - math.Abs(float64(2*l)-1)) * s
	x := c * (1 - math.Abs(math.Mod(h/60, 2)-1))
	m := l - float64(c/2)
	var r, g, b float64
	switch {
	case h < 60:
		r, g, b = c, x, 0
	case h < 120:
		r, g, b = x, c, 0
	case h < 180:
		r, g, b = 0, c, x
	case h < 240:
		r, g, b = 0, x, c
	case h < 300:
		r, g, b = x, 0, c
	default:
		r, g, b = c, 0, x
	}
	return color.RGBA{uint8((r + m) * 255), uint8((g + m) * 255), uint8((b + m) * 255), 255}
}
