package atomicfile

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestWriteReplaces(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "out.json")
	if err := os.WriteFile(p, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := Write(p, []byte("new"), 0o600); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(p)
	if string(got) != "new" {
		t.Fatalf("content = %q, want new", got)
	}
	fi, _ := os.Stat(p)
	if fi.Mode().Perm() != 0o600 {
		t.Fatalf("mode = %v, want 0600", fi.Mode().Perm())
	}
	assertOnlyFile(t, dir, "out.json")
}

func TestWriteFuncFailureKeepsOld(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "out.json")
	if err := os.WriteFile(p, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("boom")
	err := WriteFunc(p, 0o644, func(w io.Writer) error {
		_, _ = w.Write([]byte("partial"))
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v, want wrapped boom", err)
	}
	got, _ := os.ReadFile(p)
	if string(got) != "old" {
		t.Fatalf("content = %q, want old", got)
	}
	assertOnlyFile(t, dir, "out.json")
}

func TestWriteMissingDir(t *testing.T) {
	p := filepath.Join(t.TempDir(), "nope", "out.json")
	if err := Write(p, []byte("x"), 0o644); err == nil {
		t.Fatal("expected an error for a missing directory")
	}
}

func assertOnlyFile(t *testing.T, dir, name string) {
	t.Helper()
	ents, _ := os.ReadDir(dir)
	if len(ents) != 1 || ents[0].Name() != name {
		var names []string
		for _, e := range ents {
			names = append(names, e.Name())
		}
		t.Fatalf("directory holds %v, want only %s", names, name)
	}
}

// TestWriteThroughSymlink: -o link.json updates the file the link names and
// keeps the link, also when the link points into another directory; the
// temporary file is made beside the real file, so the rename stays on one
// filesystem.
func TestWriteThroughSymlink(t *testing.T) {
	dir, other := t.TempDir(), t.TempDir()
	real := filepath.Join(other, "real.json")
	if err := os.WriteFile(real, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link.json")
	if err := os.Symlink(real, link); err != nil {
		t.Fatal(err)
	}
	chain := filepath.Join(dir, "chain.json") // a relative link to a link
	if err := os.Symlink("link.json", chain); err != nil {
		t.Fatal(err)
	}
	for i, p := range []string{link, chain} {
		want := fmt.Sprintf("new %d", i)
		if err := Write(p, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
		fi, err := os.Lstat(p)
		if err != nil || fi.Mode()&fs.ModeSymlink == 0 {
			t.Fatalf("%s is no longer a symlink (%v, %v)", p, fi.Mode(), err)
		}
		if got, _ := os.ReadFile(real); string(got) != want {
			t.Fatalf("after writing %s the link target holds %q, want %q", p, got, want)
		}
	}
	assertOnlyFile(t, other, "real.json")
}

// TestWriteDanglingSymlink creates the file a dangling link names, as a
// shell redirection does.
func TestWriteDanglingSymlink(t *testing.T) {
	dir := t.TempDir()
	link := filepath.Join(dir, "link.json")
	if err := os.Symlink("sub/real.json", link); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(dir, "sub"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := Write(link, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(filepath.Join(dir, "sub", "real.json")); string(got) != "x" {
		t.Fatalf("target holds %q", got)
	}
	if fi, _ := os.Lstat(link); fi.Mode()&fs.ModeSymlink == 0 {
		t.Fatal("link replaced")
	}
}

// TestWriteRefusesUnsafeTargets: what cannot be written as a file is a clear
// error naming the path, and nothing is created.
func TestWriteRefusesUnsafeTargets(t *testing.T) {
	dir := t.TempDir()
	sub := filepath.Join(dir, "sub")
	if err := os.Mkdir(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	loop := filepath.Join(dir, "loop")
	if err := os.Symlink("loop", loop); err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]string{
		sub:  "is a directory",
		loop: "symbolic links",
	} {
		err := Write(path, []byte("x"), 0o644)
		if err == nil || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), want) {
			t.Errorf("Write(%s) = %v, want an error naming it and saying %q", path, err, want)
		}
	}
	if fi, err := os.Lstat(sub); err != nil || !fi.IsDir() {
		t.Errorf("directory changed: %v", err)
	}
}

// TestWriteRemovesStaleTemps: a writer killed mid-write left its temporary
// file; the next write into that directory removes it once it is older than
// StaleAfter, and leaves younger temporary files (a concurrent writer's)
// and other files alone.
func TestWriteRemovesStaleTemps(t *testing.T) {
	dir := t.TempDir()
	old := time.Now().Add(-StaleAfter - time.Minute)
	files := map[string]time.Time{
		".imports.tf.tmp-123456789": old,                 // killed writer: removed
		".inventory.json.tmp-42":    old,                 // another target's leftover: removed
		".imports.tf.tmp-987654321": time.Now(),          // a writer still at work: kept
		".imports.tf.tmp-notdigits": old,                 // not our pattern: kept
		"imports.tf.tmp-1":          old,                 // not hidden, not ours: kept
		"notes.txt":                 old,                 // the user's: kept
		".hidden.tmp-1.bak":         old.Add(-time.Hour), // suffix after the digits: kept
	}
	for name, mtime := range files {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte("partial"), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(p, mtime, mtime); err != nil {
			t.Fatal(err)
		}
	}
	if err := Write(filepath.Join(dir, "imports.tf"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	for name := range files {
		_, err := os.Stat(filepath.Join(dir, name))
		removed := errors.Is(err, fs.ErrNotExist)
		if want := strings.HasSuffix(name, "tmp-123456789") || strings.HasSuffix(name, "tmp-42"); removed != want {
			t.Errorf("%s: removed = %v, want %v", name, removed, want)
		}
	}
}

// TestIsTempMatchesCreatedNames ties IsTemp to the names WriteFunc really
// creates: a scan that skips IsTemp names skips a write in progress.
func TestIsTempMatchesCreatedNames(t *testing.T) {
	dir := t.TempDir()
	var seen []string
	err := WriteFunc(filepath.Join(dir, "imports.tf"), 0o644, func(io.Writer) error {
		ents, _ := os.ReadDir(dir)
		for _, e := range ents {
			seen = append(seen, e.Name())
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(seen) != 1 || !IsTemp(seen[0]) {
		t.Fatalf("during the write the directory held %v; want one name IsTemp accepts", seen)
	}
	for _, name := range []string{"imports.tf", ".imports.tf", "imports.tf.tmp-1", ".imports.tf.tmp-"} {
		if IsTemp(name) {
			t.Errorf("IsTemp(%q) = true", name)
		}
	}
}
