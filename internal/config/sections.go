package config

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/apigw2tf/apigw2tf/audit"
	"github.com/apigw2tf/apigw2tf/discover"
	"github.com/apigw2tf/apigw2tf/generate"
	"github.com/apigw2tf/apigw2tf/internal/regions"
	"github.com/apigw2tf/apigw2tf/inventory"
)

// accountName keeps names usable as a flag value and a file name. Account
// names exist only in this file, so the rule is this package's own; every
// other value is checked by the rule of the package that owns it.
var accountName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]*$`)

// choices spells typed choices the way the file writes them.
func choices[T ~string](list []T) []string {
	out := make([]string, len(list))
	for i, c := range list {
		out[i] = string(c)
	}
	return out
}

func (w *walker) accounts(n *yaml.Node) []Account {
	type entry struct {
		index int
		node  *yaml.Node
	}
	var (
		out     []Account
		unnamed []entry // reported only once several accounts are known
	)
	names := map[string]bool{}
	w.list(n, "accounts", func(i int, v *yaml.Node) {
		where := fmt.Sprintf("accounts[%d]", i)
		var a Account
		seen := w.fields(v, where, map[string]func(*yaml.Node){
			"name": func(v *yaml.Node) {
				s, ok := w.str(v, where+".name")
				switch {
				case !ok:
				case !accountName.MatchString(s):
					w.errf(v, "%s.name %q may hold only letters, digits, '.', '_' and '-'", where, s)
				case names[s]:
					w.errf(v, "account name %q is used twice; names must be unique", s)
				default:
					names[s] = true
					a.Name = s
				}
			},
			"profile":  func(v *yaml.Node) { a.Profile, _ = w.str(v, where+".profile") },
			"role_arn": func(v *yaml.Node) { a.RoleARN = w.roleARN(v, where+".role_arn") },
			"regions":  func(v *yaml.Node) { a.Regions = w.regions(v, where+".regions") },
			"dirs": func(v *yaml.Node) {
				w.strings(v, where+".dirs", func(e *yaml.Node, d string) {
					a.Dirs = append(a.Dirs, w.inputDir(e, where+".dirs", d))
				})
			},
		})
		d := deref(v)
		if d.Kind != yaml.MappingNode {
			return
		}
		if !seen["profile"] && !seen["role_arn"] {
			w.errf(d, "%s needs a profile or a role_arn", where)
		}
		if !seen["regions"] {
			w.errf(d, "%s needs regions, like [us-east-1] or [all]", where)
		}
		if a.Name == "" && !seen["name"] {
			unnamed = append(unnamed, entry{i, d})
		}
		out = append(out, a)
	})
	if len(out) > 1 {
		for _, u := range unnamed {
			w.errf(u.node, "accounts[%d] needs a name: with several accounts, --account NAME picks one", u.index)
		}
	}
	return out
}

func (w *walker) regions(n *yaml.Node, name string) []string {
	d := deref(n)
	if isNull(d) || d.Kind == yaml.SequenceNode && len(d.Content) == 0 {
		w.errf(d, "%s is empty; list regions like [us-east-1] or use [all]", name)
		return nil
	}
	return w.strings(n, name, func(v *yaml.Node, r string) {
		switch {
		case r == discover.RegionAll:
			if len(d.Content) > 1 {
				w.errf(v, "%s: %q means every commercial region and cannot be combined with others", name, discover.RegionAll)
			}
		case !regions.Valid(r):
			w.errf(v, "%s: %q is not an AWS region; %s", name, r, suggestion(r, regions.Known(), "use a name like us-east-1, or all"))
		}
	})
}

func (w *walker) filters(n *yaml.Node, f *Filters) {
	if isNull(n) {
		return
	}
	w.fields(n, "filters", map[string]func(*yaml.Node){
		"include": func(v *yaml.Node) { f.Include = w.regexps(v, "filters.include") },
		"exclude": func(v *yaml.Node) { f.Exclude = w.regexps(v, "filters.exclude") },
		"api_ids": func(v *yaml.Node) {
			f.APIIDs = w.strings(v, "filters.api_ids", func(e *yaml.Node, id string) {
				if err := inventory.CheckAPIID(id); err != nil {
					w.errf(e, "filters.api_ids: %v", err)
				}
			})
		},
		"tags": func(v *yaml.Node) {
			f.Tags = w.stringMap(v, "filters.tags", nil)
		},
		"protocol": func(v *yaml.Node) { f.Protocol = w.oneOf(v, "filters.protocol", discover.Protocols...) },
		"types": func(v *yaml.Node) {
			f.Types = w.strings(v, "filters.types", func(e *yaml.Node, k string) {
				if !slices.Contains(inventory.AllKinds, k) {
					w.errf(e, "filters.types: %q is not a resource type; %s", k, suggestion(k, inventory.AllKinds, "use "+strings.Join(inventory.AllKinds, ", ")))
				}
			})
			if len(f.Types) > 0 && !slices.Contains(f.Types, inventory.KindAPI) {
				w.errf(v, "filters.types must include api: every other type belongs to an API")
			}
		},
	})
}

func (w *walker) regexps(n *yaml.Node, name string) []string {
	return w.strings(n, name, func(v *yaml.Node, re string) {
		if _, err := regexp.Compile(re); err != nil {
			w.errf(v, "%s: %q is not a valid regular expression: %v", name, re, err)
		}
	})
}

func (w *walker) generate(n *yaml.Node, g *Generate) {
	if isNull(n) {
		return
	}
	w.fields(n, "generate", map[string]func(*yaml.Node){
		// generate writes into an existing root module, so the directory
		// must be there already.
		"dir": func(v *yaml.Node) {
			if s, ok := w.str(v, "generate.dir"); ok {
				g.Dir = w.inputDir(v, "generate.dir", s)
			}
		},
		"output": func(v *yaml.Node) {
			s, ok := w.str(v, "generate.output")
			if !ok {
				return
			}
			if !generate.ValidOutput(s) {
				w.errf(v, "generate.output %q must be a file name ending in .tf, other than providers.tf (it is written inside generate.dir)", s)
			}
			g.Output = s
		},
		"layout": func(v *yaml.Node) { g.Layout = w.oneOf(v, "generate.layout", choices(generate.Layouts)...) },
		"names":  func(v *yaml.Node) { g.Names = w.names(v) },
	})
}

func (w *walker) names(n *yaml.Node) map[string]string {
	owner := map[string]string{}
	return w.stringMap(n, "generate.names", func(k, v *yaml.Node, id, name string) {
		if !inventory.ValidAPIID(id) {
			w.errf(k, "generate.names: key %q is not an API id (lower-case letters and digits, like a1b2c3d4e5)", id)
		}
		if !generate.ValidName(name) {
			w.errf(v, "generate.names[%s]: %q is not a Terraform name; use letters, digits and underscores, starting with a letter (like payments_api)", id, name)
			return
		}
		if other, dup := owner[name]; dup {
			w.errf(v, "generate.names[%s]: %q is already the name of API %s; resource names must be unique", id, name, other)
			return
		}
		owner[name] = id
	})
}

func (w *walker) audit(n *yaml.Node, a *Audit) {
	if isNull(n) {
		return
	}
	w.fields(n, "audit", map[string]func(*yaml.Node){
		"dirs": func(v *yaml.Node) {
			w.strings(v, "audit.dirs", func(e *yaml.Node, d string) {
				a.Dirs = append(a.Dirs, w.inputDir(e, "audit.dirs", d))
			})
		},
		"formats": func(v *yaml.Node) {
			w.list(v, "audit.formats", func(i int, e *yaml.Node) {
				if f := w.oneOf(e, fmt.Sprintf("audit.formats[%d]", i), audit.Formats...); f != "" {
					a.Formats = append(a.Formats, f)
				}
			})
		},
		"out_dir": func(v *yaml.Node) {
			if s, ok := w.str(v, "audit.out_dir"); ok {
				a.OutDir = w.outputDir(v, "audit.out_dir", s)
			}
		},
		"ignore": func(v *yaml.Node) { w.ignore(v, a) },
		"baseline": func(v *yaml.Node) {
			if s, ok := w.str(v, "audit.baseline"); ok {
				a.Baseline = w.inputFile(v, "audit.baseline", s)
			}
		},
		"fail_on":  func(v *yaml.Node) { a.FailOn = w.oneOf(v, "audit.fail_on", choices(audit.FailOns)...) },
		"parallel": func(v *yaml.Node) { a.Parallel = w.positive(v, "audit.parallel") },
		"mode": func(v *yaml.Node) {
			a.Mode = w.oneOf(v, "audit.mode", choices(audit.Modes)...)
		},
		"include_pending": func(v *yaml.Node) {
			if b, ok := w.boolean(v, "audit.include_pending"); ok {
				a.IncludePending = &b
			}
		},
		"redact": func(v *yaml.Node) {
			a.Redact = w.strings(v, "audit.redact", func(e *yaml.Node, r string) {
				if !audit.ValidRedact(r) {
					w.errf(e, "audit.redact: %q is not a top-level attribute name such as stage_variables or tags", r)
				}
			})
		},
	})
	if a.FailOn == "new" && a.Baseline == "" && w.pos["audit.baseline"] == (position{}) {
		p := w.pos["audit.fail_on"]
		w.problems = append(w.problems, Problem{File: w.file, Line: p.line, Col: p.col,
			Msg: "audit.fail_on: new compares with a baseline; set audit.baseline to a previous JSON report"})
	}
	if a.Mode == "live" && a.IncludePending != nil && *a.IncludePending {
		p := w.pos["audit.include_pending"]
		w.problems = append(w.problems, Problem{File: w.file, Line: p.line, Col: p.col,
			Msg: "audit.include_pending needs a plan, and mode is live; drop it or use mode: plan"})
	}
}

// ignore reads audit.ignore: a file name (the --ignore file, checked too) or
// a list of rules written inline.
func (w *walker) ignore(n *yaml.Node, a *Audit) {
	d := deref(n)
	switch {
	case d.Kind == yaml.SequenceNode:
		a.IgnoreRules = w.rules(d, "audit.ignore")
	case d.Kind == yaml.ScalarNode && !isNull(d) && d.ShortTag() != "!!bool":
		s, ok := w.str(d, "audit.ignore")
		if !ok {
			return
		}
		a.IgnoreFile = w.inputFile(d, "audit.ignore", s)
		if a.IgnoreFile != "" {
			w.ignoreFile(a.IgnoreFile)
		}
	default:
		w.errf(d, "audit.ignore must be an ignore file name or a list of rules, not %s", kindName(d))
	}
}

// ignoreFile checks an --ignore file the same way, reporting its problems
// under its own name.
func (w *walker) ignoreFile(path string) {
	data, err := os.ReadFile(path)
	if err != nil {
		return // inputFile has reported it
	}
	root, ps := readDoc(path, data)
	if ps != nil {
		if ps[0].Msg == emptyMsg {
			ps[0].Msg = "the ignore file is empty; start it with `ignore:` and a list of rules"
		}
		w.problems = append(w.problems, ps...)
		return
	}
	sub := &walker{file: path, base: filepath.Dir(path), pos: map[string]position{}}
	seen := sub.fields(root, "the ignore file", map[string]func(*yaml.Node){
		"ignore": func(v *yaml.Node) { sub.rules(v, "ignore") },
	})
	if deref(root).Kind == yaml.MappingNode && !seen["ignore"] {
		sub.errf(root, "the ignore file has no `ignore:` list of rules")
	}
	w.problems = append(w.problems, sub.problems...)
}

func (w *walker) rules(n *yaml.Node, name string) []audit.IgnoreRule {
	var out []audit.IgnoreRule
	w.list(n, name, func(i int, v *yaml.Node) {
		where := fmt.Sprintf("%s[%d]", name, i)
		var r audit.IgnoreRule
		ok := true // false once a field's problem is reported: an emptied rule is no news then
		str := func(v *yaml.Node, name string) string {
			s, good := w.str(v, name)
			ok = ok && good
			return s
		}
		w.fields(v, where, map[string]func(*yaml.Node){
			"address":    func(v *yaml.Node) { r.Address = str(v, where+".address") },
			"import_id":  func(v *yaml.Node) { r.ImportID = str(v, where+".import_id") },
			"attributes": func(v *yaml.Node) { r.Attributes = w.strings(v, where+".attributes", nil) },
			"classes": func(v *yaml.Node) {
				w.list(v, where+".classes", func(j int, e *yaml.Node) {
					if c := w.oneOf(e, fmt.Sprintf("%s.classes[%d]", where, j), choices(audit.Classes)...); c != "" {
						r.Classes = append(r.Classes, audit.Class(c))
					} else {
						ok = false
					}
				})
			},
			"reason": func(v *yaml.Node) { r.Reason, _ = w.str(v, where+".reason") },
		})
		if deref(v).Kind == yaml.MappingNode && ok && r.MatchesEverything() {
			w.errf(deref(v), "%s matches everything; give it an address, import_id or classes", where)
		}
		out = append(out, r)
	})
	return out
}

// concurrency reads concurrency by discover's rule; it returns 0 (the
// default) after a problem.
func (w *walker) concurrency(n *yaml.Node) int {
	i, ok := w.integer(n, "concurrency")
	if !ok {
		return 0
	}
	if err := discover.CheckConcurrency(i); err != nil {
		w.errf(n, "concurrency %v", err)
		return 0
	}
	return i
}

func (w *walker) endpoint(n *yaml.Node) string {
	s, ok := w.str(n, "endpoint_url")
	if !ok {
		return ""
	}
	if !discover.ValidEndpointURL(s) {
		w.errf(n, "endpoint_url %q is not an http(s) URL like http://127.0.0.1:4566", s)
	}
	return s
}

// engine checks terraform_bin: a path must be an executable file, a bare
// name must be found on PATH.
func (w *walker) engine(n *yaml.Node, s string) string {
	if !strings.ContainsRune(s, filepath.Separator) {
		if _, err := exec.LookPath(s); err != nil {
			w.errf(n, "terraform_bin %q is not on PATH; install it (make tools builds tofu and terraform) or give its path", s)
		}
		return s
	}
	p := w.resolve(s)
	fi, err := os.Stat(p)
	switch {
	case err != nil:
		w.errf(n, "terraform_bin %s: %v", w.shown(s, p), unwrapPath(err))
	case !fi.Mode().IsRegular() || fi.Mode().Perm()&0o111 == 0:
		w.errf(n, "terraform_bin %s is not an executable file", w.shown(s, p))
	}
	return p
}

// resolve makes a relative path relative to the configuration file.
func (w *walker) resolve(p string) string {
	if filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(w.base, p)
}

// shown names a path as the user wrote it, plus where it led when that
// differs.
func (w *walker) shown(given, resolved string) string {
	if filepath.Clean(given) == resolved {
		return fmt.Sprintf("%q", given)
	}
	return fmt.Sprintf("%q (%s)", given, resolved)
}

// inputDir checks that a directory to read exists and can be listed.
func (w *walker) inputDir(n *yaml.Node, name, s string) string {
	p := w.resolve(s)
	f, err := os.Open(p)
	if err != nil {
		w.errf(n, "%s: directory %s: %v", name, w.shown(s, p), unwrapPath(err))
		return p
	}
	defer f.Close()
	fi, err := f.Stat()
	if err == nil && !fi.IsDir() {
		w.errf(n, "%s: %s is a file, not a directory", name, w.shown(s, p))
		return p
	}
	if err == nil {
		_, err = f.Readdirnames(1)
	}
	if err != nil && !errors.Is(err, io.EOF) {
		w.errf(n, "%s: directory %s cannot be read: %v", name, w.shown(s, p), unwrapPath(err))
	}
	return p
}

// inputFile checks that a file to read exists and can be opened.
func (w *walker) inputFile(n *yaml.Node, name, s string) string {
	p := w.resolve(s)
	f, err := os.Open(p)
	if err != nil {
		w.errf(n, "%s: file %s: %v", name, w.shown(s, p), unwrapPath(err))
		return ""
	}
	defer f.Close()
	if fi, err := f.Stat(); err == nil && fi.IsDir() {
		w.errf(n, "%s: %s is a directory, not a file", name, w.shown(s, p))
		return ""
	}
	return p
}

// outputDir checks a directory a command writes to: it may not exist yet,
// but then its parent must, which catches a typo in the path.
func (w *walker) outputDir(n *yaml.Node, name, s string) string {
	p := w.resolve(s)
	if fi, err := os.Stat(p); err == nil {
		if !fi.IsDir() {
			w.errf(n, "%s: %s is a file, not a directory", name, w.shown(s, p))
		}
		return p
	}
	parent := filepath.Dir(p)
	if fi, err := os.Stat(parent); err != nil || !fi.IsDir() {
		w.errf(n, "%s: neither %s nor its parent directory %s exists; create the parent first", name, w.shown(s, p), parent)
	}
	return p
}

// roleARN reads an IAM role ARN; a value of another shape is a problem.
func (w *walker) roleARN(n *yaml.Node, name string) string {
	s, ok := w.str(n, name)
	if ok && !discover.ValidRoleARN(s) {
		w.errf(n, "%s %q is not an IAM role ARN like arn:aws:iam::123456789012:role/apigw2tf-read", name, s)
	}
	return s
}
