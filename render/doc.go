// Package render turns scenes into pixels: it owns the compiled distance field
// (compile.go, bound.go, escape.go), its evaluation a point at a time and in
// batches with a portable or an AVX2 kernel (batch.go, kernel_avx2.go), the
// marcher and shading (march.go, shade.go, camera.go, sample.go), the film
// features (camera.go's lens, shutter.go's moments, adaptive.go's passes), the
// sampler that sums a tile's samples pixel by pixel (sampler.go), the batched
// renderer that takes a tile's rays through them stage by stage (wavefront.go),
// the reference marcher kept to measure against (reference.go), and the
// scheduler that cuts a job into (frame, tile) units for a pool of workers and
// hands finished frames to a Sink where the job's Output policy says
// (scheduler.go, frame.go, output.go).
//
// It never opens a file: what becomes of a frame is the Sink's business
// (package output, wired by cmd/render), and what a scene is, package scene's.
// Every pixel is a pure function of the scene, the settings and its position,
// so a job gives the same bytes whatever the workers, cores, tile size and
// kernel.
package render
