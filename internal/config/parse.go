package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

type position struct{ line, col int }

// walker turns a YAML node tree into values, collecting a Problem for
// everything it cannot use instead of stopping at the first.
type walker struct {
	file     string // as the user named it, for messages
	base     string // directory relative paths are resolved against
	problems []Problem
	pos      map[string]position
}

func (w *walker) errf(n *yaml.Node, format string, args ...any) {
	w.problems = append(w.problems, Problem{File: w.file, Line: n.Line, Col: n.Column, Msg: fmt.Sprintf(format, args...)})
}

const emptyMsg = "the file is empty; start it with `version: 1`"

// yamlLine pulls the line out of yaml.v3's syntax errors ("yaml: line 3:
// mapping values are not allowed in this context"); they carry no column.
var yamlLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// readDoc decodes the single YAML document of data into a node tree. A
// problem is returned for syntax errors, an empty file and a second
// document.
func readDoc(file string, data []byte) (*yaml.Node, []Problem) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, []Problem{{File: file, Line: 1, Col: 1, Msg: emptyMsg}}
		}
		return nil, []Problem{syntaxProblem(file, err)}
	}
	var extra yaml.Node
	switch err := dec.Decode(&extra); {
	case err == nil:
		return nil, []Problem{{File: file, Line: extra.Line, Col: extra.Column, Msg: "a second YAML document; the file holds one, so remove the `---` and what follows"}}
	case !errors.Is(err, io.EOF):
		return nil, []Problem{syntaxProblem(file, err)}
	}
	if len(doc.Content) == 0 {
		return nil, []Problem{{File: file, Line: 1, Col: 1, Msg: emptyMsg}}
	}
	return doc.Content[0], nil
}

func syntaxProblem(file string, err error) Problem {
	if m := yamlLine.FindStringSubmatch(err.Error()); m != nil {
		line, _ := strconv.Atoi(m[1])
		// yaml.v3 numbers lines from 1 for scanner errors but from 0 for
		// parser errors, which are the "did not find expected ..." ones.
		if strings.HasPrefix(m[2], "did not find expected") {
			line++
		}
		return Problem{File: file, Line: line, Msg: "invalid YAML: " + m[2]}
	}
	return Problem{File: file, Msg: "invalid YAML: " + strings.TrimPrefix(err.Error(), "yaml: ")}
}

// parse reads and checks path. The returned config is complete only when
// there are no problems.
func parse(path string) (*Config, []Problem) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, []Problem{{File: path, Msg: fmt.Sprintf("cannot read the configuration file: %v", unwrapPath(err))}}
	}
	root, ps := readDoc(path, data)
	if ps != nil {
		return nil, ps
	}
	w := &walker{file: path, base: filepath.Dir(path), pos: map[string]position{}}
	c := &Config{Path: path}
	w.config(root, c)
	c.pos = w.pos
	slices.SortStableFunc(w.problems, func(a, b Problem) int {
		if a.File != b.File {
			// Problems of the configuration file come before those of a
			// file it names.
			switch {
			case a.File == path:
				return -1
			case b.File == path:
				return 1
			}
			return strings.Compare(a.File, b.File)
		}
		if a.Line != b.Line {
			return a.Line - b.Line
		}
		return a.Col - b.Col
	})
	return c, w.problems
}

// unwrapPath drops the *PathError wrapper, whose text repeats the path the
// message already names.
func unwrapPath(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

func (w *walker) config(n *yaml.Node, c *Config) {
	seen := w.fields(n, "", map[string]func(*yaml.Node){
		"version": func(v *yaml.Node) {
			if i, ok := w.integer(v, "version"); ok {
				if i != Version {
					w.errf(v, "version %d is not supported; this apigw2tf reads version %d", i, Version)
				}
				c.Version = i
			}
		},
		"accounts":            func(v *yaml.Node) { c.Accounts = w.accounts(v) },
		"organization":        func(v *yaml.Node) { c.Organization = w.organization(v) },
		"account_concurrency": func(v *yaml.Node) { c.AccountConcurrency = w.positive(v, "account_concurrency") },
		"filters":             func(v *yaml.Node) { w.filters(v, &c.Filters) },
		"rate": func(v *yaml.Node) {
			if f, ok := w.number(v, "rate"); ok {
				c.Rate, c.RateSet = f, true
			}
		},
		"burst":        func(v *yaml.Node) { c.Burst = w.positive(v, "burst") },
		"concurrency":  func(v *yaml.Node) { c.Concurrency = w.concurrency(v) },
		"max_attempts": func(v *yaml.Node) { c.MaxAttempts = w.positive(v, "max_attempts") },
		"endpoint_url": func(v *yaml.Node) { c.EndpointURL = w.endpoint(v) },
		"terraform_bin": func(v *yaml.Node) {
			if s, ok := w.str(v, "terraform_bin"); ok {
				c.TerraformBin = w.engine(v, s)
			}
		},
		"generate": func(v *yaml.Node) { w.generate(v, &c.Generate) },
		"audit":    func(v *yaml.Node) { w.audit(v, &c.Audit) },
		"migrate":  func(v *yaml.Node) { c.Migrate = w.migrateSection(v) },
	})
	if seen["accounts"] && seen["organization"] {
		w.errf(n, "accounts and organization are both set; keep one: organization lists the accounts itself")
	}
	if n.Kind == yaml.MappingNode && !seen["version"] {
		w.errf(n, "missing `version: 1`; add it at the top of the file")
	}
}

// fields walks a mapping, calling the handler of each known key with its
// value and reporting unknown and repeated keys. where names the mapping in
// messages ("" for the top level). It returns the keys seen.
func (w *walker) fields(n *yaml.Node, where string, handlers map[string]func(*yaml.Node)) map[string]bool {
	n = deref(n)
	seen := map[string]bool{}
	if n.Kind != yaml.MappingNode {
		if where == "" {
			w.errf(n, "the file must be a mapping of keys (version, accounts, ...), not %s", kindName(n))
		} else {
			w.errf(n, "%s must be a mapping of keys, not %s", where, kindName(n))
		}
		return seen
	}
	known := make([]string, 0, len(handlers))
	for k := range handlers {
		known = append(known, k)
	}
	slices.Sort(known)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		key := k.Value
		h, ok := handlers[key]
		switch {
		case k.Kind != yaml.ScalarNode:
			w.errf(k, "keys must be plain names, not %s", kindName(k))
		case key == "<<":
			w.errf(k, "merge keys (<<) are not supported; write the keys out")
		case !ok:
			w.errf(k, "unknown key %q%s; %s", key, in(where), suggestion(key, known, "known keys are "+strings.Join(known, ", ")))
		case seen[key]:
			w.errf(k, "key %q%s is repeated; keep one", key, in(where))
		default:
			seen[key] = true
			w.pos[join(where, key)] = position{v.Line, v.Column}
			h(v)
		}
	}
	return seen
}

func in(where string) string {
	if where == "" {
		return ""
	}
	return " in " + where
}

func join(where, key string) string {
	if where == "" {
		return key
	}
	return where + "." + key
}

func deref(n *yaml.Node) *yaml.Node {
	for n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	return n
}

func isNull(n *yaml.Node) bool {
	n = deref(n)
	return n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null"
}

func kindName(n *yaml.Node) string {
	n = deref(n)
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		switch n.ShortTag() {
		case "!!null":
			return "empty"
		case "!!bool":
			return "a boolean (" + n.Value + ")"
		case "!!int":
			return "an integer (" + n.Value + ")"
		case "!!float":
			return "a number (" + n.Value + ")"
		}
		return fmt.Sprintf("a string (%q)", n.Value)
	}
	return "an unsupported YAML node"
}

// str reads a string. Numbers are taken as written, since an API id or a
// profile may be all digits; booleans and empty values are refused.
func (w *walker) str(n *yaml.Node, name string) (string, bool) {
	n = deref(n)
	if n.Kind != yaml.ScalarNode || n.ShortTag() == "!!bool" || n.ShortTag() == "!!null" {
		w.errf(n, "%s must be a string, not %s", name, kindName(n))
		return "", false
	}
	if strings.TrimSpace(n.Value) == "" {
		w.errf(n, "%s is empty; give a value or remove the key", name)
		return "", false
	}
	return n.Value, true
}

// list reads a sequence, calling each for every element. An empty value
// counts as an empty list.
func (w *walker) list(n *yaml.Node, name string, each func(i int, v *yaml.Node)) {
	n = deref(n)
	if isNull(n) {
		return
	}
	if n.Kind != yaml.SequenceNode {
		w.errf(n, "%s must be a list (like [a, b] or one `- item` per line), not %s", name, kindName(n))
		return
	}
	for i, v := range n.Content {
		each(i, v)
	}
}

// strings reads a list of strings, reporting duplicates. check, when set,
// sees each string with its node.
func (w *walker) strings(n *yaml.Node, name string, check func(v *yaml.Node, s string)) []string {
	var out []string
	seen := map[string]bool{}
	w.list(n, name, func(i int, v *yaml.Node) {
		s, ok := w.str(v, fmt.Sprintf("%s[%d]", name, i))
		if !ok {
			return
		}
		if seen[s] {
			w.errf(v, "%s lists %q twice; keep one", name, s)
			return
		}
		seen[s] = true
		if check != nil {
			check(v, s)
		}
		out = append(out, s)
	})
	return out
}

func (w *walker) integer(n *yaml.Node, name string) (int, bool) {
	n = deref(n)
	if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!int" {
		w.errf(n, "%s must be an integer, not %s", name, kindName(n))
		return 0, false
	}
	var i int
	if err := n.Decode(&i); err != nil {
		w.errf(n, "%s: %s is out of range", name, n.Value)
		return 0, false
	}
	return i, true
}

// positive reads an integer of at least 1; it returns 0 after a problem.
func (w *walker) positive(n *yaml.Node, name string) int {
	i, ok := w.integer(n, name)
	if !ok {
		return 0
	}
	if i < 1 {
		w.errf(n, "%s is %d; it must be at least 1", name, i)
		return 0
	}
	return i
}

// number reads a finite number of at least 0.
func (w *walker) number(n *yaml.Node, name string) (float64, bool) {
	n = deref(n)
	if n.Kind != yaml.ScalarNode || (n.ShortTag() != "!!int" && n.ShortTag() != "!!float") {
		w.errf(n, "%s must be a number, not %s", name, kindName(n))
		return 0, false
	}
	var f float64
	if err := n.Decode(&f); err != nil || math.IsNaN(f) || math.IsInf(f, 0) || f < 0 {
		w.errf(n, "%s is %s; it must be a number of at least 0", name, n.Value)
		return 0, false
	}
	return f, true
}

func (w *walker) boolean(n *yaml.Node, name string) (bool, bool) {
	n = deref(n)
	if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!bool" {
		w.errf(n, "%s must be true or false, not %s", name, kindName(n))
		return false, false
	}
	var b bool
	if err := n.Decode(&b); err != nil {
		w.errf(n, "%s must be true or false, not %s", name, kindName(n))
		return false, false
	}
	return b, true
}

// oneOf reads a string that must be one of choices (compared without case).
func (w *walker) oneOf(n *yaml.Node, name string, choices ...string) string {
	s, ok := w.str(n, name)
	if !ok {
		return ""
	}
	for _, c := range choices {
		if strings.EqualFold(s, c) {
			return c
		}
	}
	w.errf(n, "%s %q is not valid; %s", name, s, suggestion(strings.ToLower(s), choices, "use one of "+strings.Join(choices, ", ")))
	return ""
}

// stringMap reads a mapping of strings to strings.
func (w *walker) stringMap(n *yaml.Node, name string, check func(k, v *yaml.Node, key, val string)) map[string]string {
	n = deref(n)
	if isNull(n) {
		return nil
	}
	if n.Kind != yaml.MappingNode {
		w.errf(n, "%s must be a mapping (like {key: value}), not %s", name, kindName(n))
		return nil
	}
	out := map[string]string{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := deref(n.Content[i]), n.Content[i+1]
		if k.Kind == yaml.ScalarNode && k.Value == "" {
			w.errf(k, "%s has an empty key; keys need at least one character", name)
			continue
		}
		key, ok := w.str(k, name+" key")
		if !ok {
			continue
		}
		if _, dup := out[key]; dup {
			w.errf(k, "%s has key %q twice; keep one", name, key)
			continue
		}
		// An explicit "" is a value (AWS tags may be empty); anything else
		// that is not a string is a mistake.
		val, ok := "", deref(v).Kind == yaml.ScalarNode && deref(v).ShortTag() == "!!str" && deref(v).Value == ""
		if !ok {
			if val, ok = w.str(v, fmt.Sprintf("%s[%s]", name, key)); !ok {
				continue
			}
		}
		if check != nil {
			check(k, v, key, val)
		}
		out[key] = val
	}
	return out
}
