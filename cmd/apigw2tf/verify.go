package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/apigw2tf/apigw2tf/generate"
	"github.com/apigw2tf/apigw2tf/internal/config"
	"github.com/apigw2tf/apigw2tf/internal/engine"
)

func newVerifyCmd(s streams, lf *logFlags) *cobra.Command {
	var (
		f  verifyFlags
		ff flagRefs // the flags the configuration file sets
	)
	cmd := &cobra.Command{
		Use:   "verify",
		Short: "Check that the directory's plan only imports, with zero changes",
		Long: `verify runs init and plan in --dir and reads the plan's JSON. It passes only when
every resource change is an import with a no-op action: nothing is created,
updated, replaced or destroyed. (The plan's exit code cannot tell: a plan that
only imports still reports changes.)

It first names the engine and version it plans with, then prints "N to import,
A to add, C to change, D to destroy"; on failure also
each offending address with the attribute paths, before and after values, and
a hint when a known provider behaviour is the cause.

--dir and --terraform-bin default to generate.dir and terraform_bin of the
configuration file.

Exit codes: 0 clean import, 1 error, 2 the plan changes something.`,
		Example: `  apigw2tf verify --dir infra/
  apigw2tf verify --dir infra/ --terraform-bin /usr/local/bin/terraform
  apigw2tf verify -c deploy/apigw2tf.yaml`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			// --dir and --terraform-bin may come from the file.
			if _, err := withConfig(s, cmd, ff, func(c *config.Config) error { verifyFromConfig(c, ff, &f); return nil }); err != nil {
				return err
			}
			log, err := lf.logger(s.err)
			if err != nil {
				return err
			}
			return runVerify(cmd.Context(), s, log, f.dir, f.bin)
		},
	}
	f.register(cmd.Flags(), &ff)
	return cmd
}

type verifyFlags struct{ dir, bin string }

func (f *verifyFlags) register(fs *pflag.FlagSet, ff *flagRefs) {
	ff.Dir = flagVar(fs, fs.StringVar, &f.dir, "dir", ".", "Terraform/OpenTofu root module to plan")
	ff.TerraformBin = flagVar(fs, fs.StringVar, &f.bin, "terraform-bin", "", "engine binary (tofu or terraform); default $"+engine.EnvBinary+", then tofu, then terraform on PATH")
}

func runVerify(ctx context.Context, s streams, log *slog.Logger, dir, bin string) error {
	path, err := engine.Find(bin)
	if err != nil {
		return err
	}
	r, err := engine.Open(ctx, dir, path)
	if err != nil {
		return err
	}
	logEngineCommands(r, log)
	v, _, err := r.TF.Version(ctx, false)
	if err != nil {
		return fmt.Errorf("asking %s for its version: %w", path, err)
	}
	fmt.Fprintf(s.out, "planning with %s %s (%s)\n", r.Name, v, path)
	rep, err := generate.Verify(ctx, r)
	if err != nil {
		return err
	}
	return printVerdict(s, rep)
}

// verdict is a verify report: text for people, and pass or fail.
type verdict interface {
	WriteText(w io.Writer) error
	Pass() bool
}

// printVerdict prints a verify report and maps a failure to exit code 2.
func printVerdict(s streams, v verdict) error {
	if err := v.WriteText(s.out); err != nil {
		return fmt.Errorf("printing the verdict: %w", err)
	}
	if !v.Pass() {
		return withCode(exitDrift, nil)
	}
	return nil
}
