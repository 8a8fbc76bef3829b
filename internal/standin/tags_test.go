package standin

import (
	"maps"
	"testing"
)

func TestTagsRead(t *testing.T) {
	p := tagPolicy{defaults: map[string]string{"owner": "platform", "env": "prod"}, ignoreKeys: []string{"secret"}}
	api := map[string]string{"owner": "platform", "env": "dev", "team": "a", "aws:cloudformation:stack-name": "s", "secret": "x"}
	tags, all := p.read(api, map[string]string{})
	if want := map[string]string{"env": "dev", "team": "a"}; !maps.Equal(tags, want) {
		t.Errorf("tags = %v, want %v (defaults with equal values and ignored keys removed)", tags, want)
	}
	if want := map[string]string{"owner": "platform", "env": "dev", "team": "a"}; !maps.Equal(all, want) {
		t.Errorf("tags_all = %v, want %v", all, want)
	}
	tags, _ = p.read(api, map[string]string{"owner": "platform"})
	if want := map[string]string{"owner": "platform", "env": "dev", "team": "a"}; !maps.Equal(tags, want) {
		t.Errorf("tags with owner configured = %v, want %v", tags, want)
	}
	set, remove := diffTags(map[string]string{"a": "1", "b": "2", "c": "3"}, map[string]string{"a": "1", "b": "9", "d": "4"})
	if len(set) != 2 || set["b"] != "9" || set["d"] != "4" || len(remove) != 1 || remove[0] != "c" {
		t.Errorf("diffTags = %v, %v", set, remove)
	}
}

// TestTagsAllPlan follows the provider's tags_all CustomizeDiff: the merge
// when tags change, unknown when a tag value is "", and the merge of the
// default tags alone when the resource's tags go.
func TestTagsAllPlan(t *testing.T) {
	h := newHarness(t, twoAPIs)
	r := resourceStage()
	st := h.apply(r, nil, map[string]any{"api_id": "h1", "name": "prod", "tags": map[string]any{"env": "test"}})
	d := h.plan(r, st, map[string]any{"api_id": "h1", "name": "prod"})
	if a := d.Attributes["tags_all.env"]; a == nil || !a.NewRemoved {
		t.Errorf("dropping tags plans tags_all.env %+v, want it removed", a)
	}
	if a := d.Attributes["tags_all.owner"]; a != nil {
		t.Errorf("dropping tags plans tags_all.owner %+v, want the default tag kept", a)
	}
	d = h.plan(r, st, map[string]any{"api_id": "h1", "name": "prod", "tags": map[string]any{"env": ""}})
	if a := d.Attributes["tags_all.%"]; a == nil || !a.NewComputed {
		t.Errorf("a tag set to \"\" plans tags_all %+v, want unknown", a)
	}
	if d := h.plan(r, st, map[string]any{"api_id": "h1", "name": "prod", "tags": map[string]any{"env": "test"}}); !d.Empty() {
		t.Errorf("the same tags plan %v, want nothing", d.Attributes)
	}
}
