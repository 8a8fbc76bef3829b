package discover

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/apigw2tf/apigw2tf/inventory"
)

// WriteAccountsSummary is the human summary of a several-account run: one
// line per account, then the failed and skipped accounts with why.
func WriteAccountsSummary(w io.Writer, all *inventory.Accounts, elapsed time.Duration) error {
	var b strings.Builder
	apis, stages := 0, 0
	for _, a := range all.Accounts {
		if a.Inventory != nil {
			apis += len(a.Inventory.APIs)
			for _, api := range a.Inventory.APIs {
				stages += len(api.Stages)
			}
		}
	}
	fmt.Fprintf(&b, "discovered %s and %s in %s in %s\n", plural(apis, "API"), plural(stages, "stage"),
		plural(len(all.Accounts)-len(all.Failed()), "account"), elapsed.Round(time.Millisecond))
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  ACCOUNT\tID\tREGIONS\tAPIS\tSTAGES\tSKIPPED\tERRORS")
	for _, a := range all.Accounts {
		if a.Inventory == nil {
			fmt.Fprintf(tw, "  %s\t%s\t-\t-\t-\t-\tfailed\n", a.Label(), a.ID)
			continue
		}
		inv := a.Inventory
		n := 0
		for _, api := range inv.APIs {
			n += len(api.Stages)
		}
		fmt.Fprintf(tw, "  %s\t%s\t%d\t%d\t%d\t%d\t%d\n", a.Label(), inv.Account, len(inv.Regions), len(inv.APIs), n, len(inv.Skipped), len(inv.Errors))
	}
	tw.Flush() // writes to a strings.Builder cannot fail
	if failed := all.Failed(); len(failed) > 0 {
		fmt.Fprintf(&b, "failed %d (the inventory is partial):\n", len(failed))
		for _, a := range failed {
			fmt.Fprintf(&b, "  %s (%s): %s\n", a.Label(), a.ID, a.Error)
		}
	}
	if len(all.Skipped) > 0 {
		fmt.Fprintf(&b, "skipped %d:\n", len(all.Skipped))
		for _, a := range all.Skipped {
			fmt.Fprintf(&b, "  %s (%s): %s, status %s\n", a.Name, a.ID, a.Reason, a.Status)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}
