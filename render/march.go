package render

import "render/scene"

// The constants of the march, in one place. Distances are in scene units.
const (
	maxSteps     = 200  // sphere-tracing steps before a ray gives up as a miss
	farPlane     = 80.0 // rays that travel this far see the sky
	hitEpsilon   = 0.5  // a ray hits when within this fraction of its pixel's footprint
	minHitDist   = 1e-4 // the hit threshold never falls below this, near the camera
	surfaceLift  = 4.0  // secondary rays start this many hit thresholds off the surface
	normalOffset = 1e-4 // sample spacing of the tetrahedral gradient, scaled by distance

	shadowSteps   = 64   // steps of a shadow ray
	shadowStart   = 0.02 // first step of a shadow ray, past its own surface
	shadowFar     = 20.0 // a shadow ray that travels this far is lit
	shadowMinStep = 0.02 // shadow rays step at least this far...
	shadowMaxStep = 1.5  // ...and at most this far, so the penumbra is sampled often enough
	shadowDark    = 1e-3 // a shadow ray this occluded is fully dark and stops

	// How many steps a ray takes between checks that it has left everything
	// behind (see program.clear): a check costs more than a step saves.
	marchCheck = 8

	aoTaps    = 5    // ambient occlusion samples along the normal
	aoReach   = 0.25 // distance of the farthest AO tap
	aoFalloff = 0.85 // weight of each tap relative to the previous one
	aoScale   = 2.5  // strength of the occlusion
)

// tracer evaluates one frozen scene for one worker. It holds no state shared with
// other workers: each worker owns its tracer and the evaluation count in it.
type tracer struct {
	root      scene.Node
	prog      *program // the compiled root; nil to evaluate the tree
	stacks    stacks   // the program's working memory
	reference bool     // march as the reference marcher does (reference.go)
	// The camera and the distance there, worked out once per tile: the first
	// step of every primary ray.
	origin     scene.Vec3
	originDist float64
	sky        scene.Sky
	lights     []light
	footprint  float64 // pixel footprint per unit distance along a ray (radians per pixel)
	evals      int64   // distance evaluations so far: counted here, merged per tile
}

// light is a scene light with its direction normalised once per frame.
type light struct {
	dir    scene.Vec3
	color  scene.Vec3 // colour × intensity
	shadow float64
}

func (tr *tracer) distance(p scene.Vec3) float64 {
	tr.evals++
	if tr.prog != nil {
		return tr.prog.distance(p, &tr.stacks)
	}
	return tr.root.Distance(p)
}

// surface returns the distance and material at p.
func (tr *tracer) surface(p scene.Vec3) (float64, scene.Material) {
	if tr.prog != nil {
		return tr.prog.surface(p)
	}
	return tr.root.Surface(p)
}

// hitThreshold is how close a ray at distance t must come to count as a hit:
// half a pixel's footprint there, so distant surfaces cost fewer steps.
func (tr *tracer) hitThreshold(t float64) float64 {
	if tr.reference {
		return referenceEpsilon
	}
	return max(minHitDist, hitEpsilon*tr.footprint*t)
}

// march sphere-traces the ray from ro along unit direction rd, starting at distance
// t0, and returns the distance of the first hit.
func (tr *tracer) march(ro, rd scene.Vec3, t0 float64) (t float64, hit bool) {
	t = t0
	planesOnly := false // once only the planes can matter, evaluate only them
	for i := range maxSteps {
		var d float64
		switch {
		case planesOnly:
			d = tr.planeDistance(ro.Add(rd.Scale(t)))
		case t == 0 && ro == tr.origin && tr.prog != nil:
			d = tr.originDist // every primary ray starts at the camera
		default:
			d = tr.distance(ro.Add(rd.Scale(t)))
		}
		if d < tr.hitThreshold(t) {
			return t, true
		}
		t += d
		if t > farPlane {
			break
		}
		// Escaping and reaching the planes are for good, so looking every few
		// steps finds them almost as soon, for a fraction of the cost.
		if tr.prog != nil && i%marchCheck == marchCheck-1 {
			q := ro.Add(rd.Scale(t))
			if tr.prog.escaped(q, rd, t, minHitDist, hitEpsilon*tr.footprint) {
				break
			}
			planesOnly = planesOnly || tr.prog.planesOnly(q, rd)
		}
	}
	return t, false
}

// normal returns the surface normal at p by the tetrahedral gradient, 4 samples
// (Quílez, "normals for an SDF").
func (tr *tracer) normal(p scene.Vec3, t float64) scene.Vec3 {
	if tr.reference {
		return tr.referenceNormal(p)
	}
	h := normalOffset * max(1, t)
	k0 := scene.Vec3{X: 1, Y: -1, Z: -1}
	k1 := scene.Vec3{X: -1, Y: -1, Z: 1}
	k2 := scene.Vec3{X: -1, Y: 1, Z: -1}
	k3 := scene.Vec3{X: 1, Y: 1, Z: 1}
	dist := tr.distance
	if tr.prog != nil && tr.prog.planesNear(p, 2*h) {
		dist = tr.planeDistance // on open ground, far from every object
	}
	n := k0.Scale(dist(p.Add(k0.Scale(h)))).
		Add(k1.Scale(dist(p.Add(k1.Scale(h))))).
		Add(k2.Scale(dist(p.Add(k2.Scale(h))))).
		Add(k3.Scale(dist(p.Add(k3.Scale(h)))))
	return n.Normalize()
}

// planeDistance is the distance when only the planes can be nearest (see
// program.planesOnly and program.planesNear): the same value, for less work.
func (tr *tracer) planeDistance(p scene.Vec3) float64 {
	tr.evals++
	return tr.prog.planeDistance(p)
}

// softShadow returns how much of a light reaches p along unit direction l, from 0
// (hidden) to 1 (in full view), with a penumbra from the nearest miss along the way
// (Quílez, "soft shadows in raymarched SDFs"). Sharpness k: larger is harder.
func (tr *tracer) softShadow(p, l scene.Vec3, k float64) float64 {
	res := 1.0
	t := shadowStart
	for range shadowSteps {
		h := tr.distance(p.Add(l.Scale(t)))
		res = min(res, k*h/t)
		if res < shadowDark && !tr.reference {
			return 0
		}
		t += scene.Clamp(h, shadowMinStep, shadowMaxStep)
		if t > shadowFar || tr.prog != nil && tr.prog.unshaded(p.Add(l.Scale(t)), l, t, k, res) {
			break
		}
	}
	res = scene.Clamp(res, 0, 1)
	return res * res * (3 - 2*res)
}

// ambientOcclusion estimates how open the surface at p with normal n is to the sky,
// from 0 (buried) to 1 (open), by comparing the distance field with the distance
// along the normal at a few taps.
func (tr *tracer) ambientOcclusion(p, n scene.Vec3) float64 {
	occ, w := 0.0, 1.0
	planes := tr.prog != nil && tr.prog.planesNear(p, aoReach+0.01)
	for i := range aoTaps {
		h := 0.01 + aoReach*float64(i)/(aoTaps-1)
		q := p.Add(n.Scale(h))
		var d float64
		if planes {
			d = tr.planeDistance(q)
		} else {
			d = tr.distance(q)
		}
		occ += (h - d) * w
		w *= aoFalloff
	}
	return scene.Clamp(1-aoScale*occ, 0, 1)
}

func reflect(d, n scene.Vec3) scene.Vec3 { return d.Sub(n.Scale(2 * d.Dot(n))) }

// pow5 is x⁵, for Schlick's Fresnel term.
func pow5(x float64) float64 { x2 := x * x; return x2 * x2 * x }
