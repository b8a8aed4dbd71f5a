package scene

// Camera is a pinhole camera at Position looking at Target. Up picks the roll:
// it need not be perpendicular to the view direction, only not parallel to it.
type Camera struct {
	Position, Target, Up Vec3
	FOV                  float64 // vertical field of view in degrees
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
