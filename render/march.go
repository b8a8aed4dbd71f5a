package render

import (
	"math"

	"github.com/sdfrender/render/scene"
)

// The constants of the march, in one place. Distances are in scene units.
const (
	maxSteps     = 200  // sphere-tracing steps before a ray gives up as a miss
	farPlane     = 80.0 // rays that travel this far see the sky
	hitEpsilon   = 0.5  // a ray is near a surface within this fraction of its pixel's footprint...
	hitFine      = 16   // ...and hits it within a hitFine-th of that, or...
	steadyRatio  = 1e-6 // ...once it closes in no slower than at the step before, within this
	minHitDist   = 1e-4 // the hit threshold never falls below this, near the camera
	surfaceLift  = 4.0  // secondary rays start this many hit thresholds off the surface
	normalOffset = 1e-4 // sample spacing of the tetrahedral gradient, scaled by distance

	shadowSteps   = 64   // steps of a shadow ray
	shadowStart   = 0.02 // first step of a shadow ray, past its own surface
	shadowFar     = 20.0 // a shadow ray that travels this far is lit
	shadowMinStep = 0.02 // shadow rays step at least this far...
	shadowMaxStep = 1.5  // ...and at most this far, so the penumbra is sampled often enough
	shadowDark    = 1e-3 // a shadow ray this occluded is fully dark and stops
	shadowCheck   = 4    // steps of a shadow ray between checks that nothing ahead can darken it

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
	prog      *program     // the compiled root; nil to evaluate the tree
	floor     *scene.Plane // onlyPlane(prog), for planesAhead
	stacks    stacks       // the program's working memory
	reference bool         // march as the reference marcher does (reference.go)
	// The camera and the distance there, worked out once per tile: the first
	// step of every primary ray (uncapped: see stepDistance).
	origin     scene.Vec3
	originDist float64
	sky        scene.Sky
	lights     []light
	// The hit threshold's growth per unit distance along a ray: hitEpsilon ×
	// the pixel footprint per unit distance (radians per pixel); and its
	// least, minHitDist (see hitThreshold).
	slope, minHit float64
	near          bool  // framePlan.near
	evals         int64 // distance evaluations so far: counted here, merged per tile
	// The bounds that decided the last check of a ray and of a shadow ray.
	// A check looks first at the bound that decided the ray's last one
	// (program.leaving, program.clear), and a ray's first check at the one
	// that decided the last check of the ray before it: the rays of a wave
	// come in the order of their pixels, and neighbours are mostly held by
	// the same bound. The answer is the same whichever bound a check starts
	// from (TestLeavingIsEscapedAndPlanesOnly); starting from the first,
	// the default build's sphere loops ran a third more instructions.
	marchSeed, shadowSeed int32
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

// stepDistance is the distance at p that a ray steps by: to everything but
// the planes, capped at ceiling, how far the ray is from the planes ahead
// (see planesAhead), for a split program; the distance, for any other.
func (tr *tracer) stepDistance(p scene.Vec3, ceiling float64) float64 {
	if tr.prog == nil || !tr.prog.split() {
		return tr.distance(p)
	}
	tr.evals++
	return tr.prog.capped(p, ceiling, &tr.stacks)
}

// planesAhead returns, for a ray at q going in unit direction d, the distance
// from q to the nearest of the program's planes and how far along the ray
// the nearest it comes towards lies (+Inf if it meets none): for a split
// program, whose planes the marcher takes itself. For any other, both are
// +Inf, and the distances it steps by are the whole scene's.
func (tr *tracer) planesAhead(q, d scene.Vec3) (dist, along float64) {
	if tr.floor != nil {
		return planeAhead(tr.floor, q, planeRate(tr.floor, d))
	}
	if tr.prog == nil || !tr.prog.split() {
		return math.Inf(1), math.Inf(1)
	}
	return tr.prog.planesAhead(q, d)
}

// planesAhead is tracer.planesAhead for a split program: the least of
// planeAhead's answers over its planes.
func (pr *program) planesAhead(q, d scene.Vec3) (dist, along float64) {
	dist, along = math.Inf(1), math.Inf(1)
	for i := range pr.planes {
		h, a := planeAhead(&pr.planes[i], q, planeRate(&pr.planes[i], d))
		if h < dist {
			dist = h
		}
		if a < along {
			along = a
		}
	}
	return dist, along
}

// planeAhead is planesAhead for the plane pl alone, for a ray at q whose
// planeRate is rate. Where it is the program's only plane (a floor, the
// commonest case), planesAhead is this, without the loop and the checks of
// the program (0.7 % fewer instructions on the benchmark job); the lesser of
// its answers over several planes is the loop's.
//
// It is written to be inlined (within the compiler's budget), and the
// marcher's loops call it themselves for a floor (wave.march, wave.shadows):
// a call in a loop over rays spills every value the loop holds, and two of
// them per step (tracer.planesAhead, then this) cost 1.6 % of the
// instructions. They work the rate out once per ray (per light, for the
// shadow rays), not at every step. The division is made whatever the
// direction, and its answer kept only for a ray towards the plane; a
// distance or an answer that is not less than +Inf (a NaN) is +Inf, as the
// loop takes it.
func planeAhead(pl *scene.Plane, q scene.Vec3, rate float64) (dist, along float64) {
	n := &pl.Normal
	h := float64(q.X*n.X) + float64(q.Y*n.Y) + float64(q.Z*n.Z) - pl.Offset // pl.Distance(q)
	along = h / -rate
	if !(rate < 0 && along < inf) {
		along = inf
	}
	if !(h < inf) {
		h = inf
	}
	return h, along
}

// planeRate is how fast a ray in unit direction d moves away from pl (minus
// how fast it closes in): the same all along the ray.
func planeRate(pl *scene.Plane, d scene.Vec3) float64 {
	n := &pl.Normal
	return float64(n.X*d.X) + float64(n.Y*d.Y) + float64(n.Z*d.Z) // pl.Normal.Dot(d)
}

// inf is +Inf, as a variable: math.Inf's call counts against the inlining
// budget of a function that calls it.
var inf = math.Inf(1)

// onlyPlane is the plane a split program's marcher takes itself when it is
// the only one, or nil (see planeAhead).
func onlyPlane(pr *program) *scene.Plane {
	if pr == nil || !pr.split() || len(pr.planes) != 1 {
		return nil
	}
	return &pr.planes[0]
}

// surface returns the distance at p, where, with planes, only the planes can
// be nearest (planesAt), and sets *m to the material there. A material
// returned, 80 bytes, came back a number at a time and was copied sixteen
// bytes at a time, and the copy's loads waited on those stores (5 % of the
// shading's time, by perf).
func (tr *tracer) surface(p scene.Vec3, planes bool, m *scene.Material) float64 {
	if tr.prog != nil {
		return tr.prog.surface(p, planes, m)
	}
	return scene.SurfaceInto(tr.root, p, m)
}

// hitThreshold is how close a ray at distance t must come to count as a hit:
// half a pixel's footprint there, so distant surfaces cost fewer steps.
// The reference marcher's, fixed whatever the distance, is a least of
// referenceEpsilon and a slope of 0 (asReference): no test of which marcher
// it is, in the commonest test of every step.
func (tr *tracer) hitThreshold(t float64) float64 {
	if h := tr.slope * t; h > tr.minHit {
		return h
	}
	return tr.minHit
}

// lift is how far a hit at distance t is moved off its surface along the
// normal, so that the rays that start there (occlusion taps, shadow rays,
// reflections) do not hit it at once: surfaceLift hit thresholds. The tracer
// and the waves both lift by it, so their hits are the same points.
func (tr *tracer) lift(t float64) float64 { return float64(surfaceLift * tr.hitThreshold(t)) }

// asReference makes tr march as the reference marcher does, at its fixed hit
// threshold.
func (tr *tracer) asReference() {
	tr.reference, tr.slope, tr.minHit = true, 0, referenceEpsilon
}

// march sphere-traces the ray from ro along unit direction rd, starting at distance
// t0, and returns the distance of the first hit.
func (tr *tracer) march(ro, rd scene.Vec3, t0 float64) (t float64, hit bool) {
	if t0 > farPlane {
		return t0, false // clear all the way to the far plane: the sky
	}
	m := progress{t: t0}
	for i := range maxSteps {
		q := ro.Add(rd.Scale(m.t))
		plane, ahead := tr.planesAhead(q, rd)
		if tr.meets(plane, &m) {
			return m.t, true
		}
		var d float64
		switch {
		case m.planesOnly:
			d = ahead // nothing else can be nearer on the way there
		case m.t == 0 && ro == tr.origin && tr.prog != nil:
			d = min(tr.originDist, ahead) // every primary ray starts at the camera
		default:
			d = tr.stepDistance(q, ahead)
		}
		if hit, done := tr.step(ro, rd, i, d, plane, &m); done {
			return m.t, hit
		}
	}
	return m.t, false
}

// progress is how far a ray has marched and what its march knows.
type progress struct {
	t          float64
	planesOnly bool // only the planes can be nearest from here on
	// The distances at the step before and the one before that, and whether
	// the ray closed in at the step before (see step).
	last, prev float64
	closing    bool
	blocker    int32 // the bound that decided the last check (program.leaving)
}

// step is step i of a march: the ray at m.t is plane from the nearest plane
// the marcher takes itself (+Inf if it takes none) and may move on by move, a
// distance no surface is nearer than along the ray (see stepDistance). The
// distance to the scene there is the lesser of the two. It reports whether the
// ray has hit, and whether it is done (hit or gone), and otherwise moves the
// ray on and notes what it learnt.
//
// A plane is a surface a ray meets where its line does, so the ray moves
// straight there, not by ever shorter steps as its distance shrinks: a ray
// towards open ground meets it in a step, and a ray that leaves the ground
// moves by the distance to what else there is.
//
// Within the hit threshold, half a pixel's footprint, a ray is near a
// surface, not yet on it: a ray that passes a silhouette by a fraction of a
// pixel comes as near, and taking it for a hit would draw every silhouette
// half a pixel wide. A near ray hits once within a hitFine-th of the
// threshold, or once it closes in no more slowly than at the step before, as
// a ray does into a plane or into a surface it meets head on: a ray passing a
// surface by (and one meeting a convex surface at a grazing angle, which it
// cannot tell apart from one) slows down as it closes in, until it is within
// a hitFine-th or its distance grows again, and it goes on. With only the
// planes near, a ray within the threshold hits them (a plane has no
// silhouette), as the reference marcher's rays hit at its fixed threshold.
func (tr *tracer) step(ro, rd scene.Vec3, i int, move, plane float64, m *progress) (hit, done bool) {
	d := min(move, plane)
	closing := i > 0 && d < m.last
	if thr := tr.hitThreshold(m.t); d < thr {
		// The ratios are worked out only here, near a surface: a division
		// at every step costs more than all the rest of it.
		if m.planesOnly || tr.reference || d*hitFine < thr || closing && m.closing && d/m.last <= m.last/m.prev*(1+steadyRatio) {
			return true, true
		}
	}
	m.prev, m.last, m.closing = m.last, d, closing
	m.t += move
	if m.t > farPlane {
		return false, true
	}
	// Escaping and reaching the planes are for good, so looking every few
	// steps finds them almost as soon, for a fraction of the cost.
	if tr.prog != nil && (i == 0 || i%marchCheck == marchCheck-1) {
		if i == 0 {
			m.blocker = tr.marchSeed // see tracer.marchSeed
		}
		escaped, planes := tr.prog.leaving(ro.Add(rd.Scale(m.t)), rd, m.t, minHitDist, tr.slope, m.planesOnly, &m.blocker)
		m.planesOnly, tr.marchSeed = planes, m.blocker
		return false, escaped
	}
	return false, false
}

// advance is step i in its commonest case, where it neither hits nor checks
// and the ray stays within the far plane: the ray moves on, as step would
// move it. It reports whether that is the case, and if not leaves m as it
// was, for step. Small enough to be inlined, it spares the marcher's loop
// (wave.march) a call at most steps.
func (tr *tracer) advance(i int, move, plane float64, m *progress) bool {
	d := min(move, plane)
	if d < tr.hitThreshold(m.t) || m.t+move > farPlane || i%marchCheck == marchCheck-1 || i == 0 {
		return false
	}
	m.prev, m.last, m.closing = m.last, d, d < m.last
	m.t += move
	return true
}

// meets reports whether a ray at m.t, plane from the nearest plane, hits
// there whatever else the scene holds: the distance is at most plane, and
// that within a hitFine-th of the threshold (or within it, with only the
// planes near) is a hit (see step). Its march then evaluates nothing more.
func (tr *tracer) meets(plane float64, m *progress) bool {
	thr := tr.hitThreshold(m.t)
	return plane < thr && (m.planesOnly || plane*hitFine < thr)
}

// tetrahedron holds the directions of the four samples of the gradient.
var tetrahedron = [4]scene.Vec3{{X: 1, Y: -1, Z: -1}, {X: -1, Y: -1, Z: 1}, {X: -1, Y: 1, Z: -1}, {X: 1, Y: 1, Z: 1}}

// normal returns the surface normal at p by the tetrahedral gradient, 4 samples
// (Quílez, "normals for an SDF").
func (tr *tracer) normal(p scene.Vec3, t float64) scene.Vec3 {
	if tr.reference {
		return tr.referenceNormal(p)
	}
	taps, planes := tr.normalTaps(p, t)
	dist := tr.distance
	if planes {
		dist = tr.planeDistance // on open ground, far from every object
	}
	var d [4]float64
	for i, q := range taps {
		d[i] = dist(q)
	}
	return normalFrom(&d)
}

// normalTaps returns where the gradient at p, at distance t along its ray, is
// sampled, and whether only the planes can be nearest there.
func (tr *tracer) normalTaps(p scene.Vec3, t float64) (taps [4]scene.Vec3, planes bool) {
	tapsAround(&taps, p, normalSpacing(t))
	return taps, tr.planesAt(p, t)
}

// tapsAround sets taps to where the gradient at p is sampled, with spacing h
// (through a pointer: a returned array was copied).
func tapsAround(taps *[4]scene.Vec3, p scene.Vec3, h float64) {
	for i := range tetrahedron { // by index: ranging over the array's values copied it whole, at every call
		taps[i] = normalTap(p, i, h)
	}
}

// normalTap is the normal's tap i around p, with spacing h: the one formula
// of the tracer's taps and the waves' (normalTapsInto).
func normalTap(p scene.Vec3, i int, h float64) scene.Vec3 { return p.Add(tetrahedron[i].Scale(h)) }

// roomNear reports, for a wave's hit at p, at distance t along its ray,
// whether only the planes can be nearest everywhere its normal is sampled
// (planesAt), with the room that shows it (program.planesRoom), taken where
// it can be from the hits before: at is the last of them where planesRoom
// found room. That room, moved by their distance (roomMoved), is room at p
// too, since a sphere comes nearer and a plane goes farther by no more than
// that. Where it shows only the planes near enough for the normal, it is
// p's, without a look at the bounds: but with ao, where it falls short for
// the occlusion (after the lift off the surface, as wave.occlude tests it)
// and the room at the known point grown by their distance would not,
// planesRoom looks, for a room the occlusion may take the planes' way with.
// (Where that falls short too, a look seldom finds enough, and is spared: the
// true room changes by no more than twice the distance.) Where it looks and
// finds room, p is the next known point.
//
// Any room shows only the planes near where they are, and there the distance
// is the planes' alone, the program's bits: which room a stage is given
// changes how often it takes the planes' way, not a pixel.
func (tr *tracer) roomNear(p scene.Vec3, t float64, at *roomAt, ao bool) (planes bool, room float64) {
	if tr.prog == nil {
		return false, 0
	}
	h := normalSpacing(t)
	by := p.Sub(at.p).Length()
	if room = roomMoved(at.room, by); planesIn(room, 2*h) && (!ao || tr.occludes(room, t) || !tr.occludes(float64(at.room+float64(2*by)), t)) {
		return true, room
	}
	if planes, room = tr.prog.planesRoom(p, 2*h); planes {
		*at = roomAt{p, room}
	}
	return planes, room
}

// occludes reports whether a hit at t whose room is room has only the planes
// near enough for its occlusion, after the lift (wave.occlude).
func (tr *tracer) occludes(room, t float64) bool {
	return planesIn(roomMoved(room, tr.lift(t)), aoTapsReach)
}

// roomAt is a point and the room planesRoom found there (roomNear); the
// zero value, a room of 0, shows nothing.
type roomAt struct {
	p    scene.Vec3
	room float64
}

// planesAt reports whether only the planes can be nearest everywhere the
// normal at p, at distance t along its ray, is sampled.
func (tr *tracer) planesAt(p scene.Vec3, t float64) bool {
	return tr.prog != nil && tr.prog.planesNear(p, 2*normalSpacing(t))
}

// normalSpacing is how far the normal's taps at distance t along a ray are
// from the point they sample around.
func normalSpacing(t float64) float64 { return float64(normalOffset * max(1, t)) }

// normalFrom is the normal from the distances at the taps. It takes them,
// as occlusion does, by pointer, where they are: passed by value, an array
// written a number at a time is copied sixteen bytes at a time, and those
// loads wait on the stores (3 % of the shading's time, by perf).
func normalFrom(d *[4]float64) scene.Vec3 {
	k := &tetrahedron
	return k[0].Scale(d[0]).Add(k[1].Scale(d[1])).Add(k[2].Scale(d[2])).Add(k[3].Scale(d[3])).Normalize()
}

// planeDistance is the distance when only the planes can be nearest (see
// program.leaving and program.planesNear): the same value, for less work.
func (tr *tracer) planeDistance(p scene.Vec3) float64 {
	tr.evals++
	if tr.floor != nil {
		return tr.floor.Distance(p) // the one plane: the least of one distance and +Inf is that distance
	}
	return tr.prog.planeDistance(p)
}

// planeDistances sets d to planeDistance at each of taps, points of a
// wave's queue, counted at once: counted one at a time, each count waited on
// the one before in memory, and a call each, where the taps of a hit all
// take the planes' way.
func (tr *tracer) planeDistances(taps []point, d []float64) {
	d = d[:len(taps)]
	tr.evals += int64(len(taps))
	if fl := tr.floor; fl != nil {
		for k := range taps {
			d[k] = fl.Distance(taps[k].vec())
		}
		return
	}
	for k := range taps {
		d[k] = tr.prog.planeDistance(taps[k].vec())
	}
}

// softShadow returns how much of a light reaches p along unit direction l, from 0
// (hidden) to 1 (in full view), with a penumbra from the nearest miss along the way
// (Quílez, "soft shadows in raymarched SDFs"). Sharpness k: larger is harder.
func (tr *tracer) softShadow(p, l scene.Vec3, k float64) float64 {
	res := 1.0
	t := shadowStart
	var blocker int32
	for i := range shadowSteps {
		q := p.Add(l.Scale(t))
		plane, ahead := tr.planesAhead(q, l)
		if tr.shadowStep(p, l, k, i, tr.stepDistance(q, min(ahead, shadowReach(t, k, res))), plane, &t, &res, &blocker) {
			break
		}
	}
	return penumbra(res)
}

// shadowStep is a step of a shadow ray from p towards l, now at *t, where it
// may move on by h and is plane from the nearest plane the marcher takes
// itself, as in step: it lowers *res by how near the ray passes (the lesser of
// the two) and moves *t on, and reports whether the ray is done. A ray that is
// done fully dark has *res = 0. *blocker is the ray's for program.unshaded.
func (tr *tracer) shadowStep(p, l scene.Vec3, k float64, i int, h, plane float64, t, res *float64, blocker *int32) bool {
	done, check := tr.shadowMove(k, i, h, plane, t, res)
	return done || check && tr.unshadedAt(p, l, k, i, *t, *res, blocker)
}

// unshadedAt is shadowStep's check, at step i, of a ray from p towards l at
// t. The ray's first check starts from tr.shadowSeed (see tracer.marchSeed).
func (tr *tracer) unshadedAt(p, l scene.Vec3, k float64, i int, t, res float64, blocker *int32) bool {
	if i == 0 {
		*blocker = tr.shadowSeed
	}
	unshaded := tr.prog.unshaded(p.Add(l.Scale(t)), l, t, k, res, blocker)
	tr.shadowSeed = *blocker
	return unshaded
}

// shadowMove is shadowStep but for its check: it reports whether the ray is
// done without it, and if not, whether the check is due. Small enough to be
// inlined, it spares the shadow rays' loop (wave.shadows) a call at most
// steps.
func (tr *tracer) shadowMove(k float64, i int, h, plane float64, t, res *float64) (done, check bool) {
	*res = min(*res, k*min(h, plane) / *t)
	if *res < shadowDark && !tr.reference {
		*res = 0
		return true, false
	}
	*t += scene.Clamp(h, shadowMinStep, shadowMaxStep)
	// Like escaping, being unshaded is for good: looking after the first
	// step (a ray from open ground often is at once) and every few steps
	// after finds it almost as soon.
	return *t > shadowFar, tr.prog != nil && (i == 0 || i%shadowCheck == shadowCheck-1)
}

// shadowReach is as far as a shadow step of a ray at t with penumbra term res,
// sharpness k, needs the distance: the step is at most shadowMaxStep, and
// from res·t/k on (twice that, for the rounding) the distance leaves res as it
// is. Capped there (tracer.stepDistance), the distance changes nothing in the
// step, and the program skips every bound beyond it.
func shadowReach(t, k, res float64) float64 { return max(shadowMaxStep, 2*res*t/k) }

// penumbra is the light that reaches a point from a shadow ray's res.
func penumbra(res float64) float64 {
	res = scene.Clamp(res, 0, 1)
	return res * res * (3 - 2*res)
}

// ambientOcclusion estimates how open the surface at p with normal n is to the sky,
// from 0 (buried) to 1 (open), by comparing the distance field with the distance
// along the normal at a few taps.
func (tr *tracer) ambientOcclusion(p, n scene.Vec3) float64 {
	dist := tr.distance
	if tr.aoPlanes(p) {
		dist = tr.planeDistance
	}
	var d [aoTaps]float64
	for i, q := range aoTapsAt(p, n) {
		d[i] = dist(q)
	}
	return occlusion(&d)
}

// aoPlanes reports whether only the planes can be nearest at every AO tap of p.
func (tr *tracer) aoPlanes(p scene.Vec3) bool {
	return tr.prog != nil && tr.prog.planesNear(p, aoTapsReach)
}

// aoTapsReach is how far from a point its AO taps reach.
const aoTapsReach = aoReach + 0.01

// aoHeight is the distance of AO tap i along the normal.
func aoHeight(i int) float64 { return 0.01 + float64(aoReach*float64(i)/(aoTaps-1)) }

// aoHeights and aoWeights are each tap's height and its weight in the
// occlusion, aoFalloff to the i-th, worked out once (a division and a
// conversion per tap cost 0.4 % of the benchmark job).
var aoHeights, aoWeights = func() (h, w [aoTaps]float64) {
	w[0] = 1
	for i := range h {
		h[i] = aoHeight(i)
		if i > 0 {
			w[i] = w[i-1] * aoFalloff
		}
	}
	return h, w
}()

// aoTapsAt returns the points along the normal n at p where occlusion is sampled.
func aoTapsAt(p, n scene.Vec3) (taps [aoTaps]scene.Vec3) {
	for i := range taps {
		taps[i] = aoTap(p, n, i)
	}
	return taps
}

// aoTap is the occlusion's tap i at p along n: the one formula of the
// tracer's taps and the waves' (aoTapsInto).
func aoTap(p, n scene.Vec3, i int) scene.Vec3 { return p.Add(n.Scale(aoHeights[i])) }

// occlusion is the ambient occlusion from the distances at the taps.
func occlusion(d *[aoTaps]float64) float64 {
	occ := 0.0
	for i := range d {
		occ += float64((aoHeights[i] - d[i]) * aoWeights[i])
	}
	return scene.Clamp(1-float64(aoScale*occ), 0, 1)
}

func reflect(d, n scene.Vec3) scene.Vec3 { return d.Sub(n.Scale(2 * d.Dot(n))) }

// pow5 is x⁵, for Schlick's Fresnel term.
func pow5(x float64) float64 { x2 := x * x; return x2 * x2 * x }
