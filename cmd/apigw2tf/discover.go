package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/apigw2tf/apigw2tf/discover"
	"github.com/apigw2tf/apigw2tf/internal/config"
	"github.com/apigw2tf/apigw2tf/inventory"
)

// Output formats of discover on stdout.
const (
	discoverFormatNone = "none"
	discoverFormatText = "text"
	discoverFormatJSON = "json"
)

type discoverCmdFlags struct {
	output       string
	format       string
	allowPartial bool
}

func newDiscoverCmd(s streams) *cobra.Command {
	df := newDiscoverFlags(s)
	var (
		af accountsFlags
		sf shardFlags
		f  discoverCmdFlags
	)
	cmd := &cobra.Command{
		Use:   "discover",
		Short: "List every API Gateway V2 API of an account, with its children, into an inventory",
		Long: `discover lists the API Gateway V2 APIs of one account in the chosen regions
with their stages, authorizers, integrations and routes (GetApis, then one list
per type and API: GetStages, GetAuthorizers, GetIntegrations, GetRoutes), a
WebSocket API's models and route and integration responses (GetModels, and one
list per route or integration), and the account's VPC links and custom domain
names per region with each domain's API mappings (GetVpcLinks, GetDomainNames,
GetApiMappings); --types picks fewer. It writes the inventory that generate and
audit read (schema ` + inventory.Schema + `).

What quick create made (a $default stage, its route and integration) and APIs
managed by API Gateway cannot be imported; they are
listed under "skipped" with the reason. A call that still fails after retries
is listed under "errors" with its region, API and operation, and the run exits
3 after writing everything else.

Requests are paced per account and region by a token bucket (--rate, --burst,
sized to API Gateway's control-plane quota) and bounded by --concurrency.
SOURCE_DATE_EPOCH fixes captured_at so that reruns are byte-identical.

Every flag can also come from the configuration file (--config, else
./apigw2tf.yaml when it exists); flags given on the command line win.

Several accounts run side by side, --account-concurrency at a time, each
account and region with its own pacing, into one inventory (schema
` + inventory.SchemaAccounts + `): every account of the file unless --account a,b
names some, or every ACTIVE account of an AWS Organization with
--member-role-name (the role assumed in each member with the credentials that
list the organization; --org-unit, --include-account and --exclude-account
narrow it). An account whose role cannot be assumed fails alone, with the role
ARN and AWS's message, and the run exits 3; when no role can be assumed at all
the run fails and writes nothing. See docs/organizations.md.

--shard I/N discovers only shard I's accounts, each whole, as generate and
audit --shard assign them (every account weighs 1 unless --weights says
otherwise), and the inventory records the shard: generate and audit then
take its accounts as they are. A shard whose accounts all fail is partial,
not an error. See docs/scale.md.

Exit codes: 0 complete, 1 error or interrupted, 3 partial (some calls failed;
with --allow-partial also an interrupted run).`,
		Example: `  apigw2tf discover --region us-east-1,eu-west-1 -o inventory.json
  apigw2tf discover --region all --profile prod -o inventory.json
  apigw2tf discover -c deploy/apigw2tf.yaml --account prod -o inventory.json
  apigw2tf discover --profile org-admin --member-role-name apigw2tf-read --region us-east-1,eu-west-1 -o inventory.json
  apigw2tf discover --region us-east-1 --role-arn arn:aws:iam::123456789012:role/apigw2tf-read -o inventory.json
  apigw2tf discover --region us-east-1 --include '^orders-' --tag team=payments --protocol http --format json
  apigw2tf discover --endpoint-url http://127.0.0.1:4566 --region us-east-1 --rate 0 -o inventory.json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := withConfig(s, cmd, df.refs, func(c *config.Config) error { return discoverFromConfig(c, df.refs, df, &af) })
			if err != nil {
				return err
			}
			opts, err := df.options()
			if err != nil {
				return err
			}
			ao, err := af.accountsOptions(cmd.Context(), df, cfg, opts)
			if err != nil {
				return err
			}
			if ao != nil {
				if err := shardTargets(ao, &sf); err != nil {
					return err
				}
				return runDiscoverAccounts(cmd.Context(), s, ao, f, df.quiet)
			}
			if sf.given() {
				return errors.New("--shard splits the accounts of a several-account discovery; list accounts in the configuration file, or pass --member-role-name for an AWS Organization")
			}
			return runDiscover(cmd.Context(), s, opts, f, df.quiet)
		},
	}
	fs := cmd.Flags()
	df.register(fs)
	af.register(fs, &df.refs)
	sf.register(fs)
	fs.StringVarP(&f.output, "output", "o", "", "write the inventory to this file (atomically; through a symlink to the file it names; - for stdout)")
	fs.StringVar(&f.format, "format", "", "what to print on stdout: none, text (a table) or json (the inventory); default none with -o, else text")
	fs.BoolVar(&f.allowPartial, "allow-partial", false, "when interrupted (Ctrl-C), still write what was found, marked partial")
	return cmd
}

func runDiscover(ctx context.Context, s streams, opts discover.Options, f discoverCmdFlags, quiet bool) error {
	format, err := f.stdoutFormat()
	if err != nil {
		return err
	}
	toStdout := f.output == "-"

	start := time.Now()
	inv, err := discover.Run(ctx, opts)
	if err != nil {
		if inv == nil || !f.allowPartial || !errors.Is(err, ctx.Err()) {
			if inv != nil {
				err = fmt.Errorf("%w; nothing written (pass --allow-partial to keep what was found)", err)
			}
			return err
		}
	}
	if werr := f.emit(s, format, inv, func(w io.Writer) error { return writeInventoryTable(w, inv) }); werr != nil {
		return werr
	}
	if !quiet {
		if werr := discover.WriteSummary(s.err, inv, time.Since(start)); werr != nil {
			return werr
		}
	}
	if err != nil { // interrupted, and --allow-partial kept the result
		return withCode(exitPartial, err)
	}
	if inv.Partial() {
		where := "the inventory's errors"
		if f.output != "" && !toStdout {
			where = `"errors" in ` + f.output
		}
		calls := fmt.Sprintf("%d calls", len(inv.Errors))
		if len(inv.Errors) == 1 {
			calls = "1 call"
		}
		return withCode(exitPartial, fmt.Errorf("discovery is partial: %s failed after retries; see %s", calls, where))
	}
	return nil
}

// stdoutFormat is what goes to stdout: --format, else none with -o and
// text without.
func (f discoverCmdFlags) stdoutFormat() (string, error) {
	// -o - is the inventory on stdout, which is what --format json prints.
	if f.output == "-" {
		if f.format != "" && f.format != discoverFormatJSON {
			return "", fmt.Errorf("-o - prints the inventory on stdout, and --format %s would print there too; drop one", f.format)
		}
		return discoverFormatJSON, nil
	}
	format := f.format
	if format == "" {
		format = discoverFormatText
		if f.output != "" {
			format = discoverFormatNone
		}
	}
	switch format {
	case discoverFormatNone, discoverFormatText, discoverFormatJSON:
		return format, nil
	}
	return "", fmt.Errorf("--format %q must be none, text or json", f.format)
}

// inventoryDoc is an inventory of one account or of several.
type inventoryDoc interface {
	WriteFile(path string) error
	Encode(w io.Writer) error
}

// emit writes the inventory to -o (unless that is stdout) and prints it in
// format.
func (f discoverCmdFlags) emit(s streams, format string, doc inventoryDoc, table func(io.Writer) error) error {
	if f.output != "" && f.output != "-" {
		if err := doc.WriteFile(f.output); err != nil {
			return err
		}
	}
	var err error
	switch format {
	case discoverFormatJSON:
		err = doc.Encode(s.out)
	case discoverFormatText:
		err = table(s.out)
	}
	if err != nil {
		return fmt.Errorf("printing the inventory: %w", err)
	}
	return nil
}

// writeInventoryTable prints one line per API, for a quick look.
func writeInventoryTable(w io.Writer, inv *inventory.Inventory) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "REGION\tAPI ID\tNAME\tPROTOCOL\tSTAGES")
	for _, a := range inv.APIs {
		names := make([]string, len(a.Stages))
		for i, st := range a.Stages {
			names[i] = st.Name
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", a.Region, a.ID, a.Name, a.ProtocolType, strings.Join(names, ","))
	}
	return tw.Flush()
}
