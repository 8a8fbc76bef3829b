package audit

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/apigw2tf/apigw2tf/internal/atomicfile"
)

// Report formats and the file each is written to under --out-dir.
var formatFiles = map[string]string{
	"text":     "report.txt",
	"json":     "report.json",
	"markdown": "report.md",
	"junit":    "report-junit.xml",
	"html":     "report.html",
	"sarif":    "report.sarif",
}

// Formats lists the report formats in the order they are documented.
var Formats = []string{"text", "json", "markdown", "junit", "html", "sarif"}

// ParseFormats checks a --format list such as "text,json".
func ParseFormats(list string) ([]string, error) { return CheckFormats(strings.Split(list, ",")) }

// CheckFormats checks a list of report formats and returns each once, in
// order (audit.formats of the configuration file, or --format split).
func CheckFormats(list []string) ([]string, error) {
	var out []string
	seen := map[string]bool{}
	for _, f := range list {
		f = strings.TrimSpace(f)
		if f == "" || seen[f] {
			continue
		}
		if _, ok := formatFiles[f]; !ok {
			return nil, fmt.Errorf("--format %q is not a report format; use a comma-separated list of %s", f, strings.Join(Formats, ", "))
		}
		seen[f] = true
		out = append(out, f)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("--format is empty; use a comma-separated list of %s", strings.Join(Formats, ", "))
	}
	return out, nil
}

// FileName is the file a format is written to under --out-dir.
func FileName(format string) string { return formatFiles[format] }

// Render writes the report in one format.
func Render(w io.Writer, r *Report, format string) error {
	switch format {
	case "text":
		return renderText(w, r)
	case "json":
		return renderJSON(w, r)
	case "markdown":
		_, err := io.WriteString(w, renderMarkdown(r, MarkdownLimit))
		return err
	case "junit":
		return renderJUnit(w, r)
	case "html":
		return renderHTML(w, r)
	case "sarif":
		return renderSARIF(w, r)
	}
	return fmt.Errorf("unknown report format %q", format)
}

// CheckOutDir checks a report directory before an audit runs: it may be
// missing, but its parent must exist. A tree of missing directories is far
// more often a typo than a wish, and finding it after a long audit wastes
// the audit.
func CheckOutDir(dir string) error {
	if fi, err := os.Stat(dir); err == nil {
		if !fi.IsDir() {
			return fmt.Errorf("--out-dir %s is a file, not a directory; name a directory", dir)
		}
		return nil
	}
	parent := filepath.Dir(filepath.Clean(dir))
	if fi, err := os.Stat(parent); err != nil || !fi.IsDir() {
		return fmt.Errorf("--out-dir %s: neither it nor its parent directory %s exists; create the parent first", dir, parent)
	}
	return nil
}

// WriteReports writes each format to its file under dir, atomically, and
// returns the paths written. dir is created when missing; its parent must
// exist (CheckOutDir).
func WriteReports(r *Report, formats []string, dir string) ([]string, error) {
	if err := CheckOutDir(dir); err != nil {
		return nil, err
	}
	if err := os.Mkdir(dir, 0o755); err != nil && !errors.Is(err, fs.ErrExist) {
		return nil, fmt.Errorf("creating report directory: %w", err)
	}
	var paths []string
	for _, f := range formats {
		p := filepath.Join(dir, FileName(f))
		if err := atomicfile.WriteFunc(p, 0o644, func(w io.Writer) error { return Render(w, r, f) }); err != nil {
			return paths, fmt.Errorf("writing %s report: %w", f, err)
		}
		paths = append(paths, p)
	}
	return paths, nil
}

func renderJSON(w io.Writer, r *Report) error { return renderJSONValue(w, r) }

func renderJSONValue(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// formatValue prints a value for people: masks bare, everything else as
// compact JSON (map keys sorted).
func formatValue(v any) string {
	if s, ok := v.(string); ok && (s == SensitiveMask || s == RedactedMask || s == UnknownMask) {
		return s
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return fmt.Sprint(v)
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// changeLine is one change in diff notation: ~ updated, + added, - removed.
func changeLine(c Change) string {
	switch c.Action {
	case ActionAdd:
		return "+ " + c.Path + " = " + formatValue(c.After)
	case ActionRemove:
		return "- " + c.Path + " = " + formatValue(c.Before)
	}
	return "~ " + c.Path + ": " + formatValue(c.Before) + " -> " + formatValue(c.After)
}

// where is the bracketed location of a finding: account (in an audit of
// several), region and import id.
func (f *Finding) where() string {
	if f.Account != "" {
		return fmt.Sprintf("[%s %s %s]", f.Account, f.Region, f.ImportID)
	}
	return fmt.Sprintf("[%s %s]", f.Region, f.ImportID)
}

// label names a finding's resource: its address, or for resources in no
// state its type and name.
func (f *Finding) label() string {
	switch {
	case f.Address != "":
		return f.Address
	case f.Name != "":
		return f.Type + " " + strconv.Quote(f.Name)
	}
	return f.Type + " " + f.ImportID
}

// headline is the one-line verdict shared by the human formats. What
// failed, or was not there to audit, comes first: a verdict on the rest
// must not read as the health of the whole.
func (r *Report) headline() string {
	s := r.Summary
	var parts []string
	for _, p := range []struct {
		n    int
		name string
	}{{s.Changed, "changed"}, {s.Deleted, "deleted"}, {s.Pending, "pending"}, {s.Unmanaged, "unmanaged"}, {s.Unimportable, "unimportable"}} {
		if p.n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", p.n, p.name))
		}
	}
	verdict := "no drift"
	if s.Changed+s.Deleted+s.Pending+s.Unmanaged > 0 {
		verdict = "drift found"
	}
	if len(parts) > 0 {
		verdict += ": " + strings.Join(parts, ", ")
	}
	verdict = fmt.Sprintf("%s; %d managed", verdict, s.Managed)
	problems := r.problems()
	switch {
	case r.NothingAudited():
		return "FAILED, nothing audited: " + strings.Join(problems, "; ")
	case r.Partial:
		return "PARTIAL: " + strings.Join(problems, "; ") + "; in the rest " + verdict
	case len(problems) > 0:
		return "WARNING: " + strings.Join(problems, "; ") + "; " + verdict
	}
	return verdict
}

// problems lists, for the headline, what failed and what held nothing to
// audit.
func (r *Report) problems() []string {
	var failed, empty int
	for _, d := range r.Dirs {
		if d.Error != "" {
			failed++
		}
		if d.Empty {
			empty++
		}
	}
	out := slices.Clone(r.MergeErrors)
	if n := len(r.failedAccounts()); n > 0 {
		out = append(out, fmt.Sprintf("%d of %d accounts failed", n, len(r.Accounts)))
	}
	if failed > 0 {
		out = append(out, fmt.Sprintf("%d of %d directories failed", failed, len(r.Dirs)))
	}
	var regions []string
	whole := false
	for _, e := range r.Errors {
		region := e.Region
		if e.Account != "" && region != "" {
			region = e.Account + " " + region
		}
		switch {
		case e.Region == "" && e.Account == "":
			whole = true
		case e.Region == "":
			region = e.Account
			fallthrough
		default:
			if !slices.Contains(regions, region) {
				regions = append(regions, region)
			}
		}
	}
	switch {
	case whole:
		out = append(out, "discovery failed")
	case len(regions) > 0:
		slices.Sort(regions)
		out = append(out, "discovery failed in "+strings.Join(regions, ", "))
	}
	if empty > 0 {
		out = append(out, fmt.Sprintf("%d of %d directories have no API or stage in their state", empty, len(r.Dirs)))
	}
	return out
}

// verdictClass sorts the report for styling: failed, drift or clean.
func (r *Report) verdictClass() string {
	s := r.Summary
	switch {
	case len(r.problems()) > 0:
		return "failed"
	case s.Changed+s.Deleted+s.Pending+s.Unmanaged > 0:
		return "drift"
	}
	return "clean"
}

// percentText is a coverage for people: "93.0%", or "unknown".
func percentText(p *float64) string {
	if p == nil {
		return "unknown"
	}
	return fmt.Sprintf("%.1f%%", *p)
}

func (r *Report) countClass(c Class) int {
	n := 0
	for _, f := range r.Findings {
		if f.Class == c {
			n++
		}
	}
	return n
}
