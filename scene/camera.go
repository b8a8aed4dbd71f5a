package scene

import "fmt"

// Camera is a camera at Position looking at Target. Up picks the roll: it need
// not be perpendicular to the view direction, only not parallel to it. With an
// Aperture of 0 it is a pinhole and everything is sharp; otherwise it is a thin
// lens of that diameter, sharp at Focus and blurred more the farther off it.
type Camera struct {
	Position, Target, Up Vec3
	FOV                  float64 // vertical field of view in degrees
	Aperture             float64 // diameter of the lens in scene units; 0 for a pinhole
	Focus                float64 // distance along the view direction that is sharp; 0 for the target's
}

// FocusDistance is the distance along the view direction of the plane in
// focus: Focus, or where the target is if Focus is 0.
func (c Camera) FocusDistance() float64 {
	if c.Focus > 0 {
		return c.Focus
	}
	return c.Target.Sub(c.Position).Length()
}

// Validate reports what makes the camera unusable, naming the real cause: a
// camera so far out that its view direction overflows is not said to have a
// parallel up.
func (c Camera) Validate() error {
	view := c.Target.Sub(c.Position)
	dir, up := view.Normalize(), c.Up.Normalize()
	switch {
	case !c.Position.IsFinite() || !c.Target.IsFinite() || !c.Up.IsFinite():
		return fmt.Errorf("scene: camera position, target and up must be finite")
	case c.Position == c.Target:
		return fmt.Errorf("scene: camera target %v equals its position: move one of them", c.Target)
	// Below 1e-150 the squares in a length are subnormal or zero: Normalize
	// would give a vector well off unit length, or the zero vector.
	case !isFinite(view.Length()) || view.Length() < 1e-150 || !dir.IsFinite():
		return fmt.Errorf("scene: camera position %v and target %v are too far apart, or too close, for the view direction to be computed: keep coordinates below 1e150 and the two at least 1e-150 apart", c.Position, c.Target)
	case !isFinite(c.Up.Length()) || c.Up.Length() < 1e-150 || !up.IsFinite():
		return fmt.Errorf("scene: camera up %v must be a non-zero vector of length between 1e-150 and 1e150", c.Up)
	case dir.Cross(up).Length() < 1e-6:
		return fmt.Errorf("scene: camera up %v is parallel to the view direction: pick another up", c.Up)
	case !(c.FOV > 0 && c.FOV < 180):
		return fmt.Errorf("scene: camera fov must be between 0 and 180 degrees, got %g", c.FOV)
	case !(c.Aperture >= 0 && isFinite(c.Aperture)):
		return fmt.Errorf("scene: camera aperture must be a finite number >= 0 (0 for a pinhole), got %g", c.Aperture)
	case !(c.Focus >= 0 && isFinite(c.Focus)):
		return fmt.Errorf("scene: camera focus must be a finite distance >= 0 (0 to focus on the target), got %g", c.Focus)
	}
	return nil
}

// Light is a directional light, such as the sun: parallel rays from Direction.
type Light struct {
	Direction Vec3    // from the scene towards the light; need not be unit length
	Color     Vec3    // linear RGB
	Intensity float64 // multiplies Color
	// Shadow is the sharpness of the soft shadows the light casts: 0 casts none, about 4
	// is a large, soft penumbra and 32 or more an almost hard edge.
	Shadow float64
}

// Sky is the environment around the objects: the colour of rays that hit nothing,
// the ambient light it sheds, and the fog that fades distant surfaces into it.
type Sky struct {
	Zenith  Vec3    // colour straight up
	Horizon Vec3    // colour at the horizon; also the fog colour
	Ground  Vec3    // colour of ambient light bounced up from below
	Ambient float64 // strength of the ambient light from sky and ground
	Fog     float64 // fog density per unit distance: a surface at distance d keeps exp(-Fog·d)
}
