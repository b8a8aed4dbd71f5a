package preview

import (
	"bytes"
	"image"
	"image/color"
	"image/gif"
	"slices"
	"testing"

	"github.com/fogleman/gg"

	"github.com/sdfrender/render/internal/typeface"
)

func TestTimecodeEdges(t *testing.T) {
	for _, c := range []struct {
		i    int
		fps  float64
		want string
	}{
		{1, 30, "00:00:00:01"},
		{59, 30, "00:00:01:29"},
		{30 * 59, 30, "00:00:59:00"},
		{30 * 60, 30, "00:01:00:00"},
		{30*3600 - 1, 30, "00:59:59:29"},
		{30 * 3600, 30, "01:00:00:00"},
		{25*3600*10 + 25*60*2 + 25*3 + 4, 25, "10:02:03:04"},
		{5, 0, "00:00:05:00"},      // no rate: one frame a "second"
		{61, 59.94, "00:00:01:01"}, // counted at 60
		{12, 12.5, "00:00:00:12"},  // counted at 13: frame 12 is the last of second 0
		{13, 12.5, "00:00:01:00"},
	} {
		if got := Timecode(c.i, c.fps); got != c.want {
			t.Errorf("Timecode(%d, %g) = %s, want %s", c.i, c.fps, got, c.want)
		}
	}
}

// TestBurnInBand checks where BurnIn draws: a band along the bottom whose
// height follows the image's, darkened, over an image of any depth and origin;
// nothing above it changes, at full depth.
func TestBurnInBand(t *testing.T) {
	for _, c := range []struct {
		name string
		h    int
		band int // rows darkened: ceil(1.6 × max(8, h/24))
	}{
		{"small", 48, 13},  // size 8
		{"tall", 480, 32},  // size 20
		{"exact", 240, 16}, // size 10
	} {
		t.Run(c.name, func(t *testing.T) {
			const w = 200
			img := image.NewRGBA64(image.Rect(10, 20, 10+w, 20+c.h)) // not at the origin
			for y := img.Rect.Min.Y; y < img.Rect.Max.Y; y++ {
				for x := img.Rect.Min.X; x < img.Rect.Max.X; x++ {
					img.SetRGBA64(x, y, color.RGBA64{0x1234, 0xfedc, 0x8001, 0xffff})
				}
			}
			BurnIn(img, "", "")
			for y := img.Rect.Min.Y; y < img.Rect.Max.Y; y++ {
				inBand := y >= img.Rect.Max.Y-c.band
				for _, x := range []int{img.Rect.Min.X, img.Rect.Min.X + w/2, img.Rect.Max.X - 1} {
					got := img.RGBA64At(x, y)
					if !inBand && got != (color.RGBA64{0x1234, 0xfedc, 0x8001, 0xffff}) {
						t.Fatalf("pixel (%d, %d) above the band = %v, want it untouched at 16 bits", x, y, got)
					}
					if inBand && got.G > 0x8000 {
						t.Fatalf("pixel (%d, %d) in the band (the last %d rows) = %v, want it darkened", x, y, c.band, got)
					}
				}
			}
		})
	}
}

// TestBurnInLabels checks that the labels are drawn in white, the left one at
// the band's start and the right one at its end.
func TestBurnInLabels(t *testing.T) {
	img := image.NewRGBA(image.Rect(0, 0, 400, 96))
	BurnIn(img, "LLLL", "RRRR")
	var xs []int
	for y := 96 - 16; y < 96; y++ {
		for x := range 400 {
			if c := img.RGBAAt(x, y); c.R > 200 && c.G > 200 && c.B > 200 {
				xs = append(xs, x)
			}
		}
	}
	if len(xs) == 0 {
		t.Fatal("no white pixel in the band, want the labels")
	}
	lo, hi := slices.Min(xs), slices.Max(xs)
	if lo < 2 || lo > 10 || hi < 390 || hi > 397 {
		t.Errorf("white pixels from x %d to %d, want the left label from about 4 and the right one to about 396 (half the text size in)", lo, hi)
	}
	mid := 0
	for _, x := range xs {
		if x > 100 && x < 300 {
			mid++
		}
	}
	if mid > 0 {
		t.Errorf("%d white pixels in the middle of the band, want only the two short labels at its ends", mid)
	}
}

func TestContactSheetEvery(t *testing.T) {
	numbers := func(n int) []int {
		fs := make([]int, n)
		for i := range fs {
			fs[i] = i + 1
		}
		return fs
	}
	for _, c := range []struct {
		frames, shown int
	}{{0, 0}, {1, 1}, {59, 59}, {60, 60}, {61, 31}, {120, 60}, {121, 41}} {
		s := NewContactSheet(numbers(c.frames))
		if len(s.shows) != c.shown {
			t.Errorf("a sheet of %d frames shows %d, want %d", c.frames, len(s.shows), c.shown)
		}
		if c.frames > 0 && !s.shows[1] {
			t.Errorf("a sheet of %d frames leaves out the first", c.frames)
		}
	}
	s := NewContactSheet([]int{4, 5})
	s.Add(3, gradient(8, 8))
	s.Add(4, gradient(8, 8))
	if len(s.thumbs) != 1 || s.thumbs[4] == nil {
		t.Errorf("thumbnails kept %v, want frame 4's only: 3 is not on the sheet", s.thumbs)
	}
}

// TestContactSheetLayout checks the sheet's size: six columns at most, rows
// of thumbnails and their labels, and the header; and where each thumbnail goes.
func TestContactSheetLayout(t *testing.T) {
	for _, c := range []struct {
		n    int
		w, h int
	}{
		{0, 2*sheetMargin + 0, 2*sheetMargin + sheetHeader},
		{1, 2*sheetMargin + 32, 2*sheetMargin + sheetHeader + (18 + thumbLabel + sheetGap)},
		{6, 2*sheetMargin + 6*32 + 5*sheetGap, 2*sheetMargin + sheetHeader + (18 + thumbLabel + sheetGap)},
		{7, 2*sheetMargin + 6*32 + 5*sheetGap, 2*sheetMargin + sheetHeader + 2*(18+thumbLabel+sheetGap)},
		{13, 2*sheetMargin + 6*32 + 5*sheetGap, 2*sheetMargin + sheetHeader + 3*(18+thumbLabel+sheetGap)},
	} {
		frames := make([]int, c.n)
		for i := range frames {
			frames[i] = i + 1
		}
		s := NewContactSheet(frames)
		for _, n := range frames {
			img := image.NewRGBA(image.Rect(0, 0, 32, 18))
			for i := range img.Pix {
				img.Pix[i] = 255
			}
			img.Pix[0] = uint8(n) // mark the thumbnail
			s.Add(n, img)
		}
		sheet := s.Draw("t", "s")
		if sheet.Rect.Dx() != c.w || sheet.Rect.Dy() != c.h {
			t.Errorf("sheet of %d thumbnails of 32x18 is %v, want %dx%d", c.n, sheet.Rect.Size(), c.w, c.h)
			continue
		}
		cols := min(sheetColumns, max(1, c.n))
		for i, n := range frames {
			x := sheetMargin + (i%cols)*(32+sheetGap)
			y := sheetMargin + sheetHeader + (i/cols)*(18+thumbLabel+sheetGap)
			if got := sheet.RGBAAt(x, y); got.R != uint8(n) || got.G != 255 {
				t.Errorf("sheet of %d: pixel (%d, %d) = %v, want thumbnail %d's first pixel", c.n, x, y, got, n)
			}
			if got := sheet.RGBAAt(x+31, y+17); got != (color.RGBA{255, 255, 255, 255}) {
				t.Errorf("sheet of %d: pixel (%d, %d) = %v, want thumbnail %d's last, white", c.n, x+31, y+17, got, n)
			}
		}
	}
}

// TestThumbnailBoxes checks the box filter's boxes: columns and rows split as
// evenly as they go, the source's origin respected, and images of any type.
func TestThumbnailBoxes(t *testing.T) {
	src := image.NewRGBA(image.Rect(5, 7, 8, 9)) // 3x2, not at the origin
	vals := []uint8{10, 20, 60}
	for y := 7; y < 9; y++ {
		for x := 5; x < 8; x++ {
			src.SetRGBA(x, y, color.RGBA{vals[x-5], uint8(100 * (y - 7)), 0, 255})
		}
	}
	th := thumbnail(src, 2)
	// Width 2 of 3: columns [0], [1 2]; height 2*2/3 = 1: rows [0 1].
	if th.Rect != image.Rect(0, 0, 2, 1) {
		t.Fatalf("thumbnail is %v, want 2x1", th.Rect)
	}
	if got, want := th.RGBAAt(0, 0), (color.RGBA{10, 50, 0, 255}); got != want {
		t.Errorf("thumbnail (0, 0) = %v, want %v", got, want)
	}
	if got, want := th.RGBAAt(1, 0), (color.RGBA{40, 50, 0, 255}); got != want {
		t.Errorf("thumbnail (1, 0) = %v, want %v", got, want)
	}
	// No wider than the source, and at least a row.
	if th := thumbnail(src, 10); th.Rect != image.Rect(0, 0, 3, 2) || th.RGBAAt(2, 1) != (color.RGBA{60, 100, 0, 255}) {
		t.Errorf("thumbnail(3x2, 10) = %v with (2, 1) %v, want the 3x2 source itself", th.Rect, th.RGBAAt(2, 1))
	}
	if th := thumbnail(image.NewRGBA(image.Rect(0, 0, 100, 1)), 10); th.Rect != image.Rect(0, 0, 10, 1) {
		t.Errorf("thumbnail(100x1, 10) = %v, want 10x1", th.Rect)
	}
	gray := image.NewGray(image.Rect(0, 0, 4, 4))
	for i := range gray.Pix {
		gray.Pix[i] = 90
	}
	if th := thumbnail(gray, 2); th.RGBAAt(1, 1) != (color.RGBA{90, 90, 90, 255}) {
		t.Errorf("thumbnail of a grey image = %v, want grey 90", th.RGBAAt(1, 1))
	}
	if rgba := image.NewRGBA(image.Rect(0, 0, 1, 1)); toRGBA(rgba) != rgba {
		t.Error("toRGBA of an RGBA image made a copy")
	}
}

func TestGIFDelays(t *testing.T) {
	for _, c := range []struct {
		fps  float64
		want int
	}{{25, 4}, {30, 3}, {24, 4}, {10, 10}, {60, 2}, {100, 2}, {1, 100}} {
		if got := NewGIFPreview(8, c.fps).delay; got != c.want {
			t.Errorf("NewGIFPreview(fps %g) delay = %d, want %d hundredths", c.fps, got, c.want)
		}
	}
}

// TestGIFFrameOrder checks that frames added in any order are encoded in
// frame order, each its own picture.
func TestGIFFrameOrder(t *testing.T) {
	g := NewGIFPreview(4, 10)
	for _, n := range []int{3, 1, 4, 2} {
		img := image.NewRGBA(image.Rect(0, 0, 4, 4))
		for i := 0; i < len(img.Pix); i += 4 {
			img.Pix[i], img.Pix[i+3] = uint8(50*n), 255
		}
		g.Add(n, img)
	}
	var buf bytes.Buffer
	if err := g.Encode(&buf); err != nil {
		t.Fatal(err)
	}
	anim, err := gif.DecodeAll(&buf)
	if err != nil {
		t.Fatal(err)
	}
	var reds []int
	for _, p := range anim.Image {
		r, _, _, _ := p.At(1, 1).RGBA()
		reds = append(reds, int(r>>8))
	}
	if !slices.Equal(reds, []int{50, 100, 150, 200}) || !slices.Equal(anim.Delay, []int{10, 10, 10, 10}) {
		t.Errorf("frames' red %v, delays %v; want 50, 100, 150, 200 in order, 10 each", reds, anim.Delay)
	}
}

// TestMedianCutBoxes checks the cuts on small pictures whose palettes are
// known: each cut at the median of the widest channel, each colour the average
// of its box, no more colours than asked nor than there are.
func TestMedianCutBoxes(t *testing.T) {
	picture := func(colors ...color.RGBA) *image.RGBA {
		img := image.NewRGBA(image.Rect(0, 0, len(colors), 1))
		for x, c := range colors {
			img.SetRGBA(x, 0, c)
		}
		return img
	}
	sorted := func(p color.Palette) []color.RGBA {
		var cs []color.RGBA
		for _, c := range p {
			cs = append(cs, c.(color.RGBA))
		}
		slices.SortFunc(cs, func(a, b color.RGBA) int {
			return int(a.R)<<16 + int(a.G)<<8 + int(a.B) - (int(b.R)<<16 + int(b.G)<<8 + int(b.B))
		})
		return cs
	}
	for _, c := range []struct {
		name string
		img  *image.RGBA
		n    int
		want []color.RGBA
	}{
		{"red in two", picture(color.RGBA{0, 0, 0, 255}, color.RGBA{10, 0, 0, 255}, color.RGBA{200, 0, 0, 255}, color.RGBA{210, 0, 0, 255}), 2,
			[]color.RGBA{{5, 0, 0, 255}, {205, 0, 0, 255}}},
		{"green is widest", picture(color.RGBA{0, 0, 0, 255}, color.RGBA{20, 250, 0, 255}, color.RGBA{0, 0, 0, 255}, color.RGBA{20, 250, 0, 255}), 2,
			[]color.RGBA{{0, 0, 0, 255}, {20, 250, 0, 255}}},
		{"blue is widest", picture(color.RGBA{0, 30, 0, 255}, color.RGBA{0, 0, 240, 255}, color.RGBA{0, 30, 0, 255}, color.RGBA{0, 0, 240, 255}), 2,
			[]color.RGBA{{0, 0, 240, 255}, {0, 30, 0, 255}}},
		{"the widest box cut first", picture(color.RGBA{0, 0, 0, 255}, color.RGBA{2, 0, 0, 255}, color.RGBA{100, 0, 0, 255}, color.RGBA{200, 0, 0, 255}), 3,
			[]color.RGBA{{1, 0, 0, 255}, {100, 0, 0, 255}, {200, 0, 0, 255}}},
		{"fewer colours than asked", picture(color.RGBA{1, 2, 3, 255}, color.RGBA{1, 2, 3, 255}, color.RGBA{9, 9, 9, 255}), 8,
			[]color.RGBA{{1, 2, 3, 255}, {9, 9, 9, 255}}},
		{"one pixel", picture(color.RGBA{7, 8, 9, 255}), 4, []color.RGBA{{7, 8, 9, 255}}},
		{"a tie goes to the first box", picture(color.RGBA{0, 0, 0, 255}, color.RGBA{10, 0, 0, 255}, color.RGBA{0, 0, 100, 255}, color.RGBA{0, 0, 110, 255}), 3,
			[]color.RGBA{{0, 0, 0, 255}, {0, 0, 105, 255}, {10, 0, 0, 255}}},
		{"a tie goes to the first channel", picture(color.RGBA{0, 10, 0, 255}, color.RGBA{10, 0, 0, 255}, color.RGBA{0, 0, 0, 255}, color.RGBA{10, 10, 0, 255}), 2,
			[]color.RGBA{{0, 5, 0, 255}, {10, 5, 0, 255}}},
	} {
		// A colour may come twice, from boxes cut apart: the palette is its set.
		pal := medianCut(c.img, c.n)
		if got := slices.Compact(sorted(pal)); !slices.Equal(got, c.want) || len(pal) > c.n {
			t.Errorf("%s: medianCut(%d) = %v, want %v", c.name, c.n, pal, c.want)
		}
	}
	if b := newColorBox([][3]uint8{{5, 5, 5}, {5, 9, 200}}); b.channel != 2 || b.spread != 195 {
		t.Errorf("box of two colours: channel %d spread %d, want 2 and 195", b.channel, b.spread)
	}
	if b := newColorBox([][3]uint8{{5, 5, 5}}); b.spread != 0 {
		t.Errorf("box of one colour: spread %d, want 0", b.spread)
	}
}

// lightBox returns the bounds of the light pixels (text) of img within r.
func lightBox(img *image.RGBA, r image.Rectangle) image.Rectangle {
	var box image.Rectangle
	r = r.Intersect(img.Rect)
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if c := img.RGBAAt(x, y); int(c.R)+int(c.G)+int(c.B) > 3*128 {
				box = box.Union(image.Rect(x, y, x+1, y+1))
			}
		}
	}
	return box
}

// textAt returns the bounds of the ink of s drawn alone in ink and the face,
// anchored at (x, y) as the sheet anchors its words (left, vertically
// centred), on the sheet's background of size w×h.
func textAt(s string, ink color.Color, bold bool, size float64, x, y, w, h int) image.Rectangle {
	dc := gg.NewContext(w, h)
	dc.SetRGB(0.13, 0.13, 0.15) // the sheet's background
	dc.Clear()
	dc.SetColor(ink)
	dc.SetFontFace(typeface.Face(bold, size))
	dc.DrawStringAnchored(s, float64(x), float64(y), 0, 0.5)
	return lightBox(dc.Image().(*image.RGBA), image.Rect(0, 0, w, h))
}

// TestContactSheetWords checks where the sheet's words go: the title and the
// subtitle on their lines of the header, and each thumbnail's label in the
// strip below it, one pixel below its middle.
func TestContactSheetWords(t *testing.T) {
	s := NewContactSheet([]int{1, 2})
	dark := image.NewRGBA(image.Rect(0, 0, 40, 20))
	for i := 3; i < len(dark.Pix); i += 4 {
		dark.Pix[i] = 255
	}
	s.Add(1, dark)
	s.Add(2, dark)
	img := s.Draw("TITLE", "SUBTITLE")
	w, h := img.Rect.Dx(), img.Rect.Dy()
	y := sheetMargin + sheetHeader // the thumbnails' top
	for _, c := range []struct {
		name   string
		region image.Rectangle
		want   image.Rectangle
	}{
		{"title", image.Rect(0, 0, w, sheetMargin+22), textAt("TITLE", color.White, true, 18, sheetMargin, sheetMargin+10, w, h)},
		{"subtitle", image.Rect(0, sheetMargin+22, w, y), textAt("SUBTITLE", color.RGBA{190, 190, 200, 255}, false, 12, sheetMargin, sheetMargin+34, w, h)},
		{"label 1", image.Rect(0, y+20, sheetMargin+40+5, h), textAt("frame 1", color.RGBA{220, 220, 230, 255}, false, 11, sheetMargin, y+20+thumbLabel/2+1, w, h)},
		{"label 2", image.Rect(sheetMargin+40+5, y+20, w, h), textAt("frame 2", color.RGBA{220, 220, 230, 255}, false, 11, sheetMargin+40+sheetGap, y+20+thumbLabel/2+1, w, h)},
	} {
		if got := lightBox(img, c.region); got.Empty() || got != c.want {
			t.Errorf("the %s's ink is at %v, want %v", c.name, got, c.want)
		}
	}
}
