package standin

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-sdk/v2/diag"
	"github.com/hashicorp/terraform-plugin-sdk/v2/helper/customdiff"
	"github.com/hashicorp/terraform-plugin-sdk/v2/helper/schema"
)

// What an API's untagged children (routes, integrations, authorizers) share
// (FACTS.md, "Children of an API").

// regionDiff is the CustomizeDiff of a regional resource without tags.
var regionDiff = customdiff.Sequence(defaultRegion, forceNewIfRegionChanges)

// setAttrs stores a read's values.
func setAttrs(d *schema.ResourceData, values map[string]any) diag.Diagnostics {
	for k, v := range values {
		if err := d.Set(k, v); err != nil {
			return diag.Errorf("setting %s: %s", k, err)
		}
	}
	return nil
}

// importChild takes "api-id/<child-id>" (optionally "@<region>"). managed,
// when set, asks API Gateway whether quick create made the child, which the
// provider refuses to import with the message kind names.
func importChild(ctx context.Context, d *schema.ResourceData, meta any, second, kind string,
	managed func(ctx context.Context, c apiClient, apiID, id string) (bool, error)) ([]*schema.ResourceData, error) {
	if err := importRegion(d, meta); err != nil {
		return nil, err
	}
	apiID, id, err := parseTwoPartID(d.Id(), second)
	if err != nil {
		return nil, err
	}
	if managed != nil {
		c, _ := clientFor(d, meta)
		m, err := managed(ctx, c, apiID, id)
		if err != nil {
			return nil, err
		}
		if m {
			return nil, fmt.Errorf("API Gateway v2 %s (%s) was created via quick create", kind, id)
		}
	}
	d.SetId(id)
	return []*schema.ResourceData{d}, d.Set("api_id", apiID)
}

// importResponse takes "api-id/<parent-id>/<response-id>" (optionally
// "@<region>") of a route's or an integration's response: parentAttr is the
// attribute that holds the parent's id, parent and own name the parts in
// the real provider's error text. It only splits the id, as the provider
// does; the read that follows finds a missing response.
func importResponse(d *schema.ResourceData, meta any, parentAttr, parent, own string) ([]*schema.ResourceData, error) {
	if err := importRegion(d, meta); err != nil {
		return nil, err
	}
	parts := strings.Split(d.Id(), "/")
	if len(parts) != 3 {
		return nil, fmt.Errorf("wrong format of import ID (%s), use: 'api-id/%s/%s'", d.Id(), parent, own)
	}
	d.SetId(parts[2])
	if err := d.Set(parentAttr, parts[1]); err != nil {
		return nil, err
	}
	return []*schema.ResourceData{d}, d.Set("api_id", parts[0])
}

// readGone handles a read's NotFoundException: the resource leaves the
// state, except right after create. It reports whether err was handled.
func readGone(d *schema.ResourceData, err error) bool {
	if isNotFound(err) && !d.IsNewResource() {
		d.SetId("")
		return true
	}
	return false
}

func stringSetOf(v any) []string {
	if s, ok := v.(*schema.Set); ok {
		return stringsOf(s)
	}
	return nil
}

// setStrings points each destination at its attribute's value when
// GetOk finds it set, as creates send optional strings.
func setStrings(d *schema.ResourceData, dst map[string]**string) {
	for attr, p := range dst {
		if v, ok := d.GetOk(attr); ok {
			s := v.(string)
			*p = &s
		}
	}
}

// changedStrings points each destination at its attribute's new value
// when it changed, as updates send them ("" included).
func changedStrings(d *schema.ResourceData, dst map[string]**string) {
	for attr, p := range dst {
		if d.HasChange(attr) {
			s := d.Get(attr).(string)
			*p = &s
		}
	}
}
