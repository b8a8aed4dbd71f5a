package scenefile

import (
	"bytes"
	"strconv"

	"github.com/sdfrender/render/scene"
	"go.yaml.in/yaml/v3"
)

// Dump writes the scene back as a scene file: the same scene, in a canonical form
// without the original's comments and layout (File.Source keeps those). Parsing the
// dump gives a File whose frames are the same as this one's.
func (f *File) Dump() ([]byte, error) {
	m := mapNode()
	m.add("name", strNode(f.Name))
	if f.Description != "" {
		m.add("description", strNode(f.Description))
	}
	if f.durationSet {
		m.add("duration", numNode(f.Duration))
	}
	if r := f.Render; r != (RenderDefaults{}) {
		rn := mapNode()
		for _, kv := range []struct {
			key string
			v   float64
		}{{"frames", float64(r.Frames)}, {"fps", r.FPS}, {"width", float64(r.Width)}, {"height", float64(r.Height)}, {"samples", float64(r.Samples)}, {"shutter", r.Shutter},
			{"adaptive", float64(r.Adaptive)}, {"threshold", r.Threshold}} {
			if kv.v != 0 {
				// 'f', not numNode's 'g': counts must read back as whole numbers, and 'g' writes 1e+06.
				rn.add(kv.key, &yaml.Node{Kind: yaml.ScalarNode, Value: strconv.FormatFloat(kv.v, 'f', -1, 64)})
			}
		}
		m.add("render", rn.Node)
	}
	m.add("camera", f.camera.node())
	m.add("sky", f.sky.node())
	if len(f.lights) > 0 {
		ls := seqNode()
		for _, l := range f.lights {
			ls.Content = append(ls.Content, l.node())
		}
		m.add("lights", ls)
	}
	if len(f.matOrder) > 0 {
		ms := mapNode()
		for _, name := range f.matOrder {
			ms.add(name, f.materials[name].node())
		}
		m.add("materials", ms.Node)
	}
	os := seqNode()
	for _, o := range f.objects {
		os.Content = append(os.Content, o.node())
	}
	m.add("objects", os)
	var b bytes.Buffer
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(m.Node); err != nil {
		return nil, err
	}
	return b.Bytes(), enc.Close()
}

func (o *Object) node() *yaml.Node {
	m := mapNode()
	k := o.params.node()
	for i, ck := range o.kind.Children {
		if ck == childList {
			list := seqNode()
			for _, c := range o.children {
				list.Content = append(list.Content, c.node())
			}
			k.Content = append(k.Content, strNode(ck), list)
			continue
		}
		k.Content = append(k.Content, strNode(ck), o.children[i].node())
	}
	m.add(o.kind.Name, k)
	if r := o.material; r != nil {
		if r.inline != nil {
			m.add("material", r.inline.node())
		} else {
			m.add("material", strNode(r.name))
		}
	}
	if o.translate != nil {
		m.add("translate", o.translate.node())
	}
	if r := o.rotate; r != nil {
		if r.euler != nil {
			m.add("rotate", r.euler.node())
		} else {
			rn := mapNode()
			rn.add("axis", vecNode(r.axis))
			rn.add("angle", r.angle.node())
			m.add("rotate", rn.Node)
		}
	}
	if o.scale != nil {
		m.add("scale", o.scale.node())
	}
	if s := o.spin; s != nil {
		sn := mapNode()
		sn.add("axis", vecNode(s.axis))
		sn.add("turns", numNode(s.turns))
		sn.add("phase", numNode(s.phase))
		m.add("spin", sn.Node)
	}
	return m.Node
}

// node writes the fields the file set, in the table's order.
func (p params) node() *yaml.Node {
	m := mapNode()
	for i, v := range p.vals {
		if v != nil {
			m.add(p.set[i].name, v.node())
		}
	}
	return m.Node
}

func (v *Value) node() *yaml.Node {
	constant := func(c scene.Vec3) *yaml.Node {
		if v.Dim == 1 {
			return numNode(c.X)
		}
		return vecNode(c)
	}
	switch {
	case v.Track != nil:
		keys := seqNode()
		for _, k := range v.Track.Keys {
			kn := mapNode()
			kn.add("t", numNode(k.T))
			kn.add("value", constant(k.Value))
			if k.Ease != scene.EaseLinear {
				kn.add("ease", strNode(k.Ease.String()))
			}
			kn.Style = yaml.FlowStyle
			keys.Content = append(keys.Content, kn.Node)
		}
		m := mapNode()
		m.add("keys", keys)
		if v.Track.Loop {
			m.add("loop", &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: "true"})
		}
		return m.Node
	case v.Orbit != nil:
		o := v.Orbit
		on := mapNode()
		on.add("center", vecNode(o.Center))
		on.add("radius", numNode(o.Radius))
		on.add("height", numNode(o.Height))
		on.add("turns", numNode(o.Turns))
		on.add("phase", numNode(o.Phase))
		m := mapNode()
		m.add("orbit", on.Node)
		return m.Node
	}
	return constant(v.Const)
}

// mapping is a YAML mapping node being built.
type mapping struct{ *yaml.Node }

func mapNode() mapping { return mapping{&yaml.Node{Kind: yaml.MappingNode}} }

func (m mapping) add(key string, v *yaml.Node) { m.Content = append(m.Content, strNode(key), v) }

func seqNode() *yaml.Node { return &yaml.Node{Kind: yaml.SequenceNode} }

func strNode(s string) *yaml.Node { return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s} }

func numNode(x float64) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Value: strconv.FormatFloat(x, 'g', -1, 64)}
}

func vecNode(v scene.Vec3) *yaml.Node {
	return &yaml.Node{Kind: yaml.SequenceNode, Style: yaml.FlowStyle, Content: []*yaml.Node{numNode(v.X), numNode(v.Y), numNode(v.Z)}}
}
