package scenefile

import (
	"sort"

	"github.com/sdfrender/render/scene"
	"go.yaml.in/yaml/v3"
)

// kind is one shape or operation that a scene file can name, with the fields it
// takes and how it becomes a Node at a time t.
type kind struct {
	name     string
	doc      string
	params   []param
	children []string // keys holding child objects: "objects" (a list), or single objects
	build    func(p params, t float64, kids []scene.Node, m scene.Material) scene.Node
}

// childList is the key of a list of child objects; any other child key holds one.
const childList = "objects"

var kinds = []*kind{
	{name: "sphere", doc: "a ball centred on the origin",
		params: []param{required(num("radius", 0, positive, "radius"))},
		build: func(p params, t float64, _ []scene.Node, m scene.Material) scene.Node {
			return &scene.Solid{Shape: scene.Sphere{Radius: p.num("radius", t)}, Material: m}
		}},
	{name: "box", doc: "an axis-aligned box centred on the origin",
		params: []param{required(vec("size", scene.Vec3{}, positiveVec, "full width, height and depth"))},
		build: func(p params, t float64, _ []scene.Node, m scene.Material) scene.Node {
			return &scene.Solid{Shape: scene.Box{Half: p.vec("size", t).Scale(0.5)}, Material: m}
		}},
	{name: "round_box", doc: "a box with rounded edges and corners",
		params: []param{
			required(vec("size", scene.Vec3{}, positiveVec, "full width, height and depth, rounding included")),
			required(num("radius", 0, nonNegative, "radius of the rounding; more than half the smallest side is reduced to that")),
		},
		build: func(p params, t float64, _ []scene.Node, m scene.Material) scene.Node {
			half := p.vec("size", t).Scale(0.5)
			r := min(p.num("radius", t), half.X, half.Y, half.Z)
			return &scene.Solid{Shape: scene.RoundBox{Half: half, Radius: r}, Material: m}
		}},
	{name: "torus", doc: "a ring around the Y axis",
		params: []param{
			required(num("major", 0, positive, "distance from the centre to the middle of the tube")),
			required(num("minor", 0, positive, "radius of the tube")),
		},
		build: func(p params, t float64, _ []scene.Node, m scene.Material) scene.Node {
			return &scene.Solid{Shape: scene.Torus{Major: p.num("major", t), Minor: p.num("minor", t)}, Material: m}
		}},
	{name: "capsule", doc: "a rod with round ends: all points within radius of the segment from a to b",
		params: []param{
			required(vec("a", scene.Vec3{}, nil, "one end of the segment")),
			required(vec("b", scene.Vec3{}, nil, "the other end")),
			required(num("radius", 0, positive, "radius")),
		},
		build: func(p params, t float64, _ []scene.Node, m scene.Material) scene.Node {
			return &scene.Solid{Shape: scene.Capsule{A: p.vec("a", t), B: p.vec("b", t), Radius: p.num("radius", t)}, Material: m}
		}},
	{name: "cylinder", doc: "a capped cylinder around the Y axis, centred on the origin",
		params: []param{
			required(num("radius", 0, positive, "radius")),
			required(num("height", 0, positive, "full height")),
		},
		build: func(p params, t float64, _ []scene.Node, m scene.Material) scene.Node {
			return &scene.Solid{Shape: scene.Cylinder{Radius: p.num("radius", t), HalfHeight: p.num("height", t) / 2}, Material: m}
		}},
	{name: "plane", doc: "an infinite plane; the side the normal points to is outside",
		params: []param{
			vec("normal", scene.V(0, 1, 0), nonZero, "direction the plane faces"),
			num("offset", 0, nil, "distance of the plane from the origin along the normal"),
		},
		build: func(p params, t float64, _ []scene.Node, m scene.Material) scene.Node {
			return &scene.Solid{Shape: scene.Plane{Normal: p.vec("normal", t).Normalize(), Offset: p.num("offset", t)}, Material: m}
		}},
	{name: "union", doc: "everything inside any of the objects",
		children: []string{childList},
		build:    func(_ params, _ float64, kids []scene.Node, _ scene.Material) scene.Node { return scene.Union(kids) }},
	{name: "intersection", doc: "everything inside all of the objects",
		children: []string{childList},
		build: func(_ params, _ float64, kids []scene.Node, _ scene.Material) scene.Node {
			return scene.Intersection(kids)
		}},
	{name: "subtraction", doc: "the object `from` with the object `cut` carved out",
		children: []string{"from", "cut"},
		build: func(_ params, _ float64, kids []scene.Node, _ scene.Material) scene.Node {
			return &scene.Subtraction{A: kids[0], B: kids[1]}
		}},
	{name: "smooth_union", doc: "the objects melted together within blend radius k",
		params:   []param{required(num("k", 0, positive, "blend radius"))},
		children: []string{childList},
		build: func(p params, t float64, kids []scene.Node, _ scene.Material) scene.Node {
			return &scene.SmoothUnion{K: p.num("k", t), Children: kids}
		}},
	{name: "smooth_intersection", doc: "an intersection with its edges rounded over blend radius k",
		params:   []param{required(num("k", 0, positive, "blend radius"))},
		children: []string{childList},
		build: func(p params, t float64, kids []scene.Node, _ scene.Material) scene.Node {
			return &scene.SmoothIntersection{K: p.num("k", t), Children: kids}
		}},
	{name: "smooth_subtraction", doc: "a subtraction with the edges of the cut rounded over blend radius k",
		params:   []param{required(num("k", 0, positive, "blend radius"))},
		children: []string{"from", "cut"},
		build: func(p params, t float64, kids []scene.Node, _ scene.Material) scene.Node {
			return &scene.SmoothSubtraction{K: p.num("k", t), A: kids[0], B: kids[1]}
		}},
	{name: "repeat", doc: "copies of the object, one per cell of size period; keep the object centred and symmetric in its cell",
		params: []param{
			required(vec("period", scene.Vec3{}, nonNegativeVec, "cell size on each axis; 0 leaves an axis alone")),
			vec("limit", scene.Vec3{}, wholeVec, "copies on each side of the centre per axis, a whole number; 0 for endless"),
		},
		children: []string{"object"},
		build: func(p params, t float64, kids []scene.Node, _ scene.Material) scene.Node {
			return &scene.Repeat{Period: p.vec("period", t), Limit: p.vec("limit", t), Child: kids[0]}
		}},
}

var kindByName = func() map[string]*kind {
	m := map[string]*kind{}
	for _, k := range kinds {
		m[k.name] = k
	}
	return m
}()

// objectKeys are the keys an object may have besides its shape or operation.
var objectKeys = []string{"material", "translate", "rotate", "scale", "spin"}

// objectKnown is every key an object may have: the kinds first, then objectKeys.
var objectKnown = func() []string {
	var known []string
	for _, k := range kinds {
		known = append(known, k.name)
	}
	return append(known, objectKeys...)
}()

// Object is one object of a scene file: a shape or an operation on child objects,
// with an optional material and transform.
type Object struct {
	kind      *kind
	params    params
	children  []*Object // in the order of kind.children; all of a list
	material  *materialRef
	translate *Value
	rotate    *rotation
	scale     *Value
	spin      *spin
}

// materialRef is a material by name or given in place.
type materialRef struct {
	name   string
	inline *params
}

// rotation is Euler angles in degrees (X, then Y, then Z), or an angle about an axis.
type rotation struct {
	euler *Value
	axis  scene.Vec3
	angle *Value
}

// spin turns an object about an axis, Turns times over the animation.
type spin struct {
	axis         scene.Vec3
	turns, phase float64 // phase in degrees
}

var (
	rotationAxisParams = []param{
		required(vec("axis", scene.Vec3{}, nonZero, "axis to turn about")),
		required(num("angle", 0, nil, "angle in degrees, counter-clockwise seen from the tip of the axis towards the origin")),
	}
	spinParams = []param{
		vec("axis", scene.V(0, 1, 0), nonZero, "axis to turn about"),
		num("turns", 1, nil, "turns over the animation's duration (0.5 is half a turn); negative turns the other way"),
		num("phase", 0, nil, "starting angle in degrees"),
	}
)

func (d *decoder) object(n *yaml.Node, path string, depth int) *Object {
	if depth > maxNesting {
		d.fail(n, path, "objects are nested more than %d deep", maxNesting)
	}
	if d.objects++; d.objects > maxObjects {
		d.fail(n, path, "a scene may hold at most %d objects", maxObjects)
	}
	n = d.resolve(n, path)
	o := &Object{}
	var kindKey string
	d.mapping(n, path, objectKnown, func(key string, vn *yaml.Node, kpath string) {
		if k := kindByName[key]; k != nil {
			if o.kind != nil {
				d.fail(vn, kpath, "an object is one shape or operation, and this one is already a `%s`: put them in a union", kindKey)
			}
			o.kind, kindKey = k, key
			o.children = make([]*Object, len(k.children))
			o.params = d.params(vn, kpath, k.params, k.children, func(ck string, cn *yaml.Node, cpath string) {
				i := indexOf(k.children, ck)
				if ck != childList {
					o.children[i] = d.object(cn, cpath, depth+1)
					return
				}
				items := d.sequence(cn, cpath, "objects", maxObjects)
				o.children = o.children[:0]
				for j, item := range items {
					o.children = append(o.children, d.object(item, indexPath(cpath, j), depth+1))
				}
			})
			for i, ck := range k.children {
				if len(o.children) <= i || o.children[i] == nil {
					d.fail(d.resolve(vn, kpath), kpath, "missing required key `%s`", ck)
				}
			}
			return
		}
		switch key {
		case "material":
			o.material = d.materialRef(vn, kpath)
		case "translate":
			o.translate = d.decodeValue(vn, kpath, 3, nil)
		case "rotate":
			o.rotate = d.rotation(vn, kpath)
		case "scale":
			o.scale = d.decodeValue(vn, kpath, 1, positive)
		case "spin":
			p := d.params(vn, kpath, spinParams, nil, nil)
			if p.vals[0] != nil && (p.vals[0].Track != nil || p.vals[0].Orbit != nil) ||
				p.vals[1] != nil && p.vals[1].Track != nil || p.vals[2] != nil && p.vals[2].Track != nil {
				d.fail(vn, kpath, "a spin's axis, turns and phase must be constants")
			}
			o.spin = &spin{axis: p.vec("axis", 0), turns: p.num("turns", 0), phase: p.num("phase", 0)}
		}
	})
	if o.kind == nil {
		d.fail(n, path, "an object needs a shape or an operation: one of %s", joinQuoted(objectKnown[:len(kinds)]))
	}
	return o
}

func indexOf(list []string, s string) int {
	for i, x := range list {
		if x == s {
			return i
		}
	}
	return -1
}

// rotation reads [x, y, z] Euler angles in degrees, or {axis: [...], angle: deg}.
func (d *decoder) rotation(n *yaml.Node, path string) *rotation {
	rn := d.resolve(n, path)
	if rn.Kind == yaml.MappingNode && (hasKey(rn, "axis") || hasKey(rn, "angle")) {
		p := d.params(rn, path, rotationAxisParams, nil, nil)
		if p.vals[0].Track != nil || p.vals[0].Orbit != nil {
			d.fail(rn, path+".axis", "the axis of a rotation must be a constant; animate the angle")
		}
		return &rotation{axis: p.vec("axis", 0), angle: p.vals[1]}
	}
	return &rotation{euler: d.decodeValue(n, path, 3, nil)}
}

func hasKey(n *yaml.Node, key string) bool {
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return true
		}
	}
	return false
}

// materialRef reads a material's name, or a material given in place.
func (d *decoder) materialRef(n *yaml.Node, path string) *materialRef {
	rn := d.resolve(n, path)
	if rn.Kind == yaml.MappingNode {
		p := d.params(rn, path, materialParams, nil, nil)
		return &materialRef{inline: &p}
	}
	name := d.str(rn, path)
	if _, ok := d.scene.materials[name]; !ok {
		defined := make([]string, 0, len(d.scene.materials))
		for m := range d.scene.materials {
			defined = append(defined, m)
		}
		sort.Strings(defined)
		if len(defined) == 0 {
			d.fail(rn, path, "undefined material %q: define it under `materials`", name)
		}
		d.fail(rn, path, "undefined material %q%s (defined: %s)", name, suggest(name, defined), joinQuoted(defined))
	}
	return &materialRef{name: name}
}

// build makes the object's node at time t. inherited is the material of the
// nearest enclosing object that names one.
func (o *Object) build(t float64, f *frameState, inherited scene.Material) scene.Node {
	m := inherited
	if o.material != nil {
		if o.material.inline != nil {
			m = o.material.inline.material(t)
		} else {
			m = f.materials[o.material.name]
		}
	}
	kids := make([]scene.Node, len(o.children))
	for i, c := range o.children {
		kids[i] = c.build(t, f, m)
	}
	node := o.kind.build(o.params, t, kids, m)
	if o.scale != nil {
		node = &scene.Scale{Factor: o.scale.At(t).X, Child: node}
	}
	rot, rotated := scene.Identity, false
	if r := o.rotate; r != nil {
		rotated = true
		if r.euler != nil {
			a := r.euler.At(t)
			rot = scene.Euler(scene.V(scene.Radians(a.X), scene.Radians(a.Y), scene.Radians(a.Z)))
		} else {
			rot = scene.AxisAngle(r.axis, scene.Radians(r.angle.At(t).X))
		}
	}
	if s := o.spin; s != nil {
		rotated = true
		rot = scene.AxisAngle(s.axis, scene.Radians(s.phase+360*s.turns*t/f.duration)).Mul(rot)
	}
	if rotated {
		node = scene.NewRotate(rot, node)
	}
	if o.translate != nil {
		node = &scene.Translate{Offset: o.translate.At(t), Child: node}
	}
	return node
}

// frameState is what building one frame's objects shares: the materials at t.
type frameState struct {
	materials map[string]scene.Material
	duration  float64
}
