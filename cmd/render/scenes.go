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
func runScenes(args []string, stdout, _ io.Writer) error {
	fs := pflag.NewFlagSet("render scenes", pflag.ContinueOnError)
	dump := fs.String("dump", "", "print the built-in scene `NAME` as YAML")
	if help, err := parseFlags(fs, args, "Usage:\n  render scenes [--dump NAME]\n\n"+fs.FlagUsages(), false, "", stdout); help || err != nil {
		return err
	}
	if *dump != "" {
		sc, err := scenefile.Lookup(*dump)
		if err != nil {
			return usagef("render: %v", err)
		}
		stdout.Write(sc.Source)
		return nil
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
	return nil
}
