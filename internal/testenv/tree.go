package testenv

import (
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// Tree maps every entry under dir, hidden ones included, to what a user
// would compare when asking whether a command wrote into their directory:
// a file to its mode and bytes, a directory to its mode, a symbolic link
// (init links providers) to its target.
func Tree(t testing.TB, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || p == dir {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		info, err := os.Lstat(p)
		if err != nil {
			return err
		}
		switch {
		case info.Mode()&fs.ModeSymlink != 0:
			target, err := os.Readlink(p)
			out[rel] = "symlink to " + target
			return err
		case info.Mode().IsRegular():
			b, err := os.ReadFile(p)
			out[rel] = info.Mode().String() + "\n" + string(b)
			return err
		}
		out[rel] = info.Mode().String()
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TreeDiff names what differs between two Trees ("added p", "removed p",
// "changed p"), or "" when nothing does.
func TreeDiff(before, after map[string]string) string {
	var diff []string
	for _, k := range slices.Sorted(maps.Keys(before)) {
		if v, ok := after[k]; !ok {
			diff = append(diff, "removed "+k)
		} else if v != before[k] {
			diff = append(diff, "changed "+k)
		}
	}
	for _, k := range slices.Sorted(maps.Keys(after)) {
		if _, ok := before[k]; !ok {
			diff = append(diff, "added "+k)
		}
	}
	return strings.Join(diff, ", ")
}
