package scene

import (
	"fmt"
	"math"
)

// Ease shapes the motion between two keyframes.
type Ease int

// The easings. Each maps the fraction u of a segment's time to the fraction of the
// way from one value to the next; all but EaseHold run from 0 at u = 0 to 1 at u = 1.
const (
	EaseLinear     Ease = iota // constant speed
	EaseSmoothstep             // 3u² - 2u³: starts and stops gently
	EaseIn                     // u²: starts slowly, arrives at speed
	EaseOut                    // 1 - (1-u)²: leaves at speed, arrives gently
	EaseInOut                  // quadratic in, then out: stronger than smoothstep
	EaseHold                   // keeps the first value until the next key (a step)
)

var easeNames = [...]string{"linear", "smoothstep", "ease-in", "ease-out", "ease-in-out", "hold"}

// Eases returns every easing, in the order of their values.
func Eases() []Ease {
	es := make([]Ease, len(easeNames))
	for i := range es {
		es[i] = Ease(i)
	}
	return es
}

// String returns the easing's name as scene files spell it.
func (e Ease) String() string {
	if e < 0 || int(e) >= len(easeNames) {
		return fmt.Sprintf("Ease(%d)", int(e))
	}
	return easeNames[e]
}

// Apply maps the fraction of time u in [0, 1] to the fraction of the way travelled.
func (e Ease) Apply(u float64) float64 {
	u = Clamp(u, 0, 1)
	switch e {
	case EaseSmoothstep:
		return u * u * (3 - 2*u)
	case EaseIn:
		return u * u
	case EaseOut:
		return 1 - float64((1-u)*(1-u))
	case EaseInOut:
		if u < 0.5 {
			return 2 * u * u
		}
		return 1 - float64(2*(1-u)*(1-u))
	case EaseHold:
		if u < 1 {
			return 0
		}
		return 1
	default:
		return u
	}
}

// Key is one keyframe: Value at time T seconds, and the easing of the segment from
// this key to the next.
type Key[T any] struct {
	T     float64
	Value T
	Ease  Ease
}

// Track is an animated value given by keyframes. Before the first key it holds the
// first value and after the last it holds the last. Make one with FloatTrack or VecTrack.
type Track[T any] struct {
	Keys []Key[T]
	// Loop repeats the keys from the first to the last for ever, before and after
	// them, for animations that cycle; the last value should equal the first.
	Loop bool
	mix  func(a, b T, u float64) T
}

// FloatTrack returns a track of numbers through keys, which must be in time order.
func FloatTrack(keys ...Key[float64]) Track[float64] { return Track[float64]{Keys: keys, mix: lerp} }

// VecTrack returns a track of vectors (positions, angles or colours) through keys,
// which must be in time order.
func VecTrack(keys ...Key[Vec3]) Track[Vec3] { return Track[Vec3]{Keys: keys, mix: Vec3.Lerp} }

// Validate reports a track with no keys or with keys out of time order.
func (tr Track[T]) Validate() error {
	if tr.mix == nil {
		return fmt.Errorf("scene: a track must be made with FloatTrack or VecTrack")
	}
	if len(tr.Keys) == 0 {
		return fmt.Errorf("scene: a track needs at least one key")
	}
	for i, k := range tr.Keys {
		if !isFinite(k.T) {
			return fmt.Errorf("scene: key %d: time must be finite, got %g", i, k.T)
		}
		if i > 0 && k.T <= tr.Keys[i-1].T {
			return fmt.Errorf("scene: key %d: time %g must be after the previous key's %g", i, k.T, tr.Keys[i-1].T)
		}
	}
	return nil
}

// At returns the track's value at time t seconds. A track must have at least one key.
func (tr Track[T]) At(t float64) T {
	k := tr.Keys
	if first, last := k[0].T, k[len(k)-1].T; tr.Loop && last > first {
		t = first + loop(t-first, last-first)
	}
	if t <= k[0].T {
		return k[0].Value
	}
	for i := 1; i < len(k); i++ {
		if t < k[i].T {
			a, b := k[i-1], k[i]
			return tr.mix(a.Value, b.Value, a.Ease.Apply((t-a.T)/(b.T-a.T)))
		}
	}
	return k[len(k)-1].Value
}

// Orbit moves a point (usually the camera) around a vertical axis through Center:
// at Radius, Height above the centre, one turn every Period seconds, counter-clockwise
// seen from above (clockwise for a negative Period), starting at angle Phase radians
// from +Z. A Period of 0 stands still at Phase.
type Orbit struct {
	Center         Vec3
	Radius, Height float64
	Period, Phase  float64
}

// At returns the orbiting point at time t seconds.
func (o Orbit) At(t float64) Vec3 {
	a := o.Phase
	if o.Period != 0 {
		a += 2 * math.Pi * t / o.Period
	}
	s, c := math.Sincos(a)
	return o.Center.Add(Vec3{float64(o.Radius * s), o.Height, float64(o.Radius * c)})
}

// loop maps t to [0, period).
func loop(t, period float64) float64 {
	t = math.Mod(t, period)
	if t < 0 {
		t += period
	}
	return t
}
