package render

import "math"

// offset is a sample's position inside its pixel, each coordinate in [0, 1).
type offset struct{ x, y float64 }

// plastic is the plastic number, the real root of x³ = x + 1, whose inverse
// powers step the R2 sequence.
const plastic = 1.32471795724474602596

// rotatedGrid is the rotated grid of four samples (RGSS).
var rotatedGrid = [4]offset{{0.375, 0.125}, {0.875, 0.375}, {0.125, 0.625}, {0.625, 0.875}}

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
		return rotatedGrid[:]
	}
	a1, a2 := 1/plastic, 1/(plastic*plastic)
	p := make([]offset, n)
	for i := range p {
		_, x := math.Modf(0.5 + float64(a1*float64(i)))
		_, y := math.Modf(0.5 + float64(a2*float64(i)))
		p[i] = offset{x, y}
	}
	return p
}

// lensPoint is where sample j of pixel (x, y) of frame enters the lens: a
// point of the unit disk. The samples of a pixel follow the R2 sequence, well
// spread over the disk, turned by an offset hashed from the pixel and the frame
// (a Cranley-Patterson rotation), so that neighbouring pixels and successive
// frames look through different points: the blur is fine grain, not bands,
// and the same frame is the same bytes every time.
func lensPoint(frame, x, y, j int) (lx, ly float64) {
	h := mix(pixelKey(frame, x, y))
	_, u := math.Modf(float64(float64(h>>11)/(1<<53)) + float64(j)/plastic)
	_, v := math.Modf(float64(float64(mix(h)>>11)/(1<<53)) + float64(j)/(plastic*plastic))
	// Equal areas of the square to equal areas of the disk.
	r := math.Sqrt(u)
	sin, cos := math.Sincos(2 * math.Pi * v)
	return r * cos, r * sin
}

// pixelKey packs a frame number and a pixel's coordinates into one word, a
// different word for each (frame, x, y) the limits allow, for mix to hash.
func pixelKey(frame, x, y int) uint64 {
	return uint64(uint32(frame))<<32 ^ uint64(uint32(x))<<16 ^ uint64(uint32(y))
}

// mix is SplitMix64's finaliser: every bit of h moves about half the bits of
// the result.
func mix(h uint64) uint64 {
	h += 0x9e3779b97f4a7c15
	h = (h ^ h>>30) * 0xbf58476d1ce4e5b9
	h = (h ^ h>>27) * 0x94d049bb133111eb
	return h ^ h>>31
}
