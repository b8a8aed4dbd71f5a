package main

import (
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/spf13/pflag"

	"github.com/sdfrender/render/scenefile"
)

// runScenes is `render scenes`: it lists the built-in scenes, or with --dump NAME
// prints one's scene file, comments and all, to start a scene of one's own from.
func runScenes(args []string, stdout, stderr io.Writer) int {
	fs := pflag.NewFlagSet("render scenes", pflag.ContinueOnError)
	dump := fs.String("dump", "", "print the built-in scene `NAME` as YAML")
	if code, stop := parseFlags(fs, args, "Usage:\n  render scenes [--dump NAME]\n\n"+fs.FlagUsages(), "", stdout, stderr); stop {
		return code
	}
	if *dump != "" {
		sc, err := scenefile.Lookup(*dump)
		if err != nil {
			fmt.Fprintf(stderr, "render: %s\n", printable(err))
			return exitUsage
		}
		stdout.Write(sc.Source)
		return exitOK
	}
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	for i, sc := range scenefile.Builtins() {
		note := ""
		if i == 0 {
			note = " (default)"
		}
		fmt.Fprintf(tw, "%s\t%s%s\n", sc.Name, sc.Description, note)
	}
	tw.Flush()
	return exitOK
}
