package engine

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func TestInitRequired(t *testing.T) {
	for msg, want := range map[string]bool{
		"Error: Backend initialization required, please run \"terraform init\"":                                   true,
		"Error: Inconsistent dependency lock file\n\nThe following dependency selections...":                      true,
		"Error: Required plugins are not installed":                                                               true,
		"Error: Module not installed":                                                                             true,
		"Error: Backend configuration changed":                                                                    true,
		"Error: Failed to load plugin schemas\n...: unavailable provider \"registry.terraform.io/hashicorp/aws\"": true,
		"Error: dial tcp 127.0.0.1:4566: connect: connection refused":                                             false,
		"Error: Invalid block definition":                                                                         false,
		"context deadline exceeded":                                                                               false,
	} {
		if got := InitRequired(errors.New(msg)); got != want {
			t.Errorf("InitRequired(%q) = %v, want %v", msg, got, want)
		}
	}
	if InitRequired(nil) {
		t.Error("InitRequired(nil)")
	}
}

// TestCopyWorkingDir: the copy holds the configuration, state, lock file
// and nested directories, the saved backend and workspace of .terraform/
// but not its providers, and no .git; the original is only read.
func TestCopyWorkingDir(t *testing.T) {
	src, dst := t.TempDir(), t.TempDir()
	files := map[string]string{
		"main.tf":                            "resource \"x\" \"y\" {}\n",
		".terraform.lock.hcl":                "# lock\n",
		"terraform.tfstate":                  "{}\n",
		"modules/m/main.tf":                  "# module\n",
		".terraform/terraform.tfstate":       "{\"backend\":{}}\n",
		".terraform/environment":             "prod",
		".terraform/providers/p/terraform-p": "binary",
		".git/HEAD":                          "ref: refs/heads/main\n",
	}
	for name, body := range files {
		p := filepath.Join(src, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink("modules", filepath.Join(src, "mods")); err != nil {
		t.Fatal(err)
	}
	if err := copyWorkingDir(context.Background(), src, dst); err != nil {
		t.Fatal(err)
	}
	for name, body := range files {
		got, err := os.ReadFile(filepath.Join(dst, name))
		skipped := name == ".terraform/providers/p/terraform-p" || name == ".git/HEAD"
		switch {
		case skipped && err == nil:
			t.Errorf("%s was copied", name)
		case !skipped && (err != nil || string(got) != body):
			t.Errorf("%s: %q, %v; want %q", name, got, err, body)
		}
	}
	if got, err := os.ReadFile(filepath.Join(dst, "mods", "m", "main.tf")); err != nil || string(got) != "# module\n" {
		t.Errorf("symlinked directory: %q, %v", got, err)
	}
}
