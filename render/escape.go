package render

import (
	"math"

	"github.com/sdfrender/render/scene"
)

// What a ray has left behind for good: the marcher asks the program whether a
// ray can still hit anything, whether a shadow ray can still darken, and whether
// only the planes can still be nearest, and skips the work that cannot matter.

// escapes works out what a ray must leave behind to hit nothing more.
func (c *compiler) escapes(root scene.Node) {
	children, ok := root.(scene.Union)
	if !ok {
		children = scene.Union{root}
	}
	c.canEscape = true
	for _, n := range children {
		from := len(c.spheres)
		if parts, ok := partBounds(c.spheres, n); ok {
			c.spheres = parts
			group := int32(-1)
			if len(parts)-from > 1 {
				center, radius, _ := bound(n)
				group = int32(len(c.groups))
				c.groups = append(c.groups, boundGroup{sphere{center, radius}, int32(from), int32(len(parts))})
			}
			for range parts[from:] {
				c.groupOf = append(c.groupOf, group)
			}
			continue
		}
		s, ok := n.(*scene.Solid)
		if !ok {
			c.canEscape = false
			return
		}
		pl, ok := s.Shape.(scene.Plane)
		if !ok {
			c.canEscape = false
			return
		}
		c.planes = append(c.planes, pl)
	}
	c.quads = quadsOf(c.spheres)
}

// sphereQuads is a list of spheres in quads, four at a time, for the AVX2
// build's checks: the centres' coordinates, the radii and their squares,
// each a list, padded to a whole number of quads.
type sphereQuads struct{ x, y, z, r, rr []float64 }

func quadsOf(spheres []sphere) sphereQuads {
	n := (len(spheres) + 3) / 4 * 4
	all := make([]float64, 5*n)
	q := sphereQuads{all[:n], all[n : 2*n], all[2*n : 3*n], all[3*n : 4*n], all[4*n:]}
	for i, sp := range spheres {
		q.x[i], q.y[i], q.z[i], q.r[i], q.rr[i] = sp.center.X, sp.center.Y, sp.center.Z, sp.radius, sp.radius*sp.radius
	}
	return q
}

// maxPartBounds is the most copies of a repetition that partBounds bounds
// one by one.
const maxPartBounds = 16

// partBounds appends to spheres bounds that hold everything within n's
// surface between them, and reports whether n is bounded: n's bound, or for a
// limited repetition of a few copies (maybe moved), one around each copy. A
// ray between the copies of a colonnade is clear of them all, as it is not of
// the one sphere around the colonnade, and leaves them behind sooner.
func partBounds(spheres []sphere, n scene.Node) ([]sphere, bool) {
	center, radius, ok := bound(n)
	if !ok {
		return spheres, false
	}
	switch n := n.(type) {
	case *scene.Translate:
		from := len(spheres)
		spheres, _ = partBounds(spheres, n.Child)
		for i := range spheres[from:] {
			sp := &spheres[from+i]
			sp.center = sp.center.Add(n.Offset) // as bound moves it
		}
		return spheres, true
	case *scene.Repeat:
		c, r, _ := bound(n.Child)
		copies := func(period, limit float64) int { // on each side of the child
			if period <= 0 {
				return 0
			}
			return int(min(math.Floor(limit), maxPartBounds))
		}
		nx, ny, nz := copies(n.Period.X, n.Limit.X), copies(n.Period.Y, n.Limit.Y), copies(n.Period.Z, n.Limit.Z)
		if (2*nx+1)*(2*ny+1)*(2*nz+1) > maxPartBounds {
			break
		}
		// Copy i is the child moved by period·i: Repeat.Cell takes it
		// back to the child's space.
		for i := -nx; i <= nx; i++ {
			for j := -ny; j <= ny; j++ {
				for k := -nz; k <= nz; k++ {
					at := scene.Vec3{X: float64(n.Period.X * float64(i)), Y: float64(n.Period.Y * float64(j)), Z: float64(n.Period.Z * float64(k))}
					spheres = append(spheres, sphere{c.Add(at), r})
				}
			}
		}
		return spheres, true
	}
	return append(spheres, sphere{center, radius}), true
}

// clearance is a test that a ray has left something behind for good: given dist,
// how far the ray is from a bound or plane (> 0), and rate, how fast it recedes,
// the distance field there stays at least dist + rate·s after s more units.
type clearance struct {
	shadow bool
	// For a primary ray: the hit threshold minHit + slope·t must stay below it.
	// A shadow ray passes a bound by as a ray with threshold (res/k)·t does
	// (see clearOf): minHit 0 and slope res/k.
	t, minHit, slope float64
	// For a shadow ray: its penumbra term k·h/t must stay at or above res.
	k, res float64

	// Worked out once by march and shadowed, not once per bound: the
	// threshold now, max(minHit, slope·t), whether passes applies (for a
	// shadow ray, if k > 0), and the cosine and tangent of the slope for it.
	thr      float64
	passable bool
	cos, tan float64
}

// march makes c the test for a ray at distance t with the hit threshold
// minHit + slope·t, and shadowed the test for a shadow ray at distance t, of
// sharpness k, with penumbra term res so far: in place, as the checks' hot
// paths make them. A test made as a literal and returned is built on the
// stack field by field and copied whole, and the copy's loads wait on those
// stores: 12 % of the escape checks' time, by perf.
func (c *clearance) march(t, minHit, slope float64) {
	*c = clearance{}
	c.t, c.minHit, c.slope, c.thr, c.passable = t, minHit, slope, max(minHit, slope*t), true
	c.cos, c.tan = slopeAngle(slope)
}

// slopeAngle is the cosine and the tangent of the angle whose sine is slope,
// as the tests of a ray passing a sphere take them (sphere.passes).
func slopeAngle(slope float64) (cos, tan float64) {
	cos = math.Sqrt(1 - float64(slope*slope))
	return cos, slope / cos
}

func (c *clearance) shadowed(t, k, res float64) {
	*c = clearance{}
	c.shadow, c.t, c.k, c.res, c.passable = true, t, k, res, k > 0
	if c.passable {
		c.slope = res / k
		c.cos, c.tan = slopeAngle(c.slope)
	}
}

// ok reports whether a ray dist from a bound or plane and receding from it at
// rate passes test c. The methods of clearance take it by pointer: by value,
// its 80 bytes were copied at every call, inlined or not, twice per bound.
func (c *clearance) ok(dist, rate float64) bool {
	if c.shadow {
		return rate >= 0 && c.k*min(dist/c.t, rate) >= c.res
	}
	return rate >= c.slope && dist >= c.thr
}

// clearOf reports whether a ray at q going in unit direction d passes test c
// for sphere sp: it recedes from it fast enough, or passes it by far enough
// (see passes). For a shadow ray, k·h/t >= res wherever h >= (res/k)·t: a
// threshold of slope res/k.
func (c *clearance) clearOf(sp sphere, q, d scene.Vec3) bool {
	a := sp.approach(q, d)
	return c.recedes(sp, a) || c.passable && sp.passes(a, c.minHit, c.slope, c.cos, c.tan, c.t)
}

// recedes reports whether a ray whose approach to sphere sp is a recedes from
// it and passes test c for it: c.ok(dist, rate) for its distance from the
// sphere, |v| - radius, and the rate it recedes at, v·d/|v|, worked out
// without a division (t and |v| are positive).
func (c *clearance) recedes(sp sphere, a approach) bool {
	if a.vd <= 0 || a.vv <= sp.radius*sp.radius {
		return false
	}
	dist := a.l - sp.radius
	if c.shadow {
		return c.k*dist >= c.res*c.t && c.k*a.vd >= c.res*a.l // k·min(dist/t, rate) >= res
	}
	return a.vd >= c.slope*a.l && dist >= c.thr // rate >= slope
}

// approach is where a ray at q going in unit direction d is with respect to a
// sphere's centre: with v = q - centre, |v|², v·d and |v|, which receding and
// passes both need, worked out once.
type approach struct{ vv, vd, l float64 }

// approach's arithmetic is written out, not with Vec3's methods: so it is
// small enough to be inlined.
func (sp sphere) approach(q, d scene.Vec3) approach {
	vx, vy, vz := q.X-sp.center.X, q.Y-sp.center.Y, q.Z-sp.center.Z
	vv := float64(vx*vx) + float64(vy*vy) + float64(vz*vz)
	return approach{vv: vv, vd: float64(vx*d.X) + float64(vy*d.Y) + float64(vz*d.Z), l: math.Sqrt(vv)}
}

// passes reports whether a ray whose approach to the sphere's centre is a, at
// distance t along it, stays clear of the sphere by its hit threshold minHit + slope·t
// wherever it goes, even if it comes nearer first: a ray that passes a bound by
// has left it behind as surely as one that recedes from it, and is found to
// at once rather than once it is past.
//
// With v = q - centre, the ray is nearest the centre s0 = -v·d further on, at
// distance b = |v × d|. Its distance from the centre, √(b² + (s - s0)²), less
// slope·s, is least at s0 + slope·b/√(1 - slope²), where it is
// b·√(1 - slope²) - slope·s0, or, if that lies behind the ray, at s = 0; and
// the distance itself is least at s0, or at 0. Both must stay clear of the
// radius by the threshold, with room for rounding. cos is √(1 - slope²) and
// tan slope/cos (slopeAngle), which the caller works out once for all the
// bounds it tests.
func (sp sphere) passes(a approach, minHit, slope, cos, tan, t float64) bool {
	if !(slope >= 0 && slope < 1) {
		return false
	}
	vv, s0, l := a.vv, -a.vd, a.l
	// b² loses up to a few ulps of |v|² to cancellation: take less, so as to err
	// towards not clear.
	b := math.Sqrt(max(vv-float64(s0*s0)-float64(4e-16*vv), 0))
	room := float64(1e-9 * (1 + l + sp.radius))
	nearest := l
	if s0 > 0 {
		nearest = b
	}
	if nearest-sp.radius < minHit+room {
		return false
	}
	least := l
	if s0+float64(b*tan) >= 0 {
		least = float64(b*cos) - float64(slope*s0)
	}
	return least-sp.radius >= float64(slope*t)+room
}

// clear reports whether a ray at q going in unit direction d passes test c for
// the bounded objects' sphere and for every plane: then nothing ahead can hit it
// (or shade it) any more than what it has passed. It looks first at the bound
// that failed the ray's last test, *blocker, and leaves there the one that
// fails this one (see leaving).
//
// A child bounded by parts, such as a row of columns, passes where the ray
// passes the sphere around the whole child, and its parts are not looked at:
// one test for the row where the ray heads away from it, not one per column
// (the shadow checks cost a fifth fewer instructions on the benchmark job). Where
// the ray does not pass that sphere, each part must pass.
func (pr *program) clear(q, d scene.Vec3, c *clearance, blocker *int32) bool {
	if !pr.canEscape {
		return false
	}
	if !pr.clearSpheres(q, d, c, blocker) {
		return false
	}
	// The planes' test as planesClear makes it, written out here: one call
	// less in every check of every ray (about 5 % of a shadow ray's check).
	for _, pl := range pr.planes {
		if dist := pl.Distance(q); dist <= 0 || !c.ok(dist, pl.Normal.Dot(d)) {
			return false
		}
	}
	return true
}

// clearEach is clear's test of the bounding spheres, one at a time.
func (pr *program) clearEach(q, d scene.Vec3, c *clearance, blocker *int32) bool {
	// The sphere that held the ray last, first: most often it still does,
	// unless the ray is clear of the bound around its child.
	if len(pr.spheres) > 0 && !c.clearOf(pr.spheres[*blocker], q, d) {
		if g := pr.groupOf[*blocker]; g < 0 || !c.clearOf(pr.groups[g].bound, q, d) {
			return false
		}
	}
	g := 0 // the next group
	for i := 0; i < len(pr.spheres); i++ {
		if g < len(pr.groups) && int32(i) == pr.groups[g].from {
			// Clear of the bound around a child's parts, clear of them all.
			gr := &pr.groups[g]
			g++
			if c.clearOf(gr.bound, q, d) {
				i = int(gr.to) - 1
				continue
			}
		}
		if int32(i) == *blocker {
			continue
		}
		sp := pr.spheres[i]
		// clearOf, written out here: inlined, approach and recedes run
		// in the loop, and only passes, where the ray does not recede, is
		// a call (3 % fewer instructions in all).
		if a := sp.approach(q, d); !c.recedes(sp, a) && !(c.passable && sp.passes(a, c.minHit, c.slope, c.cos, c.tan, c.t)) {
			*blocker = int32(i)
			return false
		}
	}
	return true
}

// groupClear is clear's test of the bounded objects' spheres for a group of
// rays (escapedFrom, unshadedFrom): the ray at q, along d, from the group's
// centre, clear of each sphere grown by grow.
func (pr *program) groupClear(q, d scene.Vec3, c *clearance, grow float64) bool {
	for _, sp := range pr.spheres {
		if !c.clearOf(sphere{sp.center, sp.radius + grow}, q, d) {
			return false
		}
	}
	return true
}

// planesClear is clear's test of the planes, for a ray of a group.
func (pr *program) planesClear(q, d scene.Vec3, c *clearance) bool {
	for _, pl := range pr.planes {
		if dist := pl.Distance(q); dist <= 0 || !c.ok(dist, pl.Normal.Dot(d)) {
			return false
		}
	}
	return true
}

// box is the box around the points added to it, from the first. Its methods
// are small enough to be inlined in the loops over a group of rays that
// already go over their points (escapedFrom, unshadedFrom), where a function
// called with each ray's point cost a call per ray.
type box struct{ lo, hi scene.Vec3 }

// boxAt is the box around p alone.
func boxAt(p scene.Vec3) box { return box{p, p} }

// add grows b to hold p.
func (b *box) add(p scene.Vec3) {
	b.lo = scene.Vec3{X: min(b.lo.X, p.X), Y: min(b.lo.Y, p.Y), Z: min(b.lo.Z, p.Z)}
	b.hi = scene.Vec3{X: max(b.hi.X, p.X), Y: max(b.hi.Y, p.Y), Z: max(b.hi.Z, p.Z)}
}

// centre is the middle of b.
func (b *box) centre() scene.Vec3 { return b.lo.Add(b.hi).Scale(0.5) }

// planesNear reports whether, everywhere within reach of p, the distance is the
// nearest plane's: every bounding sphere is farther from p than the nearest plane
// by more than twice the reach (and boundSlack), so no point within reach can be
// nearer a sphere than a plane.
func (pr *program) planesNear(p scene.Vec3, reach float64) bool {
	near, _ := pr.planesRoom(p, reach)
	return near
}

// planesRoom is planesNear, and where it holds, the room it finds: how much
// farther from p than the nearest plane every bounding sphere is, less the
// rounding of its arithmetic, for roomMoved and planesIn. Its tests are planesNear's,
// which stops at the first sphere too near; a sphere around a child's parts
// that is far enough stands for them all.
func (pr *program) planesRoom(p scene.Vec3, reach float64) (near bool, room float64) {
	if !pr.canEscape || len(pr.planes) == 0 {
		return false, 0
	}
	plane := math.Inf(1)
	for _, pl := range pr.planes {
		plane = min(plane, pl.Distance(p))
	}
	far := plane + float64(2*reach) + boundSlack // how far every bound must be
	gap := math.Inf(1)                           // the least of the spheres' distances
	next := int32(0)                             // the first sphere not yet tested
	for _, g := range pr.groups {
		if gap = spheresFar(pr.spheres[next:g.from], p, far, gap); gap < far {
			return false, 0
		}
		next = g.from
		// Beyond the bound around a child's parts, beyond every part.
		if d := p.Sub(g.bound.center).Length() - g.bound.radius; d >= far {
			gap, next = min(gap, d), g.to
		}
	}
	if gap = spheresFar(pr.spheres[next:], p, far, gap); gap < far {
		return false, 0
	}
	if math.IsInf(gap, 1) { // no spheres
		return true, gap
	}
	return true, gap - plane - float64(1e-12*(1+math.Abs(gap)+math.Abs(plane)))
}

// roomMoved is the room planesRoom found at a point, for a point within by
// of it: the spheres come nearer and the planes go farther by at most by each.
func roomMoved(room, by float64) float64 { return room - float64(2*by*(1+1e-9)) - 1e-12 }

// planesIn is planesNear(q, reach) where planesRoom found room at q, or false
// where that does not show it.
func planesIn(room, reach float64) bool { return room >= float64(2*reach)+boundSlack }

// spheresFar returns the least of gap and the distances from p to the
// spheres, or as soon as one is nearer than far, that one's.
func spheresFar(spheres []sphere, p scene.Vec3, far, gap float64) float64 {
	for _, sp := range spheres {
		d := p.Sub(sp.center).Length() - sp.radius
		if d < far {
			return d
		}
		gap = min(gap, d)
	}
	return gap
}

// boundGroup is a child of the root bounded by parts (partBounds): its own
// bound around them all, and the parts, spheres from to to.
type boundGroup struct {
	bound    sphere
	from, to int32
}

// planeDistance is the distance to the nearest plane, computed as the program
// computes it.
func (pr *program) planeDistance(q scene.Vec3) float64 {
	d := math.Inf(1)
	for _, pl := range pr.planes {
		d = scene.Min(d, pl.Distance(q))
	}
	return d
}

// leaving is escaped and planesOnly at once (their definitions, each on its
// own, are the tests', in escape_test.go), for a ray at distance t, now at q,
// going in unit direction d, with the hit threshold minHit + slope·t: both
// tests look at the same bounds, and this looks at each once. With
// planesOnlyKnown it skips the second test and reports planesOnly true.
//
// A ray that has not left everything behind is often held by the same bound
// check after check: the bound that decided the last check, *blocker, is
// looked at first, and the one that decides this check is left there. The
// answer is the same in any order.
//
// It tests a child bounded by parts part by part, where clear takes the
// sphere around the child first: the planes-only test needs every part's
// answer, and the sphere's test cost more here than it spared. A ray that
// passes the sphere around a child passes each part too, unless it does so
// within the rounding room of passes: only there can the two escape tests
// differ, and an escape found a check later changes no pixel.
func (pr *program) leaving(q, d scene.Vec3, t, minHit, slope float64, planesOnlyKnown bool, blocker *int32) (escaped, planesOnly bool) {
	if !pr.canEscape {
		return false, planesOnlyKnown
	}
	var c clearance
	c.march(t, minHit, slope)
	escaped, planesOnly = true, !planesOnlyKnown && len(pr.planes) > 0
	near, nearRate := math.Inf(1), 0.0
	for _, pl := range pr.planes {
		dist, rate := pl.Distance(q), pl.Normal.Dot(d)
		if dist <= 0 || !c.ok(dist, rate) {
			escaped = false
		}
		if dist < near {
			near, nearRate = dist, rate
		}
	}
	if !escaped && !planesOnly || len(pr.spheres) == 0 {
		return escaped, planesOnly || planesOnlyKnown
	}
	escaped, planesOnly = pr.leavingSpheres(q, d, &c, escaped, planesOnly, near+boundSlack, nearRate, blocker)
	return escaped, planesOnly || planesOnlyKnown
}

// leavingEach is leaving's test of the bounding spheres, one at a time, for
// a ray at q going in unit direction d with the test c: whether it stays
// escaped, if it is, and planes only, if it is, where the nearest plane is
// nearer than nearer (less boundSlack) and the ray recedes from it at
// nearRate.
func (pr *program) leavingEach(q, d scene.Vec3, c *clearance, escaped, planesOnly bool, nearer, nearRate float64, blocker *int32) (bool, bool) {
	for i := range pr.spheres {
		at := pr.around(*blocker, i)
		sp := pr.spheres[at]
		a := sp.approach(q, d)
		if escaped && !c.recedes(sp, a) && !sp.passes(a, c.minHit, c.slope, c.cos, c.tan, c.t) {
			escaped = false
		}
		// Not behind the ray beyond the nearest plane: inside the sphere,
		// coming nearer, nearer than the plane or coming nearer faster.
		if a.vd <= 0 || a.vv <= sp.radius*sp.radius || a.l-sp.radius < nearer || a.vd < nearRate*a.l {
			planesOnly = false
		}
		if !escaped && !planesOnly {
			*blocker = int32(at)
			break
		}
	}
	return escaped, planesOnly
}

// around is the i-th bounding sphere counted from the first-th, round the
// list: the order in which clear and leaving look at them.
func (pr *program) around(first int32, i int) int {
	if i += int(first); i >= len(pr.spheres) {
		i -= len(pr.spheres)
	}
	return i
}

// unshaded reports whether a shadow ray at distance t, now at q, can no longer
// lower its penumbra term res (sharpness k): k·h/t only falls where the ray
// passes close to something, and beyond every bound and plane h grows at
// least as fast as the ray recedes.
func (pr *program) unshaded(q, d scene.Vec3, t, k, res float64, blocker *int32) bool {
	var c clearance
	c.shadowed(t, k, res)
	return pr.clear(q, d, &c, blocker)
}

// escapedFrom reports whether every ray of group, all at the same distance t
// along them, will hit nothing more, with the hit threshold minHit + slope·t:
// as escaped for each, but with one test of each bound for them all. Within
// the group the rays start within spread of a centre, and their directions
// within chord of an axis, so that at distance u along them a ray is within
// spread + chord·u of the axis's point: the ray from the centre along the axis
// clear of each bound grown by spread (and by chord·minHit/slope), with the
// threshold's slope grown by chord, has every ray of the group clear of the
// bound with its own threshold. The planes are tested on each ray.
func (pr *program) escapedFrom(group []marchRay, minHit, slope float64) bool {
	if !pr.canEscape || len(group) == 0 || !(slope > 0) {
		return false
	}
	t := group[0].t
	var c clearance
	c.march(t, minHit, slope)
	var axis scene.Vec3
	starts := boxAt(group[0].ro)
	for i := range group { // by index: a copy of each ray cost more than the rest
		r := &group[i]
		if r.t != t || !pr.planesClear(r.ro.Add(r.rd.Scale(t)), r.rd, &c) {
			return false
		}
		axis = axis.Add(r.rd)
		starts.add(r.ro)
	}
	// Where the rays start, around the box's centre, and where they go,
	// around the axis: the most any of them strays from each.
	centre := starts.centre()
	axis = axis.Normalize()
	spread, chord := 0.0, 0.0 // squared, until the loop is done
	for i := range group {
		r := &group[i]
		v, w := r.ro.Sub(centre), r.rd.Sub(axis)
		spread, chord = max(spread, v.Dot(v)), max(chord, w.Dot(w))
	}
	spread, chord = math.Sqrt(spread), math.Sqrt(chord)
	// A ray strays from the axis by up to spread + chord·u at distance u,
	// which the slope grown by chord covers wherever the threshold is
	// slope·u, but not where it is minHit, before minHit/slope: there the
	// bounds grow by the most it strays. With room for the rounding of the
	// lengths and of the directions.
	grow := spread
	if t < minHit/slope {
		grow += chord * minHit / slope
	}
	grow = float64(grow*(1+1e-9)) + 1e-12
	var cone clearance
	cone.march(t, minHit, slope+float64(chord*(1+1e-9))+1e-12)
	return pr.groupClear(centre.Add(axis.Scale(t)), axis, &cone, grow)
}

// unshadedFrom reports whether every shadow ray of group, all at their start
// (t = shadowStart, res = 1) towards unit direction d with sharpness k, can
// never lower its penumbra term: as unshaded for each, but with one test of
// each bound for them all. The rays are parallel and their points lie within
// spread of a centre, so each ray's distance to a sphere is at least the
// distance of the ray from the centre to the sphere grown by spread, point for
// point along them: that ray clear of the grown spheres, each ray is clear of
// the spheres. The planes are tested at each ray's own point.
func (pr *program) unshadedFrom(group []shadowRay, d scene.Vec3, k float64) bool {
	if !pr.canEscape || len(group) == 0 {
		return false
	}
	var c clearance
	c.shadowed(shadowStart, k, 1)
	starts := boxAt(group[0].p)
	for i := range group { // by index, as in escapedFrom
		r := &group[i]
		if !pr.planesClear(r.p.Add(d.Scale(shadowStart)), d, &c) {
			return false
		}
		starts.add(r.p)
	}
	centre, spread := starts.centre(), 0.0
	for i := range group {
		v := group[i].p.Sub(centre)
		spread = max(spread, v.Dot(v)) // squared, until the loop is done
	}
	spread = float64(math.Sqrt(spread)*(1+1e-9)) + 1e-12 // above the rounding of the lengths
	return pr.groupClear(centre.Add(d.Scale(shadowStart)), d, &c, spread)
}

// surface returns the distance at p and sets *m to the material there, as
// root.Surface gives them (the nearest child of a root union, and of two as
// near the one first in the union, though the unbounded are looked at
// first), looking only at the children whose bounds are near enough to
// matter: with planes, where only the planes can be nearest (planesNear), at
// none of the bounded ones.
func (pr *program) surface(p scene.Vec3, planes bool, m *scene.Material) float64 {
	if pr.children == nil {
		return scene.SurfaceInto(pr.root, p, m)
	}
	// A solid's material is copied only where it is the nearest, and at the
	// end: as (*scene.Solid).Surface, its shape's distance and its material;
	// the zero material, where nothing is nearer than +Inf, only then.
	d := math.Inf(1)
	var solid *scene.Solid
	at := -1 // the nearest's index in the union; -1 for none
	var mn scene.Material
	for i := range pr.children {
		ch := &pr.children[i]
		if ch.bounded {
			if planes {
				break // the unbounded children come first: none is left
			}
			if p.Sub(ch.center).Length()-ch.radius >= d+boundSlack {
				continue
			}
		}
		if ch.solid != nil {
			if dn := ch.solid.Shape.Distance(p); dn < d || dn == d && ch.index < at {
				d, solid, at = dn, ch.solid, ch.index
			}
		} else if ch.leaf != nil {
			if dn := ch.node.Distance(p); dn < d || dn == d && ch.index < at {
				d, solid, at = dn, ch.leaf, ch.index
			}
		} else if dn := scene.SurfaceInto(ch.node, p, &mn); dn < d || dn == d && ch.index < at {
			d, solid, at = dn, nil, ch.index
			*m = mn
		}
	}
	if solid != nil {
		*m = solid.Material
	} else if at < 0 {
		*m = scene.Material{}
	}
	return d
}
