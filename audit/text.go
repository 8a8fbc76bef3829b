package audit

import (
	"bufio"
	"fmt"
	"io"
	"time"
)

func renderText(w io.Writer, r *Report) error {
	b := bufio.NewWriter(w)
	fmt.Fprintf(b, "apigw2tf audit, %s mode, %s\n", r.Mode, r.GeneratedAt.Format(time.RFC3339))
	fmt.Fprintf(b, "%s\n", r.headline())
	if r.Summary.Ignored > 0 {
		fmt.Fprintf(b, "%d ignored by rules\n", r.Summary.Ignored)
	}
	if r.Summary.Known > 0 {
		fmt.Fprintf(b, "%d new, %d known from the baseline\n", r.Summary.New, r.Summary.Known)
	}
	if c := r.Coverage; c != nil {
		fmt.Fprintf(b, "\ncoverage %6s  %d managed, %d unmanaged%s\n", percentText(c.Total.Percent), c.Total.Managed, c.Total.Unmanaged, unknownNote(c.Total))
		for _, row := range c.Regions {
			fmt.Fprintf(b, "  %-16s %6s  %d/%d%s\n", row.Region, percentText(row.Percent), row.Managed, row.Managed+row.Unmanaged, unknownNote(row))
		}
		if len(c.Accounts) > 0 {
			fmt.Fprintf(b, "\ncoverage per account (least covered first)\n")
			for _, a := range worstAccounts(c.Accounts) {
				fmt.Fprintf(b, "  %-40s %6s  %d/%d%s\n", accountLabel(a.Account, a.AccountID), percentText(a.Total.Percent), a.Total.Managed, a.Total.Managed+a.Total.Unmanaged, unknownNote(a.Total))
			}
		}
	}
	if len(r.Accounts) > 0 {
		fmt.Fprintf(b, "\naccounts\n")
		for _, a := range r.Accounts {
			if a.Error != "" {
				fmt.Fprintf(b, "  %s: FAILED: %s\n", accountLabel(a.Name, a.ID), a.Error)
				continue
			}
			fmt.Fprintf(b, "  %s: %d directories\n", accountLabel(a.Name, a.ID), len(a.Dirs))
		}
		for _, a := range r.SkippedAccounts {
			fmt.Fprintf(b, "  %s: skipped, %s (status %s)\n", accountLabel(a.Name, a.ID), a.Reason, a.Status)
		}
	}
	fmt.Fprintf(b, "\ndirectories\n")
	for _, d := range r.Dirs {
		if d.Error != "" {
			fmt.Fprintf(b, "  %s: FAILED: %s\n", d.Dir, d.Error)
			continue
		}
		if d.Empty {
			fmt.Fprintf(b, "  %s: WARNING: nothing to audit, no API or stage in the state (%s)\n", d.Dir, d.Engine)
			continue
		}
		fmt.Fprintf(b, "  %s: %d resources (%s)\n", d.Dir, len(d.Resources), d.Engine)
	}
	for _, e := range r.Errors {
		region := e.Region
		if region == "" {
			region = "discovery"
		}
		if e.Account != "" {
			region = e.Account + " " + region
		}
		fmt.Fprintf(b, "  region %s: FAILED: %s\n", region, e.Message)
	}
	last := Class("")
	for _, f := range r.Findings {
		if f.Class != last {
			fmt.Fprintf(b, "\n%s (%d)\n", f.Class, r.countClass(f.Class))
			last = f.Class
		}
		fmt.Fprintf(b, "  %s  %s %s\n", f.label(), f.where(), f.Status)
		if f.Dir != "" {
			fmt.Fprintf(b, "      in %s\n", f.Dir)
		}
		for _, c := range f.Changes {
			fmt.Fprintf(b, "      %s\n", changeLine(c))
		}
		if f.Hint != "" {
			fmt.Fprintf(b, "      hint: %s\n", f.Hint)
		}
	}
	return b.Flush()
}

// unknownNote says why a coverage is unknown.
func unknownNote(row CoverageRow) string {
	if row.Percent == nil {
		return " found so far (a directory or region failed)"
	}
	return ""
}
