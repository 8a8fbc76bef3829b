// Package config reads apigw2tf.yaml, the one file that holds a team's
// settings for discover, generate, verify and audit, and reports every
// problem in it at once with its position. It produces typed values and
// knows no command's flags: each command maps them into its own flag values
// (cmd/apigw2tf/fromconfig.go), and flags given on the command line win.
package config

import (
	"fmt"
	"strings"

	"github.com/apigw2tf/apigw2tf/audit"
	"github.com/apigw2tf/apigw2tf/migrate"
)

// DefaultFile is read from the working directory when --config is not
// given and the file exists.
const DefaultFile = "apigw2tf.yaml"

// Version is the only configuration format version this build reads.
const Version = 1

// Config is a checked apigw2tf.yaml. Paths in it are resolved against the
// file's directory, so a configuration means the same thing whatever the
// working directory. Zero values mean "not set": the command's own default
// applies.
type Config struct {
	// Path is the file the configuration was read from, as given.
	Path    string
	Version int
	// Accounts to discover; discover runs all of them (or those --account
	// names) side by side, other commands one at a time (see Account).
	Accounts []Account
	// Organization, when set, lists the accounts from AWS Organizations
	// instead; it excludes Accounts.
	Organization *Organization
	// AccountConcurrency bounds the accounts discovered at once.
	AccountConcurrency int
	Filters            Filters
	// Client-side limits per account and region. Rate 0 turns the rate
	// limit off; RateSet tells it from "not in the file".
	Rate        float64
	RateSet     bool
	Burst       int
	Concurrency int
	MaxAttempts int
	// EndpointURL replaces the AWS endpoints (an emulator, a proxy).
	EndpointURL string
	// TerraformBin is the engine binary, a path or a name on PATH.
	TerraformBin string
	Generate     Generate
	Audit        Audit
	// Migrate holds the moves of `apigw2tf migrate`, in order.
	Migrate []migrate.Move

	// pos maps dotted keys ("audit.dirs") to where their values start, so
	// errors found after parsing still point into the file.
	pos map[string]position
}

// Account is one AWS account to discover: credentials from a shared-config
// profile, a role to assume (with the profile's or the default chain's
// credentials), or both, plus the regions to look in.
type Account struct {
	Name    string
	Profile string
	RoleARN string
	// Regions are region names, or the single value "all".
	Regions []string
	// Dirs are the account's root modules, for an audit of several
	// accounts (audit --inventory with an inventory of several accounts).
	Dirs []string
}

// Filters narrow discovery, as the discover flags of the same names do.
type Filters struct {
	Include  []string // regular expressions on the API name
	Exclude  []string
	APIIDs   []string
	Tags     map[string]string
	Protocol string   // "http" or "websocket"
	Types    []string // resource kinds (inventory.AllKinds); empty: all
}

// Generate holds the generate (and verify) settings.
type Generate struct {
	Dir string
	// Output is the file name inside Dir (single layout), else the stem
	// of the per-region or per-api file names.
	Output string
	Layout string // single, per-region or per-api
	// Names overrides the generated resource name of an API (and the prefix
	// of its stages), keyed by API id. No flag carries it: generate reads
	// it from here.
	Names map[string]string
}

// Audit holds the audit settings.
type Audit struct {
	Dirs     []string
	Formats  []string
	OutDir   string
	Baseline string
	FailOn   string // new or any
	Parallel int
	Mode     string // plan or live
	// IncludePending is nil when the file does not say.
	IncludePending *bool
	Redact         []string
	// IgnoreFile is an --ignore file; IgnoreRules are rules written inline.
	// At most one of them is set.
	// The rules are audit's own type: the file holds what --ignore holds.
	IgnoreFile  string
	IgnoreRules []audit.IgnoreRule
}

// Problem is one thing wrong with a configuration file. Line and Col are
// 1-based; 0 means unknown.
type Problem struct {
	File      string
	Line, Col int
	Msg       string
}

// String formats the problem the way compilers do, so editors can jump to it.
func (p Problem) String() string {
	switch {
	case p.Line == 0:
		return fmt.Sprintf("%s: %s", p.File, p.Msg)
	case p.Col == 0:
		return fmt.Sprintf("%s:%d: %s", p.File, p.Line, p.Msg)
	}
	return fmt.Sprintf("%s:%d:%d: %s", p.File, p.Line, p.Col, p.Msg)
}

// Problems is the error Load returns: every problem found, in file order.
type Problems []Problem

func (ps Problems) Error() string {
	lines := make([]string, len(ps))
	for i, p := range ps {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}

// Load reads and checks the configuration file at path. When anything is
// wrong the error is a Problems listing all of it.
func Load(path string) (*Config, error) {
	c, ps := parse(path)
	if len(ps) > 0 {
		return nil, Problems(ps)
	}
	return c, nil
}

// Validate returns every problem in the configuration file at path, in file
// order; none means the file is valid.
func Validate(path string) []Problem {
	_, ps := parse(path)
	return ps
}
