package scenefile

import (
	"sort"

	"github.com/sdfrender/render/scene"
	"go.yaml.in/yaml/v3"
)

// objectKeys are the keys an object may have besides its shape or operation.
var objectKeys = []string{"material", "translate", "rotate", "scale", "spin"}

// objectKnown is every key an object may have: the primitives first, then objectKeys.
var objectKnown = func() []string {
	var known []string
	for _, p := range primitives {
		known = append(known, p.Name)
	}
	return append(known, objectKeys...)
}()

// Object is one object of a scene file: a shape or an operation on child objects,
// with an optional material and transform.
type Object struct {
	kind      *Primitive
	params    params
	children  []*Object // in the order of kind.Children; all of a list
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
		if k := primitiveByName[key]; k != nil {
			if o.kind != nil {
				d.fail(vn, kpath, "an object is one shape or operation, and this one is already a `%s`: put them in a union", kindKey)
			}
			o.kind, kindKey = k, key
			o.children = make([]*Object, len(k.Children))
			o.params = d.params(vn, kpath, k.params, k.Children, func(ck string, cn *yaml.Node, cpath string) {
				i := indexOf(k.Children, ck)
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
			for i, ck := range k.Children {
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
		d.fail(n, path, "an object needs a shape or an operation: one of %s", joinQuoted(objectKnown[:len(primitives)]))
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
