package render

import (
	"math"

	"render/scene"
)

// radiance returns the linear colour seen along the ray from ro in unit direction rd.
// bounces is how many mirror reflections may still be followed.
func (tr *tracer) radiance(ro, rd scene.Vec3, t0 float64, bounces int) scene.Vec3 {
	t, hit := tr.march(ro, rd, t0)
	if !hit {
		return tr.skyColor(rd)
	}
	p := ro.Add(rd.Scale(t))
	n := tr.normal(p, t)
	_, m := tr.surface(p)
	tr.evals++
	lift := surfaceLift * tr.hitThreshold(t)
	p = p.Add(n.Scale(lift)) // off the surface, so secondary rays do not hit it at once

	albedo := m.Albedo(p)
	ao := 1.0
	if bounces == maxBounces {
		// Occlusion is a subtle contact darkening, lost in a reflection: skip it there.
		ao = tr.ambientOcclusion(p, n)
	}
	skyLight := tr.sky.Ground.Lerp(tr.sky.Zenith, 0.5+0.5*n.Y)
	c := albedo.Mul(skyLight).Scale(tr.sky.Ambient * ao)

	for _, l := range tr.lights {
		ndl := n.Dot(l.dir)
		if ndl <= 0 {
			continue
		}
		vis := 1.0
		if l.shadow > 0 {
			vis = tr.softShadow(p, l.dir, l.shadow)
			if vis == 0 {
				continue
			}
		}
		c = c.Add(l.color.Mul(albedo).Scale(ndl * vis))
		if m.Specular > 0 {
			// Blinn-Phong, normalised so that shininess changes the size of the
			// highlight but not the energy in it.
			half := l.dir.Sub(rd).Normalize()
			s := m.Specular * (m.Shininess + 8) / (8 * math.Pi) * math.Pow(max(n.Dot(half), 0), m.Shininess)
			c = c.Add(l.color.Scale(s * ndl * vis))
		}
	}

	if m.Reflect > 0 && bounces > 0 {
		// Schlick's approximation, so surfaces reflect more at grazing angles; its
		// grazing term is damped by Reflect so that a faintly glossy floor does not
		// turn into a mirror towards the horizon.
		f := m.Reflect + (1-m.Reflect)*pow5(1-scene.Clamp(-rd.Dot(n), 0, 1))*m.Reflect
		r := reflect(rd, n)
		c = c.Lerp(tr.radiance(p, r, 0, bounces-1), scene.Clamp(f, 0, 1))
	}

	fog := 1 - math.Exp(-tr.sky.Fog*t)
	return c.Lerp(tr.sky.Horizon, fog)
}

// skyColor is the colour of a ray that hits nothing: a gradient from horizon to
// zenith, with a glow around each light.
func (tr *tracer) skyColor(rd scene.Vec3) scene.Vec3 {
	c := tr.sky.Horizon.Lerp(tr.sky.Zenith, math.Sqrt(scene.Clamp(rd.Y, 0, 1)))
	for _, l := range tr.lights {
		if l.shadow == 0 {
			continue // only shadow-casting lights are suns worth drawing
		}
		if s := rd.Dot(l.dir); s > 0 {
			c = c.Add(l.color.Scale(0.25*math.Pow(s, 8) + 2*math.Pow(s, 900)))
		}
	}
	return c
}

// toneMap compresses an HDR colour channel into [0, 1] with the ACES filmic curve
// (Narkowicz, "ACES filmic tone mapping curve", 2015).
func toneMap(x float64) float64 {
	x = max(x, 0)
	return scene.Clamp(x*(2.51*x+0.03)/(x*(2.43*x+0.59)+0.14), 0, 1)
}

// srgb encodes a linear value in [0, 1] with the sRGB curve (IEC 61966-2-1).
func srgb(x float64) float64 {
	if x <= 0.0031308 {
		return x * 12.92
	}
	return 1.055*math.Pow(x, 1/2.4) - 0.055
}

// srgb8 encodes a linear value in [0, 1] as an 8-bit sRGB value.
func srgb8(x float64) uint8 { return uint8(scene.Clamp(srgb(x)*255+0.5, 0, 255)) }

// srgb16 encodes a linear value in [0, 1] as a 16-bit sRGB value.
func srgb16(x float64) uint16 { return uint16(scene.Clamp(srgb(x)*65535+0.5, 0, 65535)) }
