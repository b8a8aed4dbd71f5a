package scenefile

import (
	"math"

	"github.com/sdfrender/render/scene"
	"go.yaml.in/yaml/v3"
)

// check returns "" when a value is acceptable, or says what it must be.
type check func(v scene.Vec3) string

// apply returns c(v), or "" for no check.
func (c check) apply(v scene.Vec3) string {
	if c == nil {
		return ""
	}
	return c(v)
}

func atLeast(lo float64, msg string) check {
	return func(v scene.Vec3) string {
		if v.X >= lo {
			return ""
		}
		return msg
	}
}

var (
	positive check = func(v scene.Vec3) string {
		if v.X > 0 {
			return ""
		}
		return "must be > 0"
	}
	nonNegative = atLeast(0, "must be >= 0")
	fraction    = func(v scene.Vec3) string {
		if v.X >= 0 && v.X <= 1 {
			return ""
		}
		return "must be between 0 and 1"
	}
	fov = func(v scene.Vec3) string {
		if v.X > 0 && v.X < 180 {
			return ""
		}
		return "must be between 0 and 180 degrees"
	}
	nonZero = func(v scene.Vec3) string {
		if v != (scene.Vec3{}) {
			return ""
		}
		return "must not be the zero vector"
	}
	positiveVec = func(v scene.Vec3) string {
		if v.X > 0 && v.Y > 0 && v.Z > 0 {
			return ""
		}
		return "every component must be > 0"
	}
	wholeVec = func(v scene.Vec3) string {
		if v.X >= 0 && v.Y >= 0 && v.Z >= 0 && v.X == math.Trunc(v.X) && v.Y == math.Trunc(v.Y) && v.Z == math.Trunc(v.Z) {
			return ""
		}
		return "every component must be a whole number >= 0"
	}
	nonNegativeVec = func(v scene.Vec3) string {
		if v.X >= 0 && v.Y >= 0 && v.Z >= 0 {
			return ""
		}
		return "every component must be >= 0"
	}
)

// param describes one number or vector field of a section of a scene file.
type param struct {
	name     string
	dim      int        // 1 for a number, 3 for a vector
	def      scene.Vec3 // the value when the field is absent
	required bool
	check    check // nil: any finite value
	doc      string
}

func num(name string, def float64, c check, doc string) param {
	return param{name: name, dim: 1, def: scene.Vec3{X: def}, check: c, doc: doc}
}

func vec(name string, def scene.Vec3, c check, doc string) param {
	return param{name: name, dim: 3, def: def, check: c, doc: doc}
}

func required(p param) param { p.required = true; return p }

// params are the decoded fields of one section: vals[i] is the value of set[i],
// nil where the file leaves it to its default.
type params struct {
	set  []param
	vals []*Value
}

func names(set []param) []string {
	n := make([]string, len(set))
	for i, p := range set {
		n[i] = p.name
	}
	return n
}

// params decodes a mapping of the fields in set, plus any extra keys handled by
// visitExtra (nil for none).
func (d *decoder) params(n *yaml.Node, path string, set []param, extra []string, visitExtra func(key string, v *yaml.Node, path string)) params {
	p := params{set: set, vals: make([]*Value, len(set))}
	d.mapping(n, path, append(names(set), extra...), func(key string, vn *yaml.Node, vpath string) {
		for i, s := range set {
			if s.name == key {
				p.vals[i] = d.decodeValue(vn, vpath, s.dim, s.check)
				return
			}
		}
		visitExtra(key, vn, vpath)
	})
	for i, s := range set {
		if s.required && p.vals[i] == nil {
			d.fail(d.resolve(n, path), path, "missing required key `%s`", s.name)
		}
	}
	return p
}

func (p params) value(name string, t float64) scene.Vec3 {
	for i, s := range p.set {
		if s.name == name {
			if v := p.vals[i]; v != nil {
				return v.At(t)
			}
			return s.def
		}
	}
	panic("scene: no parameter " + name) // a bug in a table, never in a file
}

// num returns the number called name at time t.
func (p params) num(name string, t float64) float64 { return p.value(name, t).X }

// vec returns the vector called name at time t.
func (p params) vec(name string, t float64) scene.Vec3 { return p.value(name, t) }

// The sections of a scene file other than objects.
var (
	cameraParams = []param{
		required(vec("position", scene.Vec3{}, nil, "where the camera is; may be an orbit")),
		vec("target", scene.Vec3{}, nil, "the point the camera looks at"),
		vec("up", scene.V(0, 1, 0), nonZero, "which way is up in the picture"),
		num("fov", 45, fov, "vertical field of view in degrees"),
		num("aperture", 0, nonNegative, "diameter of the lens, for depth of field; 0 for a pinhole, all sharp"),
		num("focus", 0, nonNegative, "distance along the view that is sharp; 0 for the target's"),
	}
	skyParams = []param{
		vec("zenith", scene.V(0.10, 0.25, 0.62), nonNegativeVec, "linear RGB colour of the sky straight up"),
		vec("horizon", scene.V(0.50, 0.60, 0.78), nonNegativeVec, "colour at the horizon, and of the fog"),
		vec("ground", scene.V(0.25, 0.21, 0.18), nonNegativeVec, "colour of ambient light bounced up from below"),
		num("ambient", 0.4, nonNegative, "strength of the ambient light from sky and ground"),
		num("fog", 0.01, nonNegative, "fog density per unit of distance; 0 for none"),
	}
	lightParams = []param{
		required(vec("direction", scene.Vec3{}, nonZero, "from the scene towards the light")),
		vec("color", scene.V(1, 1, 1), nonNegativeVec, "linear RGB colour"),
		num("intensity", 1, nonNegative, "multiplies the colour"),
		num("shadow", 0, nonNegative, "sharpness of the soft shadows: 0 casts none, 4 is soft, 32 nearly hard"),
	}
	materialParams = []param{
		vec("color", scene.V(0.8, 0.8, 0.8), nonNegativeVec, "linear RGB diffuse colour"),
		num("specular", 0, nonNegative, "strength of the highlight"),
		num("shininess", 32, positive, "highlight exponent: larger is smaller and sharper"),
		num("reflect", 0, fraction, "fraction of light from one mirror bounce"),
		vec("checker", scene.Vec3{}, nonNegativeVec, "second colour of a checker pattern"),
		num("checker_size", 0, nonNegative, "side of the checker squares; 0 for no pattern"),
	}
)

func (p params) material(t float64) scene.Material {
	return scene.Material{
		Color:       p.vec("color", t),
		Specular:    p.num("specular", t),
		Shininess:   p.num("shininess", t),
		Reflect:     p.num("reflect", t),
		Checker:     p.vec("checker", t),
		CheckerSize: p.num("checker_size", t),
	}
}

func (p params) camera(t float64) scene.Camera {
	return scene.Camera{
		Position: p.vec("position", t), Target: p.vec("target", t), Up: p.vec("up", t), FOV: p.num("fov", t),
		Aperture: p.num("aperture", t), Focus: p.num("focus", t),
	}
}

func (p params) sky(t float64) scene.Sky {
	return scene.Sky{
		Zenith: p.vec("zenith", t), Horizon: p.vec("horizon", t), Ground: p.vec("ground", t),
		Ambient: p.num("ambient", t), Fog: p.num("fog", t),
	}
}

func (p params) light(t float64) scene.Light {
	return scene.Light{Direction: p.vec("direction", t), Color: p.vec("color", t), Intensity: p.num("intensity", t), Shadow: p.num("shadow", t)}
}
