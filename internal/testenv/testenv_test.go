package testenv

import (
	"strings"
	"testing"
)

// recorder is a testing.TB that records how the test ended.
type recorder struct {
	testing.TB
	skipped, failed string
}

func (r *recorder) Helper()           {}
func (r *recorder) Skip(args ...any)  { r.skipped = args[0].(string) }
func (r *recorder) Fatal(args ...any) { r.failed = args[0].(string) }

func TestMissingToolSkipsOrFails(t *testing.T) {
	for _, ci := range []string{"", "false", "true"} {
		t.Setenv("CI", ci)
		r := &recorder{TB: t}
		MissingTool(r, "no frobnicator on PATH")
		if ci == "true" {
			if r.skipped != "" || !strings.HasPrefix(r.failed, "no frobnicator on PATH") {
				t.Errorf("CI=%q: skipped %q, failed %q; want a failure with the message", ci, r.skipped, r.failed)
			}
			continue
		}
		if r.failed != "" || r.skipped != "no frobnicator on PATH" {
			t.Errorf("CI=%q: skipped %q, failed %q; want a skip with the message", ci, r.skipped, r.failed)
		}
	}
}

func TestFirstDifference(t *testing.T) {
	for _, tc := range []struct{ want, got, diff string }{
		{"a\nb\n", "a\nb\n", ""},
		{"a\nb\nc\nd\ne\n", "a\nb\nc\nd\nE\n", "line 5:\ncontext:\nb\nc\nd\n- e\n+ E"},
		{"a\nb\nc\n", "a\n", "line 2:\ncontext:\na\n- b\n+ "}, // got ends first
		{"a\n", "a\nb\n", "line 2:\ncontext:\na\n- \n+ b"},
	} {
		if d := FirstDifference([]byte(tc.want), []byte(tc.got)); d != tc.diff {
			t.Errorf("FirstDifference(%q, %q) = %q, want %q", tc.want, tc.got, d, tc.diff)
		}
	}
}
