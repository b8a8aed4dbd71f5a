package main

import (
	"errors"
	"fmt"
	"io"

	"github.com/spf13/pflag"

	"github.com/sdfrender/render/scenefile"
)

// validateUsage is `render validate --help`.
const validateUsage = "Usage: render validate FILE...   (checks scene files without rendering)"

// runValidate is `render validate FILE...`: it checks scene files without
// rendering, printing one line per file, and exits 2 if any is invalid.
func runValidate(args []string, stdout, stderr io.Writer) error {
	fs := pflag.NewFlagSet("render validate", pflag.ContinueOnError)
	if help, err := parseFlags(fs, args, validateUsage+"\n", true, "", stdout); help || err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return usageError{validateUsage}
	}
	var bad []error
	for _, path := range fs.Args() {
		sc, err := scenefile.Load(path)
		if err != nil {
			fmt.Fprintf(stderr, "%s\n", printable(err))
			bad = append(bad, err)
			continue
		}
		fmt.Fprintf(stdout, "%s: ok: %s, %gs\n", path, sc.Name, sc.Duration)
	}
	if bad != nil {
		return reported{inputError{errors.Join(bad...)}}
	}
	return nil
}
