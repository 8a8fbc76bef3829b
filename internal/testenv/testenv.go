// Package testenv holds what tests of several packages share: the one rule
// for tests that need a tool the machine may lack (an engine, Chromium, the
// AWS CLI, botocore, npm's download), which is that outside CI they skip
// and say what to install, and under CI=true, where .ci/run installs
// everything, a missing tool is a broken pipeline and the test fails; and a
// buffer a test reads while the code under test writes it; and JSON, which
// decodes a test's value the way a plan's JSON decodes.
package testenv

import (
	"bytes"
	"encoding/json"
	"os"
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
