package main

import (
	"fmt"
	"runtime"
	"runtime/debug"

	"github.com/spf13/cobra"
)

// version, commit and date are set at build time with -ldflags "-X
// main.version=… -X main.commit=… -X main.date=…" (make build, make release);
// commit falls back to the VCS stamp Go records.
var (
	version = "dev"
	commit  = ""
	date    = ""
)

func newVersionCmd(s streams) *cobra.Command {
	return &cobra.Command{
		Use:     "version",
		Short:   "Print the version, commit, build date and Go version",
		Example: "  apigw2tf version\n  apigw2tf --version",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			_, err := fmt.Fprintln(s.out, versionLine())
			return err
		},
	}
}

// versionLine is what `version` and `--version` print.
func versionLine() string {
	rev := commit
	if bi, ok := debug.ReadBuildInfo(); ok && rev == "" {
		for _, kv := range bi.Settings {
			if kv.Key == "vcs.revision" {
				rev = kv.Value
			}
		}
	}
	if rev == "" {
		rev = "unknown"
	}
	built := ""
	if date != "" {
		built = ", built " + date
	}
	return fmt.Sprintf("apigw2tf %s (commit %s%s, %s)", version, rev, built, runtime.Version())
}
