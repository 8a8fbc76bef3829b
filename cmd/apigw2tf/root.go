package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/apigw2tf/apigw2tf/internal/config"
)

// Exit codes, fixed and documented in README.md.
const (
	exitOK      = 0
	exitError   = 1
	exitDrift   = 2 // drift found (audit) or a non-empty plan (verify)
	exitPartial = 3 // some region or directory failed; output covers the rest
)

// exitCodeError carries a non-error exit status (drift, partial) out of a
// command, together with the message to print, if any.
type exitCodeError struct {
	code int
	err  error
}

func (e *exitCodeError) Error() string {
	if e.err == nil {
		return fmt.Sprintf("exit status %d", e.code)
	}
	return e.err.Error()
}

func (e *exitCodeError) Unwrap() error { return e.err }

// withCode returns an error that makes run exit with code; err may be nil
// when the command has already reported what happened.
func withCode(code int, err error) error { return &exitCodeError{code: code, err: err} }

// streams are the process's standard streams, injected so the CLI runs
// in-process under tests.
type streams struct {
	in       io.Reader
	out, err io.Writer
}

// run executes the CLI and returns the process exit code. Errors are printed
// here, once.
func run(ctx context.Context, args []string, in io.Reader, out, errOut io.Writer) int {
	root := newRootCmd(streams{in: in, out: out, err: errOut})
	root.SetArgs(args)
	root.SetIn(in)
	root.SetOut(out)
	root.SetErr(errOut)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return exitOK
	}
	var ce *exitCodeError
	if errors.As(err, &ce) {
		if ce.err != nil {
			fmt.Fprintf(errOut, "apigw2tf: %v\n", ce.err)
		}
		return ce.code
	}
	fmt.Fprintf(errOut, "apigw2tf: %v\n", err)
	return exitError
}

func newRootCmd(s streams) *cobra.Command {
	root := &cobra.Command{
		Use:   "apigw2tf",
		Short: "Adopt API Gateway V2 APIs and stages into Terraform/OpenTofu, then audit them for drift",
		Long: `apigw2tf discovers every API Gateway V2 API in an account with its stages,
authorizers, integrations and routes, writes
import blocks and minimal HCL that plan with zero changes, and audits managed
resources for drift every night.`,
		Example: `  apigw2tf discover --region us-east-1,eu-west-1 -o inventory.json
  apigw2tf generate --inventory inventory.json --dir infra/
  apigw2tf verify --dir infra/
  apigw2tf audit --dir infra/ --format text,html --out-dir reports/`,
		Version:       versionLine(),
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	// --version prints what `apigw2tf version` prints. Declared here so that
	// cobra does not also claim -v.
	root.SetVersionTemplate("{{.Version}}\n")
	root.Flags().Bool("version", false, "print the version, commit and build date")
	config.AddFlag(root.PersistentFlags())
	lf := &logFlags{}
	lf.register(root.PersistentFlags(), "warn")
	root.PersistentPreRunE = func(*cobra.Command, []string) error {
		_, err := lf.logger(s.err)
		return err
	}
	// Name the subcommand and where its flags are listed: "unknown flag"
	// alone does not say which one was asked. run prefixes "apigw2tf: ".
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		if c == root {
			return fmt.Errorf("%w; see '%s --help'", err, c.CommandPath())
		}
		return fmt.Errorf("%s: %w; see '%s --help'", c.Name(), err, c.CommandPath())
	})
	root.AddCommand(
		newDiscoverCmd(s),
		newGenerateCmd(s),
		newVerifyCmd(s, lf),
		newAuditCmd(s),
		newMigrateCmd(s),
		newShardsCmd(s),
		newReportCmd(s),
		newDemoCmd(s, lf),
		newEmulatorCmd(s),
		newConfigCmd(s),
		newVersionCmd(s),
	)
	return root
}

// withConfig loads the configuration file of cmd (discover, generate,
// verify or audit) and, when there is one, maps it into the command's flag
// values with mapInto (fromconfig.go). It returns nil when there is no
// file. A bad file is reported like `config validate` does, one problem
// per line, so editors can jump to each.
func withConfig(s streams, cmd *cobra.Command, refs flagRefs, mapInto func(*config.Config) error) (*config.Config, error) {
	flags := cmd.Flags()
	cfg, err := config.FromFlags(flags)
	switch {
	case err != nil:
		return nil, configError(s, configPath(flags), err)
	case cfg == nil && changed(refs.Account):
		return nil, fmt.Errorf("--%s needs a configuration file that lists accounts; pass --config FILE or create ./%s", refs.Account.Name, config.DefaultFile)
	case cfg == nil:
		return nil, nil
	}
	return cfg, mapInto(cfg)
}

// configError prints the problems of a bad configuration file one per line
// and returns the error that ends the command.
func configError(s streams, path string, err error) error {
	var ps config.Problems
	if !errors.As(err, &ps) {
		return err
	}
	for _, p := range ps {
		fmt.Fprintln(s.err, p)
	}
	what := "1 problem"
	if len(ps) > 1 {
		what = fmt.Sprintf("%d problems", len(ps))
	}
	return withCode(exitError, fmt.Errorf("configuration file %s has %s; fix it or pass another with --config", path, what))
}

// configPath is the configuration file --config names, else the default.
func configPath(flags *pflag.FlagSet) string {
	if f := flags.Lookup(config.FlagName); f != nil && f.Value.String() != "" {
		return f.Value.String()
	}
	return config.DefaultFile
}
