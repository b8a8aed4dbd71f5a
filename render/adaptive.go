package render

import (
	"image"
	"image/draw"
	"slices"

	"github.com/sdfrender/render/scene"
)

// Adaptive anti-aliasing, as POV-Ray's +A with +R: a first pass at
// Settings.Samples per pixel; then, for each pixel that differs from one of
// its eight neighbours by more than Settings.Threshold, in any channel of the
// first pass's 8-bit display levels, more samples (after 1, the centre, the
// rotated grid's four; after n, 4n), and more again while the samples of the
// pixel differ among themselves by more than the threshold, up to
// Settings.MaxSamples. So a pixel beside an edge that does not cross it stops
// at the second pass, and one the edge crosses goes on. The rotated grid comes
// second because four samples that agree must rarely miss an edge: the first
// four of the R2 sequence, clustered towards the top left, missed so many that
// adaptive 1-16 had uniform 4's error.
//
// A pixel's neighbours may lie in another tile, rendered by another worker,
// maybe later. So a tile's first pass covers the tile and a border of one
// pixel around it, within the frame: a pixel's first-pass colour is a pure
// function of its position, so the border is what the neighbouring tile finds
// for those pixels too, and the decision for every pixel is the one a single
// tile covering the frame makes; the later passes look at the pixel's own
// samples alone. Their samples are the first of refinePattern(MaxSamples);
// where the first pass's pattern begins it (1 sample, the centre), the first
// pass's colours count among them and only the rest are traced. The cost: the
// border's first pass, an eighth more first-pass samples for tiles of 32
// pixels.

// nextPass is how many samples a pixel has after the pass that follows one
// where it had n: the centre and the rotated grid after the centre alone, else
// four times as many.
func nextPass(n int) int {
	if n == 1 {
		return 1 + len(rotatedGrid)
	}
	return 4 * n
}

// refinePattern is the pattern of a refined pixel of n samples: the centre,
// the rotated grid (the best four samples for edges), the eleven of fill,
// then the R2 sequence's samples after its first, the centre.
func refinePattern(n int) []offset {
	p := append([]offset{{0.5, 0.5}}, rotatedGrid[:]...)
	p = append(p, fill[:]...)
	if n > len(p) {
		p = append(p, samplePattern(n - len(p) + 1)[1:]...)
	}
	return p[:n]
}

// fill completes the centre and the rotated grid to 16 samples: one in each
// cell of a 4×4 grid over the pixel that the rotated grid leaves empty, but
// the one the centre touches, placed so that no two of the 16 share a column
// or a row of the 16×16 grid within (as the rotated grid's four do in 4×4),
// which resolves a near-horizontal or near-vertical edge into many levels.
var fill = func() (f [11]offset) {
	cells := [11][2]int{{0, 0}, {3, 3}, {3, 0}, {0, 3}, {1, 1}, {2, 0}, {1, 3}, {0, 1}, {3, 2}, {2, 1}, {1, 2}}
	// The columns and rows of the 16×16 grid the centre and the rotated
	// grid leave free, taken in turn by the cells of each column (row) of
	// the 4×4 grid: the cell furthest along the other axis takes the first.
	taken := map[int]bool{8: true}
	for _, o := range rotatedGrid {
		taken[int(o.x*16)] = true // the rotated grid takes the same rows as columns
	}
	place := func(axis int) (at [11]float64) {
		next := map[int]int{}
		order := []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10}
		slices.SortStableFunc(order, func(a, b int) int { return cells[b][1-axis] - cells[a][1-axis] })
		for _, k := range order {
			c := cells[k][axis]
			fine := 4*c + next[c]
			for taken[fine] {
				next[c]++
				fine = 4*c + next[c]
			}
			next[c]++
			at[k] = (float64(fine) + 0.5) / 16
		}
		return at
	}
	xs, ys := place(0), place(1)
	for k := range f {
		f[k] = offset{xs[k], ys[k]}
	}
	return f
}()

// renderAdaptive renders the pixels of r into img in passes, and returns how
// many distance evaluations that took.
func (f *framePlan) renderAdaptive(img draw.Image, r image.Rectangle, s *scratch) int64 {
	sm, m := f.newSampler(s), pixelMemory(s)
	e := r.Inset(-1).Intersect(img.Bounds())
	first := allOf(e)
	sums := m.zeroSums(first.n)
	sm.sums(first, f.pattern, 0, len(f.pattern), sums, nil)

	// The first pass in display levels, the differences measured on them.
	m.display = grow(m.display, first.n)
	display := m.display
	base := 1 / float64(len(f.pattern))
	for i, sum := range sums {
		display[i] = levels(sum.Scale(base))
	}

	// The pixels of r to refine, by their raster index in e; the others are
	// done.
	list := m.list[:0]
	limit := int(f.threshold * 255)
	w := e.Dx()
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			i := (y-e.Min.Y)*w + x - e.Min.X
			if differs(display, e, x, y, display[i], limit) {
				list = append(list, int32(i))
				continue
			}
			setPixel(img, x, y, sums[i].Scale(base))
			m.samples += int64(len(f.pattern))
		}
	}
	m.list = list

	// The passes that refine, from the first pass's samples where they begin
	// their pattern.
	m.refined, m.spreads = grow(m.refined, len(list)), grow(m.spreads, len(list))
	refined, spreads := m.refined, m.spreads
	from := 0
	reuse := prefix(f.pattern, f.refine)
	if reuse {
		from = len(f.pattern)
	}
	for k, i := range list {
		refined[k], spreads[k] = scene.Vec3{}, spread{lo: display[i], hi: display[i]}
		if reuse {
			refined[k] = sums[i]
		}
	}
	for n := len(f.pattern); len(list) > 0; {
		n = min(nextPass(n), len(f.refine))
		sm.sums(pixelSet{r: e, list: list, n: len(list)}, f.refine, from, n, refined, spreads)
		from = n
		// A pixel is done at the last pass, or once its samples agree.
		kept := 0
		for k, i := range list {
			if n < len(f.refine) && spreads[k].wide(limit) {
				list[kept], refined[kept], spreads[kept] = i, refined[k], spreads[k]
				kept++
				continue
			}
			setPixel(img, e.Min.X+int(i)%w, e.Min.Y+int(i)/w, refined[k].Scale(1/float64(n)))
			m.samples += int64(n)
		}
		list = list[:kept]
	}
	return sm.total()
}

// spread is the least and the greatest display level of each channel over
// some samples.
type spread struct{ lo, hi [3]uint8 }

// add takes the tone-mapped colour c of one more sample.
func (s *spread) add(c scene.Vec3) {
	for k, v := range levels(c) {
		s.lo[k], s.hi[k] = min(s.lo[k], v), max(s.hi[k], v)
	}
}

// wide reports whether a channel's levels differ by more than limit.
func (s *spread) wide(limit int) bool {
	for k := range s.lo {
		if int(s.hi[k])-int(s.lo[k]) > limit {
			return true
		}
	}
	return false
}

// levels is the colour c, linear in [0, 1], in 8-bit display levels.
func levels(c scene.Vec3) [3]uint8 { return [3]uint8{srgb8(c.X), srgb8(c.Y), srgb8(c.Z)} }

// differs reports whether the pixel (x, y), of display levels c, differs from
// one of its neighbours within e by more than limit levels in a channel.
func differs(display [][3]uint8, e image.Rectangle, x, y int, c [3]uint8, limit int) bool {
	w := e.Dx()
	for ny := max(y-1, e.Min.Y); ny <= min(y+1, e.Max.Y-1); ny++ {
		for nx := max(x-1, e.Min.X); nx <= min(x+1, e.Max.X-1); nx++ {
			n := display[(ny-e.Min.Y)*w+nx-e.Min.X]
			for k := range c {
				if d := int(c[k]) - int(n[k]); d > limit || -d > limit {
					return true
				}
			}
		}
	}
	return false
}

// prefix reports whether pattern a begins pattern b.
func prefix(a, b []offset) bool { return len(a) <= len(b) && slices.Equal(a, b[:len(a)]) }
