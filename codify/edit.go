package codify

import (
	"fmt"
	"regexp"
	"slices"

	"github.com/hashicorp/hcl/v2/hclwrite"

	"github.com/apigw2tf/apigw2tf/audit"
	"github.com/apigw2tf/apigw2tf/internal/hclfiles"
	"github.com/apigw2tf/apigw2tf/migrate"
)

// arguments are the attributes codify may write per resource type: the
// arguments generate writes. Anything else that drifts (arn, invoke_url,
// execution_arn, api_endpoint) is computed by AWS and has no place in the
// configuration.
var arguments = map[string]map[string]bool{
	audit.TypeAPI: set("name", "protocol_type", "description", "version", "api_key_selection_expression",
		"route_selection_expression", "disable_execute_api_endpoint", "ip_address_type", "tags", "cors_configuration"),
	audit.TypeStage: set("name", "description", "auto_deploy", "deployment_id", "client_certificate_id",
		"stage_variables", "tags", "access_log_settings", "default_route_settings", "route_settings"),
}

// Shapes of the attributes that are not plain values.
var (
	mapAttrs     = set("tags", "stage_variables")
	singleBlocks = set("access_log_settings", "default_route_settings", "cors_configuration")
	// keyedBlocks name, per block set, the attribute that identifies an
	// element, as the audit's paths do (route_settings["GET /x"]).
	keyedBlocks = audit.SetKeys
)

func set(names ...string) map[string]bool {
	m := make(map[string]bool, len(names))
	for _, n := range names {
		m[n] = true
	}
	return m
}

// plainAddress is an address codify can find a block for: no module path,
// no count or for_each key.
var plainAddress = regexp.MustCompile(`^[A-Za-z0-9_]+\.[A-Za-z_][A-Za-z0-9_-]*$`)

// block finds the resource block of a finding, or says why there is none
// codify may edit.
func (c *codifier) block(f *audit.Finding) (*hclfiles.Dir, *hclwrite.Block, string, error) {
	switch {
	case f.Dir == "":
		return nil, nil, "the finding names no audited directory", nil
	case !plainAddress.MatchString(f.Address):
		return nil, nil, fmt.Sprintf("%s is in a module or has count/for_each; edit its configuration by hand", f.Address), nil
	}
	d, err := c.dir(f.Dir)
	if err != nil {
		return nil, nil, "", err
	}
	_, b := d.ResourceBlock(f.Address)
	if b == nil {
		return nil, nil, fmt.Sprintf("no resource block declares %s in %s", f.Address, f.Dir), nil
	}
	return d, b, "", nil
}

// changed edits the resource block of a changed finding so that its
// configuration equals the live value at every drifted path.
func (c *codifier) changed(f *audit.Finding) error {
	d, b, why, err := c.block(f)
	if err != nil {
		return err
	}
	if why != "" {
		for _, ch := range f.Changes {
			manual(f, ch.Path, ch.After, why)
		}
		return nil
	}
	before := snapshot(d)
	e := &editor{c: c, f: f, body: b.Body()}
	for _, ch := range f.Changes {
		if why := e.apply(ch); why != "" {
			manual(f, ch.Path, ch.After, why)
		}
	}
	patch, err := c.settle(d, before)
	setPatch(f, patch)
	return err
}

// deleted replaces the resource block of a resource gone from AWS with a
// removed block that forgets it without destroying anything, and drops
// its import block.
func (c *codifier) deleted(f *audit.Finding) error {
	if err := migrate.CheckEngine(c.opts.Engine); err != nil {
		manual(f, "", nil, fmt.Sprintf("%s has no removed block with lifecycle { destroy = false }: remove %s from the configuration by hand once you are sure it is gone (should it come back, a plan without its block destroys it), or use Terraform >= 1.7 or OpenTofu >= 1.10", engineName(c.opts.Engine), f.Address))
		return nil
	}
	d, b, why, err := c.block(f)
	if err != nil {
		return err
	}
	if why != "" {
		manual(f, "", nil, why)
		return nil
	}
	before := snapshot(d)
	file, _ := d.ResourceBlock(f.Address)
	hclfiles.MarkRemoved(b)
	for _, n := range d.Names() {
		for _, ib := range d.Files[n].F.Body().Blocks() {
			if ib.Type() == "import" && hclfiles.TraversalAttr(ib.Body(), "to") == f.Address {
				hclfiles.MarkRemoved(ib)
			}
		}
	}
	rb := hclwrite.NewBlock("removed", nil)
	rb.Body().SetAttributeTraversal("from", hclfiles.Traversal(f.Address))
	rb.Body().AppendNewBlock("lifecycle", nil).Body().SetAttributeValue("destroy", falseVal)
	file.AddNew(rb)
	d.Invalidate()
	patch, err := c.settle(d, before)
	setPatch(f, patch)
	return err
}

func engineName(e migrate.EngineVersion) string {
	if e.Version == nil {
		return e.Name
	}
	return e.Name + " " + e.Version.String()
}

// editor applies the changes of one finding to its resource block.
type editor struct {
	c    *codifier
	f    *audit.Finding
	body *hclwrite.Body
}

// apply writes one change; a non-empty result says why it was left to a
// person.
func (e *editor) apply(ch audit.Change) string {
	segs, err := parsePath(ch.Path)
	if err != nil {
		return err.Error()
	}
	top := segs[0].name
	switch {
	case ch.Redacted:
		return "redacted (--redact): apigw2tf never writes a redacted value"
	case ch.Sensitive:
		return "sensitive: apigw2tf never writes a sensitive value"
	case top == "tags_all":
		if slices.ContainsFunc(e.f.Changes, func(o audit.Change) bool { p, _ := parsePath(o.Path); return p != nil && p[0].name == "tags" }) {
			return "" // follows tags, which this finding writes
		}
		return "tags_all changed without tags: the provider's default_tags differ from the live tags; change default_tags by hand"
	case !arguments[e.f.Type][top]:
		return fmt.Sprintf("%s is computed by AWS, not an argument of %s", top, e.f.Type)
	case e.f.Type == audit.TypeStage && top == "deployment_id" && liveBool(e.f.Live, "auto_deploy"):
		return "with auto_deploy API Gateway moves deployment_id on every deployment; leave it out of the configuration"
	}
	switch {
	case mapAttrs[top]:
		return e.mapChange(segs, ch)
	case singleBlocks[top]:
		return e.singleBlock(segs, ch)
	case keyedBlocks[top] != "":
		return e.keyedBlock(segs, ch)
	case len(segs) == 1:
		return setOrRemove(e.body, top, ch.After)
	}
	return fmt.Sprintf("path %s is deeper than attribute %s has levels", ch.Path, top)
}

func liveBool(live map[string]any, name string) bool {
	b, _ := live[name].(bool)
	return b
}

// singleBlock edits a nested block that occurs at most once
// (default_route_settings[0].throttling_burst_limit, access_log_settings[0]).
func (e *editor) singleBlock(segs []segment, ch audit.Change) string {
	top := segs[0].name
	if len(segs) < 2 || segs[1].index != 0 || len(segs) > 3 {
		return fmt.Sprintf("unexpected path %s for block %s", ch.Path, top)
	}
	blocks, why := nested(e.body, top)
	if why != "" {
		return why
	}
	if len(segs) == 2 {
		// The whole block appeared or went away.
		if isEmpty(ch.After) {
			for _, b := range blocks {
				hclfiles.MarkRemoved(b)
			}
			return ""
		}
		obj, ok := ch.After.(map[string]any)
		if !ok {
			return fmt.Sprintf("live value of %s is not a block", ch.Path)
		}
		for _, b := range blocks {
			hclfiles.MarkRemoved(b)
		}
		return appendBlock(e.body, top, "", obj)
	}
	if len(blocks) == 0 {
		// The configuration leaves the block out; write it whole, as
		// read: a block naming only the drifted attribute would set the
		// others (throttles: to 0, which blocks all traffic).
		obj, why := e.liveElement(top, func(map[string]any) bool { return true })
		if why != "" {
			return why
		}
		return appendBlock(e.body, top, "", obj)
	}
	return setOrRemove(blocks[0].Body(), segs[2].name, ch.After)
}

// keyedBlock edits one element of a block set matched by its key
// (route_settings["GET /items"].throttling_rate_limit).
func (e *editor) keyedBlock(segs []segment, ch audit.Change) string {
	top, keyAttr := segs[0].name, keyedBlocks[segs[0].name]
	if len(segs) < 2 || !segs[1].keyed || len(segs) > 3 {
		return fmt.Sprintf("unexpected path %s for block set %s", ch.Path, top)
	}
	k := segs[1].key
	blocks, why := nested(e.body, top)
	if why != "" {
		return why
	}
	var found *hclwrite.Block
	for _, b := range blocks {
		a := b.Body().GetAttribute(keyAttr)
		if a == nil {
			continue
		}
		v, ok := literal(a)
		if !ok {
			return fmt.Sprintf("a %s block sets %s with an expression, so the one for %q cannot be told apart", top, keyAttr, k)
		}
		if v.Type() == ctyString && v.AsString() == k {
			found = b
			break
		}
	}
	if len(segs) == 2 {
		if found != nil {
			hclfiles.MarkRemoved(found)
		}
		if isEmpty(ch.After) {
			return ""
		}
		obj, ok := ch.After.(map[string]any)
		if !ok {
			return fmt.Sprintf("live value of %s is not a block", ch.Path)
		}
		return appendBlock(e.body, top, keyAttr, obj)
	}
	if found == nil {
		obj, why := e.liveElement(top, func(m map[string]any) bool { s, _ := m[keyAttr].(string); return s == k })
		if why != "" {
			return why
		}
		return appendBlock(e.body, top, keyAttr, obj)
	}
	return setOrRemove(found.Body(), segs[2].name, ch.After)
}

// liveElement is the element of block attribute top in the live object
// that match picks. Values are taken from the live object only where no
// value of the finding is hidden: a redacted value must never reach a
// file, and sibling values were never compared against the redacted ones.
func (e *editor) liveElement(top string, match func(map[string]any) bool) (map[string]any, string) {
	if e.c.redact[top] || slices.ContainsFunc(e.f.Changes, func(c audit.Change) bool { return c.Redacted || c.Sensitive }) {
		return nil, fmt.Sprintf("the configuration has no %s block, and writing one whole would write values of a finding with redacted values", top)
	}
	list, _ := e.f.Live[top].([]any)
	for _, el := range list {
		if m, ok := el.(map[string]any); ok && match(m) {
			return m, ""
		}
	}
	return nil, fmt.Sprintf("the configuration has no %s block and the live value is unknown here", top)
}

// nested lists the blocks of type typ in body; a dynamic block of that
// type is the person's to edit.
func nested(body *hclwrite.Body, typ string) ([]*hclwrite.Block, string) {
	var out []*hclwrite.Block
	for _, b := range body.Blocks() {
		switch {
		case b.Type() == typ:
			out = append(out, b)
		case b.Type() == "dynamic" && slices.Equal(b.Labels(), []string{typ}):
			return nil, fmt.Sprintf("%s comes from a dynamic block; change its for_each or content by hand", typ)
		}
	}
	return out, ""
}

// appendBlock adds a nested block holding obj's non-empty attributes,
// keyAttr first, the rest sorted, as generate orders them.
func appendBlock(body *hclwrite.Body, typ, keyAttr string, obj map[string]any) string {
	b := hclwrite.NewBlock(typ, nil)
	names := make([]string, 0, len(obj))
	for n := range obj {
		if n != keyAttr {
			names = append(names, n)
		}
	}
	slices.Sort(names)
	if keyAttr != "" {
		names = append([]string{keyAttr}, names...)
	}
	for _, n := range names {
		if isEmpty(obj[n]) {
			continue
		}
		v, err := ctyOf(obj[n])
		if err != nil {
			return fmt.Sprintf("%s.%s: %v", typ, n, err)
		}
		b.Body().SetAttributeValue(n, v)
	}
	body.AppendBlock(b)
	return ""
}

// setOrRemove sets attribute name of body to the live value v, or removes
// it when v is empty (null, "", false, no elements): generate leaves those
// out, and the provider reads an absent argument as them. An attribute the
// configuration sets with an expression is never overwritten.
func setOrRemove(body *hclwrite.Body, name string, v any) string {
	a := body.GetAttribute(name)
	if a != nil {
		if _, ok := literal(a); !ok {
			return fmt.Sprintf("the configuration sets %s with an expression (%s); change it by hand", name, exprText(a))
		}
	}
	if isEmpty(v) {
		if a != nil {
			body.RemoveAttribute(name)
		}
		return ""
	}
	cv, err := ctyOf(v)
	if err != nil {
		return fmt.Sprintf("%s: %v", name, err)
	}
	if a != nil {
		body.SetAttributeRaw(name, spaced(hclwrite.TokensForValue(cv)))
		return ""
	}
	body.SetAttributeValue(name, cv)
	indentLast(body, name)
	return ""
}
