package main

import (
	"bytes"
	"strings"
	"testing"
)

// stream is what `go test -json` printed for two packages: one with a
// skipped test and a passing one, one with a failed test.
const stream = `{"Action":"start","Package":"example.com/a"}
{"Action":"run","Package":"example.com/a","Test":"TestBrowser"}
{"Action":"output","Package":"example.com/a","Test":"TestBrowser","Output":"=== RUN   TestBrowser\n"}
{"Action":"output","Package":"example.com/a","Test":"TestBrowser","Output":"    browser_test.go:32: no chromium on PATH; install chromium\n"}
{"Action":"output","Package":"example.com/a","Test":"TestBrowser","Output":"--- SKIP: TestBrowser (0.00s)\n"}
{"Action":"skip","Package":"example.com/a","Test":"TestBrowser"}
{"Action":"run","Package":"example.com/a","Test":"TestFine"}
{"Action":"output","Package":"example.com/a","Test":"TestFine","Output":"=== RUN   TestFine\n"}
{"Action":"output","Package":"example.com/a","Test":"TestFine","Output":"--- PASS: TestFine (0.00s)\n"}
{"Action":"pass","Package":"example.com/a","Test":"TestFine"}
{"Action":"output","Package":"example.com/a","Output":"PASS\n"}
{"Action":"output","Package":"example.com/a","Output":"ok  \texample.com/a\t0.01s\n"}
{"Action":"pass","Package":"example.com/a"}
{"Action":"run","Package":"example.com/b","Test":"TestBroken"}
{"Action":"output","Package":"example.com/b","Test":"TestBroken","Output":"=== RUN   TestBroken\n"}
{"Action":"output","Package":"example.com/b","Test":"TestBroken","Output":"    b_test.go:9: got 1, want 2\n"}
{"Action":"output","Package":"example.com/b","Test":"TestBroken","Output":"--- FAIL: TestBroken (0.00s)\n"}
{"Action":"fail","Package":"example.com/b","Test":"TestBroken"}
{"Action":"output","Package":"example.com/b","Output":"FAIL\n"}
{"Action":"output","Package":"example.com/b","Output":"FAIL\texample.com/b\t0.01s\n"}
{"Action":"fail","Package":"example.com/b"}
`

func TestReportListsSkipsAndFailures(t *testing.T) {
	var out bytes.Buffer
	ok, err := report(strings.NewReader(stream), &out)
	if err != nil {
		t.Fatal(err)
	}
	if ok {
		t.Error("a failed test reported ok")
	}
	want := `ok  	example.com/a	0.01s
    b_test.go:9: got 1, want 2
--- FAIL: TestBroken (0.00s)
FAIL
FAIL	example.com/b	0.01s

skipped tests (1):
  example.com/a TestBrowser: no chromium on PATH; install chromium
tests: 1 passed, 1 failed, 1 skipped
`
	if out.String() != want {
		t.Errorf("got\n%s\nwant\n%s", out.String(), want)
	}
}

func TestReportCleanRun(t *testing.T) {
	clean := strings.Join(strings.Split(stream, "\n")[6:13], "\n") + "\n"
	var out bytes.Buffer
	ok, err := report(strings.NewReader(clean), &out)
	if err != nil || !ok {
		t.Fatalf("ok %v, err %v\n%s", ok, err, out.String())
	}
	if !strings.HasSuffix(out.String(), "\nno test skipped\ntests: 1 passed, 0 failed, 0 skipped\n") || strings.Contains(out.String(), "RUN") {
		t.Errorf("got\n%s", out.String())
	}
}

func TestReportBuildFailure(t *testing.T) {
	var out bytes.Buffer
	ok, err := report(strings.NewReader(`{"ImportPath":"example.com/c","Action":"build-output","Output":"# example.com/c\n"}
{"ImportPath":"example.com/c","Action":"build-output","Output":"c.go:1:1: syntax error\n"}
{"ImportPath":"example.com/c","Action":"build-fail"}
`), &out)
	if err != nil || ok {
		t.Fatalf("ok %v, err %v; want a failure", ok, err)
	}
	if !strings.Contains(out.String(), "c.go:1:1: syntax error") {
		t.Errorf("build error not shown:\n%s", out.String())
	}
}
