// Package audit turns engine plans (or, in live mode, state plus a fresh
// discovery) into a drift report for API Gateway V2 APIs and stages, and
// renders that report for people (text, markdown, html) and for machines
// (json, junit). It never runs a command that writes state or touches AWS.
package audit

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/apigw2tf/apigw2tf/internal/tfvalue"
	"github.com/apigw2tf/apigw2tf/inventory"
)

// Schema is the version tag of the JSON report. docs/audit-report-schema.md
// documents it; readers (and --baseline) refuse any other.
const Schema = "apigw2tf.audit/v1"

// Resource types the audit looks at; everything else in a state is ignored.
const (
	TypeAPI   = inventory.TypeAPI
	TypeStage = inventory.TypeStage
)

// Class says what kind of difference a finding is.
type Class string

const (
	ClassChanged      Class = "changed"      // live differs from state
	ClassDeleted      Class = "deleted"      // in state, gone from AWS
	ClassPending      Class = "pending"      // configuration differs from state
	ClassUnmanaged    Class = "unmanaged"    // live, but in no audited state
	ClassUnimportable Class = "unimportable" // live, but the provider cannot import it
)

// Classes in report order.
// Classes lists the finding classes in report order.
var Classes = []Class{ClassChanged, ClassDeleted, ClassPending, ClassUnmanaged, ClassUnimportable}

// Drift reports whether the class counts as drift for --fail-on.
func (c Class) Drift() bool { return c != ClassUnimportable }

// Status of a finding relative to a baseline report.
const (
	StatusNew   = "new"
	StatusKnown = "known"
)

// Mode says how an audit learns what changed.
type Mode string

// Modes of an audit.
const (
	ModePlan Mode = "plan" // refresh-only plan through the engine
	ModeLive Mode = "live" // state compared with a fresh discovery, no plan
)

// Modes lists the modes, the default first.
var Modes = []Mode{ModePlan, ModeLive}

// Report is one audit of one or more working directories.
type Report struct {
	Schema      string    `json:"schema"`
	GeneratedAt time.Time `json:"generated_at"`
	Mode        Mode      `json:"mode"`
	// Partial is true when a directory or a discovered region failed: the
	// report covers the rest.
	Partial  bool          `json:"partial"`
	Summary  Summary       `json:"summary"`
	Coverage *Coverage     `json:"coverage"`
	Dirs     []DirResult   `json:"dirs"`
	Errors   []RegionError `json:"region_errors"`
	Findings []Finding     `json:"findings"`
	// Accounts and SkippedAccounts are set by an audit of several
	// accounts (RunAccounts) and omitted otherwise.
	Accounts        []AccountResult  `json:"accounts,omitempty"`
	SkippedAccounts []SkippedAccount `json:"skipped_accounts,omitempty"`
	// Shard is set in the report of one shard of a sharded run
	// (docs/scale.md). A plain audit of one account does not write it.
	Shard *ShardRef `json:"shard,omitempty"`
	// MergeErrors say what a merge of shard reports found missing or
	// claimed twice; the merged report is then Partial.
	MergeErrors []string `json:"merge_errors,omitempty"`
}

// AccountResult is one account of an audit of several accounts.
type AccountResult struct {
	Name string `json:"name"`
	ID   string `json:"id"`
	// RoleARN is the role that reached the account, when one did.
	RoleARN string `json:"role_arn,omitempty"`
	// Error is set when the account could not be audited (its role could
	// not be assumed, no directory holds it); the report is then partial.
	Error string   `json:"error,omitempty"`
	Dirs  []string `json:"dirs"`
	// Managed is the account's managed APIs and stages: the weight
	// --weights reads for the next shard assignment.
	Managed int `json:"managed"`
}

// SkippedAccount is an account left out on purpose, with its
// Organizations status.
type SkippedAccount struct {
	Name   string `json:"name"`
	ID     string `json:"id"`
	Status string `json:"status"`
	Reason string `json:"reason"`
}

// Summary counts findings by class and by baseline status. Ignored counts
// attribute changes and findings removed by --ignore rules.
type Summary struct {
	Managed      int `json:"managed"`
	Changed      int `json:"changed"`
	Deleted      int `json:"deleted"`
	Pending      int `json:"pending"`
	Unmanaged    int `json:"unmanaged"`
	Unimportable int `json:"unimportable"`
	Ignored      int `json:"ignored"`
	New          int `json:"new"`
	Known        int `json:"known"`
}

// Coverage is managed / (managed + unmanaged), per region and in total. It is
// nil when the audit ran without a discovery, because unmanaged resources
// are then unknown.
type Coverage struct {
	Total   CoverageRow   `json:"total"`
	Regions []CoverageRow `json:"regions"`
	// Accounts is the coverage of each account, in an audit of several.
	Accounts []AccountCoverage `json:"accounts,omitempty"`
}

// AccountCoverage is one account's coverage, in total and per region.
type AccountCoverage struct {
	Account   string        `json:"account"`
	AccountID string        `json:"account_id"`
	Total     CoverageRow   `json:"total"`
	Regions   []CoverageRow `json:"regions"`
}

// CoverageRow is the coverage of one region (Region empty for the total).
// Percent is nil when it is unknown: the discovery failed in that region
// (for the total, in any region), so the unmanaged count is only a lower
// bound and any percentage would overstate the coverage.
type CoverageRow struct {
	Region    string   `json:"region,omitempty"`
	Managed   int      `json:"managed"`
	Unmanaged int      `json:"unmanaged"`
	Percent   *float64 `json:"percent"`
}

// DirResult is what happened in one working directory.
type DirResult struct {
	Dir string `json:"dir"`
	// Account names the directory's account in an audit of several.
	Account string `json:"account,omitempty"`
	Engine  string `json:"engine,omitempty"`
	// Error is set when the directory could not be audited; its resources
	// are then missing from the report.
	Error string `json:"error,omitempty"`
	// Empty is set when the directory was audited but its state holds no
	// API or stage: nothing there was checked, which is usually a wrong
	// --dir or a state that cannot be reached.
	Empty     bool       `json:"empty,omitempty"`
	Resources []Resource `json:"resources"`
}

// Resource is one managed API or stage found in a state.
type Resource struct {
	Address  string `json:"address"`
	Type     string `json:"type"`
	Region   string `json:"region"`
	ImportID string `json:"import_id"`
}

// RegionError is a discovery failure in one region; unmanaged resources
// there may be missing.
type RegionError struct {
	// Account is set in a report of several accounts.
	Account string `json:"account,omitempty"`
	Region  string `json:"region"`
	Message string `json:"message"`
}

// Finding is one resource that differs, with its attribute changes.
type Finding struct {
	// Fingerprint identifies the finding across runs for --baseline: a hash
	// of class, type, region, import id and the changes.
	Fingerprint string `json:"fingerprint"`
	Class       Class  `json:"class"`
	Status      string `json:"status"`
	// Account and AccountID name the finding's account in an audit of
	// several accounts; both are omitted otherwise.
	Account   string   `json:"account,omitempty"`
	AccountID string   `json:"account_id,omitempty"`
	Dir       string   `json:"dir,omitempty"`
	Address   string   `json:"address,omitempty"`
	Type      string   `json:"type"`
	Region    string   `json:"region"`
	ImportID  string   `json:"import_id"`
	Name      string   `json:"name,omitempty"`
	Changes   []Change `json:"changes,omitempty"`
	// Hint is one line saying what to do about the finding.
	Hint string `json:"hint,omitempty"`
	// Codify is what --codify did with the finding: the change to the
	// configuration that keeps it, and what it left to a person.
	Codify *Codified `json:"codify,omitempty"`
	// Live is the resource's live attribute values as the audit read them,
	// unmasked, for codify in the same process. It never leaves the
	// process: reports carry only Changes, masked.
	Live map[string]any `json:"-"`
}

// Codified is the configuration change that brings a finding into
// configuration (apigw2tf audit --codify).
type Codified struct {
	// Patch is a unified diff of the files, relative to the working
	// directory the audit ran in; empty when nothing could be written.
	Patch string `json:"patch,omitempty"`
	// Manual lists what was left to a person, with the live value.
	Manual []ManualChange `json:"manual,omitempty"`
}

// ManualChange is one attribute path codify did not write, and why. Value
// is the live value, masked like the change it comes from.
type ManualChange struct {
	Path   string `json:"path,omitempty"`
	Value  any    `json:"value"`
	Reason string `json:"reason"`
}

// Change actions: an attribute, map key, block or set element that appeared
// (add), disappeared (remove), or holds another value (update).
const (
	ActionUpdate = string(tfvalue.Update)
	ActionAdd    = string(tfvalue.Add)
	ActionRemove = string(tfvalue.Remove)
)

// Change is one attribute path whose value differs. Before is JSON null for
// an add, After for a remove; a null value in an update is a real null.
type Change struct {
	Path   string `json:"path"`
	Action string `json:"action"`
	Before any    `json:"before"`
	After  any    `json:"after"`
	// Sensitive means the engine marked the value sensitive; Redacted means
	// --redact hid it. Either way Before and After hold a placeholder.
	Sensitive bool `json:"sensitive,omitempty"`
	Redacted  bool `json:"redacted,omitempty"`
}

// Masks that replace hidden values.
const (
	SensitiveMask = tfvalue.SensitiveMask
	RedactedMask  = "(redacted)"
)

// ReadReport reads a JSON report, e.g. the --baseline. It refuses other
// schema versions.
func ReadReport(path string) (*Report, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("opening report: %w", err)
	}
	defer f.Close()
	return DecodeReport(f, path)
}

// DecodeReport decodes a JSON report; name labels errors.
func DecodeReport(r io.Reader, name string) (*Report, error) {
	var rep Report
	if err := json.NewDecoder(r).Decode(&rep); err != nil {
		return nil, fmt.Errorf("report %s is not valid JSON: %w; pass a report written by `apigw2tf audit --format json`", name, err)
	}
	if rep.Schema != Schema {
		return nil, fmt.Errorf("report %s has schema %q, want %q; pass a report written by `apigw2tf audit --format json`", name, rep.Schema, Schema)
	}
	return &rep, nil
}
