package scene

import "math"

// Material says how a surface reflects light. Colours are linear RGB in [0, 1].
type Material struct {
	Color     Vec3    // diffuse albedo
	Specular  float64 // strength of the Blinn-Phong highlight, 0 for none
	Shininess float64 // Blinn-Phong exponent: larger is a smaller, sharper highlight
	Reflect   float64 // fraction of light from one mirror bounce, 0 to 1

	// Checker, when CheckerSize > 0, alternates Color with Checker in world-space
	// cubes of side CheckerSize: the usual pattern for a floor.
	Checker     Vec3
	CheckerSize float64
}

// Albedo returns the material's diffuse colour at world point p.
func (m Material) Albedo(p Vec3) Vec3 {
	if m.CheckerSize <= 0 {
		return m.Color
	}
	s := 1 / m.CheckerSize
	n := int64(math.Floor(p.X*s)) + int64(math.Floor(p.Y*s)) + int64(math.Floor(p.Z*s))
	if n&1 == 0 {
		return m.Color
	}
	return m.Checker
}

// Lerp blends material a (at u = 0) into b (at u = 1), as smooth operations do
// where two objects melt together. The checker pattern cannot be blended: the
// material with the larger weight keeps it.
func (a Material) Lerp(b Material, u float64) Material {
	a.blend(&b, u)
	return a
}

// blend sets *a to a.Lerp(*b, u), in place.
func (a *Material) blend(b *Material, u float64) {
	switch u {
	case 0:
		return
	case 1:
		*a = *b
		return
	}
	pattern := a
	if u > 0.5 {
		pattern = b
	}
	r := Material{
		Color:       a.Color.Lerp(b.Color, u),
		Specular:    lerp(a.Specular, b.Specular, u),
		Shininess:   lerp(a.Shininess, b.Shininess, u),
		Reflect:     lerp(a.Reflect, b.Reflect, u),
		Checker:     pattern.Checker,
		CheckerSize: pattern.CheckerSize,
	}
	*a = r
}

// lerp returns a at u = 0 and b at u = 1, exactly: a + (b-a)·u can miss b by an ulp.
func lerp(a, b, u float64) float64 { return float64(a*(1-u)) + float64(b*u) }
