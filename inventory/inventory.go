// Package inventory is the contract between apigw2tf's steps: discover.Run
// returns an Inventory, generate.Run and audit (its Discoverer) take one, and
// `apigw2tf discover -o` writes it as the on-disk format
// apigw2tf.inventory/v1 that `generate --inventory` and `audit --inventory`
// read. It holds every API Gateway V2 API found in an account with its
// stages, authorizers, integrations and routes, plus what was skipped and
// what failed.
//
// The package is public so that programs outside this module can call
// discover, generate and audit, or produce and read inventories themselves.
// Field names and JSON tags are part of the contract: a change that renames
// or removes one needs a new Schema.
package inventory

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/apigw2tf/apigw2tf/internal/atomicfile"
	"github.com/apigw2tf/apigw2tf/internal/regions"
)

// Schema is the version tag of the document. Readers refuse any other.
const Schema = "apigw2tf.inventory/v1"

// Protocol types as API Gateway reports them.
const (
	ProtocolHTTP      = "HTTP"
	ProtocolWebSocket = "WEBSOCKET"
)

// ReasonQuickCreate is the skip reason for stages (and APIs) that API Gateway
// manages itself; the provider refuses to import them (provider issue #24852).
const ReasonQuickCreate = "quick-create stage managed by API Gateway; cannot be imported"

// ReasonManagedAPI is the skip reason for APIs marked apiGatewayManaged.
const ReasonManagedAPI = "api managed by API Gateway; cannot be imported"

// Inventory is one discovery of one account. Everything but CapturedAt is
// sorted and free of timestamps, so two discoveries of an unchanged account
// serialise to the same bytes apart from that header field.
type Inventory struct {
	Schema     string    `json:"schema"`
	CapturedAt time.Time `json:"captured_at"`
	Account    string    `json:"account"`
	Partition  string    `json:"partition"`
	// Endpoint is the custom API Gateway endpoint discovery used, empty for
	// AWS itself. generate writes it into the provider configuration.
	Endpoint string `json:"endpoint,omitempty"`
	// DefaultRegion is the region the user works in: the configured region
	// when discovery covered it, else the first one asked for. generate gives
	// it the unaliased provider.
	DefaultRegion string `json:"default_region,omitempty"`
	// Types are the resource kinds discovered (AllKinds order); absent in
	// inventories written before routes, integrations and authorizers
	// were, which hold APIs and stages (Kinds).
	Types   []string `json:"types,omitempty"`
	Regions []string `json:"regions"`
	APIs    []API    `json:"apis"`
	// DomainNames and VPCLinks are the account-level resources (absent
	// in inventories written before they were discovered).
	DomainNames []DomainName `json:"domain_names,omitempty"`
	VPCLinks    []VPCLink    `json:"vpc_links,omitempty"`
	Skipped     []Skipped    `json:"skipped"`
	Errors      []Error      `json:"errors"`
}

// API is an importable API with its importable children.
type API struct {
	Region                    string            `json:"region"`
	ID                        string            `json:"id"`
	Name                      string            `json:"name"`
	ProtocolType              string            `json:"protocol_type"`
	APIEndpoint               string            `json:"api_endpoint,omitempty"`
	Description               string            `json:"description,omitempty"`
	Version                   string            `json:"version,omitempty"`
	RouteSelectionExpression  string            `json:"route_selection_expression,omitempty"`
	APIKeySelectionExpression string            `json:"api_key_selection_expression,omitempty"`
	DisableExecuteAPIEndpoint bool              `json:"disable_execute_api_endpoint,omitempty"`
	DisableSchemaValidation   bool              `json:"disable_schema_validation,omitempty"`
	IPAddressType             string            `json:"ip_address_type,omitempty"`
	CorsConfiguration         *Cors             `json:"cors_configuration,omitempty"`
	Tags                      map[string]string `json:"tags,omitempty"`
	Stages                    []Stage           `json:"stages"`
	Authorizers               []Authorizer      `json:"authorizers,omitempty"`
	Integrations              []Integration     `json:"integrations,omitempty"`
	Routes                    []Route           `json:"routes,omitempty"`
	// A WebSocket API's models and its routes' and integrations' responses.
	Models               []Model               `json:"models,omitempty"`
	RouteResponses       []RouteResponse       `json:"route_responses,omitempty"`
	IntegrationResponses []IntegrationResponse `json:"integration_responses,omitempty"`
}

// ImportID is the id `terraform import` takes for aws_apigatewayv2_api.
func (a API) ImportID() string { return a.ID }

// apiIDShape is the shape of API Gateway ids: 10 lower-case letters and
// digits on AWS; emulators may use other lengths.
var apiIDShape = regexp.MustCompile(`^[a-z0-9]+$`)

// ValidAPIID reports whether s has the shape of an API id, like a1b2c3d4e5.
func ValidAPIID(s string) bool { return apiIDShape.MatchString(s) }

// CheckAPIID says what is wrong with an API id given by a person; the
// caller adds the flag or key that held it.
func CheckAPIID(s string) error {
	if !ValidAPIID(s) {
		return fmt.Errorf("%q is not an API id (lower-case letters and digits, like a1b2c3d4e5)", s)
	}
	return nil
}

// Cors mirrors the API's corsConfiguration.
type Cors struct {
	AllowCredentials bool     `json:"allow_credentials,omitempty"`
	AllowHeaders     []string `json:"allow_headers,omitempty"`
	AllowMethods     []string `json:"allow_methods,omitempty"`
	AllowOrigins     []string `json:"allow_origins,omitempty"`
	ExposeHeaders    []string `json:"expose_headers,omitempty"`
	MaxAge           int32    `json:"max_age,omitempty"`
}

// Stage is one importable stage. Quick-create stages never appear here; they
// are listed in Inventory.Skipped.
type Stage struct {
	Name                 string             `json:"name"`
	Description          string             `json:"description,omitempty"`
	AutoDeploy           bool               `json:"auto_deploy,omitempty"`
	DeploymentID         string             `json:"deployment_id,omitempty"`
	ClientCertificateID  string             `json:"client_certificate_id,omitempty"`
	AccessLogSettings    *AccessLogSettings `json:"access_log_settings,omitempty"`
	DefaultRouteSettings *RouteSettings     `json:"default_route_settings,omitempty"`
	RouteSettings        []RouteSetting     `json:"route_settings,omitempty"`
	StageVariables       map[string]string  `json:"stage_variables,omitempty"`
	Tags                 map[string]string  `json:"tags,omitempty"`
}

// StageImportID is the id `terraform import` takes for aws_apigatewayv2_stage.
func StageImportID(apiID, stage string) string { return apiID + "/" + stage }

// AccessLogSettings mirrors the stage's accessLogSettings.
type AccessLogSettings struct {
	DestinationARN string `json:"destination_arn"`
	Format         string `json:"format"`
}

// RouteSettings mirrors API Gateway's RouteSettings. Pointers keep "not set"
// apart from zero, because the provider treats a missing throttle in a
// present block as 0 (provider issue #27674) and generate must write exactly
// what was read.
type RouteSettings struct {
	DataTraceEnabled       *bool    `json:"data_trace_enabled,omitempty"`
	DetailedMetricsEnabled *bool    `json:"detailed_metrics_enabled,omitempty"`
	LoggingLevel           string   `json:"logging_level,omitempty"`
	ThrottlingBurstLimit   *int32   `json:"throttling_burst_limit,omitempty"`
	ThrottlingRateLimit    *float64 `json:"throttling_rate_limit,omitempty"`
}

// RouteSetting is a per-route override, keyed by route key.
type RouteSetting struct {
	RouteKey string `json:"route_key"`
	RouteSettings
}

// Skipped is a live resource left out of the importable set, with why.
type Skipped struct {
	Region  string `json:"region"`
	APIID   string `json:"api_id"`
	APIName string `json:"api_name,omitempty"`
	// Stage is empty when the whole API was skipped.
	Stage string `json:"stage,omitempty"`
	// Kind and ID name a skipped route or integration (quick create's);
	// empty for APIs and stages.
	Kind   string `json:"kind,omitempty"`
	ID     string `json:"id,omitempty"`
	Reason string `json:"reason"`
}

// Error is a call that failed after retries. Its resources may be missing
// from the inventory, which is then partial.
type Error struct {
	Region    string `json:"region"`
	APIID     string `json:"api_id,omitempty"`
	Operation string `json:"operation"`
	Message   string `json:"message"`
	// Throttled means the last attempt was refused for the request quota
	// (HTTP 429): the call may well succeed later, when the quota is not
	// shared with as much other work.
	Throttled bool `json:"throttled,omitempty"`
}

// Partial reports whether some call failed, so the inventory may be missing
// resources.
func (inv *Inventory) Partial() bool { return len(inv.Errors) > 0 }

// Normalize sorts everything into the canonical order (region, API id, stage
// name) and turns nil slices into empty ones, so equal inventories encode to
// equal bytes.
func (inv *Inventory) Normalize() {
	if inv.Schema == "" {
		inv.Schema = Schema
	}
	slices.Sort(inv.Regions)
	inv.Regions = slices.Compact(inv.Regions)
	slices.SortFunc(inv.APIs, func(a, b API) int {
		return cmpJoin(a.Region, b.Region, a.ID, b.ID)
	})
	for i := range inv.APIs {
		a := &inv.APIs[i]
		if a.Stages == nil {
			a.Stages = []Stage{}
		}
		slices.SortFunc(a.Stages, func(x, y Stage) int { return strings.Compare(x.Name, y.Name) })
		for j := range a.Stages {
			slices.SortFunc(a.Stages[j].RouteSettings, func(x, y RouteSetting) int {
				return strings.Compare(x.RouteKey, y.RouteKey)
			})
		}
		a.normalizeChildren()
		a.normalizeResponses()
	}
	inv.normalizeAccountLevel()
	slices.SortFunc(inv.Skipped, func(a, b Skipped) int {
		return cmpJoin(a.Region, b.Region, a.APIID, b.APIID, a.Stage, b.Stage, a.Kind, b.Kind, a.ID, b.ID)
	})
	slices.SortFunc(inv.Errors, func(a, b Error) int {
		return cmpJoin(a.Region, b.Region, a.APIID, b.APIID, a.Operation, b.Operation, a.Message, b.Message)
	})
	if inv.Regions == nil {
		inv.Regions = []string{}
	}
	if inv.APIs == nil {
		inv.APIs = []API{}
	}
	if inv.Skipped == nil {
		inv.Skipped = []Skipped{}
	}
	if inv.Errors == nil {
		inv.Errors = []Error{}
	}
}

// cmpJoin compares pairs (a0,b0), (a1,b1), … lexicographically.
func cmpJoin(pairs ...string) int {
	for i := 0; i+1 < len(pairs); i += 2 {
		if c := strings.Compare(pairs[i], pairs[i+1]); c != 0 {
			return c
		}
	}
	return 0
}

// Encode writes the normalized inventory as indented JSON, one API at a time:
// encoding the whole document at once builds it, and then an indented copy,
// in memory, which for 20,000 APIs x 5 stages is some 350 MB on top of the
// inventory itself. The bytes equal json.MarshalIndent's (a test holds it).
func (inv *Inventory) Encode(w io.Writer) error {
	inv.Normalize()
	head := *inv
	head.APIs = []API{}
	return encodeStreaming(w, &head, "apis", len(inv.APIs), func(k int) (any, string) { return &inv.APIs[k], "api " + inv.APIs[k].ID })
}

// encodeStreaming writes head, a document whose member list is empty, as
// indented JSON with that list's n items streamed in its place, one at a
// time; item returns the k-th and how to name it in an error. The bytes
// equal json.MarshalIndent's of the whole document.
func encodeStreaming(w io.Writer, head any, member string, n int, item func(k int) (any, string)) error {
	var hb bytes.Buffer
	if err := newIndentEncoder(&hb, "").Encode(head); err != nil {
		return fmt.Errorf("encoding the inventory: %w", err)
	}
	marker := "\n  \"" + member + "\": [],\n"
	i := bytes.Index(hb.Bytes(), []byte(marker))
	if i < 0 {
		return fmt.Errorf("encoding the inventory: no %s member in the header; the inventory format changed", member)
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	bw.Write(hb.Bytes()[:i])
	bw.WriteString("\n  \"" + member + "\": [")
	var ab bytes.Buffer
	enc := newIndentEncoder(&ab, "    ")
	for k := range n {
		ab.Reset()
		v, name := item(k)
		if err := enc.Encode(v); err != nil {
			return fmt.Errorf("encoding %s: %w", name, err)
		}
		if k > 0 {
			bw.WriteString(",")
		}
		bw.WriteString("\n    ")
		bw.Write(bytes.TrimSuffix(ab.Bytes(), []byte("\n")))
	}
	if n > 0 {
		bw.WriteString("\n  ")
	}
	bw.WriteString("],\n")
	bw.Write(hb.Bytes()[i+len(marker):])
	return bw.Flush() // bufio keeps the first write error
}

func newIndentEncoder(w io.Writer, prefix string) *json.Encoder {
	enc := json.NewEncoder(w)
	enc.SetIndent(prefix, "  ")
	enc.SetEscapeHTML(false)
	return enc
}

// WriteFile writes the inventory to path atomically.
func (inv *Inventory) WriteFile(path string) error {
	return atomicfile.WriteFunc(path, 0o644, inv.Encode)
}

// Decode reads an inventory, refusing unknown fields and other schema
// versions. name labels errors (usually the file path).
func Decode(r io.Reader, name string) (*Inventory, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("reading inventory %s: %w", name, err)
	}
	var head struct {
		Schema string `json:"schema"`
	}
	if err := json.Unmarshal(data, &head); err != nil {
		return nil, fmt.Errorf("inventory %s is not valid JSON: %w; produce one with `apigw2tf discover -o %s`", name, err, name)
	}
	if head.Schema != Schema {
		return nil, fmt.Errorf("inventory %s has schema %q, want %q; re-run `apigw2tf discover` with this version", name, head.Schema, Schema)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var inv Inventory
	if err := dec.Decode(&inv); err != nil {
		return nil, fmt.Errorf("decoding inventory %s: %w", name, err)
	}
	inv.Normalize()
	if err := inv.Validate(); err != nil {
		return nil, fmt.Errorf("inventory %s: %w", name, err)
	}
	return &inv, nil
}

// Validate reports the first entry that would turn into wrong
// configuration: a region that is not an AWS region (it would be written
// into a provider block), or an API or stage listed twice (it would become
// two resource blocks for one live resource).
func (inv *Inventory) Validate() error {
	if inv.DefaultRegion != "" && !regions.Valid(inv.DefaultRegion) {
		return fmt.Errorf("default_region %q is not an AWS region; fix the file or re-run discover", inv.DefaultRegion)
	}
	for _, r := range inv.Regions {
		if !regions.Valid(r) {
			return fmt.Errorf("region %q is not an AWS region; fix the file or re-run discover", r)
		}
	}
	type apiKey struct{ region, id string }
	seen := make(map[apiKey]bool, len(inv.APIs))
	for i := range inv.APIs {
		a := &inv.APIs[i]
		if !regions.Valid(a.Region) {
			return fmt.Errorf("api %s has region %q, which is not an AWS region; fix the file or re-run discover", a.ID, a.Region)
		}
		k := apiKey{a.Region, a.ID}
		if seen[k] {
			return fmt.Errorf("api %s in %s is listed twice; remove one entry or re-run discover", a.ID, a.Region)
		}
		seen[k] = true
		stages := make(map[string]bool, len(a.Stages))
		for _, s := range a.Stages {
			if stages[s.Name] {
				return fmt.Errorf("stage %q of api %s in %s is listed twice; remove one entry or re-run discover", s.Name, a.ID, a.Region)
			}
			stages[s.Name] = true
		}
		if err := a.validateChildren(); err != nil {
			return err
		}
	}
	if err := inv.validateAccountLevel(); err != nil {
		return err
	}
	for _, k := range inv.Types {
		if !slices.Contains(AllKinds, k) {
			return fmt.Errorf("types lists %q, which is not one of %s; fix the file or re-run discover", k, strings.Join(AllKinds, ", "))
		}
	}
	return nil
}

// ReadFile reads and decodes the inventory at path.
func ReadFile(path string) (*Inventory, error) {
	f, err := open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return Decode(f, path)
}

// open opens an inventory file, with an error that says how to make one.
func open(path string) (*os.File, error) {
	f, err := os.Open(path)
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err // the path is named below, once
		}
		return nil, fmt.Errorf("cannot read inventory %s: %w; create it with `apigw2tf discover -o %s`", path, err, path)
	}
	return f, nil
}
