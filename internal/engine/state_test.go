package engine

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestNeedsInit(t *testing.T) {
	for _, tc := range []struct {
		name  string
		files map[string]string
		want  string
	}{
		{"empty", nil, ""},
		{"config without backend", map[string]string{"main.tf": "terraform {\n  required_version = \">= 1.5\"\n}\n"}, ""},
		{"local state", map[string]string{"terraform.tfstate": "{}"}, "terraform.tfstate"},
		{"workspaces", map[string]string{"terraform.tfstate.d/dev/terraform.tfstate": "{}"}, "terraform.tfstate.d"},
		{"backend", map[string]string{"a.tf": "resource \"x\" \"y\" {}\n", "backend.tf": "terraform {\n  backend \"s3\" {\n    bucket = \"b\"\n  }\n}\n"}, `backend "s3" in backend.tf`},
		{"backend on one line", map[string]string{"main.tofu": "terraform{ \n backend \"gcs\" {}\n}\n"}, `backend "gcs" in main.tofu`},
		{"cloud", map[string]string{"main.tf": "  terraform {\n  cloud {\n    organization = \"o\"\n  }\n}\n"}, "cloud block in main.tf"},
		{"json backend", map[string]string{"main.tf.json": `{"terraform": {"backend": {"s3": {"bucket": "b"}}}}`}, `backend "s3" in main.tf.json`},
		{"hidden file ignored", map[string]string{".backend.tf": "terraform {\n  backend \"s3\" {}\n}\n"}, ""},
		{"initialised", map[string]string{".terraform/terraform.tfstate": "{}", "terraform.tfstate": "{}", "b.tf": "terraform {\n  backend \"s3\" {}\n}\n"}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv(envDataDir, "")
			dir := t.TempDir()
			for name, content := range tc.files {
				p := filepath.Join(dir, name)
				if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			got, err := NeedsInit(dir)
			if err != nil || got != tc.want {
				t.Errorf("NeedsInit = %q, %v; want %q", got, err, tc.want)
			}
		})
	}
}

func TestNeedsInitReportsUnparsableConfig(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "main.tf"), []byte("terraform {\n  backend \"s3\" {\n"), 0o644)
	if _, err := NeedsInit(dir); err == nil || !strings.Contains(err.Error(), "main.tf") {
		t.Errorf("err = %v, want one naming main.tf", err)
	}
}

func TestOpenStateNeedsNoEngineWithoutState(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	t.Setenv(EnvBinary, "")
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "main.tf"), []byte("resource \"x\" \"y\" {}\n"), 0o644)
	r, done, err := OpenState(context.Background(), dir, "")
	defer done()
	if r != nil || err != nil {
		t.Errorf("OpenState = %v, %v; want nil, nil", r, err)
	}
	os.WriteFile(filepath.Join(dir, "terraform.tfstate"), []byte("{}"), 0o644)
	if _, _, err := OpenState(context.Background(), dir, ""); err == nil || !strings.Contains(err.Error(), "has a state (terraform.tfstate) that only an engine can read") {
		t.Errorf("err = %v, want a refusal naming terraform.tfstate", err)
	}
}

// TestOpenStateReadsLocalStateWithoutEngine: a state that is provably the
// directory's own file is read from it, in a fresh checkout too, with no
// engine on PATH.
func TestOpenStateReadsLocalStateWithoutEngine(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	t.Setenv(EnvBinary, "")
	for _, k := range []string{envDataDir, "TF_WORKSPACE", "TF_CLI_ARGS"} {
		t.Setenv(k, "")
	}
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "main.tf"), []byte("terraform {\n  required_version = \">= 1.5\"\n}\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "terraform.tfstate"), []byte(`{"version": 4, "resources": [{"mode": "managed", "type": "aws_apigatewayv2_api", "name": "a", "instances": [{"attributes": {"id": "abc"}}]}]}`), 0o644)
	r, done, err := OpenState(context.Background(), dir, "")
	defer done()
	if err != nil || r == nil {
		t.Fatalf("OpenState = %v, %v; want a reader of the file", r, err)
	}
	st, err := r.State(context.Background())
	if err != nil || len(st.Values.RootModule.Resources) != 1 || st.Values.RootModule.Resources[0].Address != "aws_apigatewayv2_api.a" {
		t.Errorf("State = %+v, %v; want aws_apigatewayv2_api.a", st, err)
	}
}
