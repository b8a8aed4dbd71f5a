// Package typeface gives the Go fonts as faces of any size, for the pictures
// the program draws (previews, charts). The fonts ship inside the program, so a
// picture draws the same on a machine with no fonts installed.
package typeface

import (
	"sync"

	"github.com/golang/freetype/truetype"
	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
)

// Face returns the Go font, regular or bold, at size points.
func Face(bold bool, size float64) font.Face {
	f := fonts()[0]
	if bold {
		f = fonts()[1]
	}
	return truetype.NewFace(f, &truetype.Options{Size: size, DPI: 72, Hinting: font.HintingFull})
}

// fonts parses the regular and bold Go fonts, once.
var fonts = sync.OnceValue(func() [2]*truetype.Font {
	regular, _ := truetype.Parse(goregular.TTF)
	bold, _ := truetype.Parse(gobold.TTF)
	return [2]*truetype.Font{regular, bold}
})
