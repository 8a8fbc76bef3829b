package audit

import (
	"fmt"
	"strings"
)

// MarkdownLimit keeps the markdown report under GitHub's 65,536-character
// limit for an issue or pull-request comment, with room to spare.
const MarkdownLimit = 65000

// renderMarkdown renders a report for a PR or issue comment. When the full
// report would exceed limit it falls back to a table without attribute
// diffs, and then cuts the table, saying how many findings were left out.
func renderMarkdown(r *Report, limit int) string {
	head := markdownHead(r)
	full := head + markdownFindings(r, true, -1)
	if len(full) <= limit {
		return full
	}
	// Binary search the number of findings that fit without diffs.
	lo, hi := 0, len(r.Findings)
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if len(head)+len(markdownFindings(r, false, mid)) <= limit {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return head + markdownFindings(r, false, lo)
}

// markdownAccountRows bounds the per-account coverage rows of a comment;
// the least covered come first, and the full reports have all of them.
const markdownAccountRows = 50

func markdownHead(r *Report) string {
	var b strings.Builder
	icon := map[string]string{"failed": ":x:", "drift": ":warning:", "clean": ":white_check_mark:"}[r.verdictClass()]
	fmt.Fprintf(&b, "## %s apigw2tf audit: %s\n\n", icon, mdEscape(r.headline()))
	fmt.Fprintf(&b, "_%s mode, %s_\n\n", r.Mode, r.GeneratedAt.Format("2006-01-02 15:04 MST"))
	s := r.Summary
	b.WriteString("| managed | changed | deleted | pending | unmanaged | unimportable | ignored | new | known |\n")
	b.WriteString("|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n")
	fmt.Fprintf(&b, "| %d | %d | %d | %d | %d | %d | %d | %d | %d |\n\n", s.Managed, s.Changed, s.Deleted, s.Pending, s.Unmanaged, s.Unimportable, s.Ignored, s.New, s.Known)
	if c := r.Coverage; c != nil {
		b.WriteString("| region | coverage | managed | unmanaged |\n|---|---:|---:|---:|\n")
		for _, row := range c.Regions {
			fmt.Fprintf(&b, "| %s | %s | %d | %d%s |\n", mdEscape(row.Region), percentText(row.Percent), row.Managed, row.Unmanaged, unknownNote(row))
		}
		fmt.Fprintf(&b, "| **total** | **%s** | %d | %d%s |\n\n", percentText(c.Total.Percent), c.Total.Managed, c.Total.Unmanaged, unknownNote(c.Total))
		if len(c.Accounts) > 0 {
			rows := worstAccounts(c.Accounts)
			fmt.Fprintf(&b, "<details><summary><b>coverage per account</b> (%d, least covered first)</summary>\n\n", len(rows))
			b.WriteString("| account | id | coverage | managed | unmanaged |\n|---|---|---:|---:|---:|\n")
			for i, a := range rows {
				if i == markdownAccountRows {
					fmt.Fprintf(&b, "\n_%d more accounts are in the full report (`--format json,html`)._\n", len(rows)-i)
					break
				}
				fmt.Fprintf(&b, "| %s | `%s` | %s | %d | %d%s |\n", mdEscape(a.Account), a.AccountID, percentText(a.Total.Percent), a.Total.Managed, a.Total.Unmanaged, unknownNote(a.Total))
			}
			b.WriteString("\n</details>\n\n")
		}
	}
	var failed []string
	for _, a := range r.failedAccounts() {
		role := ""
		if a.RoleARN != "" {
			role = fmt.Sprintf(" (role `%s`)", mdCode(a.RoleARN))
		}
		failed = append(failed, fmt.Sprintf("- account %s `%s`%s: %s", mdEscape(a.Name), a.ID, role, mdEscape(firstLine(a.Error))))
	}
	for _, d := range r.Dirs {
		if d.Error != "" {
			failed = append(failed, fmt.Sprintf("- directory `%s`: %s", mdCode(d.Dir), mdEscape(firstLine(d.Error))))
		}
	}
	for _, e := range r.Errors {
		where := ""
		if e.Account != "" {
			where = "account " + mdEscape(e.Account) + " "
		}
		failed = append(failed, fmt.Sprintf("- %sregion `%s`: %s", where, mdCode(e.Region), mdEscape(firstLine(e.Message))))
	}
	if len(failed) > 0 {
		b.WriteString("**Failed, not audited:**\n\n" + strings.Join(failed, "\n") + "\n\n")
	}
	var empty []string
	for _, d := range r.EmptyDirs() {
		empty = append(empty, fmt.Sprintf("- directory `%s`", mdCode(d)))
	}
	if len(empty) > 0 {
		b.WriteString("**Nothing to audit (no API or stage in the state):**\n\n" + strings.Join(empty, "\n") + "\n\n")
	}
	if len(r.SkippedAccounts) > 0 {
		b.WriteString("**Skipped accounts:**\n\n")
		for _, a := range r.SkippedAccounts {
			fmt.Fprintf(&b, "- %s `%s`: %s (status %s)\n", mdEscape(a.Name), a.ID, mdEscape(a.Reason), a.Status)
		}
		b.WriteString("\n")
	}
	return b.String()
}

// markdownFindings renders the findings, one collapsible section per class;
// n < 0 means all of them.
func markdownFindings(r *Report, diffs bool, n int) string {
	if n < 0 || n > len(r.Findings) {
		n = len(r.Findings)
	}
	var b strings.Builder
	shown := r.Findings[:n]
	for _, c := range Classes {
		total := r.countClass(c)
		if total == 0 {
			continue
		}
		var rows []Finding
		for _, f := range shown {
			if f.Class == c {
				rows = append(rows, f)
			}
		}
		if len(rows) == 0 {
			continue
		}
		fmt.Fprintf(&b, "<details><summary><b>%s</b> (%d)</summary>\n\n", c, total)
		if len(r.Accounts) > 0 {
			b.WriteString("| account | resource | region | import id | status | changes |\n|---|---|---|---|---|---:|\n")
		} else {
			b.WriteString("| resource | region | import id | status | changes |\n|---|---|---|---|---:|\n")
		}
		for _, f := range rows {
			if len(r.Accounts) > 0 {
				fmt.Fprintf(&b, "| %s | `%s` | %s | `%s` | %s | %d |\n", mdEscape(f.Account), mdCode(f.label()), mdEscape(f.Region), mdCode(f.ImportID), f.Status, len(f.Changes))
				continue
			}
			fmt.Fprintf(&b, "| `%s` | %s | `%s` | %s | %d |\n", mdCode(f.label()), mdEscape(f.Region), mdCode(f.ImportID), f.Status, len(f.Changes))
		}
		b.WriteString("\n")
		if diffs {
			lastPatch := ""
			for _, f := range rows {
				if len(f.Changes) == 0 && f.Codify == nil {
					continue
				}
				fmt.Fprintf(&b, "<details><summary><code>%s</code></summary>\n\n", htmlEscape(f.label()))
				if len(f.Changes) > 0 {
					b.WriteString("```diff\n")
					for _, ch := range f.Changes {
						b.WriteString(diffFenceLine(ch) + "\n")
					}
					b.WriteString("```\n\n")
				}
				markdownCodify(&b, f.Codify, &lastPatch)
				b.WriteString("</details>\n\n")
			}
		}
		b.WriteString("</details>\n\n")
	}
	if n < len(r.Findings) {
		fmt.Fprintf(&b, "_The report is too long for a comment: %d more findings and all attribute diffs are in the full report (`--format json,html`)._\n", len(r.Findings)-n)
	} else if !diffs && len(r.Findings) > 0 {
		b.WriteString("_Attribute diffs are left out to fit a comment; they are in the full report (`--format json,html`)._\n")
	}
	return b.String()
}

// markdownCodify shows the configuration change --codify made for a
// finding, and what it left to a person. A patch shared by several
// findings (generate's, for unmanaged resources) is shown once.
func markdownCodify(b *strings.Builder, c *Codified, last *string) {
	if c == nil {
		return
	}
	switch {
	case c.Patch != "" && c.Patch == *last:
		b.WriteString("Kept as code: in the change shown above.\n\n")
	case c.Patch != "":
		b.WriteString("Kept as code:\n\n```diff\n" + strings.ReplaceAll(c.Patch, "```", "`\u200b``") + "```\n\n")
		*last = c.Patch
	}
	if len(c.Manual) > 0 {
		b.WriteString("Needs a person:\n\n")
		for _, m := range c.Manual {
			what := ""
			if m.Path != "" {
				what = fmt.Sprintf("`%s` = `%s`: ", mdCode(m.Path), mdCode(formatValue(m.Value)))
			}
			fmt.Fprintf(b, "- %s%s\n", what, mdEscape(m.Reason))
		}
		b.WriteString("\n")
	}
}

// diffFenceLine keeps a change inside its ```diff fence: a value holding a
// fence of its own must not end the block early.
func diffFenceLine(c Change) string {
	l := changeLine(c)
	if l[0] == '~' {
		l = "!" + l[1:]
	}
	return strings.ReplaceAll(l, "```", "`\u200b``")
}

var mdReplacer = strings.NewReplacer("|", `\|`, "<", "&lt;", ">", "&gt;", "*", `\*`, "_", `\_`, "`", "\\`", "[", `\[`, "]", `\]`)

func mdEscape(s string) string { return mdReplacer.Replace(s) }

// mdCode prepares text for a `code span` inside a table: pipes still split
// cells there, and a backtick would end the span.
func mdCode(s string) string { return mdCodeReplacer.Replace(s) }

var mdCodeReplacer = strings.NewReplacer("|", `\|`, "`", "'", "\n", " ")

var htmlReplacer = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;")

func htmlEscape(s string) string { return htmlReplacer.Replace(s) }

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i] + " …"
	}
	return s
}
