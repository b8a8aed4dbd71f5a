package render

import (
	"slices"
	"unsafe"

	"github.com/sdfrender/render/scene"
)

// The batched renderer. The tracer (march.go, shade.go) follows one ray at a time
// to its colour, a distance evaluation at a time. wave renders a tile's rays
// together, stage by stage: it marches them all a step at a time, then takes all
// the normals, all the occlusion taps, all the shadow rays a step at a time, and
// so on, handing every stage's points to the kernel in batches (batch.go). Rays
// that finish leave the stage, so the batches stay full.
//
// Each ray goes through exactly the tracer's steps (the two share them: step,
// normalTaps, shadowStep, ...) and each distance is the interpreter's, so the
// picture is the tracer's, bit for bit; TestWaveMatchesTracer holds that.

// waveRays is the most rays a wave holds at once: a tile's worth at one sample.
// Larger tiles and more samples go through in several waves.
const waveRays = 1024

// scratch is a worker's memory for rendering tiles, made once and reused for
// every tile, so that rendering allocates nothing.
type scratch struct {
	kernel kernel
	// ungrouped turns off the tests of a group of rays at once
	// (program.escapedFrom, program.unshadedFrom), for the tests that count
	// evaluations: the tracer, a ray at a time, makes those a group spares.
	ungrouped bool
	batch     batch
	points    points
	levels    [maxBounces + 1]waveLevel // a wave, and the wave of its reflections
	// The colours of a wave's samples, and where each ray of a moment's pass
	// goes among them (waveSums).
	colors  []scene.Vec3
	slots   []int32
	order   []wavePixel // the order of a wave's pixels (blockOrder)
	origins []float64   // per moment, the distance at the camera
	sampler sampler
	lanes   laneState // the AVX2 build's rays of a march, in quads (lanes_avx2.go)
	tileMemory
}

// tileMemory is the memory for a tile's pixels: the colours summed per pixel
// (sampler.go) and, for adaptive anti-aliasing, the first pass's display
// levels and the pixels refined, their sums and their spreads (adaptive.go).
type tileMemory struct {
	sums, refined []scene.Vec3
	display       [][3]uint8
	list          []int32
	spreads       []spread
	samples       int64 // the samples that make the pixels rendered so far
}

// newScratch returns the memory for one worker, evaluating with the kernel in
// use, made for waves of up to rays rays (see waveSize) all at once: its size
// is fixed from the start, whatever the frames bring, so a long job holds no
// more than a short one (WorkerBytes says how much). A larger wave still
// works, growing it.
func newScratch(rays int) *scratch {
	s := &scratch{kernel: activeKernel}
	for i := range s.levels {
		lv := &s.levels[i]
		lv.rays = make([]waveRay, 0, rays)
		lv.hits = make([]int32, 0, rays)
		lv.marching = make([]marchRay, 0, rays)
		lv.shadowing = make([]shadowRay, 0, rays)
	}
	s.colors, s.slots, s.order = make([]scene.Vec3, 0, rays), make([]int32, 0, rays), make([]wavePixel, 0, rays)
	q := &s.points
	n := rays * maxTapsPerRay
	q.at, q.d = make([]point, 0, n), make([]float64, 0, n)
	s.lanes.make(rays)
	return s
}

// maxTapsPerRay is the most points a stage evaluates for one ray: the
// occlusion taps.
const maxTapsPerRay = max(aoTaps, len(tetrahedron), 1)

// waveSize is the most rays in a wave of tiles of tile × tile pixels at spp
// samples: a whole number of pixels, at most waveRays rays unless one pixel
// has more samples.
func waveSize(tile, spp int) int {
	return min(max(1, waveRays/spp), tile*tile) * spp
}

// scratchBytes is the size of a worker's scratch memory for waves of rays rays.
func scratchBytes(rays int) uint64 {
	perRay := uint64(len(scratch{}.levels)) * uint64(unsafe.Sizeof(waveRay{})+unsafe.Sizeof(marchRay{})+unsafe.Sizeof(shadowRay{})+unsafe.Sizeof(int32(0)))
	perRay += 5 * uint64(maxTapsPerRay) * uint64(unsafe.Sizeof(float64(0)))
	perRay += uint64(unsafe.Sizeof(scene.Vec3{}) + unsafe.Sizeof(int32(0)) + unsafe.Sizeof(wavePixel{}))
	perRay += laneBytes
	return uint64(unsafe.Sizeof(scratch{})) + uint64(rays)*perRay
}

// WorkerBytes is the memory each worker of the job keeps for rendering its
// tiles, whatever the number of frames: for the preflight's estimate.
func (j Job) WorkerBytes() uint64 {
	return scratchBytes(waveSize(j.Tile, max(1, j.PixelSamples()))) + pixelBytes(j.pixelRoom(j.Tile)) + coneBytes(j.coneRoom(j.Tile))
}

// workerScratch is the memory of one worker rendering tiles of tile pixels at
// set, made once.
func workerScratch(set Settings, tile int) *scratch {
	s := newScratch(waveSize(tile, max(1, set.PixelSamples())))
	s.sampler.cones.starts = make([]blockCones, 0, set.coneRoom(tile))
	s.sampler.cones.marches = make([]coneMarch, 0, 2*set.coneRoom(tile))
	sums, refined := set.pixelRoom(tile)
	s.sums = make([]scene.Vec3, 0, sums)
	if refined > 0 {
		s.display = make([][3]uint8, 0, sums)
		s.list, s.refined, s.spreads = make([]int32, 0, refined), make([]scene.Vec3, 0, refined), make([]spread, 0, refined)
	}
	return s
}

// pixelRoom is how many pixels' colours a worker sums at once, rendering tiles
// of tile pixels, and how many of them it may refine (adaptive.go).
func (s Settings) pixelRoom(tile int) (sums, refined int) {
	if s.MaxSamples > s.Samples {
		return (tile + 2) * (tile + 2), tile * tile
	}
	return min(tile*tile, bandPixels), 0
}

// pixelBytes is the size of the pixel memory pixelRoom gives.
func pixelBytes(sums, refined int) uint64 {
	n := uint64(sums) * uint64(unsafe.Sizeof(scene.Vec3{}))
	if refined > 0 {
		n += uint64(sums) * uint64(unsafe.Sizeof([3]uint8{}))
		n += uint64(refined) * uint64(unsafe.Sizeof(int32(0))+unsafe.Sizeof(scene.Vec3{})+unsafe.Sizeof(spread{}))
	}
	return n
}

// KernelName names the kernel that evaluates distance fields in this build and
// on this machine: "avx2" or "batch".
func KernelName() string { return activeKernel.name() }

// waveRay is one ray of a wave and what was found along it. A wave's rays
// are reused from wave to wave, and a new one is given its start alone (ro,
// rd, t and, for a primary ray, cones): each stage sets what it finds before
// any reads it (TestWaveMatchesTracer renders with rays full of garbage).
type waveRay struct {
	ro, rd    scene.Vec3
	t         float64    // where it starts, and once marched, how far it went
	hit       bool       // whether it hit something there
	p, n      scene.Vec3 // the point hit (lifted off the surface) and the normal there
	planes    bool       // whether only the planes can be nearest around p, for the stage at hand
	room      float64    // with planes, how much nearer the planes are at p than every bound (program.planesRoom)
	m         finish     // the material's highlight and mirror at p
	albedo    scene.Vec3 // and its colour there
	ndl       float64    // cosine of the light being shadowed
	shadowRes float64    // the penumbra term of the shadow ray towards it
	color     scene.Vec3 // the radiance along the ray, once traced
	cones     int32      // for a primary ray, its block's cones among the sampler's (cones.at)
}

// waveLevel is a wave of rays at one depth of reflection.
type waveLevel struct {
	rays      []waveRay
	hits      []int32 // rays that hit something
	marching  []marchRay
	shadowing []shadowRay
}

// points is a queue of points whose distances are wanted, filled by a stage and
// evaluated in batches by flush: for the steps of rays, with the ceilings of
// their capped distances (tracer.stepDistance).
type points struct {
	at []point
	d  []float64 // the distances, once flushed
	// rows is whether the lanes queued the points in rows instead, a row of
	// each coordinate and of the ceilings laid over at's memory (inRows), as
	// the batches take them: len(at) is how many.
	rows bool
}

// inRows is the four rows of the queue's memory, each of cap(q.at) numbers:
// the points' x, y and z, and their ceilings.
func (q *points) inRows() (x, y, z, c []float64) {
	n := cap(q.at)
	all := unsafe.Slice((*float64)(unsafe.Pointer(unsafe.SliceData(q.at))), 4*n)
	return all[:n:n], all[n : 2*n : 2*n], all[2*n : 3*n : 3*n], all[3*n:]
}

// point is a point of a queue, and its ceiling for a capped flush: four
// numbers in a row, which the AVX2 kernel loads as one vector (gather).
type point struct{ x, y, z, c float64 }

func (q *points) reset() { q.resize(0) }

// resize makes room for n points, which set then fills.
func (q *points) resize(n int) { q.at = grow(q.at, n) }

// set sets point i to p, with the ceiling c for a capped flush.
func (q *points) set(i int, p scene.Vec3, c float64) { q.at[i] = pointAt(p, c) }

// add adds p to the queue, with the ceiling c for a capped flush.
func (q *points) add(p scene.Vec3, c float64) { q.at = append(q.at, pointAt(p, c)) }

// pointAt is p as a point of a queue, with the ceiling c.
func pointAt(p scene.Vec3, c float64) point { return point{p.X, p.Y, p.Z, c} }

// extend adds n points to the queue, for the caller to set, and returns them.
func (q *points) extend(n int) []point {
	k := len(q.at)
	q.at = slices.Grow(q.at, n)[:k+n]
	return q.at[k:]
}

// vec is the point's position.
func (p point) vec() scene.Vec3 { return scene.Vec3{X: p.x, Y: p.y, Z: p.z} }

// wave renders tiles of one frame with the memory of one worker.
type wave struct {
	tracer
	*scratch
	pinhole bool // every primary ray starts at the camera, where the distance is known
}

// flush evaluates the distance at every point in the queue, into q.d. For
// the steps of rays (steps), those are the distances they step by
// (tracer.stepDistance).
func (w *wave) flush(steps bool) {
	q, b := &w.points, &w.batch
	q.d = grow(q.d, len(q.at))
	capped := steps && w.prog.split()
	b.near = w.near
	rows := queueRows && q.rows
	var rx, ry, rz, rc []float64
	if rows {
		rx, ry, rz, rc = q.inRows()
	}
	for start := 0; start < len(q.at); start += batchLanes {
		n := min(batchLanes, len(q.at)-start)
		b.n = (n + laneGroup - 1) / laneGroup * laneGroup
		x, y, z, c := b.x[0][:], b.y[0][:], b.z[0][:], b.ds[0][:]
		if rows {
			// The rows' points as they are, and a copy of their ceilings,
			// which the evaluation overwrites; a row has room beyond the
			// queue's last point for the lanes' last group.
			x, y, z = rx[start:start+b.n], ry[start:start+b.n], rz[start:start+b.n]
			copy(c, rc[start:start+n])
			b.x0, b.y0, b.z0 = x, y, z
		} else {
			w.kernel.gather(q.at[start:start+n], x, y, z, c)
		}
		// Fill the last group of lanes with copies of the last point.
		for l := n; l < b.n; l++ {
			x[l], y[l], z[l], c[l] = x[n-1], y[n-1], z[n-1], c[n-1]
		}
		if capped {
			b.capped(w.kernel, w.prog)
		} else {
			b.eval(w.kernel, w.prog)
		}
		copy(q.d[start:start+n], b.ds[0][:n])
		w.evals += int64(n)
	}
	if rows {
		b.x0, b.y0, b.z0 = nil, nil, nil
	}
}

// grow returns s resized to n, reusing its memory where it can.
func grow[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n, max(n, 2*cap(s)))
	}
	return s[:n]
}

// waveSums adds, for each pixel i of set, the tone-mapped colours of its
// samples from to to of pattern to sums[i], in the order of the samples (and,
// with spreads, their levels to spreads[i]), a wave of rays at a time: a pass
// per moment the samples see (one, the plan's own scene, without a shutter),
// each tracing with that moment's plan the samples that see it. The distance
// at the camera for each moment is the one newSampler left in s.origins, and
// where the primary rays start, sm.cones's.
func (sm *sampler) waveSums(set pixelSet, pattern []offset, from, to int, sums []scene.Vec3, spreads []spread) int64 {
	f, s := sm.f, sm.s
	spp := to - from
	perWave := max(1, waveRays/spp)
	var evals int64
	for first := 0; first < set.n; first += perWave {
		n := min(perWave, set.n-first)
		s.colors = grow(s.colors, n*spp)
		s.order = blockOrder(set, first, n, s.order)
		for k := range s.origins {
			m := f.momentPlan(k)
			w := wave{tracer: m.tracer(), scratch: s, pinhole: m.view.pinhole()}
			w.originDist = s.origins[k]
			lv := &w.levels[0]
			lv.rays = grow(lv.rays, n*spp)
			w.marchCones(m, s.order, from, to, k)
			// A pinhole's rays are aimed together after, where the lanes
			// can, from their points on the image and their cones' starts
			// (aimLanes).
			aim := w.pinhole && w.aimsLanes()
			slot := s.slots[:0]
			if aim && spp == 1 && f.moments == nil {
				slot = grow(slot, len(s.order))
				w.aimPixels(m.view.origin, s.order, pattern[from], &sm.cones, k, lv.rays, slot)
			}
			for _, px := range s.order[len(slot):] { // every pixel, but those aimPixels took
				i, x, y := px.i, int(px.x), int(px.y)
				for j := from; j < to; j++ {
					if f.moments != nil && f.moment(x, y, j) != k {
						continue
					}
					c := sm.cones.index(k, x, y)
					// Only what the trace reads before it writes is set:
					// zeroing the rest cost 0.7 % of the time.
					r := &lv.rays[len(slot)]
					if aim {
						o := pattern[j]
						r.ro = m.view.origin
						s.lanes.aimAt(len(slot), float64(x)+o.x, float64(y)+o.y, sm.cones.starts[c].start)
					} else {
						ro, rd := m.primary(x, y, j, pattern[j])
						r.ro, r.rd, r.t = ro, rd, w.rayStart(rd, sm.cones.starts[c].start)
					}
					r.cones = int32(c)
					slot = append(slot, i*int32(spp)+int32(j-from))
				}
			}
			s.slots = slot
			lv.rays = lv.rays[:len(slot)]
			if aim {
				w.aimLanes(&m.view, lv.rays)
			}
			w.trace(0, maxBounces)
			if !w.toneMapLanes(lv.rays, slot, s.colors) { // the AVX2 build's (lanes_avx2.go)
				for i := range lv.rays {
					s.colors[slot[i]] = toneMapped(lv.rays[i].color)
				}
			}
			evals += w.evals
		}
		if spp == 1 { // the loop below's sum of one, without its slices
			for i, c := range s.colors[:n] {
				sums[first+i] = sums[first+i].Add(c)
				if spreads != nil {
					spreads[first+i].add(c)
				}
			}
			continue
		}
		for i := range n {
			sum := sums[first+i]
			for _, c := range s.colors[i*spp : (i+1)*spp] {
				sum = sum.Add(c)
				if spreads != nil {
					spreads[first+i].add(c)
				}
			}
			sums[first+i] = sum
		}
	}
	return evals
}

// trace works out the colour of every ray of level lv, which may still be
// reflected bounces times.
func (w *wave) trace(lv, bounces int) {
	level := &w.levels[lv]
	rays := level.rays
	w.march(level, lv == 0 && w.pinhole)

	// The normals at the hits, and the materials there. Where only the planes
	// are near, the taps are the planes' alone, worked out at once.
	q, at := &w.points, roomAt{}
	q.reset()
	for _, i := range level.hits {
		r := &rays[i]
		r.p = r.ro.Add(r.rd.Scale(r.t))
		if r.planes, r.room = w.roomNear(r.p, r.t, &at, bounces == maxBounces); !r.planes {
			normalTapsInto((*[len(tetrahedron)]point)(q.extend(len(tetrahedron))), r)
		} else if !w.normalLanes(rays, i) { // the AVX2 build's lists it (lanes_avx2.go)
			var taps [len(tetrahedron)]point
			normalTapsInto(&taps, r)
			var d [4]float64
			w.planeDistances(taps[:], d[:])
			r.n = normalFrom(&d)
		}
	}
	w.normalRows(rays)
	w.flush(false)
	next := 0
	var m scene.Material // surface sets all of it, at every hit
	for _, i := range level.hits {
		r := &rays[i]
		if !r.planes {
			r.n = normalFrom((*[4]float64)(q.d[next : next+4]))
			next += 4
		} else if w.surfaceLanes(rays, i) { // the AVX2 build's lists it (lanes_avx2.go)
			continue
		}
		w.surface(r.p, r.planes, &m)
		lift := w.lift(r.t)
		r.p = r.p.Add(r.n.Scale(lift)) // off the surface, as the tracer lifts it
		r.room = roomMoved(r.room, lift)
		r.m, r.albedo = finishOf(&m), m.Albedo(r.p)
	}
	w.surfaceRows(rays)
	w.evals += int64(len(level.hits)) // a surface each

	// Ambient light, occluded only at the first hit, as the tracer does.
	if bounces == maxBounces {
		w.occlude(level)
	} else {
		for _, i := range level.hits {
			r := &rays[i]
			r.color = w.ambient(r.albedo, r.n, 1)
		}
	}

	// Each light, its shadow rays marched together.
	for li := range w.lights {
		l := &w.lights[li]
		w.shadows(level, *l)
		if w.lightLanes(rays, level.hits, l) { // the AVX2 build's (lanes_avx2.go)
			continue
		}
		var pk peaks
		for _, i := range level.hits {
			r := &rays[i]
			vis, lit := l.lights(r)
			if !lit {
				continue
			}
			l.add(&r.color, &r.albedo, &r.n, &r.rd, &r.m, pk.of(&r.m), r.ndl, vis)
		}
	}

	if bounces > 0 {
		w.reflect(lv, bounces)
	}
	if !w.fogLanes(rays, level.hits) { // the AVX2 build's (lanes_avx2.go)
		for _, i := range level.hits {
			r := &rays[i]
			r.color = w.fog(r.color, r.t)
		}
	}
	if !w.skyLanes(rays) { // the AVX2 build's (lanes_avx2.go)
		for i := range rays {
			if r := &rays[i]; !r.hit {
				r.color = w.skyColor(r.rd)
			}
		}
	}
}

// march marches every ray of level from its t, a step of all of them at a
// time, and lists the rays that hit. With primary, the rays start from a
// pinhole camera, where the distance is known: those whose cone did not take
// them further start there. The rays on their way are kept in a compact list of their
// own, dense in memory, and dropped from it as they finish. One pass over the
// list per step reads each ray's distance, takes the step and queues the point
// of its next one, with how far ahead the planes are (tracer.planesAhead); a
// ray that meets a plane hits without another evaluation (tracer.meets), and
// one that only the planes can still be nearest to marches to its end there
// and then.
func (w *wave) march(level *waveLevel, primary bool) {
	rays := level.rays
	active := grow(level.marching, len(rays))[:0]
	// The first step's points: all but those of primary rays at the
	// camera, where the distance is known, and of rays that meet a plane
	// where they start, which hit there. Neighbouring rays, a group of
	// up to a batch's, are first tested together for having nothing ahead
	// (program.escapedFrom): a block of sky, or reflections off open ground
	// into it, need no step at all.
	q := &w.points
	q.reset()
	lanes := w.lanesFit(len(rays)) // the AVX2 build's (lanes_avx2.go) take the rest, after the groups
	for from := 0; from < len(rays); from += groupRays {
		group := len(active)
		for i := from; i < min(from+groupRays, len(rays)); i++ {
			r := &rays[i]
			if r.hit = false; r.t > farPlane {
				continue // clear all the way to the far plane: the sky, as the tracer has it
			}
			// Set in place: a literal is made on the stack field by field and
			// copied whole, and the copy's loads wait on those stores (9 %
			// of the march's time by perf).
			active = append(active, marchRay{})
			a := &active[len(active)-1]
			a.ro, a.rd, a.t, a.ray = r.ro, r.rd, r.t, int32(i)
			if w.floor != nil {
				a.rate = planeRate(w.floor, r.rd)
			}
		}
		if !w.ungrouped && len(active)-group > 1 && w.prog.escapedFrom(active[group:], minHitDist, w.slope) {
			active = active[:group] // misses, and a miss's colour is the sky's, wherever it stops
			continue
		}
		if lanes {
			continue
		}
		kept := group
		for k := group; k < len(active); k++ {
			r := closeUp(active, kept, k)
			p := r.ro.Add(r.rd.Scale(r.t))
			var ahead float64
			if r.plane, ahead = w.planesAhead(p, r.rd); w.meets(r.plane, &r.progress) {
				rays[r.ray].hit = true
				continue
			}
			if !primary || r.t != 0 {
				q.add(p, ahead)
			} else {
				r.atCamera = ahead
			}
			kept++
		}
		active = active[:kept]
	}
	level.marching = active
	if lanes {
		w.marchLanes(rays, active, primary)
		active = active[:0]
	}
	for step := range maxSteps {
		if len(active) == 0 {
			break
		}
		w.flush(true)
		q.resize(len(active))
		// A ray that is done leaves the list and the others close up, in
		// their order, which is the order of their pixels: neighbours share
		// batches, whose boxes stay small (batch.boxSkips). Ray k's point
		// was the queue's k-th (at the first step, the next of the queue's,
		// those at the camera having none); the next step's go to the
		// queue's coordinates as the list closes up, while the distances
		// read here are in q.d, which only flush writes.
		n, next := 0, 0
		for k := range active {
			r := closeUp(active, n, k)
			var d float64
			if !primary || step > 0 || r.t != 0 {
				d = q.d[next]
				next++
			} else {
				d = min(w.originDist, r.atCamera)
			}
			var hit, done bool
			if !w.advance(step, d, r.plane, &r.progress) {
				hit, done = w.step(r.ro, r.rd, step, d, r.plane, &r.progress)
			}
			if !done && r.planesOnly {
				hit, done = w.planesTo(r, step+1), true
			}
			if done {
				rays[r.ray].t, rays[r.ray].hit = r.t, hit
				continue
			}
			p := r.ro.Add(r.rd.Scale(r.t))
			var ahead float64
			if w.floor != nil { // planesAhead, one call less (see planeAhead)
				r.plane, ahead = planeAhead(w.floor, p, r.rate)
			} else {
				r.plane, ahead = w.planesAhead(p, r.rd)
			}
			if w.meets(r.plane, &r.progress) {
				rays[r.ray].t, rays[r.ray].hit = r.t, true
				continue
			}
			q.set(n, p, ahead)
			n++
		}
		active = active[:n]
		q.resize(n)
	}
	for _, r := range active { // out of steps: a miss
		rays[r.ray].t = r.t
	}
	level.hits = level.hits[:0]
	for i := range rays {
		if rays[i].hit {
			level.hits = append(level.hits, int32(i))
		}
	}
}

// closeUp moves ray k of a stage's list to place n, closing up behind the
// rays that are done, and returns it there: a ray that goes on stays, and
// the next place is n+1; one that is done leaves its place to the next. It
// moves the ray before the step changes it: moved after, the copy's loads,
// sixteen bytes at a time, waited on the step's stores of a number or a flag
// at a time (13 % of the march's time, by perf).
func closeUp[T any](active []T, n, k int) *T {
	if n != k {
		active[n] = active[k]
	}
	return &active[n]
}

// planesTo marches ray r, which only the planes can still be nearest to, from
// step first to its end, and reports whether it hits: the steps it would have
// taken among the others, without them.
func (w *wave) planesTo(r *marchRay, first int) bool {
	for i := first; i < maxSteps; i++ {
		plane, ahead := w.planesAhead(r.ro.Add(r.rd.Scale(r.t)), r.rd)
		if w.meets(plane, &r.progress) {
			return true
		}
		if hit, done := w.step(r.ro, r.rd, i, ahead, plane, &r.progress); done {
			return hit
		}
	}
	return false // out of steps: a miss
}

// marchRay is a ray of a wave on its way.
type marchRay struct {
	ro, rd scene.Vec3
	progress
	plane    float64 // how far it is from the planes (tracer.planesAhead)
	atCamera float64 // for a ray at the camera, how far ahead the planes are
	rate     float64 // its planeRate, for a floor
	ray      int32   // its index in the wave
}

// normalTapsInto sets taps to tapsAround's points at r.p, the point hit r.t
// along the ray, with normalSpacing(r.t) and ceilings of 0: written where the
// queue holds them, as aoTapsInto writes its (and with AVX2, a vector a
// point, normalTapsLanes).
func normalTapsInto(taps *[len(tetrahedron)]point, r *waveRay) {
	h := normalSpacing(r.t)
	if normalTapsLanes(taps, r, h) {
		return
	}
	for i := range taps {
		taps[i] = pointAt(normalTap(r.p, i, h), 0)
	}
}

// aoTapsInto sets taps to aoTapsAt's points for hit r, at r.p along r.n,
// with ceilings of 0: written where the queue holds them, not appended a
// point at a time (and with AVX2, a vector a point, aoTapsLanes).
func aoTapsInto(taps *[aoTaps]point, r *waveRay) {
	if aoTapsLanes(taps, r) {
		return
	}
	for i := range taps {
		taps[i] = pointAt(aoTap(r.p, r.n, i), 0)
	}
}

// occlude sets each hit's colour to the ambient light, occluded.
func (w *wave) occlude(level *waveLevel) {
	rays := level.rays
	q := &w.points
	q.reset()
	for _, i := range level.hits {
		r := &rays[i]
		// aoPlanes, from the room found for the normal, near by.
		if r.planes = r.planes && planesIn(r.room, aoTapsReach); !r.planes {
			aoTapsInto((*[aoTaps]point)(q.extend(aoTaps)), r)
		} else if !w.occludeLanes(rays, i) { // the AVX2 build's lists it (lanes_avx2.go)
			var taps [aoTaps]point
			aoTapsInto(&taps, r)
			var d [aoTaps]float64
			w.planeDistances(taps[:], d[:])
			r.color = w.ambient(r.albedo, r.n, occlusion(&d))
		}
	}
	w.occludeRows(rays)
	w.flush(false)
	next := 0
	for _, i := range level.hits {
		if r := &rays[i]; !r.planes {
			r.color = w.ambient(r.albedo, r.n, occlusion((*[aoTaps]float64)(q.d[next:next+aoTaps])))
			next += aoTaps
		}
	}
}

// shadows sets each hit's cosine to light l and, for a light that casts
// shadows, marches the shadow rays of the hits it faces together.
func (w *wave) shadows(level *waveLevel, l light) {
	rays := level.rays
	active := level.shadowing[:0]
	hits := level.hits
	for from := 0; from < len(hits); from += groupRays {
		group := len(active)
		for _, i := range hits[from:min(from+groupRays, len(hits))] {
			r := &rays[i]
			r.ndl = r.n.Dot(l.dir)
			if r.ndl > 0 && l.shadow > 0 {
				active = append(active, shadowRay{}) // set in place, as in march
				a := &active[len(active)-1]
				a.p, a.t, a.res, a.ray = r.p, shadowStart, 1, i
			}
		}
		// The shadow rays of neighbouring hits, from open ground, are often
		// all unshaded from the start, which one test of them together
		// finds: they need no step.
		if !w.ungrouped && len(active)-group > 1 && w.prog.unshadedFrom(active[group:], l.dir, l.shadow) {
			for i := group; i < len(active); i++ {
				rays[active[i].ray].shadowRes = 1
			}
			active = active[:group]
		}
	}
	level.shadowing = active
	if w.shadowLanes(rays, active, l) { // the AVX2 build's (lanes_avx2.go)
		return
	}
	q := &w.points
	q.resize(len(active))
	for k := range active {
		r := &active[k]
		p := r.p.Add(l.dir.Scale(r.t))
		var ahead float64
		r.plane, ahead = w.planesAhead(p, l.dir)
		q.set(k, p, min(ahead, shadowReach(r.t, l.shadow, r.res)))
	}
	var rate float64 // the shadow rays' planeRate, for a floor
	if w.floor != nil {
		rate = planeRate(w.floor, l.dir)
	}
	for step := range shadowSteps {
		if len(active) == 0 {
			break
		}
		w.flush(true)
		// As in march: one pass takes the steps and queues the next points,
		// and the rays close up in order.
		n := 0
		for k := range active {
			r := closeUp(active, n, k)
			// shadowStep, with its commonest case inlined (see shadowMove).
			if done, check := w.shadowMove(l.shadow, step, q.d[k], r.plane, &r.t, &r.res); done || check && w.unshadedAt(r.p, l.dir, l.shadow, step, r.t, r.res, &r.blocker) {
				rays[r.ray].shadowRes = r.res
				continue
			}
			p := r.p.Add(l.dir.Scale(r.t))
			var ahead float64
			if w.floor != nil { // as in march
				r.plane, ahead = planeAhead(w.floor, p, rate)
			} else {
				r.plane, ahead = w.planesAhead(p, l.dir)
			}
			q.set(n, p, min(ahead, shadowReach(r.t, l.shadow, r.res)))
			n++
		}
		active = active[:n]
		q.resize(n)
	}
	for _, r := range active { // out of steps
		rays[r.ray].shadowRes = r.res
	}
}

// shadowRay is a shadow ray of a wave on its way.
type shadowRay struct {
	p       scene.Vec3
	t, res  float64
	plane   float64 // how far its point is from the planes (tracer.planesAhead)
	ray     int32   // the index in the wave of the ray whose hit it starts from
	blocker int32   // see program.unshaded
}

// reflect traces the mirror reflections of the hits of level lv that reflect,
// as a wave of their own, and blends them in.
func (w *wave) reflect(lv, bounces int) {
	level, child := &w.levels[lv], &w.levels[lv+1]
	rays := level.rays
	child.rays = grow(child.rays, len(level.hits)) // at most a ray a hit
	n := 0
	for _, i := range level.hits {
		r := &rays[i]
		if r.m.Reflect > 0 {
			d := reflect(r.rd, r.n)
			t := 0.0
			if lv == 0 {
				t = w.mirrorStart(r.p, d, &w.sampler.cones.starts[r.cones].mirror)
			}
			nr := &child.rays[n] // only what the trace reads first, as waveSums sets it
			nr.ro, nr.rd, nr.t = r.p, d, t
			n++
		}
	}
	child.rays = child.rays[:n]
	if n == 0 {
		return
	}
	w.trace(lv+1, bounces-1)
	k := 0
	for _, i := range level.hits {
		r := &rays[i]
		if r.m.Reflect > 0 {
			r.color = r.color.Lerp(child.rays[k].color, reflectance(r.m, r.rd, r.n))
			k++
		}
	}
}

// block is the edge of the square blocks of pixels, aligned on the image's
// grid, whose rays a wave takes together (blockOrder): a batch of a block's
// rays, near each other, has a small box (batch.boxSkips).
const block = 1 << blockShift

// blockShift is block's power of two.
const blockShift = 3

// wavePixel is a pixel of a wave: its index from the wave's first among the
// set's, and where it is. The stages that go through a wave's pixels take
// them from here, not from set.at, whose division by the set's width
// waited on a divider twice a pixel.
type wavePixel struct{ i, x, y int32 }

// blockOrder returns the pixels first to first+n of set, block by block (in
// raster order of the blocks, and of the pixels within each). A set that
// lists its pixels keeps their order.
func blockOrder(set pixelSet, first, n int, order []wavePixel) []wavePixel {
	order = order[:0]
	if set.list != nil {
		for i := range n {
			x, y := set.at(first + i)
			order = append(order, wavePixel{int32(i), int32(x), int32(y)})
		}
		return order
	}
	r, w := set.r, set.r.Dx()
	top, bottom := r.Min.Y+first/w, r.Min.Y+(first+n-1)/w+1 // the rows the pixels are on
	for by := blockStart(top); by < bottom; by += block {
		for bx := blockStart(r.Min.X); bx < r.Max.X; bx += block {
			for y := max(by, top); y < min(by+block, bottom); y++ {
				for x := max(bx, r.Min.X); x < min(bx+block, r.Max.X); x++ {
					if k := (y-r.Min.Y)*w + x - r.Min.X; k >= first && k < first+n {
						order = append(order, wavePixel{int32(k - first), int32(x), int32(y)})
					}
				}
			}
		}
	}
	return order
}

// blockStart is the first coordinate of the block that holds coordinate v,
// negative or not: v rounded down to a multiple of block.
func blockStart(v int) int { return v &^ (block - 1) }

// blockOf is the number of the block that holds coordinate v, negative or
// not: blockStart(v)/block.
func blockOf(v int) int { return v >> blockShift }
