package engine

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

// TestLocalState: only a state file that is provably the one the engine
// would read is read without it; every sign of a state elsewhere, and a
// file this package does not decode, leaves it to the engine.
func TestLocalState(t *testing.T) {
	const v4 = `{"version": 4, "terraform_version": "1.12.6", "resources": [{"mode": "managed", "type": "aws_apigatewayv2_api", "name": "a", "instances": [{"attributes": {"id": "abc"}}]}]}`
	cases := []struct {
		name      string
		files     map[string]string
		env       map[string]string
		ok        bool
		resources int
	}{
		{"local backend, no state", map[string]string{"providers.tf": "provider \"aws\" {}\n", "x.tofu": "terraform {\n  required_version = \">= 1.10\"\n}\n"}, nil, true, 0},
		{"empty directory", nil, nil, true, 0},
		{"state file", map[string]string{"terraform.tfstate": v4, "main.tf": "terraform {\n  required_version = \">= 1.5\"\n}\n"}, nil, true, 1},
		{"other workspaces, the default selected", map[string]string{"terraform.tfstate": v4, "terraform.tfstate.d/dev/terraform.tfstate": "{}"}, nil, true, 1},
		{"state file of no known format", map[string]string{"terraform.tfstate": "{}"}, nil, false, 0},
		{"empty state file", map[string]string{"terraform.tfstate": ""}, nil, false, 0},
		{"older format", map[string]string{"terraform.tfstate": `{"version": 3, "modules": []}`}, nil, false, 0},
		{"s3 backend", map[string]string{"terraform.tfstate": v4, "backend.tf": "terraform {\n  backend \"s3\" {\n    bucket = \"b\"\n  }\n}\n"}, nil, false, 0},
		{"local backend declared", map[string]string{"backend.tf": "terraform {\n  backend \"local\" {\n    path = \"../states/x.tfstate\"\n  }\n}\n"}, nil, false, 0},
		{"cloud block", map[string]string{"main.tofu": "terraform {\n  cloud {\n    organization = \"o\"\n  }\n}\n"}, nil, false, 0},
		{"JSON backend", map[string]string{"main.tf.json": `{"terraform": {"backend": {"s3": {}}}}`}, nil, false, 0},
		{"backend initialised", map[string]string{".terraform/terraform.tfstate": "{}"}, nil, false, 0},
		{"workspace selected", map[string]string{"terraform.tfstate": v4, ".terraform/environment": "dev"}, nil, false, 0},
		{"TF_WORKSPACE", map[string]string{"terraform.tfstate": v4}, map[string]string{"TF_WORKSPACE": "dev"}, false, 0},
		{"TF_DATA_DIR", nil, map[string]string{"TF_DATA_DIR": "/elsewhere"}, false, 0},
		{"TF_CLI_ARGS", map[string]string{"terraform.tfstate": v4}, map[string]string{"TF_CLI_ARGS_state_pull": "-state=other.tfstate"}, false, 0},
		{"unparsable terraform block", map[string]string{"main.tf": "terraform {\n"}, nil, false, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			for _, k := range []string{envDataDir, "TF_WORKSPACE", "TF_CLI_ARGS", "TF_CLI_ARGS_state_pull"} {
				t.Setenv(k, "") // this machine's own settings would decide every case
			}
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
			st, ok := LocalState(context.Background(), dir)
			if ok != c.ok {
				t.Fatalf("ok = %v, want %v", ok, c.ok)
			}
			if !ok {
				return
			}
			n := 0
			if st.Values != nil {
				n = len(st.Values.RootModule.Resources)
			}
			if n != c.resources {
				t.Errorf("%d resources, want %d", n, c.resources)
			}
		})
	}
}
