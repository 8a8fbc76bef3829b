// Command testreport reads `go test -json` on stdin and prints what a plain
// `go test` prints (one line per package, the output of failed tests), then
// the list of skipped tests with each one's reason, so a run that "passed"
// while a test skipped for want of a tool says so, and a closing line
// "tests: N passed, N failed, N skipped". It exits 1 when a test or package
// failed or the stream cannot be read.
//
//	go test -json ./... | go run ./tools/testreport
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
)

func main() {
	ok, err := report(os.Stdin, os.Stdout)
	if err != nil {
		fmt.Fprintln(os.Stderr, "testreport:", err)
		os.Exit(1)
	}
	if !ok {
		os.Exit(1)
	}
}

// event is one line of `go test -json` (cmd/test2json).
type event struct {
	Action  string
	Package string
	Test    string
	Output  string
}

// skip is a skipped test and the last thing it said, which is the reason
// t.Skip gave.
type skip struct {
	pkg, test, reason string
}

// report copies the stream's verdicts to out and lists the skips. ok is
// false when something failed.
func report(in io.Reader, out io.Writer) (ok bool, err error) {
	ok = true
	outputs := map[[2]string][]string{} // package, test -> output lines
	var skips []skip
	var passed, failed int
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		var e event
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			// go test prints build failures as plain text, not JSON.
			fmt.Fprintln(out, sc.Text())
			ok = false
			continue
		}
		key := [2]string{e.Package, e.Test}
		switch e.Action {
		case "build-output": // compiler errors, since Go 1.24
			fmt.Fprint(out, e.Output)
		case "build-fail":
			ok = false
		case "output":
			if e.Test == "" {
				// Package lines: "ok", "FAIL", "?", panics outside tests.
				if !strings.HasPrefix(e.Output, "=== ") && e.Output != "PASS\n" {
					fmt.Fprint(out, e.Output)
				}
				continue
			}
			outputs[key] = append(outputs[key], e.Output)
		case "fail":
			ok = false
			if e.Test != "" {
				failed++
				for _, l := range outputs[key] {
					if !strings.HasPrefix(l, "=== ") {
						fmt.Fprint(out, l)
					}
				}
			}
			delete(outputs, key)
		case "skip":
			if e.Test != "" {
				skips = append(skips, skip{e.Package, e.Test, reason(outputs[key])})
			}
			delete(outputs, key)
		case "pass":
			if e.Test != "" {
				passed++
			}
			delete(outputs, key)
		}
	}
	if err := sc.Err(); err != nil {
		return false, fmt.Errorf("reading go test -json: %w", err)
	}
	if len(skips) == 0 {
		fmt.Fprintln(out, "\nno test skipped")
	} else {
		slices.SortFunc(skips, func(a, b skip) int { return strings.Compare(a.pkg+" "+a.test, b.pkg+" "+b.test) })
		fmt.Fprintf(out, "\nskipped tests (%d):\n", len(skips))
		for _, s := range skips {
			fmt.Fprintf(out, "  %s %s: %s\n", s.pkg, s.test, s.reason)
		}
	}
	fmt.Fprintf(out, "tests: %d passed, %d failed, %d skipped\n", passed, failed, len(skips))
	return ok, nil
}

// reason is the last line a skipped test printed before "--- SKIP", with the
// file:line prefix t.Skip adds removed; a subtest skipped with its parent
// says nothing of its own.
func reason(lines []string) string {
	for _, l := range slices.Backward(lines) {
		l = strings.TrimSpace(l)
		if l == "" || strings.HasPrefix(l, "--- SKIP") || strings.HasPrefix(l, "=== ") {
			continue
		}
		if _, msg, ok := strings.Cut(l, ": "); ok && strings.Contains(l[:len(l)-len(msg)], ".go:") {
			return msg
		}
		return l
	}
	return "(no reason given)"
}
