package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// TestExampleCommandsParse checks every apigw2tf command line in the
// shipped workflow and CronJob against the real command tree, so a renamed
// subcommand or flag breaks this test instead of a user's nightly run.
func TestExampleCommandsParse(t *testing.T) {
	files := []string{
		filepath.Join("..", "..", "examples", "github-actions", "nightly-audit.yml"),
		filepath.Join("..", "..", "examples", "kubernetes", "cronjob.yaml"),
	}
	seen := map[string]bool{}
	for _, file := range files {
		for _, args := range exampleCommands(t, file) {
			root := newRootCmd(streams{in: strings.NewReader(""), out: &bytes.Buffer{}, err: &bytes.Buffer{}})
			cmd, rest, err := root.Find(args)
			if err != nil || cmd == root {
				t.Errorf("%s: apigw2tf %s: no such command (%v)", file, strings.Join(args, " "), err)
				continue
			}
			if err := cmd.ParseFlags(rest); err != nil {
				t.Errorf("%s: apigw2tf %s: %v", file, strings.Join(args, " "), err)
			}
			seen[cmd.Name()] = true
		}
	}
	for _, want := range []string{"validate", "discover", "audit"} {
		if !seen[want] {
			t.Errorf("no example runs apigw2tf %s", want)
		}
	}
}

// exampleCommands returns the arguments of every line of the file's
// scripts that runs apigw2tf, continuation lines joined.
func exampleCommands(t *testing.T, path string) [][]string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var scripts []string
	dec := yaml.NewDecoder(bytes.NewReader(data))
	for {
		var n yaml.Node
		if err := dec.Decode(&n); err != nil {
			break
		}
		collectScalars(&n, &scripts)
	}
	var out [][]string
	for _, s := range scripts {
		for _, line := range strings.Split(strings.ReplaceAll(s, "\\\n", " "), "\n") {
			line = strings.TrimSpace(line)
			if !strings.HasPrefix(line, "apigw2tf ") {
				continue
			}
			words := shellWords(t, line)
			out = append(out, words[1:])
		}
	}
	return out
}

func collectScalars(n *yaml.Node, out *[]string) {
	if n.Kind == yaml.ScalarNode && strings.Contains(n.Value, "apigw2tf ") {
		*out = append(*out, n.Value)
	}
	for _, c := range n.Content {
		collectScalars(c, out)
	}
}

// shellWords splits a simple command line: quotes group, and the first
// unquoted operator (|, ;, &, >, <) ends the command.
func shellWords(t *testing.T, line string) []string {
	var (
		words  []string
		cur    strings.Builder
		quote  rune
		inWord bool
	)
	for _, r := range line {
		switch {
		case quote != 0:
			if r == quote {
				quote = 0
			} else {
				cur.WriteRune(r)
			}
		case r == '"' || r == '\'':
			quote, inWord = r, true
		case r == ' ' || r == '\t':
			if inWord {
				words = append(words, cur.String())
				cur.Reset()
				inWord = false
			}
		case strings.ContainsRune("|;&><", r):
			if inWord {
				words = append(words, cur.String())
			}
			return words
		default:
			cur.WriteRune(r)
			inWord = true
		}
	}
	if quote != 0 {
		t.Fatalf("unterminated quote in %q", line)
	}
	if inWord {
		words = append(words, cur.String())
	}
	return words
}
