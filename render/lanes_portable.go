//go:build !(goexperiment.simd && amd64)

package render

import "github.com/sdfrender/render/scene"

// Built without the SIMD experiment, the march takes every step of its rays
// as structs (lanes_avx2.go has the AVX2 build's lanes).

type laneState struct{}

const queueRows = false // no lanes queue points in rows

const laneBytes = 0

func (*laneState) make(int) {}

func (*wave) lanesFit(int) bool { return false }

func (*wave) marchLanes([]waveRay, []marchRay, bool) {}

func (*wave) shadowLanes([]waveRay, []shadowRay, light) bool { return false }

func (*wave) aimsLanes() bool { return false }

func (*wave) aimLanes(*view, []waveRay) {}

func (*laneState) aimAt(int, float64, float64, float64) {}

func (*wave) aimPixels(scene.Vec3, []wavePixel, offset, *cones, int, []waveRay, []int32) {}

func (*wave) fogLanes([]waveRay, []int32) bool { return false }

func (*wave) skyLanes([]waveRay) bool { return false }

func (*wave) lightLanes([]waveRay, []int32, *light) bool { return false }

func (*wave) toneMapLanes([]waveRay, []int32, []scene.Vec3) bool { return false }

func aoTapsLanes(*[aoTaps]point, *waveRay) bool { return false }

func normalTapsLanes(*[len(tetrahedron)]point, *waveRay, float64) bool { return false }

func (*wave) normalLanes([]waveRay, int32) bool { return false }

func (*wave) normalRows([]waveRay) {}

func (*wave) occludeLanes([]waveRay, int32) bool { return false }

func (*wave) occludeRows([]waveRay) {}

func (*wave) surfaceLanes([]waveRay, int32) bool { return false }

func (*wave) surfaceRows([]waveRay) {}
