package generate

import (
	"errors"
	"fmt"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/zclconf/go-cty/cty"

	"github.com/apigw2tf/apigw2tf/inventory"
)

// AssumeRole is the provider's assume_role block.
type AssumeRole struct {
	RoleARN     string
	ExternalID  string
	SessionName string
}

// write adds the block to a provider body; a nil role writes nothing.
func (a *AssumeRole) write(pb *hclwrite.Body) {
	if a == nil || a.RoleARN == "" {
		return
	}
	b := pb.AppendNewBlock("assume_role", nil).Body()
	b.SetAttributeValue("role_arn", cty.StringVal(a.RoleARN))
	if a.ExternalID != "" {
		b.SetAttributeValue("external_id", cty.StringVal(a.ExternalID))
	}
	if a.SessionName != "" {
		b.SetAttributeValue("session_name", cty.StringVal(a.SessionName))
	}
}

// Placeholders of a directory template.
const (
	PlaceholderAccountName = "{account_name}"
	PlaceholderAccountID   = "{account_id}"
	PlaceholderRegion      = "{region}"
)

// AccountDir is one root module of a several-account layout: the part of
// an account's inventory that goes there, and the role that reaches it.
type AccountDir struct {
	Dir       string
	Account   inventory.Account
	Inventory *inventory.Inventory
}

var (
	placeholderRE = regexp.MustCompile(`\{[^}]*\}`)
	// unsafePath is what may not appear in a directory name taken from an
	// account name (Organizations allows spaces, slashes and more).
	unsafePath = regexp.MustCompile(`[^A-Za-z0-9._-]+`)
)

// AccountDirs lays the discovered accounts of all out by template, such as
// "infra/{account_name}/{region}": one directory per account, or per
// account and region with something in it when the template names
// {region}. Failed accounts have no directory. Two accounts landing in one directory is an error.
func AccountDirs(all *inventory.Accounts, template string) ([]AccountDir, error) {
	if template == "" {
		return nil, errors.New("--dir-template is empty; use e.g. infra/{account_name} or infra/{account_name}/{region}")
	}
	for _, p := range placeholderRE.FindAllString(template, -1) {
		if !slices.Contains([]string{PlaceholderAccountName, PlaceholderAccountID, PlaceholderRegion}, p) {
			return nil, fmt.Errorf("--dir-template %q: unknown placeholder %s; use %s, %s and %s", template, p, PlaceholderAccountName, PlaceholderAccountID, PlaceholderRegion)
		}
	}
	perAccount := strings.Contains(template, PlaceholderAccountName) || strings.Contains(template, PlaceholderAccountID)
	if !perAccount && len(all.Accounts) > 1 {
		return nil, fmt.Errorf("--dir-template %q names neither %s nor %s, so %d accounts would share a directory", template, PlaceholderAccountName, PlaceholderAccountID, len(all.Accounts))
	}
	perRegion := strings.Contains(template, PlaceholderRegion)
	var out []AccountDir
	owner := map[string]string{}
	for _, a := range all.Accounts {
		if a.Inventory == nil {
			continue
		}
		name := unsafePath.ReplaceAllString(a.Label(), "-")
		base := strings.NewReplacer(PlaceholderAccountName, name, PlaceholderAccountID, a.Inventory.Account).Replace(template)
		parts := []*inventory.Inventory{a.Inventory}
		if perRegion {
			parts = splitRegions(a.Inventory)
		}
		for _, inv := range parts {
			dir := filepath.Clean(base)
			if perRegion {
				dir = filepath.Clean(strings.ReplaceAll(base, PlaceholderRegion, inv.Regions[0]))
			}
			who := a.Label() + " " + strings.Join(inv.Regions, ",")
			if prev, ok := owner[dir]; ok {
				return nil, fmt.Errorf("--dir-template %q puts %s and %s into %s; add %s to the template", template, prev, who, dir, PlaceholderAccountID)
			}
			owner[dir] = who
			out = append(out, AccountDir{Dir: dir, Account: a, Inventory: inv})
		}
	}
	return out, nil
}

// splitRegions cuts an inventory into one per region, each with that
// region's APIs, skipped resources and errors; regions where nothing was
// found get none.
func splitRegions(inv *inventory.Inventory) []*inventory.Inventory {
	var out []*inventory.Inventory
	for _, r := range inv.Regions {
		part := *inv
		part.Regions, part.DefaultRegion = []string{r}, r
		part.APIs, part.Skipped, part.Errors = nil, nil, nil
		for _, a := range inv.APIs {
			if a.Region == r {
				part.APIs = append(part.APIs, a)
			}
		}
		for _, s := range inv.Skipped {
			if s.Region == r {
				part.Skipped = append(part.Skipped, s)
			}
		}
		for _, e := range inv.Errors {
			if e.Region == r {
				part.Errors = append(part.Errors, e)
			}
		}
		if len(part.APIs) == 0 && len(part.Skipped) == 0 && len(part.Errors) == 0 {
			continue // a root module with nothing to manage is noise
		}
		part.Normalize()
		out = append(out, &part)
	}
	return out
}
