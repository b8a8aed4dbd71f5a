package scene

import (
	"fmt"
	"testing"
)

func TestMaterialAlbedo(t *testing.T) {
	white, black := V(1, 1, 1), V(0, 0, 0)
	unit := Material{Color: white, Checker: black, CheckerSize: 1}
	double := Material{Color: white, Checker: black, CheckerSize: 2}
	tests := []struct {
		name string
		m    Material
		p    Vec3
		want Vec3
	}{
		{"no checker", Material{Color: white, Checker: black}, V(1.5, 0.5, 0.5), white},
		{"negative size is no checker", Material{Color: white, Checker: black, CheckerSize: -1}, V(1.5, 0.5, 0.5), white},
		{"origin cell", unit, V(0.5, 0.5, 0.5), white},
		{"cell at origin corner", unit, V(0, 0, 0), white},
		{"next cell in X", unit, V(1.5, 0.5, 0.5), black},
		{"next cell in Y", unit, V(0.5, 1.5, 0.5), black},
		{"next cell in Z", unit, V(0.5, 0.5, 1.5), black},
		{"diagonal neighbour in XZ", unit, V(1.5, 0.5, 1.5), white},
		{"three steps", unit, V(1.5, 1.5, 1.5), black},
		{"cell boundary belongs to the upper cell", unit, V(1, 0.5, 0.5), black},
		{"negative X is floor, not truncation", unit, V(-0.5, 0.5, 0.5), black},
		{"negative X and Z", unit, V(-0.5, 0.5, -0.5), white},
		{"negative X two cells", unit, V(-1.5, 0.5, 0.5), white},
		{"negative on a floor at y=0", unit, V(-0.25, 0, -3.75), black},
		{"negative and positive", unit, V(-0.25, 0, 3.75), white},
		{"size 2 origin cell", double, V(1.9, 0.1, 1.9), white},
		{"size 2 next cell", double, V(2.1, 0.1, 1.9), black},
		{"size 2 negative", double, V(-0.1, 0.1, 0.1), black},
		{"size 2 negative two cells", double, V(-2.1, 0.1, 0.1), white},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.m.Albedo(tt.p); got != tt.want {
				t.Errorf("Material{CheckerSize: %g}.Albedo(%v) = %v, want %v", tt.m.CheckerSize, tt.p, got, tt.want)
			}
		})
	}
}

func TestMaterialAlbedoAlternates(t *testing.T) {
	// Along any axis, neighbouring cells always differ.
	m := Material{Color: V(1, 1, 1), Checker: V(0, 0, 0), CheckerSize: 0.5}
	for i := -20; i < 20; i++ {
		x := (float64(i) + 0.5) * 0.5
		for _, axis := range []Vec3{{1, 0, 0}, {0, 1, 0}, {0, 0, 1}} {
			p, q := axis.Scale(x), axis.Scale(x+0.5)
			if m.Albedo(p) == m.Albedo(q) {
				t.Fatalf("Albedo(%v) = Albedo(%v) = %v, want neighbouring cells to differ", p, q, m.Albedo(p))
			}
		}
	}
}

func TestMaterialLerp(t *testing.T) {
	a, b := matRed, matBlue // b has a checker, a has none
	tests := []struct {
		u    float64
		want Material
		tol  float64
	}{
		{0, a, 0},
		{1, b, 0},
		{0.5, Material{
			Color:    V(0.5, 0.25, 0.45),
			Specular: 0.7, Shininess: 80, Reflect: 0.35,
			// At exactly one half, the first material keeps its pattern.
		}, eps},
		{0.75, Material{
			Color:    V(0.3, 0.275, 0.625),
			Specular: 0.8, Shininess: 100, Reflect: 0.475,
			Checker: b.Checker, CheckerSize: b.CheckerSize,
		}, eps},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.u), func(t *testing.T) {
			got := a.Lerp(b, tt.u)
			if !vecNear(got.Color, tt.want.Color, tt.tol) || !near(got.Specular, tt.want.Specular, tt.tol) ||
				!near(got.Shininess, tt.want.Shininess, tt.tol) || !near(got.Reflect, tt.want.Reflect, tt.tol) ||
				got.Checker != tt.want.Checker || got.CheckerSize != tt.want.CheckerSize {
				t.Errorf("%v.Lerp(%v, %g) = %v, want %v", a, b, tt.u, got, tt.want)
			}
		})
	}
	t.Run("pattern follows the larger weight", func(t *testing.T) {
		if got := b.Lerp(a, 0.4); got.CheckerSize != b.CheckerSize || got.Checker != b.Checker {
			t.Errorf("b.Lerp(a, 0.4) checker = %v size %g, want b's %v size %g", got.Checker, got.CheckerSize, b.Checker, b.CheckerSize)
		}
		if got := b.Lerp(a, 0.6); got.CheckerSize != 0 {
			t.Errorf("b.Lerp(a, 0.6) checker size = %g, want a's 0", got.CheckerSize)
		}
	})
}
