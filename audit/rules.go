package audit

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/apigw2tf/apigw2tf/internal/tfvalue"
)

// IgnoreRules are the --ignore file: changes a team has decided to live
// with.
//
//	ignore:
//	  - address: "module.legacy.*"          # resource address glob
//	    reason: legacy stack, owned elsewhere
//	  - address: "aws_apigatewayv2_stage.*"
//	    attributes: ["tags[\"LastDeployedBy\"]", "deployment_id"]
//	  - import_id: "abc123/*"
//	    classes: [unmanaged]
type IgnoreRules struct {
	Rules []IgnoreRule `yaml:"ignore"`
}

// IgnoreRule matches findings by address and import id globs (both optional,
// both must match when given; `*` matches any run of characters). With
// Attributes it drops only matching attribute changes (a path matches its
// pattern or lies under it); without, the whole finding. Classes narrows
// the rule to some classes.
type IgnoreRule struct {
	Address    string   `yaml:"address"`
	ImportID   string   `yaml:"import_id"`
	Attributes []string `yaml:"attributes"`
	Classes    []Class  `yaml:"classes"`
	Reason     string   `yaml:"reason"`
}

// LoadIgnoreRules reads and checks an --ignore file.
func LoadIgnoreRules(path string) (*IgnoreRules, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading ignore file: %w", err)
	}
	var r IgnoreRules
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&r); err != nil {
		return nil, fmt.Errorf("ignore file %s: %w; see `apigw2tf audit --help` for the format", path, err)
	}
	if err := r.check(path); err != nil {
		return nil, err
	}
	return &r, nil
}

// check refuses rules that would silence everything or name no class.
func (rs *IgnoreRules) check(path string) error {
	for i, rule := range rs.Rules {
		if rule.MatchesEverything() {
			return fmt.Errorf("ignore rules in %s: rule %d matches everything; give it an address, import_id or classes", path, i+1)
		}
		for _, c := range rule.Classes {
			if !validClass(c) {
				return fmt.Errorf("ignore rules in %s: rule %d has unknown class %q; use one of %s", path, i+1, c, classList())
			}
		}
	}
	return nil
}

// MatchesEverything reports whether the rule names nothing to match on, so
// it would silence every finding; such a rule is refused.
func (r IgnoreRule) MatchesEverything() bool {
	return r.Address == "" && r.ImportID == "" && len(r.Classes) == 0
}

func validClass(c Class) bool {
	for _, k := range Classes {
		if c == k {
			return true
		}
	}
	return false
}

func classList() string {
	s := make([]string, len(Classes))
	for i, c := range Classes {
		s[i] = string(c)
	}
	return strings.Join(s, ", ")
}

func (r IgnoreRule) matches(f *Finding) bool {
	if r.Address != "" && !glob(r.Address, f.Address) {
		return false
	}
	if r.ImportID != "" && !glob(r.ImportID, f.ImportID) {
		return false
	}
	if len(r.Classes) > 0 {
		found := false
		for _, c := range r.Classes {
			found = found || c == f.Class
		}
		if !found {
			return false
		}
	}
	return true
}

// apply filters findings, returning what is left and how many findings or
// attribute changes were ignored.
func (rs *IgnoreRules) apply(findings []Finding) ([]Finding, int) {
	if rs == nil || len(rs.Rules) == 0 {
		return findings, 0
	}
	ignored := 0
	out := findings[:0]
next:
	for _, f := range findings {
		for _, r := range rs.Rules {
			if !r.matches(&f) {
				continue
			}
			if len(r.Attributes) == 0 {
				ignored++
				continue next
			}
			kept := f.Changes[:0:0]
			for _, c := range f.Changes {
				if pathMatches(r.Attributes, c.Path) {
					ignored++
				} else {
					kept = append(kept, c)
				}
			}
			f.Changes = kept
			if len(kept) == 0 && f.Class == ClassChanged {
				continue next
			}
		}
		out = append(out, f)
	}
	return out, ignored
}

// pathMatches reports whether path matches one of the patterns or lies
// beneath one (a pattern "tags" covers `tags["team"]`).
func pathMatches(patterns []string, path string) bool {
	for _, p := range patterns {
		if glob(p, path) || glob(p+".*", path) || glob(p+"[*", path) {
			return true
		}
	}
	return false
}

// glob matches s against a pattern in which `*` stands for any run of
// characters and everything else is literal. Addresses hold brackets and
// dots, so path.Match's character classes would get in the way.
func glob(pattern, s string) bool {
	parts := strings.Split(pattern, "*")
	if len(parts) == 1 {
		return pattern == s
	}
	if !strings.HasPrefix(s, parts[0]) {
		return false
	}
	s = s[len(parts[0]):]
	for _, p := range parts[1 : len(parts)-1] {
		i := strings.Index(s, p)
		if i < 0 {
			return false
		}
		s = s[i+len(p):]
	}
	return strings.HasSuffix(s, parts[len(parts)-1])
}

// sameValues names, per attribute, the attributes that hold its values
// under another name: tags_all is tags merged over the provider's
// default_tags, so hiding tags hides tags_all, default tags included, and
// the other way round.
var sameValues = map[string][]string{
	"tags":     {"tags_all"},
	"tags_all": {"tags"},
}

// redact hides the values of the named top-level attributes, and of the
// attributes that hold the same values (sameValues). Redaction follows the
// value, not the name: any other change that shows one of the hidden
// values, under whatever attribute, is hidden too.
func redact(findings []Finding, attrs []string) {
	if len(attrs) == 0 {
		return
	}
	hide := map[string]bool{}
	for _, a := range attrs {
		hide[a] = true
		for _, b := range sameValues[a] {
			hide[b] = true
		}
	}
	secrets := map[string]bool{}
	for _, f := range findings {
		for _, c := range f.Changes {
			if hide[tfvalue.TopAttribute(c.Path)] {
				collectStrings(c.Before, secrets)
				collectStrings(c.After, secrets)
			}
		}
	}
	for i := range findings {
		for j := range findings[i].Changes {
			c := &findings[i].Changes[j]
			if !hide[tfvalue.TopAttribute(c.Path)] && !holdsAny(c.Before, secrets) && !holdsAny(c.After, secrets) {
				continue
			}
			c.Redacted = true
			if c.Before != nil {
				c.Before = RedactedMask
			}
			if c.After != nil {
				c.After = RedactedMask
			}
		}
	}
}

// collectStrings adds every non-empty string in v (a leaf, or within maps
// and lists) to set. Masks are not secrets.
func collectStrings(v any, set map[string]bool) {
	switch x := v.(type) {
	case string:
		if x != "" && x != SensitiveMask && x != UnknownMask && x != RedactedMask {
			set[x] = true
		}
	case map[string]any:
		for _, e := range x {
			collectStrings(e, set)
		}
	case []any:
		for _, e := range x {
			collectStrings(e, set)
		}
	}
}

// holdsAny reports whether v holds one of the strings in set.
func holdsAny(v any, set map[string]bool) bool {
	switch x := v.(type) {
	case string:
		return set[x]
	case map[string]any:
		for _, e := range x {
			if holdsAny(e, set) {
				return true
			}
		}
	case []any:
		for _, e := range x {
			if holdsAny(e, set) {
				return true
			}
		}
	}
	return false
}

// fingerprint hashes what identifies a finding across runs: its account
// (when the audit has several), class, type, region, import id and
// changes. Directory and
// address stay out of it, so moving code between directories keeps
// accepted findings known. It hashes masked values only, so secrets cannot
// be recovered from a report.
func fingerprint(f *Finding) string {
	h := sha256.New()
	if f.AccountID != "" {
		// Only in audits of several accounts, so one-account baselines
		// keep matching.
		fmt.Fprintf(h, "account\x00%s\x00", f.AccountID)
	}
	fmt.Fprintf(h, "%s\x00%s\x00%s\x00%s\x00", f.Class, f.Type, f.Region, f.ImportID)
	for _, c := range f.Changes {
		b, _ := json.Marshal([]any{c.Path, c.Action, c.Before, c.After})
		h.Write(b)
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}

// markBaseline sets each finding's status: known when the baseline holds
// the same fingerprint.
func markBaseline(findings []Finding, baseline *Report) {
	known := map[string]bool{}
	if baseline != nil {
		for _, f := range baseline.Findings {
			known[f.Fingerprint] = true
		}
	}
	for i := range findings {
		findings[i].Status = StatusNew
		if known[findings[i].Fingerprint] {
			findings[i].Status = StatusKnown
		}
	}
}

// FailOn decides which findings fail the audit (exit code 2).
type FailOn string

const (
	FailOnAny FailOn = "any" // any drift finding
	FailOnNew FailOn = "new" // drift findings not in the baseline
)

// FailOns lists the --fail-on values in the order messages give them.
var FailOns = []FailOn{FailOnNew, FailOnAny}

// ParseFailOn checks a --fail-on value.
func ParseFailOn(s string) (FailOn, error) {
	if slices.Contains(FailOns, FailOn(s)) {
		return FailOn(s), nil
	}
	return "", fmt.Errorf("--fail-on %q is not valid; use new or any", s)
}

// Failed reports whether the report holds drift that fails under f.
// Unimportable resources never fail an audit: nobody can fix them by
// adopting.
func (r *Report) Failed(f FailOn) bool {
	for _, x := range r.Findings {
		if !x.Class.Drift() {
			continue
		}
		if f == FailOnAny || x.Status == StatusNew {
			return true
		}
	}
	return false
}

// Exit codes of an audit, as the CLI documents them.
const (
	ExitOK      = 0
	ExitError   = 1
	ExitDrift   = 2
	ExitPartial = 3
)

// NothingAudited reports whether every directory failed: the report then
// vouches for nothing, whatever the discovery found. A shard with no
// directory is not that: it may hold no account (more shards than
// accounts) or only accounts that failed, which make it partial; the
// merge of all shards judges the run.
func (r *Report) NothingAudited() bool {
	if r.Shard != nil && len(r.Dirs) == 0 {
		return false
	}
	for _, d := range r.Dirs {
		if d.Error == "" {
			return false
		}
	}
	return true
}

// EmptyDirs lists the directories whose state held no API or stage.
func (r *Report) EmptyDirs() []string {
	var out []string
	for _, d := range r.Dirs {
		if d.Empty {
			out = append(out, d.Dir)
		}
	}
	return out
}

// ExitCode maps the report to the CLI's exit code. An audit that audited
// nothing is an error, and so is a directory with nothing to audit unless
// allowEmpty: both usually mean a wrong directory or unreachable state,
// which no "no drift" may hide. Partial wins over drift: a report that
// could not look everywhere cannot vouch for the rest.
func (r *Report) ExitCode(f FailOn, allowEmpty bool) int {
	switch {
	case r.NothingAudited():
		return ExitError
	case !allowEmpty && len(r.EmptyDirs()) > 0:
		return ExitError
	case r.Partial:
		return ExitPartial
	case r.Failed(f):
		return ExitDrift
	}
	return ExitOK
}
