package scene

// SurfaceInto is n.Surface(p), the material written to *m rather than
// returned: for this package's nodes, a material (88 bytes) is copied where
// it is wanted and blended there, not handed back through every level of the
// tree, whose copies wait on the stores that made them. Other nodes' Surface
// is called.
func SurfaceInto(n Node, p Vec3, m *Material) float64 {
	switch v := n.(type) {
	case *Solid:
		*m = v.Material
		return v.Shape.Distance(p)
	case *Translate:
		return SurfaceInto(v.Child, p.Sub(v.Offset), m)
	case *Rotate:
		return SurfaceInto(v.Child, v.inverse.MulVec(p), m)
	case *Scale:
		return SurfaceInto(v.Child, p.Scale(1/v.Factor), m) * v.Factor
	case *Repeat:
		return SurfaceInto(v.Child, v.Cell(p), m)
	case Union:
		d := inf
		*m = Material{}
		var mn Material
		for _, c := range v {
			if dn := SurfaceInto(c, p, &mn); dn < d {
				d, *m = dn, mn
			}
		}
		return d
	case *Subtraction:
		da := SurfaceInto(v.A, p, m)
		var mb Material
		if db := SurfaceInto(v.B, p, &mb); -db > da {
			*m = mb
			return -db
		}
		return da
	case *SmoothUnion:
		return smoothFoldInto(v.Children, v.K, 1, p, m)
	case *SmoothIntersection:
		return smoothFoldInto(v.Children, v.K, -1, p, m)
	case *SmoothSubtraction:
		da := SurfaceInto(v.A, p, m)
		var mb Material
		db := SurfaceInto(v.B, p, &mb)
		d, h := smoothMin(-da, db, v.K)
		m.blend(&mb, h)
		return -d
	}
	d, mn := n.Surface(p)
	*m = mn
	return d
}

// smoothFoldInto is smoothFoldSurface, its material written to *m.
func smoothFoldInto(children []Node, k, sign float64, p Vec3, m *Material) float64 {
	if len(children) == 0 {
		*m = Material{}
		return inf
	}
	d := sign * SurfaceInto(children[0], p, m)
	var mn Material
	for _, n := range children[1:] {
		dn := SurfaceInto(n, p, &mn)
		var h float64
		d, h = smoothMin(d, sign*dn, k)
		m.blend(&mn, h)
	}
	return sign * d
}
