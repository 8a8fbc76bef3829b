package migrate

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"

	tfjson "github.com/hashicorp/terraform-json"
)

// TestNewDestinationAsksNoEngine: a split into a directory that has no
// state yet reads only the source's state through the engine.
func TestNewDestinationAsksNoEngine(t *testing.T) {
	f := newFixture(t, map[string]string{"all/imports.tf": adopted, "payments/providers.tf": "provider \"aws\" {}\n"},
		map[string]*tfjson.State{"all": adoptedState()})
	o := f.opts(false, Move{From: "all", To: "payments", Select: Selector{Tags: map[string]string{"team": "payments"}}})
	var mu sync.Mutex
	var opened []string
	open := o.Open
	o.Open = func(ctx context.Context, dir string) (Engine, error) {
		rel, _ := filepath.Rel(f.root, dir)
		mu.Lock()
		opened = append(opened, rel)
		mu.Unlock()
		return open(ctx, dir)
	}
	res, err := Run(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(opened, []string{"all"}) || len(res.Steps) == 0 {
		t.Errorf("engines opened in %v (want only all), %d steps", opened, len(res.Steps))
	}
}

// TestNoStateYet: only a directory that provably has no state skips the
// engine; every sign of a state somewhere keeps it.
func TestNoStateYet(t *testing.T) {
	cases := []struct {
		name  string
		files map[string]string
		env   map[string]string
		want  bool
	}{
		{"local backend, no state", map[string]string{"providers.tf": "provider \"aws\" {}\n", "x.tofu": "terraform {\n  required_version = \">= 1.10\"\n}\n"}, nil, true},
		{"empty directory", nil, nil, true},
		{"state file", map[string]string{"terraform.tfstate": "{}"}, nil, false},
		{"workspaces", map[string]string{"terraform.tfstate.d/dev/terraform.tfstate": "{}"}, nil, false},
		{"s3 backend", map[string]string{"backend.tf": "terraform {\n  backend \"s3\" {\n    bucket = \"b\"\n  }\n}\n"}, nil, false},
		{"local backend declared", map[string]string{"backend.tf": "terraform {\n  backend \"local\" {\n    path = \"../states/x.tfstate\"\n  }\n}\n"}, nil, false},
		{"cloud block", map[string]string{"main.tofu": "terraform {\n  cloud {\n    organization = \"o\"\n  }\n}\n"}, nil, false},
		{"backend initialised", map[string]string{".terraform/terraform.tfstate": "{}"}, nil, false},
		{"workspace selected", map[string]string{".terraform/environment": "dev"}, nil, false},
		{"TF_WORKSPACE", nil, map[string]string{"TF_WORKSPACE": "dev"}, false},
		{"TF_DATA_DIR", nil, map[string]string{"TF_DATA_DIR": "/elsewhere"}, false},
		{"JSON configuration", map[string]string{"main.tf.json": "{}"}, nil, false},
		{"unparsable file", map[string]string{"main.tf": "terraform {\n"}, nil, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			for k, v := range c.env {
				t.Setenv(k, v)
			}
			dir := t.TempDir()
			for p, content := range c.files {
				p = filepath.Join(dir, p)
				if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			if got := noStateYet(dir); got != c.want {
				t.Errorf("noStateYet = %v, want %v", got, c.want)
			}
		})
	}
}
