package scenefile

import (
	"errors"
	"math"
	"strconv"

	"github.com/sdfrender/render/scene"
	"go.yaml.in/yaml/v3"
)

// Value is a number or a vector in a scene file that may change over time: a
// constant, a track of keyframes, or (for vectors) an orbit.
// A number is kept in the X of a vector, so one type serves both.
type Value struct {
	Dim   int        // 1 for a number, 3 for a vector
	Const scene.Vec3 // the value when there is no track and no orbit
	Track *scene.Track[scene.Vec3]
	Orbit *OrbitSpec
}

// OrbitSpec is an orbit as a scene file gives it: Turns whole turns over the
// animation's duration, starting Phase degrees from +Z.
type OrbitSpec struct {
	Center         scene.Vec3
	Radius, Height float64
	Turns, Phase   float64
	orbit          scene.Orbit // with the period worked out from the duration
}

// At returns the value at time t seconds.
func (v *Value) At(t float64) scene.Vec3 {
	switch {
	case v.Track != nil:
		return v.Track.At(t)
	case v.Orbit != nil:
		return v.Orbit.orbit.At(t)
	}
	return v.Const
}

// decodeValue reads a number or vector: a constant, {keys: [...]}, or {orbit: {...}}.
func (d *decoder) decodeValue(n *yaml.Node, path string, dim int, check check) *Value {
	n = d.resolve(n, path)
	if n.Kind != yaml.MappingNode {
		v := &Value{Dim: dim, Const: d.constant(n, path, dim)}
		d.check(n, path, v.Const, dim, check)
		return v
	}
	v := &Value{Dim: dim}
	var loop *yaml.Node
	d.mapping(n, path, []string{"keys", "loop", "orbit"}, func(key string, kn *yaml.Node, kpath string) {
		switch key {
		case "keys":
			v.Track = d.track(kn, kpath, dim, check)
		case "loop":
			loop = kn
		case "orbit":
			if dim != 3 {
				d.fail(kn, kpath, "an orbit gives a position, not a number")
			}
			v.Orbit = d.orbit(kn, kpath)
			// The orbit's values are a circle: check points around it.
			for i := range 64 {
				t := d.duration * float64(i) / 64
				if msg := check.apply(v.Orbit.orbit.At(t)); msg != "" {
					d.fail(kn, kpath, "%s, got %s at t = %gs on the orbit", msg, formatValue(v.Orbit.orbit.At(t), 3), t)
				}
			}
		}
	})
	switch {
	case v.Track == nil && v.Orbit == nil:
		d.fail(n, path, "give a %s, keys: [...] or orbit: {...}", dimName(dim))
	case v.Track != nil && v.Orbit != nil:
		d.fail(n, path, "give keys or an orbit, not both")
	case loop != nil && v.Track == nil:
		d.fail(loop, path+".loop", "only keys can loop")
	case loop != nil:
		v.Track.Loop = d.boolean(loop, path+".loop")
	}
	return v
}

func dimName(dim int) string {
	if dim == 1 {
		return "number"
	}
	return "vector [x, y, z]"
}

// constant reads a number, or a vector [x, y, z].
func (d *decoder) constant(n *yaml.Node, path string, dim int) scene.Vec3 {
	n = d.resolve(n, path)
	if dim == 1 {
		return scene.Vec3{X: d.number(n, path)}
	}
	if n.Kind != yaml.SequenceNode || len(n.Content) != 3 {
		d.fail(n, path, "must be a vector [x, y, z], got %s", describe(n))
	}
	return scene.V(
		d.number(n.Content[0], path+"[0]"),
		d.number(n.Content[1], path+"[1]"),
		d.number(n.Content[2], path+"[2]"),
	)
}

// number reads a finite number.
func (d *decoder) number(n *yaml.Node, path string) float64 {
	n = d.resolve(n, path)
	var x float64
	if n.Kind == yaml.ScalarNode && n.Tag == "!!str" {
		// The YAML library reads a number too large for a float64, such as 1e999,
		// as a string.
		if _, err := strconv.ParseFloat(n.Value, 64); errors.Is(err, strconv.ErrRange) {
			d.fail(n, path, "must be a finite number, got %s", n.Value)
		}
	}
	if n.Kind != yaml.ScalarNode || (n.Tag != "!!int" && n.Tag != "!!float") || n.Decode(&x) != nil {
		d.fail(n, path, "must be a number, got %s", describe(n))
	}
	if math.IsNaN(x) || math.IsInf(x, 0) {
		d.fail(n, path, "must be a finite number, got %s", n.Value)
	}
	return x
}

// check applies a value's constraint, if any, to one constant or key value.
func (d *decoder) check(n *yaml.Node, path string, v scene.Vec3, dim int, c check) {
	if msg := c.apply(v); msg != "" {
		d.fail(n, path, "%s, got %s", msg, formatValue(v, dim))
	}
}

// easeNames are the easings' names as scene files spell them, in order, and
// easeByName finds an easing by its name.
var easeNames, easeByName = func() ([]string, map[string]scene.Ease) {
	var names []string
	m := map[string]scene.Ease{}
	for _, e := range scene.Eases() {
		names = append(names, e.String())
		m[e.String()] = e
	}
	return names, m
}()

// track reads keyframes: [{t: seconds, value: ..., ease: name}, ...].
func (d *decoder) track(n *yaml.Node, path string, dim int, c check) *scene.Track[scene.Vec3] {
	n = d.resolve(n, path)
	if n.Kind != yaml.SequenceNode || len(n.Content) == 0 {
		d.fail(n, path, "must be a list of keys such as {t: 0, value: 1}, got %s", describe(n))
	}
	if len(n.Content) > maxKeys {
		d.fail(n, path, "may hold at most %d keys, got %d", maxKeys, len(n.Content))
	}
	tr := scene.VecTrack()
	for i, kn := range n.Content {
		kpath := indexPath(path, i)
		var k scene.Key[scene.Vec3]
		var hasT, hasValue bool
		d.mapping(d.resolve(kn, kpath), kpath, []string{"t", "value", "ease"}, func(key string, vn *yaml.Node, vpath string) {
			switch key {
			case "t":
				k.T, hasT = d.number(vn, vpath), true
			case "value":
				k.Value, hasValue = d.constant(vn, vpath, dim), true
				d.check(vn, vpath, k.Value, dim, c)
			case "ease":
				k.Ease = d.ease(vn, vpath)
			}
		})
		if !hasT || !hasValue {
			d.fail(kn, kpath, "a key needs both t and value")
		}
		if i > 0 && k.T <= tr.Keys[i-1].T {
			d.fail(kn, kpath+".t", "keys must be in time order: %g is not after %g", k.T, tr.Keys[i-1].T)
		}
		tr.Keys = append(tr.Keys, k)
	}
	return &tr
}

func (d *decoder) ease(n *yaml.Node, path string) scene.Ease {
	name := d.str(n, path)
	e, ok := easeByName[name]
	if !ok {
		d.fail(n, path, "unknown easing %q%s (easings: %s)", name, suggest(name, easeNames), joinQuoted(easeNames))
	}
	return e
}

// orbit reads {center, radius, height, turns, phase}.
func (d *decoder) orbit(n *yaml.Node, path string) *OrbitSpec {
	n = d.resolve(n, path)
	o := &OrbitSpec{Turns: 1}
	hasRadius := false
	d.mapping(n, path, []string{"center", "radius", "height", "turns", "phase"}, func(key string, vn *yaml.Node, vpath string) {
		switch key {
		case "center":
			o.Center = d.constant(vn, vpath, 3)
		case "radius":
			o.Radius, hasRadius = d.number(vn, vpath), true
			d.check(vn, vpath, scene.Vec3{X: o.Radius}, 1, positive)
		case "height":
			o.Height = d.number(vn, vpath)
		case "turns":
			o.Turns = d.number(vn, vpath)
		case "phase":
			o.Phase = d.number(vn, vpath)
		}
	})
	if !hasRadius {
		d.fail(n, path, "an orbit needs a radius")
	}
	o.orbit = scene.Orbit{Center: o.Center, Radius: o.Radius, Height: o.Height, Phase: scene.Radians(o.Phase)}
	if o.Turns != 0 {
		o.orbit.Period = d.duration / o.Turns
	}
	return o
}
