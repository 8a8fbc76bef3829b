package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/spf13/cobra"
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
		Long: `apigw2tf discovers every API Gateway V2 API and stage in an account, writes
import blocks and minimal HCL that plan with zero changes, and audits managed
resources for drift every night.`,
		Example: `  apigw2tf discover --region us-east-1,eu-west-1 -o inventory.json
  apigw2tf generate --inventory inventory.json --dir infra/
  apigw2tf verify --dir infra/
  apigw2tf audit --dir infra/ --format text,html --out-dir reports/`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.AddCommand(
		newDiscoverCmd(s),
		newGenerateCmd(s),
		newVerifyCmd(s),
		newAuditCmd(s),
		newDemoCmd(s),
		newEmulatorCmd(s),
		newConfigCmd(s),
		newVersionCmd(s),
	)
	return root
}
