package generate

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclparse"
)

// TestDefaultRegionFromInventory gives the unaliased provider the region the
// user discovered from, not the alphabetically first one.
func TestDefaultRegionFromInventory(t *testing.T) {
	for _, want := range []string{"us-east-1", "eu-west-1"} {
		t.Run(want, func(t *testing.T) {
			inv := readInventory(t, "demo")
			inv.DefaultRegion = want
			dir := t.TempDir()
			run(t, inv, Options{Dir: dir})
			if got := unaliasedRegion(t, filepath.Join(dir, "providers.tf")); got != want {
				t.Fatalf("unaliased provider region = %q, want %q", got, want)
			}
			text, err := os.ReadFile(filepath.Join(dir, DefaultOutput))
			if err != nil {
				t.Fatal(err)
			}
			other := map[string]string{"us-east-1": "eu_west_1", "eu-west-1": "us_east_1"}[want]
			if !strings.Contains(string(text), "provider = aws."+other) {
				t.Errorf("resources of the other region do not name provider aws.%s", other)
			}
		})
	}
}

func unaliasedRegion(t *testing.T, path string) string {
	t.Helper()
	f, diags := hclparse.NewParser().ParseHCLFile(path)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	content, _, _ := f.Body.PartialContent(&hcl.BodySchema{Blocks: []hcl.BlockHeaderSchema{{Type: "provider", LabelNames: []string{"name"}}}})
	for _, b := range content.Blocks {
		attrs, _ := b.Body.JustAttributes()
		if _, aliased := attrs["alias"]; aliased {
			continue
		}
		v, diags := attrs["region"].Expr.Value(nil)
		if diags.HasErrors() {
			t.Fatal(diags)
		}
		return v.AsString()
	}
	t.Fatalf("%s has no unaliased provider", path)
	return ""
}
