package standin

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"reflect"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/arn"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"
	awstypes "github.com/aws/aws-sdk-go-v2/service/apigatewayv2/types"
	"github.com/hashicorp/terraform-plugin-sdk/v2/helper/customdiff"
	"github.com/hashicorp/terraform-plugin-sdk/v2/helper/schema"
	"gopkg.in/yaml.v3"
)

// What every regional resource of the real provider gets beside its own
// schema (FACTS.md, "Shared by every resource").

// regionSchema is v6's per-resource region.
func regionSchema() *schema.Schema {
	return &schema.Schema{
		Type:        schema.TypeString,
		Optional:    true,
		Computed:    true,
		Description: "Region where this resource will be managed. Defaults to the Region set in the provider configuration.",
	}
}

func tagsSchema() *schema.Schema {
	return &schema.Schema{Type: schema.TypeMap, Optional: true, Elem: &schema.Schema{Type: schema.TypeString}}
}

// tagsAllSchema is optional as well as computed in the real provider,
// though a configured value is replaced by the merge of tags and
// default_tags.
func tagsAllSchema() *schema.Schema {
	return &schema.Schema{Type: schema.TypeMap, Optional: true, Computed: true, Elem: &schema.Schema{Type: schema.TypeString}}
}

// commonDiff is the CustomizeDiff the provider wraps around both resources.
var commonDiff = customdiff.Sequence(defaultRegion, forceNewIfRegionChanges, setTagsAll)

// defaultRegion plans an unset region as the provider's.
func defaultRegion(_ context.Context, d *schema.ResourceDiff, meta any) error {
	if _, ok := d.GetOk("region"); !ok {
		return d.SetNew("region", meta.(*providerData).region)
	}
	return nil
}

// forceNewIfRegionChanges replaces a resource whose region changes, except
// between unset and the provider's region (state written before v6 has no
// region).
func forceNewIfRegionChanges(_ context.Context, d *schema.ResourceDiff, meta any) error {
	if d.Id() == "" || !d.HasChange("region") {
		return nil
	}
	region := meta.(*providerData).region
	o, n := d.GetChange("region")
	if os, ns := o.(string), n.(string); (os == "" && ns == region) || (os == region && ns == "") {
		return nil
	}
	return d.ForceNew("region")
}

// setTagsAll plans tags_all as the provider's tagging CustomizeDiff does:
// unknown while tags are; the merge of default and resource tags when tags
// change (unknown when a tag value is "", which the API drops) or when the
// merge has tags; otherwise what state holds.
func setTagsAll(_ context.Context, d *schema.ResourceDiff, meta any) error {
	if plan := d.GetRawPlan(); !plan.IsNull() && !plan.GetAttr("tags").IsWhollyKnown() {
		return d.SetNewComputed("tags_all")
	}
	tags := stringMapOf(d.Get("tags"))
	all := meta.(*providerData).tags.all(tags)
	if d.HasChange("tags") {
		if hasEmptyValue(tags) {
			return d.SetNewComputed("tags_all")
		}
		return d.SetNew("tags_all", all)
	}
	switch {
	case len(all) > 0 && !hasEmptyValue(all):
		return d.SetNew("tags_all", all)
	case len(all) > 0 && !maps.Equal(all, stringMapOf(d.Get("tags_all"))):
		return d.SetNewComputed("tags_all")
	}
	return nil
}

func hasEmptyValue(m map[string]string) bool {
	for _, v := range m {
		if v == "" {
			return true
		}
	}
	return false
}

// importRegion takes an optional "@<region>" suffix off an import id and
// stores the region it names, else the provider's.
func importRegion(d *schema.ResourceData, meta any) error {
	id, region := splitImportRegion(d.Id())
	d.SetId(id)
	return d.Set("region", meta.(*providerData).regionOf(region))
}

// clientFor is the API Gateway V2 client of a resource's region.
func clientFor(d interface{ Get(string) any }, meta any) (apiClient, string) {
	data := meta.(*providerData)
	region := data.regionOf(d.Get("region").(string))
	return data.client(region), region
}

// readTags stores tags and tags_all from what an API returned, as the
// provider's transparent tagging does after a read.
func readTags(d *schema.ResourceData, meta any, got map[string]string) error {
	tags, all := meta.(*providerData).tags.read(got, stringMapOf(d.Get("tags")))
	if err := d.Set("tags", tags); err != nil {
		return err
	}
	return d.Set("tags_all", all)
}

// updateTags moves the resource's tags from the prior tags_all to the merge
// of the planned tags and the provider's default tags; the provider does
// this before the resource's own update.
func updateTags(ctx context.Context, d *schema.ResourceData, meta any, c apiClient, resourceARN string) error {
	if !d.HasChanges("tags", "tags_all") {
		return nil
	}
	old, _ := d.GetChange("tags_all")
	set, remove := diffTags(stringMapOf(old), meta.(*providerData).tags.all(stringMapOf(d.Get("tags"))))
	if len(remove) > 0 {
		if _, err := c.UntagResource(ctx, &apigatewayv2.UntagResourceInput{ResourceArn: aws.String(resourceARN), TagKeys: remove}); err != nil {
			return fmt.Errorf("untagging resource (%s): %w", resourceARN, err)
		}
	}
	if len(set) > 0 {
		if _, err := c.TagResource(ctx, &apigatewayv2.TagResourceInput{ResourceArn: aws.String(resourceARN), Tags: set}); err != nil {
			return fmt.Errorf("tagging resource (%s): %w", resourceARN, err)
		}
	}
	return nil
}

// tagsIn is what a create sends: the resource's tags over the default
// tags, less AWS's own; ignore_tags does not apply to what is sent.
func tagsIn(d *schema.ResourceData, meta any) map[string]string {
	all := meta.(*providerData).tags.merge(stringMapOf(d.Get("tags")))
	maps.DeleteFunc(all, func(k, _ string) bool { return strings.HasPrefix(k, "aws:") })
	if len(all) == 0 {
		return nil
	}
	return all
}

func isNotFound(err error) bool {
	var nf *awstypes.NotFoundException
	return errors.As(err, &nf)
}

// validARN is the provider's verify.ValidARN: empty, or parsable as an ARN.
func validARN(v any, k string) (warnings []string, errs []error) {
	s, _ := v.(string)
	if s != "" && !arn.IsARN(s) {
		errs = append(errs, fmt.Errorf("%q (%s) is an invalid ARN", k, s))
	}
	return nil, errs
}

// suppressMissingBlock is the provider's
// SuppressMissingOptionalConfigurationBlock: a block that exists in state
// but not in configuration is not a diff.
func suppressMissingBlock(k, old, new string, _ *schema.ResourceData) bool {
	return strings.HasSuffix(k, ".#") && old == "1" && new == "0"
}

// caseInsensitiveHash is the provider's StringCaseInsensitiveSetFunc.
func caseInsensitiveHash(v any) int {
	return schema.HashString(strings.ToLower(v.(string)))
}

// decodeDocument reads an OpenAPI definition written as JSON or YAML.
func decodeDocument(s string) (map[string]any, error) {
	var doc map[string]any
	if err := json.Unmarshal([]byte(s), &doc); err == nil {
		return doc, nil
	}
	if err := yaml.Unmarshal([]byte(s), &doc); err != nil {
		return nil, err
	}
	return doc, nil
}

// validDocument is the provider's ValidStringIsJSONOrYAML.
func validDocument(v any, k string) (warnings []string, errs []error) {
	if s, _ := v.(string); s != "" {
		if _, err := decodeDocument(s); err != nil {
			errs = append(errs, fmt.Errorf("%q contains an invalid JSON or YAML: %w", k, err))
		}
	}
	return nil, errs
}

// equivalentDocuments is the provider's SuppressEquivalentJSONOrYAMLDiffs.
func equivalentDocuments(_, old, new string, _ *schema.ResourceData) bool {
	a, err := decodeDocument(old)
	if err != nil {
		return false
	}
	b, err := decodeDocument(new)
	if err != nil {
		return false
	}
	return reflect.DeepEqual(a, b)
}
