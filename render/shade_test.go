package render

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/sdfrender/render/scene"
)

// The pure functions of shading, the camera and the sample pattern, at values
// worked out by hand: a change to any of their formulas changes every frame by
// less than the golden images' tolerance in places, so they are pinned here.

// near reports whether got is want within a few ulps, relatively (or within
// 1e-15 of 0).
func near(got, want float64) bool {
	return got == want || math.Abs(got-want) <= max(1e-14*math.Max(math.Abs(got), math.Abs(want)), 1e-15)
}

func nearVec(got, want scene.Vec3) bool {
	return near(got.X, want.X) && near(got.Y, want.Y) && near(got.Z, want.Z)
}

func TestToneMap(t *testing.T) {
	for _, c := range []struct{ x, want float64 }{
		{-1, 0},
		{0, 0},
		{0.5, 0.6425 / 1.0425}, // 0.5·(1.255 + 0.03) / (0.5·(1.215 + 0.59) + 0.14)
		{1, 2.54 / 3.16},       // (2.51 + 0.03) / (2.43 + 0.59 + 0.14)
		{2, 2 * 5.05 / (2*5.45 + 0.14)},
		{1e9, 1}, // the curve tends to 2.51/2.43 > 1: clamped
	} {
		if got := toneMap(c.x); !near(got, c.want) {
			t.Errorf("toneMap(%g) = %.17g, want %.17g", c.x, got, c.want)
		}
	}
	if got := toneMapped(scene.Vec3{X: -1, Y: 1, Z: 2}); got != (scene.Vec3{X: toneMap(-1), Y: toneMap(1), Z: toneMap(2)}) {
		t.Errorf("toneMapped = %v, want each channel tone-mapped", got)
	}
}

func TestSRGBCurve(t *testing.T) {
	for _, c := range []struct{ x, want float64 }{
		{0, 0},
		{0.001, 0.01292},
		{0.0031308, 0.0031308 * 12.92}, // the last value of the linear part
		{0.5, 1.055*math.Pow(0.5, 1/2.4) - 0.055},
		{0.2, 1.055*math.Pow(0.2, 1/2.4) - 0.055},
		{1, 1.055 - 0.055},
	} {
		if got := srgb(c.x); !near(got, c.want) {
			t.Errorf("srgb(%g) = %.17g, want %.17g", c.x, got, c.want)
		}
	}
	// Just past the linear part, the curve is the power law.
	x := math.Nextafter(0.0031308, 1)
	if got, want := srgb(x), 1.055*math.Pow(x, 1/2.4)-0.055; got != want {
		t.Errorf("srgb(%.17g) = %.17g, want the power law's %.17g", x, got, want)
	}
	// 8 and 16 bits: the nearest level, clamped to the range.
	for _, c := range []struct {
		x       float64
		v8      uint8
		v16     uint16
		comment string
	}{
		{-0.5, 0, 0, "below black"},
		{0, 0, 0, "black"},
		{0.001, 3, 847, "0.01292 of full scale"},
		{0.2, 124, 31754, "mid-dark grey"},
		{0.5, 188, 48192, "mid grey"},
		{0.9, 243, 62565, "light grey"},
		{1, 255, 65535, "white"},
		{3, 255, 65535, "above white"},
	} {
		if got := srgb8(c.x); got != c.v8 {
			t.Errorf("srgb8(%g) (%s) = %d, want %d", c.x, c.comment, got, c.v8)
		}
		if got := srgb8Formula(c.x); got != c.v8 {
			t.Errorf("srgb8Formula(%g) (%s) = %d, want %d", c.x, c.comment, got, c.v8)
		}
		if got := srgb16(c.x); got != c.v16 {
			t.Errorf("srgb16(%g) (%s) = %d, want %d", c.x, c.comment, got, c.v16)
		}
	}
	// Every level's threshold in the table is where the formula, rounding to
	// the nearest level, first reaches it: the curve's inverse at v - 0.5.
	for v := 1; v < 256; v++ {
		th := srgb8Table[v]
		if srgb8Formula(th) != uint8(v) || srgb8Formula(math.Nextafter(th, 0)) != uint8(v-1) {
			t.Fatalf("srgb8Table[%d] = %.17g: formula there %d, just below %d; want %d and %d",
				v, th, srgb8Formula(th), srgb8Formula(math.Nextafter(th, 0)), v, v-1)
		}
		if got := srgb(th) * 255; math.Abs(got-(float64(v)-0.5)) > 1e-9 {
			t.Fatalf("srgb8Table[%d] = %.17g encodes to %.12g levels, want %d - 0.5", v, th, got, v)
		}
	}
	for i, lv := range srgb8Start {
		if want := srgb8Formula(float64(i) / srgb8Steps); lv != want {
			t.Fatalf("srgb8Start[%d] = %d, want %d", i, lv, want)
		}
	}
}

// TestGlowIsTheFormula checks that the sun's glow, which leaves out the
// disc's term below sunDisc, is the formula's sum bit for bit: at cosines
// spread over (0, 1], just below sunDisc, and tiny ones.
func TestGlowIsTheFormula(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	check := func(s float64) {
		if got, want := glow(s), 0.25*powInt(s, 8)+2*powInt(s, 900); got != want {
			t.Fatalf("glow(%.17g) = %.17g, want the formula's %.17g", s, got, want)
		}
	}
	for range 200000 {
		check(1 - r.Float64()) // (0, 1]
	}
	s := sunDisc
	for range 10000 {
		s = math.Nextafter(s, 0)
		check(s)
	}
	for _, s := range []float64{math.SmallestNonzeroFloat64, 1e-300, 1e-40, 1e-20, 0.5, sunDisc, 1} {
		check(s)
	}
}

func TestPowUsesRepeatedSquaring(t *testing.T) {
	for _, c := range []struct {
		x    float64
		n    int
		want float64
	}{
		{2, 0, 1}, {2, 1, 2}, {2, 2, 4}, {2, 3, 8}, {2, 10, 1024}, {-2, 5, -32}, {0.5, 4, 0.0625},
		{3, 7, 2187}, {1.5, 6, 11.390625}, {0, 0, 1}, {0, 3, 0},
	} {
		if got := powInt(c.x, c.n); got != c.want {
			t.Errorf("powInt(%g, %d) = %g, want %g", c.x, c.n, got, c.want)
		}
		if got := pow(c.x, float64(c.n)); got != c.want {
			t.Errorf("pow(%g, %d) = %g, want %g", c.x, c.n, got, c.want)
		}
	}
	// Other exponents go to math.Pow: fractions, negatives and the huge.
	for _, y := range []float64{1<<20 + 1, 2.5, -2} {
		if got, want := pow(1.0000001, y), math.Pow(1.0000001, y); got != want {
			t.Errorf("pow(1.0000001, %g) = %.17g, want math.Pow's %.17g", y, got, want)
		}
	}
}

func TestFresnelAndPenumbra(t *testing.T) {
	up := scene.Vec3{Y: 1}
	s := math.Sqrt(0.75)
	for _, c := range []struct {
		reflect float64
		rd      scene.Vec3
		want    float64
	}{
		{0.5, scene.Vec3{Y: -1}, 0.5},                   // head on: Reflect itself
		{0.5, scene.Vec3{X: 1}, 0.75},                   // grazing: R + (1 - R)·R
		{0.5, scene.Vec3{X: s, Y: -0.5}, 0.5 + 0.25/32}, // cos 0.5: (1 - 0.5)⁵ = 1/32
		{0.2, scene.Vec3{X: 0.6, Y: -0.8}, 0.2 + 0.16*pow5f(0.2)},
		{0.5, scene.Vec3{X: s, Y: 0.5}, 0.75}, // from behind: as grazing
		{1, scene.Vec3{X: 1}, 1},
		{0, scene.Vec3{X: 1}, 0},
		{2, scene.Vec3{Y: -1}, 1}, // clamped
	} {
		if got := reflectance(finish{Reflect: c.reflect}, c.rd, up); !near(got, c.want) {
			t.Errorf("reflectance(Reflect %g, rd %v) = %.17g, want %.17g", c.reflect, c.rd, got, c.want)
		}
	}
	for _, c := range []struct{ x, want float64 }{{0.5, 0.03125}, {1, 1}, {0, 0}, {0.1, 1e-5}, {2, 32}} {
		if got := pow5(c.x); !near(got, c.want) {
			t.Errorf("pow5(%g) = %g, want %g", c.x, got, c.want)
		}
	}
	for _, c := range []struct{ res, want float64 }{
		{-1, 0}, {0, 0}, {0.25, 0.15625}, {0.5, 0.5}, {0.75, 0.84375}, {1, 1}, {3, 1},
	} {
		if got := penumbra(c.res); !near(got, c.want) {
			t.Errorf("penumbra(%g) = %g, want %g", c.res, got, c.want)
		}
	}
	// A reflection about the normal keeps the tangent and flips the rest.
	if got, want := reflect(scene.Vec3{X: 0.6, Y: -0.8}, up), (scene.Vec3{X: 0.6, Y: 0.8}); !nearVec(got, want) {
		t.Errorf("reflect = %v, want %v", got, want)
	}
}

func pow5f(x float64) float64 { return x * x * x * x * x }

func TestAmbientOcclusionTaps(t *testing.T) {
	for i, want := range []float64{0.01, 0.0725, 0.135, 0.1975, 0.26} {
		if got := aoHeight(i); !near(got, want) {
			t.Errorf("aoHeight(%d) = %g, want %g", i, got, want)
		}
	}
	p, n := scene.Vec3{X: 1, Y: 2, Z: 3}, scene.Vec3{Z: -1}
	for i, q := range aoTapsAt(p, n) {
		if want := (scene.Vec3{X: 1, Y: 2, Z: 3 - aoHeight(i)}); !nearVec(q, want) {
			t.Errorf("AO tap %d = %v, want %v", i, q, want)
		}
	}
	open := [aoTaps]float64{}
	for i := range open {
		open[i] = aoHeight(i)
	}
	if got := occlusion(&open); got != 1 {
		t.Errorf("occlusion on open ground = %g, want 1", got)
	}
	// Each tap short of its height darkens by 2.5 × the shortfall × 0.85^tap.
	for i, want := range []float64{1 - 2.5*0.1, 1 - 2.5*0.1*0.85, 1 - 2.5*0.1*0.7225, 1 - 2.5*0.1*0.614125, 1 - 2.5*0.1*0.52200625} {
		d := open
		d[i] -= 0.1
		if got := occlusion(&d); !near(got, want) {
			t.Errorf("occlusion with tap %d 0.1 short = %.17g, want %.17g", i, got, want)
		}
	}
	buried := [aoTaps]float64{}
	if got := occlusion(&buried); got != 0 {
		t.Errorf("occlusion buried = %g, want 0 (clamped)", got)
	}
	far := [aoTaps]float64{5, 5, 5, 5, 5}
	if got := occlusion(&far); got != 1 {
		t.Errorf("occlusion far from everything = %g, want 1 (clamped)", got)
	}
}

func TestSkyFogAndLight(t *testing.T) {
	sky := scene.Sky{
		Zenith:  scene.Vec3{X: 0.2, Y: 0.4, Z: 1},
		Horizon: scene.Vec3{X: 1, Y: 0.8, Z: 0.6},
		Ground:  scene.Vec3{X: 0.3, Y: 0.2, Z: 0.1},
		Ambient: 0.5,
		Fog:     0.1,
	}
	sun := light{dir: scene.Vec3{Y: 1}, color: scene.Vec3{X: 2, Y: 2, Z: 2}, shadow: 8}
	fill := light{dir: scene.Vec3{X: 1}, color: scene.Vec3{X: 1, Y: 1, Z: 1}} // casts no shadow: no glow
	tr := tracer{sky: sky, lights: []light{sun, fill}}

	// The sky: the zenith straight up (where the sun is, with its glow), the
	// horizon level and below, and the square root of the height between.
	if got, want := tr.skyColor(scene.Vec3{Y: 1}), sky.Zenith.Add(scene.Vec3{X: 4.5, Y: 4.5, Z: 4.5}); !nearVec(got, want) {
		t.Errorf("sky straight up into the sun = %v, want the zenith plus 2 × 2.25 = %v", got, want)
	}
	if got := tr.skyColor(scene.Vec3{X: 1}); !nearVec(got, sky.Horizon) {
		t.Errorf("sky level, towards the fill light = %v, want the horizon %v (no glow)", got, sky.Horizon)
	}
	if got := tr.skyColor(scene.Vec3{Y: -1}); !nearVec(got, sky.Horizon) {
		t.Errorf("sky straight down = %v, want the horizon %v", got, sky.Horizon)
	}
	rd := scene.Vec3{Y: 0.25, Z: math.Sqrt(1 - 0.0625)}
	glow := 2 * (0.25*math.Pow(0.25, 8) + 2*math.Pow(0.25, 900))
	if got, want := tr.skyColor(rd), sky.Horizon.Lerp(sky.Zenith, 0.5).Add(scene.Vec3{X: glow, Y: glow, Z: glow}); !nearVec(got, want) {
		t.Errorf("sky at height 0.25 = %v, want halfway to the zenith, plus a faint glow: %v", got, want)
	}

	// Fog keeps exp(-Fog·t) of the colour.
	c := scene.Vec3{X: 1}
	if got := tr.fog(c, 0); got != c {
		t.Errorf("fog at 0 = %v, want %v", got, c)
	}
	k := math.Exp(-1)
	if got, want := tr.fog(c, 10), (scene.Vec3{X: k + (1 - k), Y: 0.8 * (1 - k), Z: 0.6 * (1 - k)}); !nearVec(got, want) {
		t.Errorf("fog at 10 = %v, want %v", got, want)
	}

	// Ambient light: the ground's colour facing down, the zenith's facing up,
	// times the albedo, the strength and the occlusion.
	albedo := scene.Vec3{X: 0.5, Y: 1, Z: 0.25}
	for _, c := range []struct {
		n    scene.Vec3
		ao   float64
		want scene.Vec3
	}{
		{scene.Vec3{Y: 1}, 1, scene.Vec3{X: 0.05, Y: 0.2, Z: 0.125}},
		{scene.Vec3{Y: -1}, 1, scene.Vec3{X: 0.075, Y: 0.1, Z: 0.0125}},
		{scene.Vec3{X: 1}, 0.5, scene.Vec3{X: 0.03125, Y: 0.075, Z: 0.034375}},
	} {
		if got := tr.ambient(albedo, c.n, c.ao); !nearVec(got, c.want) {
			t.Errorf("ambient(n %v, ao %g) = %v, want %v", c.n, c.ao, got, c.want)
		}
	}

	// A light: diffuse, and a Blinn-Phong highlight normalised by (s + 8)/8π.
	base := scene.Vec3{X: 0.1, Y: 0.1, Z: 0.1}
	matte := finish{}
	if got, want := lit(sun, base, albedo, scene.Vec3{Y: 1}, scene.Vec3{Y: -1}, matte, 0.5, 0.5), base.Add(albedo.Scale(0.5)); !nearVec(got, want) {
		t.Errorf("matte surface lit at cos 0.5, half visible = %v, want %v", got, want)
	}
	shiny := finish{Specular: 0.5, Shininess: 16}
	spec := 0.5 * 24 / (8 * math.Pi) // the half vector is the normal
	if got, want := lit(sun, base, albedo, scene.Vec3{Y: 1}, scene.Vec3{Y: -1}, shiny, 1, 0.5), base.Add(albedo).Add(scene.Vec3{X: spec, Y: spec, Z: spec}); !nearVec(got, want) {
		t.Errorf("shiny surface seen along the light = %v, want %v", got, want)
	}
	if got := peakOf(shiny); got != spec {
		t.Errorf("peakOf(%+v) = %v, want %v", shiny, got, spec)
	}
	// Seen from 60° off: the half vector is 30° from the normal.
	view := scene.Vec3{X: math.Sqrt(0.75), Y: -0.5}
	spec = 0.5 * 24 / (8 * math.Pi) * math.Pow(math.Cos(math.Pi/6), 16) * 2 * 0.8
	if got, want := lit(sun, scene.Vec3{}, albedo, scene.Vec3{Y: 1}, view, shiny, 0.8, 1), albedo.Scale(1.6).Add(scene.Vec3{X: spec, Y: spec, Z: spec}); !nearVec(got, want) {
		t.Errorf("shiny surface seen 60° off = %v, want %v", got, want)
	}
}

func TestCameraRays(t *testing.T) {
	cam := scene.Camera{Position: scene.Vec3{Z: 5}, Up: scene.Vec3{Y: 1}, FOV: 90}
	v := newView(cam, 200, 100)
	if v.origin != cam.Position {
		t.Errorf("origin = %v, want the camera's %v", v.origin, cam.Position)
	}
	// A 90° vertical field of view reaches ±1 up and, at 2:1, ±2 across at
	// distance 1: a pixel subtends 2/100.
	if got := v.footprint(); !near(got, 0.02) {
		t.Errorf("footprint = %g, want 0.02", got)
	}
	s6 := math.Sqrt(6)
	for _, c := range []struct {
		x, y float64
		want scene.Vec3
	}{
		{100, 50, scene.Vec3{Z: -1}},                          // the centre: straight ahead
		{0, 0, scene.Vec3{X: -2 / s6, Y: 1 / s6, Z: -1 / s6}}, // top left
		{200, 100, scene.Vec3{X: 2 / s6, Y: -1 / s6, Z: -1 / s6}},
		{150, 25, scene.Vec3{X: 1 / 1.5, Y: 0.5 / 1.5, Z: -1 / 1.5}},
		{100, 0, scene.Vec3{Y: math.Sqrt(0.5), Z: -math.Sqrt(0.5)}},
	} {
		if got := v.ray(c.x, c.y); !nearVec(got, c.want) {
			t.Errorf("ray(%g, %g) = %v, want %v", c.x, c.y, got, c.want)
		}
	}
	// Looking down the x axis with a 60° field of view, square.
	cam = scene.Camera{Position: scene.Vec3{X: -3, Y: 1}, Target: scene.Vec3{Y: 1}, Up: scene.Vec3{Y: 2}, FOV: 60}
	v = newView(cam, 50, 50)
	h := math.Tan(math.Pi / 6)
	if got := v.footprint(); !near(got, 2*h/50) {
		t.Errorf("60° footprint = %g, want %g", got, 2*h/50)
	}
	l := math.Sqrt(1 + 2*h*h)
	if got, want := v.ray(0, 50), (scene.Vec3{X: 1 / l, Y: -h / l, Z: -h / l}); !nearVec(got, want) {
		t.Errorf("60° ray(0, 50) = %v, want %v", got, want)
	}
}

func TestSamplePatterns(t *testing.T) {
	if got := samplePattern(1); len(got) != 1 || got[0] != (offset{0.5, 0.5}) {
		t.Errorf("samplePattern(1) = %v, want the centre", got)
	}
	rgss := []offset{{0.375, 0.125}, {0.875, 0.375}, {0.125, 0.625}, {0.625, 0.875}}
	if got := samplePattern(4); len(got) != 4 || [4]offset(got) != [4]offset(rgss) {
		t.Errorf("samplePattern(4) = %v, want the rotated grid %v", got, rgss)
	}
	// Other counts: the R2 sequence from the centre, steps of 1/g and 1/g² for
	// the plastic number g, modulo 1.
	const a1, a2 = 0.7548776662466927, 0.5698402909980532
	for _, n := range []int{2, 3, 5, 16, 64} {
		p := samplePattern(n)
		if len(p) != n {
			t.Fatalf("samplePattern(%d) has %d offsets", n, len(p))
		}
		seen := map[offset]bool{}
		for i, o := range p {
			wx, wy := math.Mod(0.5+a1*float64(i), 1), math.Mod(0.5+a2*float64(i), 1)
			if math.Abs(o.x-wx) > 1e-12 || math.Abs(o.y-wy) > 1e-12 {
				t.Errorf("samplePattern(%d)[%d] = %v, want {%g %g}", n, i, o, wx, wy)
			}
			if !(o.x >= 0 && o.x < 1 && o.y >= 0 && o.y < 1) || seen[o] {
				t.Errorf("samplePattern(%d)[%d] = %v: want a new offset in [0, 1)²", n, i, o)
			}
			seen[o] = true
		}
	}
}

// lit is c with the light l added by light.add.
func lit(l light, c, albedo, n, rd scene.Vec3, m finish, ndl, vis float64) scene.Vec3 {
	l.add(&c, &albedo, &n, &rd, &m, peakOf(m), ndl, vis)
	return c
}

// TestPeaksFollowTheFinish holds that peaks gives each finish of a run its
// own peakOf, bit for bit, and says whether its highlight is the lanes' (a
// peak above 0, a whole exponent from 0 to 2²⁰), where the finish changes
// its weight alone, its shininess alone, both or neither, from the zero
// value on.
func TestPeaksFollowTheFinish(t *testing.T) {
	run := []finish{
		{}, {Specular: 0.25, Shininess: 60}, {Specular: 0.25, Shininess: 60, Reflect: 0.12},
		{Specular: 0.25, Shininess: 250}, {Specular: 1, Shininess: 250}, {Specular: 0.5, Shininess: 40},
		{Specular: 0.5, Shininess: 40}, {}, {Specular: math.NaN(), Shininess: 60}, {Specular: 0.25, Shininess: 60},
		{Specular: 0.9, Shininess: math.Inf(1)}, {Specular: 0.9, Shininess: 120.5}, {Specular: 0.9, Shininess: 120},
		{Specular: 0.9, Shininess: 1 << 20}, {Specular: 0.9, Shininess: 1<<20 + 1}, {Specular: -0.9, Shininess: 120},
		{Specular: 0.9, Shininess: -2}, {Specular: 0.9, Shininess: 0}, {Specular: 0.9, Shininess: -9},
	}
	var pk peaks
	for i := range run {
		m := run[i]
		got, want := pk.of(&m), peakOf(m)
		if math.Float64bits(got) != math.Float64bits(want) && !(math.IsNaN(got) && math.IsNaN(want)) {
			t.Errorf("finish %d %+v: peaks.of = %v, want peakOf's %v", i, m, got, want)
		}
		e := m.Shininess
		if whole := want > 0 && e >= 0 && e <= 1<<20 && e == math.Trunc(e); pk.whole != whole {
			t.Errorf("finish %d %+v: peaks.whole = %v, want %v", i, m, pk.whole, whole)
		}
	}
}
