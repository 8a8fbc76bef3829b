package discover

import (
	"bytes"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/apigw2tf/apigw2tf/inventory"
)

// maxSummaryErrors bounds the failed calls the summary spells out; the
// inventory has all of them.
const maxSummaryErrors = 10

// WriteSummary writes the human summary of a discovery: totals, a line per
// region, what was skipped and why, and the first failed calls.
func WriteSummary(w io.Writer, inv *inventory.Inventory, elapsed time.Duration) error {
	var b bytes.Buffer // one write, so one error to check
	type tally struct{ apis, stages, skipped, errors int }
	per := make(map[string]*tally, len(inv.Regions))
	for _, r := range inv.Regions {
		per[r] = &tally{}
	}
	at := func(r string) *tally {
		if per[r] == nil {
			per[r] = &tally{}
		}
		return per[r]
	}
	stages, authorizers, integrations, routes := 0, 0, 0, 0
	models, routeResponses, integrationResponses := 0, 0, 0
	for _, a := range inv.APIs {
		t := at(a.Region)
		t.apis++
		t.stages += len(a.Stages)
		stages += len(a.Stages)
		authorizers += len(a.Authorizers)
		integrations += len(a.Integrations)
		routes += len(a.Routes)
		models += len(a.Models)
		routeResponses += len(a.RouteResponses)
		integrationResponses += len(a.IntegrationResponses)
	}
	reasons := map[string]int{}
	for _, s := range inv.Skipped {
		at(s.Region).skipped++
		reasons[s.Reason]++
	}
	for _, e := range inv.Errors {
		at(e.Region).errors++
	}

	account := inv.Account
	if account == "" {
		account = "unknown"
	}
	fmt.Fprintf(&b, "discovered %s and %s in %s of account %s in %s\n",
		plural(len(inv.APIs), "API"), plural(stages, "stage"), plural(len(inv.Regions), "region"),
		account, elapsed.Round(time.Millisecond))
	var children []string
	for _, c := range []struct {
		kind string
		n    int
	}{{inventory.KindAuthorizer, authorizers}, {inventory.KindIntegration, integrations}, {inventory.KindRoute, routes},
		{inventory.KindModel, models}, {inventory.KindRouteResponse, routeResponses}, {inventory.KindIntegrationResponse, integrationResponses}} {
		if inv.Has(c.kind) {
			children = append(children, plural(c.n, strings.ReplaceAll(c.kind, "_", " ")))
		}
	}
	if len(children) > 0 {
		fmt.Fprintf(&b, "  with %s\n", strings.Join(children, ", "))
	}
	if line := accountLevelSummary(inv); line != "" {
		fmt.Fprintf(&b, "  and account-level %s\n", line)
	}
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  REGION\tAPIS\tSTAGES\tSKIPPED\tERRORS")
	for _, r := range inv.Regions {
		t := per[r]
		fmt.Fprintf(tw, "  %s\t%d\t%d\t%d\t%d\n", r, t.apis, t.stages, t.skipped, t.errors)
	}
	tw.Flush() // writes to a bytes.Buffer cannot fail
	if len(inv.Skipped) > 0 {
		fmt.Fprintf(&b, "skipped %d:\n", len(inv.Skipped))
		for _, reason := range []string{inventory.ReasonQuickCreate, inventory.ReasonQuickCreateChild, inventory.ReasonManagedAPI} {
			if n := reasons[reason]; n > 0 {
				fmt.Fprintf(&b, "  %d x %s\n", n, reason)
				delete(reasons, reason)
			}
		}
		for _, reason := range slices.Sorted(maps.Keys(reasons)) {
			fmt.Fprintf(&b, "  %d x %s\n", reasons[reason], reason)
		}
	}
	if len(inv.Errors) > 0 {
		fmt.Fprintf(&b, "errors %d (the inventory is partial):\n", len(inv.Errors))
		for i, e := range inv.Errors {
			if i == maxSummaryErrors {
				fmt.Fprintf(&b, "  … and %d more, listed under \"errors\" in the inventory\n", len(inv.Errors)-i)
				break
			}
			where := e.Region
			if e.APIID != "" {
				where += " api " + e.APIID
			}
			fmt.Fprintf(&b, "  %s %s: %s\n", where, e.Operation, e.Message)
		}
	}
	_, err := w.Write(b.Bytes())
	return err
}

// plural formats a count with its noun: "1 region", "3 regions".
func plural(n int, noun string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, noun)
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
