package main

import (
	"fmt"
	"io"

	"github.com/sdfrender/render/scenefile"
)

// runValidate is `render validate FILE...`: it checks scene files without
// rendering, printing one line per file, and exits 2 if any is invalid.
func runValidate(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "--help" || args[0] == "-h" {
		w, code := stdout, exitOK
		if len(args) == 0 {
			w, code = stderr, exitUsage
		}
		fmt.Fprintln(w, "Usage: render validate FILE...   (checks scene files without rendering)")
		return code
	}
	code := exitOK
	for _, path := range args {
		sc, err := scenefile.Load(path)
		if err != nil {
			fmt.Fprintf(stderr, "%s\n", printable(err))
			code = exitUsage
			continue
		}
		fmt.Fprintf(stdout, "%s: ok: %s, %gs\n", path, sc.Name, sc.Duration)
	}
	return code
}
