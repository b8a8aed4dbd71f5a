package output

import (
	"fmt"
	"os"
	"path/filepath"
)

// CheckNameLength reports a name that cannot be written in dir: with the
// temporary name it is written under first (up to tempOverhead bytes longer),
// it must fit the longest file name the file system holding dir allows. dir
// need not exist yet: the nearest directory above it that does is asked.
func CheckNameLength(dir string, names ...string) error {
	limit := nameMax(existingAncestor(dir))
	for _, name := range names {
		if n := len(name) + tempOverhead; n > limit {
			return fmt.Errorf("file name %q is %d bytes, and written first under a temporary name %d bytes longer it exceeds the %d bytes a name may have in %s: choose a shorter name", name, len(name), tempOverhead, limit, dir)
		}
	}
	return nil
}

// existingAncestor returns dir, or the nearest directory above it that exists.
func existingAncestor(dir string) string {
	for {
		if fi, err := os.Stat(dir); err == nil && fi.IsDir() {
			return dir
		}
		up := filepath.Dir(dir)
		if up == dir {
			return dir
		}
		dir = up
	}
}
