package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/apigw2tf/apigw2tf/internal/config"
)

func newConfigCmd(s streams) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "config",
		Short: "Work with the configuration file (" + config.DefaultFile + ")",
		Example: `  apigw2tf config validate
  apigw2tf config validate -c deploy/apigw2tf.yaml`,
		Args: cobra.NoArgs,
	}
	cmd.AddCommand(newConfigValidateCmd(s))
	return cmd
}

func newConfigValidateCmd(s streams) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "validate",
		Short: "Check the configuration file and report every problem in it",
		Long: `Validate reads the configuration file and reports every problem at once, each
as file:line:col: unknown keys (with a did-you-mean), wrong types, unknown
regions and values, and paths that do not exist or cannot be read. Relative
paths are resolved against the file's directory.

Exit status: 0 when the file is valid, 1 when it has problems.`,
		Example: `  apigw2tf config validate
  apigw2tf config validate -c deploy/apigw2tf.yaml`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			// The global --config names the file; without it the default
			// file is checked, and its absence reported.
			path := configPath(cmd.Flags())
			problems := config.Validate(path)
			for _, p := range problems {
				if _, err := fmt.Fprintln(s.out, p); err != nil {
					return err
				}
			}
			switch n := len(problems); n {
			case 0:
				_, err := fmt.Fprintf(s.out, "%s: valid\n", path)
				return err
			case 1:
				return withCode(exitError, fmt.Errorf("%s: 1 problem", path))
			default:
				return withCode(exitError, fmt.Errorf("%s: %d problems", path, n))
			}
		},
	}
	return cmd
}
