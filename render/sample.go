package render

import "math"

// offset is a sample's position inside its pixel, each coordinate in [0, 1).
type offset struct{ x, y float64 }

// samplePattern returns the sub-pixel positions for n samples per pixel. The same
// pattern serves every pixel of every frame, so a pixel's samples depend only on
// where it is: no random numbers, no noise that flickers from frame to frame.
//
// One sample sits in the centre; four use the rotated grid (RGSS), which resolves
// near-horizontal and near-vertical edges into four levels each; other counts use
// the R2 low-discrepancy sequence (Roberts, "The unreasonable effectiveness of
// quasirandom sequences", 2018), well spread for any n.
func samplePattern(n int) []offset {
	switch n {
	case 1:
		return []offset{{0.5, 0.5}}
	case 4:
		return []offset{{0.375, 0.125}, {0.875, 0.375}, {0.125, 0.625}, {0.625, 0.875}}
	}
	const g = 1.32471795724474602596 // the plastic number: x³ = x + 1
	a1, a2 := 1/g, 1/(g*g)
	p := make([]offset, n)
	for i := range p {
		_, x := math.Modf(0.5 + a1*float64(i))
		_, y := math.Modf(0.5 + a2*float64(i))
		p[i] = offset{x, y}
	}
	return p
}
