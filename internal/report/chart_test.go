package report

import (
	"image/color"
	"testing"
)

func TestDrawTimeline(t *testing.T) {
	tl := Timeline{
		Title:    "two workers",
		Lanes:    []string{"worker 0", "worker 1"},
		Boxes:    []Box{{Lane: 0, Start: 0, End: 0.5, Group: 1}, {Lane: 1, Start: 0.25, End: 1, Group: 2}},
		Duration: 1,
	}
	img := DrawTimeline(tl)
	if img.Rect.Dx() != chartWidth {
		t.Errorf("width %d, want %d", img.Rect.Dx(), chartWidth)
	}
	// Lane 0's box covers the first half of the plot, in its group's colour.
	left, width := chartMargin+labelWidth, chartWidth-2*chartMargin-labelWidth
	y := chartMargin + titleHeight + laneHeight/2
	if got, want := img.At(left+width/4, y), hue(1); !sameColor(got, want) {
		t.Errorf("pixel in lane 0's box = %v, want its colour %v", got, want)
	}
	if got := img.At(left+3*width/4, y); sameColor(got, hue(1)) {
		t.Errorf("pixel after lane 0's box ends = %v, want background", got)
	}
	if got, want := img.At(left+3*width/4, y+laneHeight), hue(2); !sameColor(got, want) {
		t.Errorf("pixel in lane 1's box = %v, want %v", got, want)
	}
}

func TestDrawBenchGrowsWithContent(t *testing.T) {
	bars := []Bar{{"serial", 2, "1.00×"}, {"parallel", 1, "2.00×"}}
	tl := Timeline{Title: "t", Lanes: []string{"a", "b", "c"}, Duration: 2}
	one := DrawBench("bench", bars, "s", []Timeline{tl})
	two := DrawBench("bench", bars, "s", []Timeline{tl, tl})
	if one.Rect.Dx() != chartWidth || two.Rect.Dy() <= one.Rect.Dy() {
		t.Errorf("sizes %v and %v, want width %d and a taller picture with two timelines", one.Rect, two.Rect, chartWidth)
	}
}

func TestNiceStep(t *testing.T) {
	for _, c := range []struct{ in, want float64 }{{0.13, 0.2}, {0.05, 0.05}, {3, 5}, {7, 10}, {0, 1}} {
		if got := niceStep(c.in); got != c.want {
			t.Errorf("niceStep(%g) = %g, want %g", c.in, got, c.want)
		}
	}
}

func TestHuesDiffer(t *testing.T) {
	for i := range 12 {
		if sameColor(hue(i), hue(i+1)) {
			t.Errorf("hue(%d) = hue(%d) = %v, want neighbours to differ", i, i+1, hue(i))
		}
	}
}

func sameColor(a, b color.Color) bool {
	ar, ag, ab, _ := a.RGBA()
	br, bg, bb, _ := b.RGBA()
	return ar>>8 == br>>8 && ag>>8 == bg>>8 && ab>>8 == bb>>8
}

func TestDrawBenchScalesEachGroup(t *testing.T) {
	short := Timeline{Title: "short", Lanes: []string{"a"}, Boxes: []Box{{Lane: 0, Start: 0, End: 1, Group: 3}}, Duration: 1, Group: "x"}
	long := Timeline{Title: "long", Lanes: []string{"a"}, Boxes: []Box{{Lane: 0, Start: 0, End: 10, Group: 3}}, Duration: 10, Group: "y"}
	img := DrawBench("b", nil, "s", []Timeline{short, long})
	// The short timeline has its own scale: its box fills the plot's width.
	left, width := chartMargin+labelWidth, chartWidth-2*chartMargin-labelWidth
	y := chartMargin + titleHeight + sectionSpace + titleHeight + laneHeight/2
	if got := img.At(left+width*9/10, y); !sameColor(got, hue(3)) {
		t.Errorf("pixel at 90%% of the short timeline = %v, want its box's %v: groups must scale apart", got, hue(3))
	}
}
