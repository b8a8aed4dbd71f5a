package main

import (
	"fmt"
	"runtime"
	"runtime/debug"

	"github.com/sdfrender/render/render"
)

// versionLine says which build this is: the module version (or the commit it was
// built from), the toolchain and platform, the distance kernel the renderer uses
// here, and the pixel version its frames are stamped with.
func versionLine() string {
	version := "(devel)"
	if bi, ok := debug.ReadBuildInfo(); ok {
		if bi.Main.Version != "" {
			version = bi.Main.Version
		}
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" && len(s.Value) >= 12 && version == "(devel)" {
				version = "(devel " + s.Value[:12] + ")"
			}
		}
	}
	return fmt.Sprintf("render %s %s %s/%s kernel: %s pixel version %d",
		version, runtime.Version(), runtime.GOOS, runtime.GOARCH, render.KernelName(), render.PixelVersion)
}
