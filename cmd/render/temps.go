package main

import "github.com/sdfrender/render/internal/output"

// temps is the files the program is writing, each under a temporary name until
// it is whole: every file it writes goes through it, and a second signal removes
// those still being written before the program exits at once (see withSignals).
// There is one per process, as that exit ends the whole process.
var temps output.Temps
