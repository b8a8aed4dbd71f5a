package scene

import (
	"fmt"
	"math"
	"testing"
)

var allEases = []Ease{EaseLinear, EaseSmoothstep, EaseIn, EaseOut, EaseInOut, EaseHold}

func TestEaseApply(t *testing.T) {
	us := []float64{-1, 0, 0.25, 0.5, 0.75, 1, 2}
	tests := []struct {
		ease Ease
		want []float64 // at each of us
	}{
		{EaseLinear, []float64{0, 0, 0.25, 0.5, 0.75, 1, 1}},
		{EaseSmoothstep, []float64{0, 0, 0.15625, 0.5, 0.84375, 1, 1}},
		{EaseIn, []float64{0, 0, 0.0625, 0.25, 0.5625, 1, 1}},
		{EaseOut, []float64{0, 0, 0.4375, 0.75, 0.9375, 1, 1}},
		{EaseInOut, []float64{0, 0, 0.125, 0.5, 0.875, 1, 1}},
		{EaseHold, []float64{0, 0, 0, 0, 0, 1, 1}},
	}
	if len(tests) != len(allEases) {
		t.Fatalf("TestEaseApply covers %d easings, want all %d", len(tests), len(allEases))
	}
	for _, tt := range tests {
		t.Run(tt.ease.String(), func(t *testing.T) {
			for i, u := range us {
				if got := tt.ease.Apply(u); !near(got, tt.want[i], eps) {
					t.Errorf("%v.Apply(%g) = %.17g, want %.17g", tt.ease, u, got, tt.want[i])
				}
			}
		})
	}
}

func TestEaseMonotone(t *testing.T) {
	for _, e := range allEases {
		t.Run(e.String(), func(t *testing.T) {
			prev := e.Apply(0)
			for i := 1; i <= 1000; i++ {
				u := float64(i) / 1000
				got := e.Apply(u)
				if got < prev {
					t.Fatalf("%v.Apply(%g) = %g, want >= %g at the previous step", e, u, got, prev)
				}
				// Every easing but hold is continuous.
				if e != EaseHold && got-prev > 0.0021 {
					t.Fatalf("%v.Apply jumps by %g at u = %g, want a continuous curve", e, got-prev, u)
				}
				prev = got
			}
		})
	}
}

func TestEaseString(t *testing.T) {
	tests := []struct {
		e    Ease
		want string
	}{
		{EaseLinear, "linear"},
		{EaseSmoothstep, "smoothstep"},
		{EaseIn, "ease-in"},
		{EaseOut, "ease-out"},
		{EaseInOut, "ease-in-out"},
		{EaseHold, "hold"},
		{Ease(6), "Ease(6)"},
		{Ease(-1), "Ease(-1)"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			if got := tt.e.String(); got != tt.want {
				t.Errorf("Ease(%d).String() = %q, want %q", int(tt.e), got, tt.want)
			}
		})
	}
}

func TestFloatTrackAt(t *testing.T) {
	tr := FloatTrack(
		Key[float64]{T: 1, Value: 10, Ease: EaseLinear},
		Key[float64]{T: 3, Value: 20, Ease: EaseSmoothstep},
		Key[float64]{T: 4, Value: 0, Ease: EaseHold},
		Key[float64]{T: 6, Value: 5},
	)
	tests := []struct {
		name    string
		t, want float64
	}{
		{"long before the first key", -100, 10},
		{"before the first key", 0, 10},
		{"at the first key", 1, 10},
		{"linear quarter", 1.5, 12.5},
		{"linear midpoint", 2, 15},
		{"just before the second key", 3 - 1e-9, 20},
		{"at the second key", 3, 20},
		{"just after the second key", 3 + 1e-9, 20},
		{"smoothstep quarter", 3.25, 20 - 20*0.15625},
		{"smoothstep midpoint", 3.5, 10},
		{"at the third key", 4, 0},
		{"hold just after", 4.001, 0},
		{"hold midpoint", 5, 0},
		{"hold just before the last key", 6 - 1e-9, 0},
		{"at the last key", 6, 5},
		{"after the last key", 7, 5},
		{"long after the last key", 1e9, 5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tr.At(tt.t); !near(got, tt.want, 1e-6) {
				t.Errorf("track.At(%g) = %.17g, want %.17g", tt.t, got, tt.want)
			}
		})
	}
	// Keys are hit exactly, not approximately.
	for _, k := range tr.Keys {
		if got := tr.At(k.T); got != k.Value {
			t.Errorf("track.At(%g) = %.17g, want the key's %.17g exactly", k.T, got, k.Value)
		}
	}
}

func TestFloatTrackEachEase(t *testing.T) {
	for _, e := range allEases {
		t.Run(e.String(), func(t *testing.T) {
			tr := FloatTrack(Key[float64]{T: 2, Value: -4, Ease: e}, Key[float64]{T: 4, Value: 6})
			for _, u := range []float64{0, 0.25, 0.5, 0.75, 1} {
				at := 2 + 2*u
				want := -4 + 10*e.Apply(u)
				if got := tr.At(at); !near(got, want, eps) {
					t.Errorf("%v track.At(%g) = %.17g, want %.17g", e, at, got, want)
				}
			}
		})
	}
}

func TestTrackSingleKey(t *testing.T) {
	tr := FloatTrack(Key[float64]{T: 2, Value: 7, Ease: EaseInOut})
	for _, at := range []float64{-5, 2, 9} {
		if got := tr.At(at); got != 7 {
			t.Errorf("single-key track.At(%g) = %g, want 7", at, got)
		}
	}
}

func TestVecTrackAt(t *testing.T) {
	tr := VecTrack(
		Key[Vec3]{T: 0, Value: V(0, 0, 0)},
		Key[Vec3]{T: 2, Value: V(2, 4, -6), Ease: EaseIn},
		Key[Vec3]{T: 4, Value: V(0, 0, 10)},
	)
	tests := []struct {
		t    float64
		want Vec3
	}{
		{-1, V(0, 0, 0)},
		{0, V(0, 0, 0)},
		{1, V(1, 2, -3)},
		{1.5, V(1.5, 3, -4.5)},
		{2, V(2, 4, -6)},
		{3, V(1.5, 3, -2)}, // ease-in at 1/2 is 1/4 of the way
		{4, V(0, 0, 10)},
		{5, V(0, 0, 10)},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.t), func(t *testing.T) {
			if got := tr.At(tt.t); !vecNear(got, tt.want, eps) {
				t.Errorf("VecTrack.At(%g) = %v, want %v", tt.t, got, tt.want)
			}
		})
	}
}

func TestTrackValidate(t *testing.T) {
	k := func(t float64) Key[float64] { return Key[float64]{T: t, Value: t} }
	tests := []struct {
		name    string
		track   Track[float64]
		wantErr string // "" for a valid track
	}{
		{"one key", FloatTrack(k(0)), ""},
		{"in order", FloatTrack(k(-1), k(0), k(2.5), k(100)), ""},
		{"no keys", FloatTrack(), "at least one key"},
		{"zero track", Track[float64]{}, "FloatTrack or VecTrack"},
		{"keys without a constructor", Track[float64]{Keys: []Key[float64]{k(0), k(1)}}, "FloatTrack or VecTrack"},
		{"out of order", FloatTrack(k(0), k(2), k(1)), "key 2"},
		{"first two swapped", FloatTrack(k(1), k(0)), "key 1"},
		{"equal times", FloatTrack(k(0), k(1), k(1)), "key 2"},
		{"NaN time", FloatTrack(k(0), k(math.NaN())), "finite"},
		{"NaN first time", FloatTrack(k(math.NaN()), k(1)), "key 0"},
		{"+Inf time", FloatTrack(k(0), k(math.Inf(1))), "finite"},
		{"-Inf time", FloatTrack(k(math.Inf(-1)), k(0)), "finite"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkErr(t, "Validate()", tt.track.Validate(), tt.wantErr)
		})
	}
	err := VecTrack(Key[Vec3]{T: 1}, Key[Vec3]{T: 1}).Validate()
	checkErr(t, "VecTrack with equal times: Validate()", err, "key 1")
}

func TestOrbitAt(t *testing.T) {
	o := Orbit{Center: V(1, 2, 3), Radius: 2, Height: 0.5, Period: 4}
	tests := []struct {
		name string
		o    Orbit
		t    float64
		want Vec3
	}{
		{"starts at +Z", o, 0, V(1, 2.5, 5)},
		{"quarter turn to +X", o, 1, V(3, 2.5, 3)},
		{"half turn to -Z", o, 2, V(1, 2.5, 1)},
		{"three quarters to -X", o, 3, V(-1, 2.5, 3)},
		{"full turn", o, 4, V(1, 2.5, 5)},
		{"backwards in time", o, -1, V(-1, 2.5, 3)},
		{"phase a quarter turn", Orbit{Center: V(1, 2, 3), Radius: 2, Height: 0.5, Period: 4, Phase: math.Pi / 2}, 0, V(3, 2.5, 3)},
		{"period 0 stands still", Orbit{Radius: 1, Period: 0, Phase: math.Pi}, 123, V(0, 0, -1)},
		{"negative period turns the other way", Orbit{Radius: 1, Period: -4}, 1, V(-1, 0, 0)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.o.At(tt.t); !vecNear(got, tt.want, eps) {
				t.Errorf("%+v.At(%g) = %v, want %v", tt.o, tt.t, got, tt.want)
			}
		})
	}
}

func TestOrbitProperties(t *testing.T) {
	o := Orbit{Center: V(-1, 0.5, 2), Radius: 3, Height: 1.5, Period: 2.5, Phase: 0.7}
	r := newRand()
	for range 200 {
		at := randIn(r, -10, 10)
		p := o.At(at)
		if got := o.At(at + o.Period); !vecNear(got, p, 1e-9) {
			t.Fatalf("At(%g + period) = %v, want At(%g) = %v", at, got, at, p)
		}
		rel := p.Sub(o.Center)
		if !near(rel.Y, o.Height, eps) {
			t.Fatalf("At(%g).Y - centre = %g, want height %g", at, rel.Y, o.Height)
		}
		if l := math.Hypot(rel.X, rel.Z); !near(l, o.Radius, 1e-12) {
			t.Fatalf("horizontal distance of At(%g) from the centre = %g, want radius %g", at, l, o.Radius)
		}
		// Counter-clockwise seen from above is a positive turn about +Y.
		next := o.At(at + 0.01).Sub(o.Center)
		if turn := rel.Cross(next).Y; turn <= 0 {
			t.Fatalf("(At(%g) × At(%g)).Y = %g, want > 0 (counter-clockwise from above)", at, at+0.01, turn)
		}
	}
}

func TestTrackLoop(t *testing.T) {
	// Keys from t = 0.5 to t = 2.5, a period of 2 that is no multiple of the
	// first key's time. The last value differs from the first so that a time
	// the loop maps to the start of the period, rather than its end, shows.
	tr := FloatTrack(
		Key[float64]{T: 0.5, Value: 0},
		Key[float64]{T: 1.5, Value: 10, Ease: EaseIn},
		Key[float64]{T: 2.5, Value: 4},
	)
	tr.Loop = true
	tests := []struct {
		name    string
		t, want float64
	}{
		{"at the first key", 0.5, 0},
		{"inside", 1, 5},
		{"at the middle key", 1.5, 10},
		{"ease-in a quarter of the way", 2, 8.5},
		{"a period after the first key is the first key", 2.5, 0},
		{"two periods after the first key", 4.5, 0},
		{"a period before the first key", -1.5, 0},
		{"ten periods before", -19.5, 0},
		{"before the keys wraps to the middle key", -0.5, 10},
		{"before the keys wraps to the inside", -1, 5},
		{"after the keys", 3, 5},
		{"far after the keys", 21, 5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tr.At(tt.t); !near(got, tt.want, 1e-9) {
				t.Errorf("looped track.At(%g) = %.17g, want %.17g", tt.t, got, tt.want)
			}
		})
	}
	t.Run("without Loop the ends hold", func(t *testing.T) {
		once := tr
		once.Loop = false
		for _, c := range []struct{ t, want float64 }{{0, 0}, {-1, 0}, {2.5, 4}, {3, 4}, {5, 4}} {
			if got := once.At(c.t); got != c.want {
				t.Errorf("track.At(%g) = %g, want %g", c.t, got, c.want)
			}
		}
	})
	t.Run("a looped single key holds", func(t *testing.T) {
		one := FloatTrack(Key[float64]{T: 2, Value: 7})
		one.Loop = true
		for _, at := range []float64{-3, 2, 2.5, 100} {
			if got := one.At(at); got != 7 {
				t.Errorf("looped single-key track.At(%g) = %g, want 7", at, got)
			}
		}
	})
}

func TestLoop(t *testing.T) {
	tests := []struct{ t, period, want float64 }{
		{0, 2, 0},
		{0.5, 2, 0.5},
		{2, 2, 0},
		{5, 2, 1},
		{-0.5, 2, 1.5},
		{-2, 2, 0},
		{-3, 2, 1},
	}
	for _, tt := range tests {
		if got := loop(tt.t, tt.period); got != tt.want {
			t.Errorf("loop(%g, %g) = %g, want %g in [0, period)", tt.t, tt.period, got, tt.want)
		}
	}
}
