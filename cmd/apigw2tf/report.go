package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/apigw2tf/apigw2tf/audit"
)

func newReportCmd(s streams) *cobra.Command {
	cmd := &cobra.Command{
		Use:     "report",
		Short:   "Work with audit reports: merge the reports of a sharded audit",
		Example: `  apigw2tf report merge reports/ --format text,json,sarif --out-dir merged/`,
		Args:    cobra.NoArgs,
		RunE:    func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	cmd.AddCommand(newReportMergeCmd(s))
	return cmd
}

type mergeFlags struct {
	formats    string
	outDir     string
	baseline   string
	failOn     string
	allowEmpty bool
}

func newReportMergeCmd(s streams) *cobra.Command {
	var f mergeFlags
	cmd := &cobra.Command{
		Use:   "merge DIR-or-FILE...",
		Short: "Merge the JSON reports of a sharded audit into one report",
		Long: `merge reads the JSON reports of the shards of one audit (files, or
directories searched for report.json) and writes one report of all of them,
in any of the audit's formats.

A shard that is missing (N shards expected, fewer found), a shard given
twice, or an account or directory that two reports claim makes the merged
report partial: it says which shard indexes, and merge exits 3. Reports
that cannot belong to one run (another mode, another shard count) are an
error. --baseline and --fail-on new work as in audit.

Exit codes are audit's: 0 no drift, 1 error, 2 drift (per --fail-on),
3 partial.`,
		Example: `  apigw2tf report merge reports/ --format text,json,sarif --out-dir merged/
  apigw2tf report merge shard-0/report.json shard-1/report.json --baseline last/report.json --fail-on new`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			formats, err := audit.ParseFormats(f.formats)
			if err != nil {
				return err
			}
			failOn, err := audit.ParseFailOn(f.failOn)
			if err != nil {
				return err
			}
			if len(formats) > 1 && f.outDir == "" {
				return errors.New("--format with several formats needs --out-dir")
			}
			var baseline *audit.Report
			if f.baseline != "" {
				if baseline, err = audit.ReadReport(f.baseline); err != nil {
					return fmt.Errorf("--baseline: %w", err)
				}
			} else if failOn == audit.FailOnNew {
				return errors.New("--fail-on new needs --baseline (a previous JSON report)")
			}
			if f.outDir != "" {
				if err := audit.CheckOutDir(f.outDir); err != nil {
					return err
				}
			}
			files, err := reportFiles(args, f.outDir)
			if err != nil {
				return err
			}
			in := make([]audit.MergeInput, len(files))
			for i, p := range files {
				rep, err := audit.ReadReport(p)
				if err != nil {
					return err
				}
				in[i] = audit.MergeInput{Name: p, Report: rep}
			}
			rep, err := audit.Merge(in, baseline)
			if err != nil {
				return err
			}
			partial := "merged report is partial: some shards, accounts, directories or regions failed or are missing; see the report"
			if len(rep.MergeErrors) > 0 {
				partial = "merged report is partial: " + strings.Join(rep.MergeErrors, "; ")
			}
			return writeAndExit(s, rep, formats, failOn, f.outDir, f.allowEmpty, partial)
		},
	}
	fs := cmd.Flags()
	fs.StringVar(&f.formats, "format", "text", "report formats, comma-separated: "+strings.Join(audit.Formats, ","))
	fs.StringVar(&f.outDir, "out-dir", "", "directory for the merged reports; created if missing, its parent must exist")
	fs.StringVar(&f.baseline, "baseline", "", "previous JSON report; findings in it are marked known")
	fs.StringVar(&f.failOn, "fail-on", string(audit.FailOnAny), "exit 2 on any drift finding (any) or only findings not in the baseline (new)")
	fs.BoolVar(&f.allowEmpty, "allow-empty", false, "a directory whose state holds no API or stage is a warning only, not an error (exit 1)")
	return cmd
}

// reportFiles expands the arguments: files as given, directories to every
// report.json below them, except under outDir (an earlier merge's output).
func reportFiles(args []string, outDir string) ([]string, error) {
	var files []string
	skip := ""
	if outDir != "" {
		skip = filepath.Clean(outDir)
	}
	for _, a := range args {
		fi, err := os.Stat(a)
		if err != nil {
			return nil, fmt.Errorf("report %s: %w; pass report.json files or directories holding them", a, err)
		}
		if !fi.IsDir() {
			files = append(files, a)
			continue
		}
		found := 0
		err = filepath.WalkDir(a, func(p string, d fs.DirEntry, err error) error {
			switch {
			case err != nil:
				return err
			case d.IsDir() && skip != "" && filepath.Clean(p) == skip:
				return filepath.SkipDir
			case !d.IsDir() && d.Name() == audit.FileName("json"):
				files = append(files, p)
				found++
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("reading %s: %w", a, err)
		}
		if found == 0 {
			return nil, fmt.Errorf("directory %s holds no %s; pass the directories the shards wrote their JSON reports to", a, audit.FileName("json"))
		}
	}
	slices.Sort(files)
	return slices.Compact(files), nil
}
