package report

import (
	"bytes"
	"encoding/json"
	"image"
	"image/color"
	"testing"
	"time"
)

func TestHSLSectors(t *testing.T) {
	for _, c := range []struct {
		h, s, l float64
		want    color.RGBA
	}{
		{0, 1, 0.5, color.RGBA{255, 0, 0, 255}},
		{30, 1, 0.5, color.RGBA{255, 127, 0, 255}},
		{60, 1, 0.5, color.RGBA{255, 255, 0, 255}},
		{90, 1, 0.5, color.RGBA{127, 255, 0, 255}},
		{120, 1, 0.5, color.RGBA{0, 255, 0, 255}},
		{150, 1, 0.5, color.RGBA{0, 255, 127, 255}},
		{210, 1, 0.5, color.RGBA{0, 127, 255, 255}},
		{240, 1, 0.5, color.RGBA{0, 0, 255, 255}},
		{270, 1, 0.5, color.RGBA{127, 0, 255, 255}},
		{330, 1, 0.5, color.RGBA{255, 0, 127, 255}},
		{200, 0, 0.5, color.RGBA{127, 127, 127, 255}},
		{200, 1, 1, color.RGBA{255, 255, 255, 255}},
		{200, 1, 0, color.RGBA{0, 0, 0, 255}},
	} {
		if got := hsl(c.h, c.s, c.l); got != c.want {
			t.Errorf("hsl(%g, %g, %g) = %v, want %v", c.h, c.s, c.l, got, c.want)
		}
	}
	// hue steps round the circle by the golden angle, at one saturation and
	// lightness.
	for i, want := range []color.RGBA{{206, 88, 88, 255}, {88, 206, 123, 255}, {157, 88, 206, 255}, {206, 192, 88, 255}} {
		if got := hue(i); got != want {
			t.Errorf("hue(%d) = %v, want %v", i, got, want)
		}
	}
}

func TestNiceStepMore(t *testing.T) {
	for _, c := range []struct{ in, want float64 }{
		{1, 1}, {1.5, 2}, {2, 2}, {2.5, 5}, {5, 5}, {5.5, 10}, {0.7, 1}, {0.15, 0.2}, {10, 10}, {12, 20}, {25, 50}, {-3, 1},
	} {
		if got := niceStep(c.in); got != c.want {
			t.Errorf("niceStep(%g) = %g, want %g", c.in, got, c.want)
		}
	}
	for _, c := range []struct{ x, step, want float64 }{{7.4, 2, 8}, {6.9, 2, 6}, {0.26, 0.5, 0.5}, {3, 1, 3}} {
		if got := roundTo(c.x, c.step); got != c.want {
			t.Errorf("roundTo(%g, %g) = %g, want %g", c.x, c.step, got, c.want)
		}
	}
}

func TestChartHeights(t *testing.T) {
	tl := func(lanes int) Timeline { return Timeline{Lanes: make([]string, lanes), Duration: 1} }
	for _, c := range []struct {
		bars      int
		timelines []Timeline
		want      int
	}{
		{0, nil, chartMargin + titleHeight + sectionSpace + chartMargin},
		{2, nil, chartMargin + titleHeight + 2*(barHeight+6) + sectionSpace + chartMargin},
		{2, []Timeline{tl(3)}, chartMargin + titleHeight + 2*(barHeight+6) + sectionSpace + titleHeight + 3*laneHeight + sectionSpace + chartMargin},
		{1, []Timeline{tl(1), tl(4)}, chartMargin + titleHeight + (barHeight + 6) + sectionSpace + 2*(titleHeight+sectionSpace) + 5*laneHeight + chartMargin},
	} {
		bars := make([]Bar, c.bars)
		if got := DrawBench("b", bars, "s", c.timelines).Rect; got != image.Rect(0, 0, chartWidth, c.want) {
			t.Errorf("DrawBench of %d bars and %d timelines is %v, want %dx%d", c.bars, len(c.timelines), got.Size(), chartWidth, c.want)
		}
	}
	if got, want := DrawTimeline(tl(2)).Rect.Dy(), 2*chartMargin+titleHeight+2*laneHeight+sectionSpace; got != want {
		t.Errorf("DrawTimeline of 2 lanes is %d high, want %d", got, want)
	}
}

// TestBarsToScale checks the bars: the longest spans the plot, the others in
// proportion, each in its own colour; values all 0 draw no bar.
func TestBarsToScale(t *testing.T) {
	img := DrawBench("b", []Bar{{"a", 2, ""}, {"b", 1, ""}}, "s", nil)
	left := chartMargin + labelWidth
	span := chartWidth - chartMargin - labelWidth - 260
	y0 := chartMargin + titleHeight + barHeight/2
	y1 := y0 + barHeight + 6
	for _, c := range []struct {
		x, y int
		want color.Color
		in   bool
	}{
		{left + 2, y0, hue(0), true},
		{left + span - 3, y0, hue(0), true},
		{left + span + 3, y0, hue(0), false},
		{left + span/2 - 3, y1, hue(1), true},
		{left + span/2 + 3, y1, hue(1), false},
		{left + 2, chartMargin + titleHeight - 1, hue(0), false}, // above the first bar
		{left + 2, chartMargin + titleHeight, hue(0), true},
		{left + 2, chartMargin + titleHeight + barHeight - 1, hue(0), true},
		{left + 2, chartMargin + titleHeight + barHeight, hue(0), false},
	} {
		if got := img.At(c.x, c.y); sameColor(got, c.want) != c.in {
			t.Errorf("pixel (%d, %d) = %v; in the bar of colour %v: %v, want %v", c.x, c.y, got, c.want, !c.in, c.in)
		}
	}
	zero := DrawBench("b", []Bar{{"a", 0, "NOTE"}}, "s", nil)
	if got := zero.At(left+1, y0); sameColor(got, hue(0)) {
		t.Errorf("a bar of 0 of 0 drew %v at its start, want nothing", got)
	}
	// Its note follows the empty bar, where a bar of 0 ends.
	if note := inkBox(zero, image.Rect(left, y0-barHeight/2, chartWidth, y0+barHeight/2)); note.Empty() || !near(note.Min.X, left+8, 3) {
		t.Errorf("the note of a bar of 0 of 0 is at %v, want it from column %d", note, left+8)
	}
}

// TestTimelineOnASharedScale checks a timeline drawn to its group's longer
// scale: its boxes in proportion, a red line where it ends, its lanes striped,
// its boxes one pixel inside their lane, and the axis's ticks, the last at the
// end.
func TestTimelineOnASharedScale(t *testing.T) {
	short := Timeline{Title: "short", Lanes: []string{"a", "b"}, Boxes: []Box{{Lane: 1, Start: 0, End: 0.5, Group: 2}}, Duration: 1, Group: "g"}
	long := Timeline{Title: "long", Lanes: []string{"a"}, Boxes: []Box{{Lane: 0, Start: 0, End: 10, Group: 3}}, Duration: 10, Group: "g"}
	img := DrawBench("b", nil, "s", []Timeline{short, long})
	left, width := chartMargin+labelWidth, chartWidth-2*chartMargin-labelWidth
	y := chartMargin + titleHeight + sectionSpace + titleHeight // short's lanes
	lane1 := y + laneHeight
	if got := img.At(left+width/40, lane1+laneHeight/2); !sameColor(got, hue(2)) {
		t.Errorf("pixel at 2.5%% of the short timeline's lane 1 = %v, want its box %v", got, hue(2))
	}
	if got := img.At(left+width/10, lane1+laneHeight/2); sameColor(got, hue(2)) {
		t.Errorf("pixel at 10%% of the short timeline's lane 1 = %v, want its box ended at 5%%", got)
	}
	for _, c := range []struct {
		dy int
		in bool
	}{{0, false}, {1, true}, {laneHeight - 2, true}, {laneHeight - 1, false}} {
		if got := img.At(left+width/80, lane1+c.dy); sameColor(got, hue(2)) != c.in {
			t.Errorf("row %d of lane 1 = %v; in the box: %v, want %v", c.dy, got, !c.in, c.in)
		}
	}
	bottomShort := y + 2*laneHeight
	// Lane 0 is striped grey, lane 1 is not.
	if got := img.At(left+width/2, y+laneHeight/2); !sameColor(got, color.RGBA{242, 242, 244, 255}) {
		t.Errorf("lane 0 at its middle = %v, want the stripe's grey", got)
	}
	if got := img.At(left+width/2, lane1+laneHeight/2); !sameColor(got, color.White) {
		t.Errorf("lane 1 at its middle = %v, want white", got)
	}
	// The red line where the short timeline ends, at a tenth of the scale.
	redX := left + width/10
	if r, g, _, _ := img.At(redX, y+laneHeight/2).RGBA(); r>>8 < 150 || g>>8 > 150 {
		t.Errorf("pixel at the short timeline's end = %v, want the red line", img.At(redX, y+laneHeight/2))
	}
	longY := y + 2*laneHeight + 18 + sectionSpace + titleHeight
	if r, g, _, _ := img.At(redX, longY+laneHeight/2).RGBA(); r>>8 > 150 && g>>8 < 150 {
		t.Errorf("pixel at a tenth of the long timeline = %v, want no red line: it is the scale's length", img.At(redX, longY+laneHeight/2))
	}
	// Ticks every 2 s of the 10 s scale (niceStep(10/8) = 2), the last at the end.
	bottom := longY + laneHeight
	dark := func(x int) bool { r, _, _, _ := img.At(x, bottom+4).RGBA(); return r>>8 < 220 } // a line on a pixel edge half-covers two
	for s := 0; s <= 10; s += 2 {
		if x := left + s*width/10; !dark(x) {
			t.Errorf("no tick at %d s (x %d): %v", s, x, img.At(x, bottom+4))
		}
	}
	for s := 1; s < 10; s += 2 {
		if x := left + s*width/10; dark(x) {
			t.Errorf("a tick at %d s (x %d), want them every 2 s", s, x)
		}
	}
	// The ticks hang below the axis, which runs under the plot, no further.
	stripe := color.RGBA{242, 242, 244, 255} // the lane's last row, below its box
	if x := left + 4*width/10; !sameColor(img.At(x, bottom-1), stripe) {
		t.Errorf("pixel (%d, %d) above the tick at 4 s = %v, want the lane's %v: the tick starts at the axis", x, bottom-1, img.At(x, bottom-1), stripe)
	}
	for _, x := range []int{left + width/2, left + 3, left + width - 3} {
		if r, _, _, _ := img.At(x, bottom+2).RGBA(); r>>8 > 220 {
			t.Errorf("pixel (%d, %d) on the axis = %v, want the axis line", x, bottom+2, img.At(x, bottom+2))
		}
	}
	if r, _, _, _ := img.At(left-5, bottom+2).RGBA(); r>>8 < 250 {
		t.Errorf("pixel (%d, %d) left of the plot = %v, want the axis to start at the plot", left-5, bottom+2, img.At(left-5, bottom+2))
	}
	// The red line runs down to the axis.
	if r, g, _, _ := img.At(redX, bottomShort+1).RGBA(); int(r>>8)-int(g>>8) < 60 {
		t.Errorf("pixel (%d, %d) just above the short timeline's axis = %v, want the red line down to it", redX, bottomShort+1, img.At(redX, bottomShort+1))
	}
	// The long timeline is the scale's length: no red line at its end.
	if got := img.At(left+width-1, longY+laneHeight/2); !sameColor(got, hue(3)) {
		t.Errorf("pixel at the long timeline's end = %v, want its box %v, no red line", got, hue(3))
	}
}

func TestWriteChromeTraceFields(t *testing.T) {
	events := []TraceEvent{
		{Name: "a", Lane: 0, Start: 1234 * time.Nanosecond, Dur: 0},
		{Name: "b", Category: "c", Lane: 2, Start: 2 * time.Second, Dur: 1500 * time.Nanosecond, Args: map[string]any{"k": "v"}},
	}
	var buf bytes.Buffer
	if err := WriteChromeTrace(&buf, []string{"w0", "w1", "w2"}, events); err != nil {
		t.Fatal(err)
	}
	var got struct {
		TraceEvents     []map[string]any
		DisplayTimeUnit string
	}
	if err := json.Unmarshal(buf.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if got.DisplayTimeUnit != "ms" || len(got.TraceEvents) != 5 {
		t.Fatalf("trace = %s, want 3 lanes and 2 spans, in ms", buf.Bytes())
	}
	for i := range 3 {
		m := got.TraceEvents[i]
		if m["name"] != "thread_name" || m["ph"] != "M" || m["pid"] != 1.0 || m["tid"] != float64(i) || m["args"].(map[string]any)["name"] != []string{"w0", "w1", "w2"}[i] {
			t.Errorf("lane event %d = %v, want thread_name w%d on tid %d", i, m, i, i)
		}
	}
	a, b := got.TraceEvents[3], got.TraceEvents[4]
	if a["ts"] != 1.234 || a["tid"] != 0.0 || a["pid"] != 1.0 || a["ph"] != "X" {
		t.Errorf("span a = %v, want ts 1.234 µs on tid 0", a)
	}
	for _, k := range []string{"cat", "dur", "args"} {
		if _, ok := a[k]; ok {
			t.Errorf("span a has %s = %v, want it left out when empty", k, a[k])
		}
	}
	if b["ts"] != 2e6 || b["dur"] != 1.5 || b["cat"] != "c" || b["tid"] != 2.0 || b["args"].(map[string]any)["k"] != "v" {
		t.Errorf("span b = %v, want ts 2e6, dur 1.5, cat c, tid 2, args k: v", b)
	}
}

// inkBox returns the bounds of the dark pixels (text, lines) of img within r.
func inkBox(img *image.RGBA, r image.Rectangle) image.Rectangle {
	var box image.Rectangle
	r = r.Intersect(img.Rect)
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if c := img.RGBAAt(x, y); int(c.R)+int(c.G)+int(c.B) < 3*128 {
				box = box.Union(image.Rect(x, y, x+1, y+1))
			}
		}
	}
	return box
}

// near reports whether a is within d of b.
func near(a, b, d int) bool { return a >= b-d && a <= b+d }

// TestTextPlacement checks where the charts' words go: the title centred on its
// line, each lane's label on its lane, a bar's label on its bar and its note
// just after its end, and the time axis's labels under their ticks.
func TestTextPlacement(t *testing.T) {
	tl := Timeline{Title: "TITLE", Lanes: []string{"LANE0", "LANE1"}, Duration: 10}
	img := DrawTimeline(tl)
	title := inkBox(img, image.Rect(0, 0, labelWidth, chartMargin+titleHeight))
	if mid := (title.Min.Y + title.Max.Y) / 2; title.Empty() || !near(mid, chartMargin+10, 3) || !near(title.Min.X, chartMargin, 3) {
		t.Errorf("the title's ink is at %v, want it centred on row %d from column %d", title, chartMargin+10, chartMargin)
	}
	y := chartMargin + titleHeight
	for i := range 2 {
		ly := y + i*laneHeight
		lane := inkBox(img, image.Rect(0, ly, labelWidth, ly+laneHeight))
		if mid := (lane.Min.Y + lane.Max.Y) / 2; lane.Empty() || !near(mid, ly+laneHeight/2, 2) || !near(lane.Min.X, chartMargin, 3) {
			t.Errorf("lane %d's label ink is at %v, want it centred on row %d from column %d", i, lane, ly+laneHeight/2, chartMargin)
		}
	}
	// The axis's labels, below the ticks: the first under the plot's left
	// edge, the last under its right.
	left, width := chartMargin+labelWidth, chartWidth-2*chartMargin-labelWidth
	bottom := y + 2*laneHeight
	labels := image.Rect(0, bottom+8, chartWidth, img.Rect.Max.Y)
	first := inkBox(img, image.Rect(left-30, labels.Min.Y, left+30, labels.Max.Y))
	last := inkBox(img, image.Rect(left+width-30, labels.Min.Y, left+width+30, labels.Max.Y))
	for _, c := range []struct {
		name string
		box  image.Rectangle
		x    int
	}{{"0s", first, left}, {"10s", last, left + width}} {
		if midX, midY := (c.box.Min.X+c.box.Max.X)/2, (c.box.Min.Y+c.box.Max.Y)/2; c.box.Empty() || !near(midX, c.x, 3) || !near(midY, bottom+14, 3) {
			t.Errorf("the axis label %s's ink is at %v, want it centred on (%d, %d)", c.name, c.box, c.x, bottom+14)
		}
	}

	b := DrawBench("BENCH", []Bar{{"BARLABEL", 2, "NOTE"}}, "s", nil)
	barY := chartMargin + titleHeight
	label := inkBox(b, image.Rect(0, barY-6, labelWidth, barY+barHeight+6))
	if mid := (label.Min.Y + label.Max.Y) / 2; label.Empty() || !near(mid, barY+barHeight/2, 2) || !near(label.Min.X, chartMargin, 3) {
		t.Errorf("the bar's label ink is at %v, want it centred on row %d from column %d", label, barY+barHeight/2, chartMargin)
	}
	end := chartMargin + labelWidth + chartWidth - chartMargin - labelWidth - 260 // the longest bar's end
	note := inkBox(b, image.Rect(end+1, barY-6, chartWidth, barY+barHeight+6))
	if mid := (note.Min.Y + note.Max.Y) / 2; note.Empty() || !near(note.Min.X, end+8, 3) || !near(mid, barY+barHeight/2, 2) {
		t.Errorf("the bar's note ink is at %v, want it from column %d, centred on row %d", note, end+8, barY+barHeight/2)
	}
}

// TestLanesAndBoxes checks a timeline of three lanes: every other lane striped
// from the first, and a box that starts late drawn from its start.
func TestLanesAndBoxes(t *testing.T) {
	tl := Timeline{Lanes: []string{"a", "b", "c"}, Boxes: []Box{{Lane: 1, Start: 0.5, End: 1, Group: 4}}, Duration: 1}
	img := DrawTimeline(tl)
	left, width := chartMargin+labelWidth, chartWidth-2*chartMargin-labelWidth
	y := chartMargin + titleHeight
	stripe := color.RGBA{242, 242, 244, 255}
	for i, want := range []color.Color{stripe, color.White, stripe} {
		if got := img.At(left+width/4, y+i*laneHeight+laneHeight/2); !sameColor(got, want) {
			t.Errorf("lane %d at a quarter = %v, want %v", i, got, want)
		}
	}
	lane1 := y + laneHeight + laneHeight/2
	if got := img.At(left+width/2-3, lane1); sameColor(got, hue(4)) {
		t.Errorf("pixel just before the box's start (half way) = %v, want no box", got)
	}
	if got := img.At(left+width/2+3, lane1); !sameColor(got, hue(4)) {
		t.Errorf("pixel just after the box's start (half way) = %v, want the box %v", got, hue(4))
	}
}
