package audit

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// SARIF 2.1.0 (OASIS), as GitHub code scanning reads it. One run per file:
// GitHub rejects several runs of one tool and category.
const (
	sarifVersion = "2.1.0"
	sarifSchema  = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
	// sarifCategory is the run's automationDetails.id: one category for
	// the drift audit, whatever shards it was merged from.
	sarifCategory = "apigw2tf/audit/"
)

type sarifLog struct {
	Version string     `json:"version"`
	Schema  string     `json:"$schema"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool              sarifTool         `json:"tool"`
	AutomationDetails sarifAutomation   `json:"automationDetails"`
	Results           []sarifResult     `json:"results"`
	Properties        map[string]any    `json:"properties,omitempty"`
	OriginalURIBases  map[string]uriRef `json:"originalUriBaseIds,omitempty"`
}

type uriRef struct {
	URI string `json:"uri"`
}

type sarifAutomation struct {
	ID string `json:"id"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	InformationURI string      `json:"informationUri"`
	Rules          []sarifRule `json:"rules"`
}

type sarifRule struct {
	ID               string         `json:"id"`
	Name             string         `json:"name"`
	ShortDescription sarifMessage   `json:"shortDescription"`
	Help             sarifMessage   `json:"help"`
	DefaultConfig    sarifRuleLevel `json:"defaultConfiguration"`
}

type sarifRuleLevel struct {
	Level string `json:"level"`
}

type sarifMessage struct {
	Text string `json:"text"`
}

type sarifResult struct {
	RuleID              string            `json:"ruleId"`
	RuleIndex           int               `json:"ruleIndex"`
	Level               string            `json:"level"`
	Message             sarifMessage      `json:"message"`
	Locations           []sarifLocation   `json:"locations,omitempty"`
	PartialFingerprints map[string]string `json:"partialFingerprints"`
	BaselineState       string            `json:"baselineState,omitempty"`
	Properties          map[string]any    `json:"properties"`
}

type sarifLocation struct {
	Physical *sarifPhysical `json:"physicalLocation,omitempty"`
	Logical  []sarifLogical `json:"logicalLocations,omitempty"`
}

type sarifPhysical struct {
	Artifact sarifArtifact `json:"artifactLocation"`
	Region   *sarifRegion  `json:"region,omitempty"`
}

type sarifArtifact struct {
	URI       string `json:"uri"`
	URIBaseID string `json:"uriBaseId,omitempty"`
}

type sarifRegion struct {
	StartLine int `json:"startLine"`
}

type sarifLogical struct {
	FullyQualifiedName string `json:"fullyQualifiedName"`
	Kind               string `json:"kind"`
}

// sarifRules describe each class once; results point at them.
var sarifRules = []struct {
	class       Class
	level, text string
}{
	{ClassChanged, "warning", "An API or stage changed outside Terraform: live differs from state."},
	{ClassDeleted, "error", "An API or stage in state is gone from AWS."},
	{ClassPending, "note", "Configuration differs from state: a plan would change the resource."},
	{ClassUnmanaged, "warning", "An API or stage exists in AWS but in no audited state."},
	{ClassUnimportable, "note", "An API or stage exists in AWS but the provider cannot import it."},
}

// renderSARIF writes the report as one SARIF run. A finding with an
// address is located at its resource block in the audited directory's
// .tf files (read now, relative to the working directory, so render in a
// checkout of the configuration); others carry a logical location (region
// and import id) only.
func renderSARIF(w io.Writer, r *Report) error {
	rules := make([]sarifRule, len(sarifRules))
	index := map[Class]int{}
	for i, sr := range sarifRules {
		index[sr.class] = i
		rules[i] = sarifRule{
			ID: "apigw2tf/" + string(sr.class), Name: string(sr.class),
			ShortDescription: sarifMessage{sr.text}, Help: sarifMessage{sr.text},
			DefaultConfig: sarifRuleLevel{sr.level},
		}
	}
	blocks := blockIndex{}
	results := make([]sarifResult, 0, len(r.Findings))
	for _, f := range r.Findings {
		i := index[f.Class]
		res := sarifResult{
			RuleID: rules[i].ID, RuleIndex: i, Level: sarifRules[i].level,
			Message:             sarifMessage{sarifText(&f)},
			PartialFingerprints: map[string]string{"apigw2tf/v1": f.Fingerprint},
			Properties:          map[string]any{"class": f.Class, "region": f.Region, "import_id": f.ImportID, "type": f.Type},
		}
		if f.Account != "" {
			res.Properties["account"] = f.Account
		}
		switch f.Status {
		case StatusKnown:
			res.BaselineState = "unchanged"
		case StatusNew:
			res.BaselineState = "new"
		}
		loc := sarifLocation{Logical: []sarifLogical{{FullyQualifiedName: f.Region + "/" + f.ImportID, Kind: "resource"}}}
		if file, line, ok := blocks.find(f.Dir, f.Address); ok {
			loc.Physical = &sarifPhysical{Artifact: sarifArtifact{URI: file, URIBaseID: "%SRCROOT%"}, Region: &sarifRegion{StartLine: line}}
		}
		res.Locations = []sarifLocation{loc}
		results = append(results, res)
	}
	run := sarifRun{
		Tool:              sarifTool{Driver: sarifDriver{Name: "apigw2tf", InformationURI: "https://github.com/apigw2tf/apigw2tf", Rules: rules}},
		AutomationDetails: sarifAutomation{ID: sarifCategory},
		Results:           results,
		Properties:        map[string]any{"partial": r.Partial, "mode": r.Mode},
	}
	return renderJSONValue(w, sarifLog{Version: sarifVersion, Schema: sarifSchema, Runs: []sarifRun{run}})
}

func sarifText(f *Finding) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s (%s, %s)", f.label(), f.Class, f.Region, f.ImportID)
	if f.Account != "" {
		fmt.Fprintf(&b, " in account %s", f.Account)
	}
	for _, c := range f.Changes {
		b.WriteString("\n" + changeLine(c))
	}
	if f.Hint != "" {
		b.WriteString("\n" + f.Hint)
	}
	return b.String()
}

// blockIndex finds resource blocks in directories' .tf files, parsing
// each directory once. Only root-module addresses have a block there.
type blockIndex map[string]map[string]blockPos

type blockPos struct {
	file string
	line int
}

func (ix blockIndex) find(dir, address string) (string, int, bool) {
	if dir == "" || address == "" || strings.HasPrefix(address, "module.") {
		return "", 0, false
	}
	if _, ok := ix[dir]; !ok {
		ix[dir] = parseBlocks(dir)
	}
	key := address
	if i := strings.IndexByte(key, '['); i >= 0 {
		key = key[:i]
	}
	p, ok := ix[dir][key]
	return p.file, p.line, ok
}

// parseBlocks maps "type.name" to where its resource block starts; files
// that do not parse are skipped, since a location is a convenience.
func parseBlocks(dir string) map[string]blockPos {
	out := map[string]blockPos{}
	files, _ := filepath.Glob(filepath.Join(dir, "*.tf"))
	for _, path := range files {
		src, err := os.ReadFile(path)
		if err != nil {
			continue
		}
		f, diags := hclsyntax.ParseConfig(src, path, hcl.InitialPos)
		if diags.HasErrors() {
			continue
		}
		body, ok := f.Body.(*hclsyntax.Body)
		if !ok {
			continue
		}
		for _, b := range body.Blocks {
			if b.Type == "resource" && len(b.Labels) == 2 {
				out[b.Labels[0]+"."+b.Labels[1]] = blockPos{filepath.ToSlash(path), b.DefRange().Start.Line}
			}
		}
	}
	return out
}
