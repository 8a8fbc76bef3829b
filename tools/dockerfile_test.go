package tools_test

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/moby/buildkit/frontend/dockerfile/parser"
)

// stage is one FROM … AS name section of a Dockerfile, as BuildKit parses it.
type stage struct {
	name, base string
	user       string   // the last USER
	entrypoint []string // the last ENTRYPOINT, exec form only
	copyFrom   []string // stages or images COPY --from names
	runs       []string
	env        []string // KEY=VALUE of every ENV
}

func parseDockerfile(t *testing.T, path string) []*stage {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	res, err := parser.Parse(f)
	if err != nil {
		t.Fatalf("BuildKit cannot parse %s: %v", path, err)
	}
	if len(res.Warnings) > 0 {
		t.Errorf("BuildKit warns about %s: %+v", path, res.Warnings)
	}
	var stages []*stage
	for _, n := range res.AST.Children {
		var args []string
		for a := n.Next; a != nil; a = a.Next {
			args = append(args, a.Value)
		}
		instr := strings.ToLower(n.Value)
		if instr == "from" {
			s := &stage{base: args[0]}
			if len(args) == 3 && strings.EqualFold(args[1], "as") {
				s.name = args[2]
			}
			stages = append(stages, s)
			continue
		}
		if len(stages) == 0 {
			continue // ARG before the first FROM
		}
		s := stages[len(stages)-1]
		switch instr {
		case "user":
			s.user = args[0]
		case "entrypoint":
			if !n.Attributes["json"] {
				t.Errorf("%s line %d: ENTRYPOINT in shell form; signals would go to a shell, not apigw2tf", path, n.StartLine)
			}
			s.entrypoint = args
		case "copy":
			for _, fl := range n.Flags {
				if from, ok := strings.CutPrefix(fl, "--from="); ok {
					s.copyFrom = append(s.copyFrom, from)
				}
			}
		case "run":
			s.runs = append(s.runs, strings.Join(args, " "))
		case "env":
			for i := 0; i+1 < len(args); i += 3 { // key, value, separator
				s.env = append(s.env, args[i]+"="+args[i+1])
			}
		}
	}
	return stages
}

// TestDockerfile: the image builds OpenTofu from source with tools/build.sh
// (as make tools does) and apigw2tf statically, and every image a user runs
// is non-root with apigw2tf as its entrypoint; the default (last) stage is
// distroless.
func TestDockerfile(t *testing.T) {
	stages := parseDockerfile(t, filepath.Join("..", "Dockerfile"))
	byName := map[string]*stage{}
	var names []string
	for _, s := range stages {
		byName[s.name] = s
		names = append(names, s.name)
	}
	if !slices.Equal(names, []string{"tofu", "build", "audit", "apigw2tf"}) {
		t.Fatalf("stages %v, want tofu, build, audit, apigw2tf", names)
	}
	if !slices.Contains(byName["tofu"].runs, "tools/build.sh tofu") {
		t.Errorf("the tofu stage does not build OpenTofu with tools/build.sh: %v", byName["tofu"].runs)
	}
	for _, name := range []string{"tofu", "build"} {
		if !slices.Contains(byName[name].env, "CGO_ENABLED=0") {
			t.Errorf("stage %s builds without CGO_ENABLED=0; its binary would not run on distroless/static", name)
		}
	}
	if !strings.Contains(strings.Join(byName["build"].runs, "\n"), "go build -trimpath") {
		t.Errorf("the build stage does not build apigw2tf: %v", byName["build"].runs)
	}
	final := stages[len(stages)-1]
	if !strings.HasPrefix(final.base, "gcr.io/distroless/static") {
		t.Errorf("the default image is based on %s, want distroless static", final.base)
	}
	for _, name := range []string{"audit", "apigw2tf"} {
		s := byName[name]
		if uid := strings.SplitN(s.user, ":", 2)[0]; uid == "" || uid == "0" || uid == "root" {
			t.Errorf("stage %s runs as %q, want a non-root user", name, s.user)
		}
		if !slices.Equal(s.entrypoint, []string{"/usr/local/bin/apigw2tf"}) {
			t.Errorf("stage %s entrypoint %v, want [/usr/local/bin/apigw2tf]", name, s.entrypoint)
		}
		if !slices.Equal(s.copyFrom, []string{"tofu", "build"}) {
			t.Errorf("stage %s copies from %v, want the tofu and build stages", name, s.copyFrom)
		}
		if !slices.Contains(s.env, "APIGW2TF_TERRAFORM=/usr/local/bin/tofu") {
			t.Errorf("stage %s does not point apigw2tf at its tofu", name)
		}
	}
}

// TestDockerfileGoMatchesGoMod: the builder image's Go is the go.mod's
// minor version, so the image builds what CI tests.
func TestDockerfileGoMatchesGoMod(t *testing.T) {
	mod, err := os.ReadFile(filepath.Join("..", "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^go (1\.[0-9]+)`).FindSubmatch(mod)
	df, err := os.ReadFile(filepath.Join("..", "Dockerfile"))
	if err != nil {
		t.Fatal(err)
	}
	img := regexp.MustCompile(`(?m)^ARG GO_IMAGE=golang:(1\.[0-9]+)-`).FindSubmatch(df)
	if m == nil || img == nil || string(m[1]) != string(img[1]) {
		t.Errorf("go.mod wants Go %s, the Dockerfile builds with golang:%s", m[1], img[1])
	}
}
