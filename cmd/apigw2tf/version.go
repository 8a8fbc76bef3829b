package main

import (
	"fmt"
	"runtime"
	"runtime/debug"

	"github.com/spf13/cobra"
)

// version and commit are set at build time with -ldflags "-X main.version=…
// -X main.commit=…"; commit falls back to the VCS stamp Go records.
var (
	version = "dev"
	commit  = ""
)

func newVersionCmd(s streams) *cobra.Command {
	return &cobra.Command{
		Use:     "version",
		Short:   "Print the version, commit and Go version",
		Example: "  apigw2tf version",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
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
			_, err := fmt.Fprintf(s.out, "apigw2tf %s (commit %s, %s)\n", version, rev, runtime.Version())
			return err
		},
	}
}
