package render

import (
	"math"

	"github.com/sdfrender/render/scene"
)

// radiance returns the linear colour seen along the ray from ro in unit direction rd,
// starting at t0. bounces is how many mirror reflections may still be followed;
// mirror, for a primary ray, is the cone of its block's reflections (see
// mirrorStart), nil for any other.
func (tr *tracer) radiance(ro, rd scene.Vec3, t0 float64, mirror *mirror, bounces int) scene.Vec3 {
	t, hit := tr.march(ro, rd, t0)
	if !hit {
		return tr.skyColor(rd)
	}
	p := ro.Add(rd.Scale(t))
	n := tr.normal(p, t)
	var mat scene.Material
	tr.surface(p, tr.planesAt(p, t), &mat)
	m := finishOf(&mat)
	tr.evals++
	p = p.Add(n.Scale(tr.lift(t))) // off the surface, so secondary rays do not hit it at once

	albedo := mat.Albedo(p)
	ao := 1.0
	if bounces == maxBounces {
		// Occlusion is a subtle contact darkening, lost in a reflection: skip it there.
		ao = tr.ambientOcclusion(p, n)
	}
	c := tr.ambient(albedo, n, ao)
	for i := range tr.lights {
		l := &tr.lights[i]
		ndl := n.Dot(l.dir)
		if ndl <= 0 {
			continue
		}
		vis := 1.0
		if l.shadow > 0 {
			vis = tr.softShadow(p, l.dir, l.shadow)
			if vis == 0 {
				continue
			}
		}
		l.add(&c, &albedo, &n, &rd, &m, peakOf(m), ndl, vis)
	}
	if m.Reflect > 0 && bounces > 0 {
		d, t := reflect(rd, n), 0.0
		if mirror != nil {
			t = tr.mirrorStart(p, d, mirror)
		}
		c = c.Lerp(tr.radiance(p, d, t, nil, bounces-1), reflectance(m, rd, n))
	}
	return tr.fog(c, t)
}

// ambient is the sky's light on a surface of albedo and normal n, occluded by ao.
func (tr *tracer) ambient(albedo, n scene.Vec3, ao float64) scene.Vec3 {
	skyLight := tr.sky.Ground.Lerp(tr.sky.Zenith, 0.5+float64(0.5*n.Y))
	return albedo.Mul(skyLight).Scale(tr.sky.Ambient * ao)
}

// finish is what shading wants of a material besides its colour, which
// Albedo gives: its highlight and its mirror.
type finish struct{ Specular, Shininess, Reflect float64 }

// finishOf is m's finish.
func finishOf(m *scene.Material) finish {
	return finish{Specular: m.Specular, Shininess: m.Shininess, Reflect: m.Reflect}
}

// add adds to *c the light l gives a surface of finish *m, albedo and
// normal n, seen along rd, at cosine ndl and visibility vis; peak is m's
// peakOf. It takes the colours and vectors by pointer, where a wave's ray
// holds them: passed by value, eighteen numbers, some of them through
// memory, cost each call about 40 instructions of copies.
func (l *light) add(c, albedo, n, rd *scene.Vec3, m *finish, peak, ndl, vis float64) {
	*c = c.Add(l.color.Mul(*albedo).Scale(ndl * vis))
	if m.Specular > 0 {
		// Blinn-Phong, normalised so that shininess changes the size of the
		// highlight but not the energy in it.
		half := l.dir.Sub(*rd).Normalize()
		s := peak * pow(max(n.Dot(half), 0), m.Shininess)
		*c = c.Add(l.color.Scale(s * ndl * vis))
	}
}

// lights reports whether l lights hit r, the cosine to it worked out (wave.shadows),
// and how much of it reaches r: where the cosine is positive, and for a light
// that casts shadows, the penumbra is not 0.
func (l *light) lights(r *waveRay) (vis float64, lit bool) {
	if r.ndl <= 0 {
		return 0, false
	}
	if l.shadow > 0 {
		vis = penumbra(r.shadowRes)
		return vis, vis != 0
	}
	return 1, true
}

// peakOf is the weight of m's highlight where it is brightest: its
// specular weight times the normalisation (shininess + 8)/8π.
func peakOf(m finish) float64 { return m.Specular * (m.Shininess + 8) / (8 * math.Pi) }

// peaks is peakOf for a run of finishes, most often each the same as the
// one before (a wave's hits on one object, one after another): it divides
// again only where the finish's highlight changes.
// whole says whether the last finish's highlight is one the lanes make
// (lightLanes): a peak above 0 and a whole exponent from 0 to 2²⁰.
type peaks struct {
	specular, shininess, peak float64
	whole                     bool
}

// of is peakOf(m). The zero peaks holds peakOf(finish{}), which is 0.
func (p *peaks) of(m *finish) float64 {
	if m.Specular != p.specular || m.Shininess != p.shininess {
		p.specular, p.shininess, p.peak = m.Specular, m.Shininess, peakOf(*m)
		e := m.Shininess
		p.whole = p.peak > 0 && e >= 0 && e <= 1<<20 && e == math.Trunc(e)
	}
	return p.peak
}

// reflectance is the weight of the mirror reflection of a surface of finish m
// with normal n seen along rd: Schlick's approximation, so surfaces reflect more
// at grazing angles, its grazing term damped by Reflect so that a faintly glossy
// floor does not turn into a mirror towards the horizon.
func reflectance(m finish, rd, n scene.Vec3) float64 {
	f := m.Reflect + float64((1-m.Reflect)*pow5(1-scene.Clamp(-rd.Dot(n), 0, 1))*m.Reflect)
	return scene.Clamp(f, 0, 1)
}

// fog blends c, seen at distance t, into the horizon's colour.
func (tr *tracer) fog(c scene.Vec3, t float64) scene.Vec3 {
	return c.Lerp(tr.sky.Horizon, tr.fogBlend(t))
}

// fogBlend is how much of the horizon's colour the fog blends into what is
// seen at distance t.
func (tr *tracer) fogBlend(t float64) float64 { return 1 - math.Exp(-tr.sky.Fog*t) }

// skyColor is the colour of a ray that hits nothing: a gradient from horizon to
// zenith, with a glow around each light.
func (tr *tracer) skyColor(rd scene.Vec3) scene.Vec3 {
	c := tr.sky.Horizon.Lerp(tr.sky.Zenith, math.Sqrt(scene.Clamp(rd.Y, 0, 1)))
	for _, l := range tr.lights {
		if l.shadow == 0 {
			continue // only shadow-casting lights are suns worth drawing
		}
		if s := rd.Dot(l.dir); s > 0 {
			c = c.Add(l.color.Scale(glow(s)))
		}
	}
	return c
}

// glow is the sun's glow at cosine s > 0 from it: a wide halo and a small
// disc, 0.25·s⁸ + 2·s⁹⁰⁰. Below sunDisc the disc's term is less than half an
// ulp of the halo's (s⁸⁹² < 2⁻⁵⁷), so the sum is the halo's alone, bit for bit,
// without the disc's fourteen multiplications: most of the sky, and most
// reflections of it, are there.
func glow(s float64) float64 {
	halo := float64(0.25 * powInt(s, 8))
	if s < sunDisc {
		return halo
	}
	return halo + float64(2*powInt(s, 900))
}

// sunDisc is the cosine from a sun below which its disc adds nothing to its
// glow (0.95⁸⁹² is about 10⁻²⁰).
const sunDisc = 0.95

// toneMap compresses an HDR colour channel into [0, 1] with the ACES filmic curve
// (Narkowicz, "ACES filmic tone mapping curve", 2015).
func toneMap(x float64) float64 {
	x = max(x, 0)
	return scene.Clamp(x*(float64(2.51*x)+0.03)/(float64(x*(float64(2.43*x)+0.59))+0.14), 0, 1)
}

// srgb encodes a linear value in [0, 1] with the sRGB curve (IEC 61966-2-1).
func srgb(x float64) float64 {
	if x <= 0.0031308 {
		return x * 12.92
	}
	return float64(1.055*math.Pow(x, 1/2.4)) - 0.055
}

// srgb8 encodes a linear value in [0, 1] as an 8-bit sRGB value: the value the
// formula gives, srgb8Formula, looked up rather than computed (see srgb8Table).
//
// Without a call, it is small enough to be inlined where a row of pixels is
// written (setRow): the formula gives 0 below the range, 255 above it, and
// srgb8NaN for a NaN.
func srgb8(x float64) uint8 {
	if !(x >= 0 && x < 1) {
		switch {
		case x < 0:
			return 0
		case x >= 1:
			return 255
		}
		return srgb8NaN
	}
	// A bin of srgb8Start holds the start of one level at most (the curve
	// rises by at most 12.92·255 levels per unit, against srgb8Steps bins):
	// one comparison finishes, added in without a branch: the loop it
	// replaces ran once or not at all, about every other channel either way,
	// and its exit was mispredicted (1.5 % of perf's samples of the job).
	lv := srgb8Start[int(x*srgb8Steps)]
	var up uint8
	if x >= srgb8Table[int(lv)+1] {
		up = 1
	}
	return lv + up
}

// srgb8Formula encodes a linear value in [0, 1] as an 8-bit sRGB value by the
// formula.
func srgb8Formula(x float64) uint8 { return uint8(scene.Clamp(float64(srgb(x)*255)+0.5, 0, 255)) }

// srgb8NaN is what srgb8Formula makes of a NaN.
var srgb8NaN = srgb8Formula(math.NaN())

// srgb16 encodes a linear value in [0, 1] as a 16-bit sRGB value.
func srgb16(x float64) uint16 { return uint16(scene.Clamp(float64(srgb(x)*65535)+0.5, 0, 65535)) }

// srgb8Steps is how finely srgb8Start divides [0, 1).
const srgb8Steps = 4096

// srgb8Table holds, for each 8-bit level v > 0, the least linear value that
// srgb8Formula encodes as v or more, found by bisection on the bits of
// non-negative floats (whose order is their numeric order), and +Inf after
// the last. The formula never
// decreases, so the level of x is the number of entries at or below x: the
// formula's own answer, bit for bit, without a math.Pow per channel
// (TestSRGBTableMatchesFormula checks it). srgb8Start[i] is the level of
// i/srgb8Steps, where the search for the levels in [i, i+1)/srgb8Steps starts.
var srgb8Table, srgb8Start = func() (table [257]float64, start [srgb8Steps]uint8) {
	table[256] = math.Inf(1)
	for v := 1; v < 256; v++ {
		lo, hi := uint64(0), math.Float64bits(1) // formula(lo) < v <= formula(hi)
		for hi-lo > 1 {
			mid := lo + (hi-lo)/2
			if int(srgb8Formula(math.Float64frombits(mid))) >= v {
				hi = mid
			} else {
				lo = mid
			}
		}
		table[v] = math.Float64frombits(hi)
	}
	for i := range start {
		start[i] = srgb8Formula(float64(i) / srgb8Steps)
	}
	return table, start
}()

// pow is math.Pow, by repeated squaring where the exponent is a whole number,
// as material shininess usually is.
func pow(x, y float64) float64 {
	if y >= 0 && y <= 1<<20 && y == math.Trunc(y) {
		return powInt(x, int(y))
	}
	return math.Pow(x, y)
}

// powInt is x to the power n >= 0 by repeated squaring: the multiplications
// math.Pow makes for a whole exponent, in the same order, so the same result
// wherever it is a normal number (math.Pow keeps the binary exponent apart and
// multiplies mantissas, which round as the whole numbers do). Below the normal
// range, where they may differ, the value is far too small to change a pixel.
func powInt(x float64, n int) float64 {
	r := 1.0
	for ; n != 0; n >>= 1 {
		if n&1 == 1 {
			r *= x
		}
		x *= x
	}
	return r
}
