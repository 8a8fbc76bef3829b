// Package testenv holds what tests of several packages share: the one rule
// for tests that need a tool the machine may lack (an engine, Chromium, the
// AWS CLI, botocore, npm's download), which is that outside CI they skip
// and say what to install, and under CI=true, where .ci/run installs
// everything, a missing tool is a broken pipeline and the test fails; and a
// buffer a test reads while the code under test writes it; JSON, which
// decodes a test's value the way a plan's JSON decodes; and golden files.
package testenv

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// InCI reports whether the tests run in CI (CI=true, as GitHub Actions and
// .ci/run set it).
func InCI() bool { return os.Getenv("CI") == "true" }

// MissingTool ends the test because a tool is missing: a skip outside CI,
// a failure under CI=true. msg says what is missing and how to get it.
func MissingTool(t testing.TB, msg string) {
	t.Helper()
	if InCI() {
		t.Fatal(msg + " (CI=true: a missing tool fails the test instead of skipping it)")
	} else {
		t.Skip(msg)
	}
}

// SyncBuffer is a bytes.Buffer that one goroutine may write while another
// reads it.
type SyncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *SyncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *SyncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// JSON decodes s as encoding/json decodes a plan's values (map[string]any,
// []any, float64, …); "" is nil.
func JSON(t testing.TB, s string) any {
	t.Helper()
	if s == "" {
		return nil
	}
	var v any
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		t.Fatalf("bad test JSON %s: %v", s, err)
	}
	return v
}

// update is -update of every test binary that reads golden files.
var update = flag.Bool("update", false, "rewrite the golden files under testdata/ with what the tests produce; review the diff")

// Update reports whether the test run rewrites its golden files (-update).
func Update() bool { return *update }

// Golden compares got with the golden file at path. With -update it
// writes got there first, creating the directory, so that the diff of the
// change can be reviewed. A difference fails the test with the first line
// that differs.
func Golden(t testing.TB, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run the test with -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file; if the change is intended, rerun with -update and review the diff\n%s", path, FirstDifference(want, got))
	}
}

// FirstDifference shows the first line where got differs from want, after
// the lines before it; "" when they are equal.
func FirstDifference(want, got []byte) string {
	w, g := strings.Split(string(want), "\n"), strings.Split(string(got), "\n")
	for i := 0; i < len(w) || i < len(g); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			before := g[min(max(0, i-3), len(g)):min(i, len(g))]
			return "line " + strconv.Itoa(i+1) + ":\ncontext:\n" + strings.Join(before, "\n") + "\n- " + wl + "\n+ " + gl
		}
	}
	return ""
}
