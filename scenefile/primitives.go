package scenefile

import (
	"slices"

	"github.com/sdfrender/render/scene"
)

// Primitive is one shape or operation that an object of a scene file can be,
// named by its key (`sphere: {radius: 1}`), with the fields it takes and how it
// becomes a scene.Node at a time t.
type Primitive struct {
	Name     string   // the key that names it, such as "sphere" or "smooth_union"
	Doc      string   // what it is, in a phrase
	Children []string // keys holding child objects: "objects" (a list), or one object each
	Example  string   // an object that is one, as one line of YAML, for tests to parse
	params   []param
	build    func(p params, t float64, kids []scene.Node, m scene.Material) scene.Node
}

// childList is the key of a list of child objects; any other child key holds one.
const childList = "objects"

// primitives is the registry of the shapes and operations that an object can be,
// in the order that error messages list them. The decoder and the dump read it,
// and so do the tests of the reference (docs/scene-format.md) and of the
// renderer's compiler: a shape added here must be documented and compiled.
var primitives = []*Primitive{
	{Name: "sphere", Doc: "a ball centred on the origin",
		Example: "sphere: {radius: 0.7}",
		params:  []param{required(num("radius", 0, positive, "radius"))},
		build: func(p params, t float64, _ []scene.Node, m scene.Material) scene.Node {
			return &scene.Solid{Shape: scene.Sphere{Radius: p.num("radius", t)}, Material: m}
		}},
	{Name: "box", Doc: "an axis-aligned box centred on the origin",
		Example: "box: {size: [1, 0.6, 0.8]}",
		params:  []param{required(vec("size", scene.Vec3{}, positiveVec, "full width, height and depth"))},
		build: func(p params, t float64, _ []scene.Node, m scene.Material) scene.Node {
			return &scene.Solid{Shape: scene.Box{Half: p.vec("size", t).Scale(0.5)}, Material: m}
		}},
	{Name: "round_box", Doc: "a box with rounded edges and corners",
		Example: "round_box: {size: [1, 0.8, 1.2], radius: 0.1}",
		params: []param{
			required(vec("size", scene.Vec3{}, positiveVec, "full width, height and depth, rounding included")),
			required(num("radius", 0, nonNegative, "radius of the rounding; more than half the smallest side is reduced to that")),
		},
		build: func(p params, t float64, _ []scene.Node, m scene.Material) scene.Node {
			half := p.vec("size", t).Scale(0.5)
			r := min(p.num("radius", t), half.X, half.Y, half.Z)
			return &scene.Solid{Shape: scene.RoundBox{Half: half, Radius: r}, Material: m}
		}},
	{Name: "torus", Doc: "a ring around the Y axis",
		Example: "torus: {major: 0.8, minor: 0.2}",
		params: []param{
			required(num("major", 0, positive, "distance from the centre to the middle of the tube")),
			required(num("minor", 0, positive, "radius of the tube")),
		},
		build: func(p params, t float64, _ []scene.Node, m scene.Material) scene.Node {
			return &scene.Solid{Shape: scene.Torus{Major: p.num("major", t), Minor: p.num("minor", t)}, Material: m}
		}},
	{Name: "capsule", Doc: "a rod with round ends: all points within radius of the segment from a to b",
		Example: "capsule: {a: [-0.5, 0, 0], b: [0, 0.7, 0.2], radius: 0.25}",
		params: []param{
			required(vec("a", scene.Vec3{}, nil, "one end of the segment")),
			required(vec("b", scene.Vec3{}, nil, "the other end")),
			required(num("radius", 0, positive, "radius")),
		},
		build: func(p params, t float64, _ []scene.Node, m scene.Material) scene.Node {
			return &scene.Solid{Shape: scene.Capsule{A: p.vec("a", t), B: p.vec("b", t), Radius: p.num("radius", t)}, Material: m}
		}},
	{Name: "cylinder", Doc: "a capped cylinder around the Y axis, centred on the origin",
		Example: "cylinder: {radius: 0.4, height: 1.2}",
		params: []param{
			required(num("radius", 0, positive, "radius")),
			required(num("height", 0, positive, "full height")),
		},
		build: func(p params, t float64, _ []scene.Node, m scene.Material) scene.Node {
			return &scene.Solid{Shape: scene.Cylinder{Radius: p.num("radius", t), HalfHeight: p.num("height", t) / 2}, Material: m}
		}},
	{Name: "plane", Doc: "an infinite plane; the side the normal points to is outside",
		Example: "plane: {normal: [0.6, 0.8, 0], offset: -0.3}",
		params: []param{
			vec("normal", scene.V(0, 1, 0), nonZero, "direction the plane faces"),
			num("offset", 0, nil, "distance of the plane from the origin along the normal"),
		},
		build: func(p params, t float64, _ []scene.Node, m scene.Material) scene.Node {
			return &scene.Solid{Shape: scene.Plane{Normal: p.vec("normal", t).Normalize(), Offset: p.num("offset", t)}, Material: m}
		}},
	{Name: "union", Doc: "everything inside any of the objects",
		Example:  "union: {objects: [{sphere: {radius: 0.6}}, {box: {size: [1, 0.6, 0.8]}, translate: [0.5, 0.2, 0]}]}",
		Children: []string{childList},
		build:    func(_ params, _ float64, kids []scene.Node, _ scene.Material) scene.Node { return scene.Union(kids) }},
	{Name: "intersection", Doc: "everything inside all of the objects",
		Example:  "intersection: {objects: [{sphere: {radius: 0.7}}, {box: {size: [1, 1, 1]}, translate: [0.3, 0, 0]}]}",
		Children: []string{childList},
		build: func(_ params, _ float64, kids []scene.Node, _ scene.Material) scene.Node {
			return scene.Intersection(kids)
		}},
	{Name: "subtraction", Doc: "the object `from` with the object `cut` carved out",
		Example:  "subtraction: {from: {box: {size: [1, 0.6, 0.8]}}, cut: {sphere: {radius: 0.5}}}",
		Children: []string{"from", "cut"},
		build: func(_ params, _ float64, kids []scene.Node, _ scene.Material) scene.Node {
			return &scene.Subtraction{A: kids[0], B: kids[1]}
		}},
	{Name: "smooth_union", Doc: "the objects melted together within blend radius k",
		Example:  "smooth_union: {k: 0.4, objects: [{sphere: {radius: 0.6}, translate: [-0.4, 0, 0]}, {box: {size: [1, 0.6, 0.8]}, translate: [0.5, 0.2, 0]}]}",
		params:   []param{required(num("k", 0, positive, "blend radius"))},
		Children: []string{childList},
		build: func(p params, t float64, kids []scene.Node, _ scene.Material) scene.Node {
			return &scene.SmoothUnion{K: p.num("k", t), Children: kids}
		}},
	{Name: "smooth_intersection", Doc: "an intersection with its edges rounded over blend radius k",
		Example:  "smooth_intersection: {k: 0.2, objects: [{sphere: {radius: 0.7}}, {box: {size: [1, 1, 1]}, translate: [0.3, 0, 0]}]}",
		params:   []param{required(num("k", 0, positive, "blend radius"))},
		Children: []string{childList},
		build: func(p params, t float64, kids []scene.Node, _ scene.Material) scene.Node {
			return &scene.SmoothIntersection{K: p.num("k", t), Children: kids}
		}},
	{Name: "smooth_subtraction", Doc: "a subtraction with the edges of the cut rounded over blend radius k",
		Example:  "smooth_subtraction: {k: 0.15, from: {box: {size: [1, 0.6, 0.8]}}, cut: {sphere: {radius: 0.5}}}",
		params:   []param{required(num("k", 0, positive, "blend radius"))},
		Children: []string{"from", "cut"},
		build: func(p params, t float64, kids []scene.Node, _ scene.Material) scene.Node {
			return &scene.SmoothSubtraction{K: p.num("k", t), A: kids[0], B: kids[1]}
		}},
	{Name: "repeat", Doc: "copies of the object, one per cell of size period; keep the object centred and symmetric in its cell",
		Example: "repeat: {period: [2, 0, 1.5], limit: [2, 0, 1], object: {sphere: {radius: 0.6}}}",
		params: []param{
			required(vec("period", scene.Vec3{}, nonNegativeVec, "cell size on each axis; 0 leaves an axis alone")),
			vec("limit", scene.Vec3{}, wholeVec, "copies on each side of the centre per axis, a whole number; 0 for endless"),
		},
		Children: []string{"object"},
		build: func(p params, t float64, kids []scene.Node, _ scene.Material) scene.Node {
			return &scene.Repeat{Period: p.vec("period", t), Limit: p.vec("limit", t), Child: kids[0]}
		}},
}

var primitiveByName = func() map[string]*Primitive {
	m := map[string]*Primitive{}
	for _, p := range primitives {
		m[p.Name] = p
	}
	return m
}()

// Primitives returns the registry: every shape and operation that an object of
// a scene file can be, in the order that error messages list them.
func Primitives() []Primitive {
	ps := make([]Primitive, len(primitives))
	for i, p := range primitives {
		ps[i] = *p
		ps[i].Children = slices.Clone(p.Children)
	}
	return ps
}
