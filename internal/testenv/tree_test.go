package testenv

import (
	"os"
	"path/filepath"
	"testing"
)

func TestTreeDiffSeesEveryKindOfChange(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "a.tf"), []byte("a"), 0o644)
	os.WriteFile(filepath.Join(dir, ".hidden"), []byte("h"), 0o644)
	os.Mkdir(filepath.Join(dir, "sub"), 0o755)
	before := Tree(t, dir)
	if d := TreeDiff(before, Tree(t, dir)); d != "" {
		t.Fatalf("an untouched directory differs: %s", d)
	}
	os.WriteFile(filepath.Join(dir, "a.tf"), []byte("b"), 0o644)
	os.Chmod(filepath.Join(dir, ".hidden"), 0o600)
	os.Remove(filepath.Join(dir, "sub"))
	os.Mkdir(filepath.Join(dir, ".terraform"), 0o755)
	os.Symlink("/elsewhere", filepath.Join(dir, ".terraform", "p"))
	want := "changed .hidden, changed a.tf, removed sub, added .terraform, added .terraform/p"
	if d := TreeDiff(before, Tree(t, dir)); d != want {
		t.Errorf("TreeDiff = %q, want %q", d, want)
	}
}
